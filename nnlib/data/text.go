package data

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

//go:embed opticks.txt.gz
var opticksGz []byte

// Opticks returns the text of Isaac Newton's Opticks (fourth edition,
// 1730; public domain; the Project Gutenberg transcription that Go's
// source tree keeps as src/testdata/Isaac.Newton-Opticks.txt), about
// 567,000 characters of English prose, embedded in the package: a corpus
// for character-level language models.
func Opticks() string {
	zr, err := gzip.NewReader(bytes.NewReader(opticksGz))
	if err == nil {
		var b []byte
		if b, err = io.ReadAll(zr); err == nil {
			return string(b)
		}
	}
	panic(&Error{Op: "opticks", Msg: "embedded opticks.txt.gz: " + err.Error()})
}

// GoSource returns up to maxBytes of Go source from the standard library
// of the Go installation ($GOROOT, else `go env GOROOT`): the .go files
// under src, test files excluded, in path order, each preceded by a line
// "// FILE: path". It is a corpus of code for character-level models.
func GoSource(maxBytes int) (string, error) {
	if maxBytes < 1 {
		return "", fmt.Errorf("data: go source: maxBytes %d is not positive", maxBytes)
	}
	root := os.Getenv("GOROOT")
	if root == "" {
		var err error
		if root, err = goEnv("GOROOT"); err != nil || root == "" {
			return "", fmt.Errorf("data: go source: no GOROOT (is the go command installed?): %v", err)
		}
	}
	src := filepath.Join(root, "src")
	var b strings.Builder
	errFull := fmt.Errorf("full")
	err := filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if name := e.Name(); name == "testdata" || name == "vendor" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b.WriteString("// FILE: " + filepath.ToSlash(rel) + "\n")
		b.Write(body)
		if b.Len() >= maxBytes {
			return errFull
		}
		return nil
	})
	if err != nil && err != errFull {
		return "", fmt.Errorf("data: go source: %w", err)
	}
	s := b.String()
	if len(s) > maxBytes {
		s = strings.ToValidUTF8(s[:maxBytes], "")
	}
	return s, nil
}

// TextDataset is a character-level language-modelling dataset: example i
// is the window of SeqLen characters starting at character i*stride, as
// Int ids, and its target is the same window shifted by one character
// (the next character at every position), for recurrent nets and
// transformers.
//
//	text := data.NewText(data.Opticks(), 64)
//	train, val := text.Split(0.1)
//	loader := data.NewLoader(train, 32, data.Shuffle(1))
//	// batches: x, y of shape (32, 64), Int ids below text.VocabSize()
type TextDataset struct {
	ids    []int // the corpus as ids
	vocab  []rune
	index  map[rune]int
	seqLen int
	stride int
}

// NewText returns the windows of seqLen characters of text, at every
// position (stride 1; see Stride), over the vocabulary of text's distinct
// characters in Unicode order. It panics if text has fewer than seqLen+1
// characters.
func NewText(text string, seqLen int) *TextDataset {
	if seqLen < 1 {
		fail("text", "sequence length %d is not positive", seqLen)
	}
	seen := map[rune]bool{}
	for _, r := range text {
		seen[r] = true
	}
	t := &TextDataset{seqLen: seqLen, stride: 1, index: map[rune]int{}}
	for r := range seen {
		t.vocab = append(t.vocab, r)
	}
	slices.Sort(t.vocab)
	for i, r := range t.vocab {
		t.index[r] = i
	}
	for _, r := range text {
		t.ids = append(t.ids, t.index[r])
	}
	if len(t.ids) < seqLen+1 {
		fail("text", "%d characters are too few for windows of %d and their targets", len(t.ids), seqLen)
	}
	return t
}

// Stride returns a dataset sharing t's corpus whose windows start every
// stride characters (stride seqLen: windows that do not overlap).
func (t *TextDataset) Stride(stride int) *TextDataset {
	if stride < 1 {
		fail("text", "stride %d is not positive", stride)
	}
	u := *t
	u.stride = stride
	return &u
}

// Split returns a training set of the first part of the corpus and a
// validation set of its last valFrac, with t's vocabulary (cutting by
// position keeps the sets' windows apart).
func (t *TextDataset) Split(valFrac float64) (train, val *TextDataset) {
	if !(valFrac > 0 && valFrac < 1) {
		fail("text_split", "validation fraction %v is not in (0, 1)", valFrac)
	}
	cut := int(float64(len(t.ids)) * (1 - valFrac))
	if cut < t.seqLen+1 || len(t.ids)-cut < t.seqLen+1 {
		fail("text_split", "a split at %d of %d characters leaves a part shorter than a window of %d", cut, len(t.ids), t.seqLen)
	}
	a, b := *t, *t
	a.ids, b.ids = t.ids[:cut], t.ids[cut:]
	return &a, &b
}

// Len returns the number of windows.
func (t *TextDataset) Len() int { return (len(t.ids)-t.seqLen-1)/t.stride + 1 }

// SeqLen returns the window length.
func (t *TextDataset) SeqLen() int { return t.seqLen }

// Chars returns the length of the corpus in characters.
func (t *TextDataset) Chars() int { return len(t.ids) }

// VocabSize returns the number of distinct characters.
func (t *TextDataset) VocabSize() int { return len(t.vocab) }

// Vocab returns the vocabulary, id i being the i'th character.
func (t *TextDataset) Vocab() string { return string(t.vocab) }

// Encode returns s as an Int tensor of ids; it panics if s has a character
// outside the vocabulary.
func (t *TextDataset) Encode(s string) *tensor.Tensor {
	ids := make([]int, 0, len(s))
	for _, r := range s {
		id, ok := t.index[r]
		if !ok {
			fail("encode", "character %q is not in the vocabulary", r)
		}
		ids = append(ids, id)
	}
	return tensor.FromSlice(ids)
}

// Decode returns the text of a tensor of ids (of any shape, read in
// order); it panics on an id outside the vocabulary.
func (t *TextDataset) Decode(ids *tensor.Tensor) string {
	var b strings.Builder
	for _, id := range ids.Ints() {
		if id < 0 || id >= len(t.vocab) {
			fail("decode", "id %d is not in [0, %d)", id, len(t.vocab))
		}
		b.WriteRune(t.vocab[id])
	}
	return b.String()
}

// NewBatch returns zeroed Int tensors of shape (n, SeqLen).
func (t *TextDataset) NewBatch(n int) (x, y *tensor.Tensor) {
	return tensor.New(tensor.Int, n, t.seqLen), tensor.New(tensor.Int, n, t.seqLen)
}

// Gather writes windows idx into the rows of x and their targets into y.
func (t *TextDataset) Gather(idx []int, x, y *tensor.Tensor) {
	for _, b := range []*tensor.Tensor{x, y} {
		if b.DType() != tensor.Int || b.Dim() != 2 || b.Size(1) != t.seqLen || b.Size(0) < len(idx) {
			fail("gather", "batch %v %v cannot hold %d windows of %d ids", b.Shape(), b.DType(), len(idx), t.seqLen)
		}
	}
	xs, ys, n, T := x.IntData(), y.IntData(), t.Len(), t.seqLen
	for k, i := range idx {
		if i < 0 || i >= n {
			fail("gather", "index %d out of range [0, %d)", i, n)
		}
		s := i * t.stride
		copy(xs[k*T:(k+1)*T], t.ids[s:s+T])
		copy(ys[k*T:(k+1)*T], t.ids[s+1:s+T+1])
	}
}
