package data

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

func panics(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Fatalf("panicked with %v, want a data error containing %q", r, want)
		}
	}()
	f()
}

func TestDigits(t *testing.T) {
	d := Digits()
	if d.Len() != 1797 || d.X().Size(1) != 64 || d.Classes() != 10 {
		t.Fatalf("%v", d)
	}
	// scikit-learn's load_digits: np.bincount(target)
	want := []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}
	if got := d.ClassCounts(); !slices.Equal(got, want) {
		t.Fatalf("class counts %v, want %v", got, want)
	}
	// The first image (a 0), its first row: 0 0 5 13 9 1 0 0 (of 16).
	x0, y0 := d.Example(0)
	row := x0.Float64s()[:8]
	for i, v := range []float64{0, 0, 5, 13, 9, 1, 0, 0} {
		if row[i] != v/16 {
			t.Fatalf("first row %v, want %v/16", row, v)
		}
	}
	if y0.Item() != 0 {
		t.Fatalf("first label %v", y0.Item())
	}
	lo, hi := d.X().Min().Item(), d.X().Max().Item()
	if lo != 0 || hi != 1 {
		t.Fatalf("values in [%v, %v], want [0, 1]", lo, hi)
	}
	if got := d.String(); got != "TensorDataset(1797 examples, x [64] float32, y [] int, 10 classes)" {
		t.Fatalf("String() = %q", got)
	}
}

// seq is a dataset of n examples whose input is (i, 10i) and label i%k.
func seq(n, k int) *TensorDataset {
	x := make([]float32, 2*n)
	y := make([]int, n)
	for i := range n {
		x[2*i], x[2*i+1], y[i] = float32(i), float32(10*i), i%k
	}
	return FromTensors(tensor.FromSlice(x).Reshape(n, 2), tensor.FromSlice(y))
}

// epoch reads one epoch and returns the example ids in order and the batch
// sizes, checking each batch's inputs against its labels' examples.
func epoch(t *testing.T, l *Loader) (ids, sizes []int) {
	t.Helper()
	for l.Next() {
		x, y := l.Batch()
		xs, ys := x.Float32Data(), y.IntData()
		idx := l.Indices()
		for k, i := range idx {
			if xs[2*k] != float32(i) || xs[2*k+1] != float32(10*i) || ys[k] != i%7 {
				t.Fatalf("batch row %d holds (%v, %v; %d), want example %d", k, xs[2*k], xs[2*k+1], ys[k], i)
			}
		}
		ids = append(ids, idx...)
		sizes = append(sizes, x.Size(0))
	}
	return ids, sizes
}

func TestLoaderCoversEveryExampleOnce(t *testing.T) {
	d := seq(103, 7)
	for _, shuffle := range []bool{false, true} {
		for _, bs := range []int{1, 10, 103, 200} {
			opts := []LoaderOption{}
			if shuffle {
				opts = append(opts, Shuffle(42))
			}
			l := NewLoader(d, bs, opts...)
			for e := range 2 {
				ids, sizes := epoch(t, l)
				sorted := slices.Sorted(slices.Values(ids))
				for i, v := range sorted {
					if v != i {
						t.Fatalf("shuffle %v batch %d epoch %d: ids %v do not cover 0..102 once", shuffle, bs, e, sorted)
					}
				}
				if len(sizes) != l.Len() || sizes[len(sizes)-1] != 103-(l.Len()-1)*min(bs, 103) {
					t.Fatalf("batch %d: sizes %v, Len %d", bs, sizes, l.Len())
				}
				if !shuffle && !slices.Equal(ids, sorted) {
					t.Fatalf("unshuffled loader out of order: %v", ids)
				}
			}
			if l.Epoch() != 2 {
				t.Fatalf("Epoch() = %d after two epochs", l.Epoch())
			}
		}
	}
}

func TestLoaderShuffleIsSeeded(t *testing.T) {
	d := seq(50, 7)
	a, b, c := NewLoader(d, 8, Shuffle(1)), NewLoader(d, 8, Shuffle(1)), NewLoader(d, 8, Shuffle(2))
	a0, _ := epoch(t, a)
	a1, _ := epoch(t, a)
	b0, _ := epoch(t, b)
	c0, _ := epoch(t, c)
	if !slices.Equal(a0, b0) {
		t.Fatal("the same seed gave different orders")
	}
	if slices.Equal(a0, a1) || slices.Equal(a0, c0) || slices.IsSorted(a0) {
		t.Fatalf("orders do not change with the epoch or the seed: %v %v %v", a0, a1, c0)
	}
	// Epoch 1's order does not depend on epoch 0 having been read in full.
	b.SetEpoch(0)
	b.Next()
	b.Reset()
	b1, _ := epoch(t, b)
	if !slices.Equal(a1, b1) {
		t.Fatal("epoch 1 after an abandoned epoch 0 differs")
	}
}

func TestLoaderDropLast(t *testing.T) {
	l := NewLoader(seq(103, 7), 10, Shuffle(3), DropLast())
	if l.Len() != 10 {
		t.Fatalf("Len %d, want 10", l.Len())
	}
	ids, sizes := epoch(t, l)
	if len(ids) != 100 || len(sizes) != 10 || slices.Min(sizes) != 10 {
		t.Fatalf("%d ids in batches %v", len(ids), sizes)
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != 100 {
		t.Fatal("an example came twice")
	}
}

func TestLoaderReusesBuffers(t *testing.T) {
	l := NewLoader(seq(25, 7), 10)
	l.Next()
	x1, _ := l.Batch()
	l.Next()
	x2, _ := l.Batch()
	l.Next()
	x3, _ := l.Batch()
	if x1 != x2 || !x3.SharesStorage(x1) || x3.Size(0) != 5 {
		t.Fatal("batches do not reuse the loader's buffers")
	}
	f := NewLoader(seq(25, 7), 10, NoReuse())
	f.Next()
	y1, _ := f.Batch()
	f.Next()
	y2, _ := f.Batch()
	if y1.SharesStorage(y2) || y1.Float32Data()[0] != 0 || y2.Float32Data()[0] != 10 {
		t.Fatal("NoReuse batches share storage")
	}
	if n := testing.AllocsPerRun(20, func() {
		if !l.Next() {
			l.Next()
		}
	}); n > 3 {
		t.Fatalf("%v allocations per batch", n)
	}
	panics(t, "Batch called without a batch", func() { NewLoader(seq(3, 1), 2).Batch() })
	panics(t, "batch size 0", func() { NewLoader(seq(3, 1), 0) })
}

func TestStratifiedSplit(t *testing.T) {
	d := Digits()
	for _, frac := range []float64{0.2, 0.25, 0.5} {
		train, test := StratifiedSplit(d, frac, 7)
		if got, want := test.Len(), int(math.Round(frac*1797)); got != want || train.Len()+got != 1797 {
			t.Fatalf("frac %v: %d test, %d train", frac, got, train.Len())
		}
		tc, all := test.ClassCounts(), d.ClassCounts()
		for c := range all {
			if want := frac * float64(all[c]); math.Abs(float64(tc[c])-want) >= 1 {
				t.Fatalf("frac %v class %d: %d in test, want %.1f within 1", frac, c, tc[c], want)
			}
		}
		// Train and test together are the whole set: compare sorted rows.
		if math.Abs(sumAll(train)+sumAll(test)-sumAll(d)) > 1e-6 {
			t.Fatal("the split lost or duplicated examples")
		}
	}
	_, a := StratifiedSplit(d, 0.2, 1)
	_, b := StratifiedSplit(d, 0.2, 1)
	_, c := StratifiedSplit(d, 0.2, 2)
	if !slices.Equal(a.X().Float32Data(), b.X().Float32Data()) || slices.Equal(a.X().Float32Data(), c.X().Float32Data()) {
		t.Fatal("split not determined by its seed")
	}
	panics(t, "test fraction 1 is not in (0, 1)", func() { StratifiedSplit(d, 1, 0) })
	panics(t, "not Int labels", func() { StratifiedSplit(FromTensors(tensor.Zeros(4, 2), tensor.Zeros(4)), 0.5, 0) })
	r1, r2 := RandomSplit(d, 0.1, 3)
	if r2.Len() != 180 || r1.Len() != 1617 || math.Abs(sumAll(r1)+sumAll(r2)-sumAll(d)) > 1e-6 {
		t.Fatalf("random split %d + %d", r1.Len(), r2.Len())
	}
}

// sumAll is a checksum of a dataset's examples, independent of order.
func sumAll(d *TensorDataset) float64 {
	var s float64
	xs, ys := d.X().Float32Data(), d.Y().IntData()
	row := len(xs) / d.Len()
	for i := range d.Len() {
		var r float64
		for j, v := range xs[i*row : (i+1)*row] {
			r += float64(v) * float64(j+1)
		}
		s += math.Sin(r + float64(ys[i]))
	}
	return s
}

func TestNormalize(t *testing.T) {
	d := Digits()
	m, s := d.MeanStd()
	d.Normalize(m, s)
	m2, s2 := d.MeanStd()
	if math.Abs(m2) > 1e-5 || math.Abs(s2-1) > 1e-5 {
		t.Fatalf("after Normalize: mean %v std %v", m2, s2)
	}
	f := Digits()
	fm, fs := f.FeatureMeanStd()
	f.NormalizeFeatures(fm, fs)
	m3, s3 := f.FeatureMeanStd()
	for j, v := range m3.Float64s() {
		sd := s3.Float64s()[j]
		if math.Abs(v) > 1e-5 || (math.Abs(sd-1) > 1e-4 && sd != 0) {
			t.Fatalf("feature %d: mean %v std %v", j, v, sd)
		}
	}
	if fs.Float64s()[0] != 0 || s3.Float64s()[0] != 0 {
		t.Fatal("feature 0 (a blank corner) should be constant")
	}
	panics(t, "std > 0", func() { d.Normalize(0, 0) })
}

func TestAugmenterKeepsShapeAndRange(t *testing.T) {
	train := Digits().View(1, 8, 8)
	x, _ := train.NewBatch(64)
	idx := make([]int, 64)
	for i := range idx {
		idx[i] = i
	}
	run := func(seed uint64) []float32 {
		train.Gather(idx, x, nil2(x))
		NewAugmenter(8, 8, seed).Shift(2).Rotate(20).Noise(0.1).Apply(x)
		return slices.Clone(x.Float32Data())
	}
	orig := slices.Clone(train.X().Float32Data()[:64*64])
	a, b, c := run(1), run(1), run(2)
	if !slices.Equal(a, b) || slices.Equal(a, c) || slices.Equal(a, orig) {
		t.Fatal("augmentation is not determined by its seed, or changes nothing")
	}
	if s := x.Shape(); len(s) != 4 || s[0] != 64 || s[1] != 1 || s[2] != 8 || s[3] != 8 {
		t.Fatalf("shape %v", s)
	}
	for e := range 64 {
		lo, hi := bounds(orig[e*64 : (e+1)*64])
		for _, v := range a[e*64 : (e+1)*64] {
			if v < lo || v > hi {
				t.Fatalf("image %d: %v outside its range [%v, %v]", e, v, lo, hi)
			}
		}
	}
	panics(t, "do not hold whole 8x8 images", func() { NewAugmenter(8, 8, 0).Apply(tensor.Zeros(2, 10)) })
}

// nil2 returns a throwaway label tensor for a batch x of Digits.
func nil2(x *tensor.Tensor) *tensor.Tensor { return tensor.New(tensor.Int, x.Size(0)) }

// TestAugmenterWarp checks the geometry on a 3x4 image: a shift moves
// pixels, a quarter turn of a square image turns it.
func TestAugmenterWarp(t *testing.T) {
	a := NewAugmenter(3, 4, 0)
	img := []float32{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
	}
	a.scratch = make([]float32, 12)
	got := slices.Clone(img)
	a.warp(got, 1, -1, 0, 0) // right 1, up 1
	want := []float32{0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0}
	if !slices.Equal(got, want) {
		t.Fatalf("shift: %v, want %v", got, want)
	}
	sq := NewAugmenter(3, 3, 0)
	sq.scratch = make([]float32, 9)
	img3 := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	sq.warp(img3, 0, 0, math.Pi/2, 0)
	// A quarter turn (x right, y down: clockwise on screen) maps the top row
	// onto the right column.
	want3 := []float32{7, 4, 1, 8, 5, 2, 9, 6, 3}
	for i := range img3 {
		if math.Abs(float64(img3[i]-want3[i])) > 1e-5 {
			t.Fatalf("rotation: %v, want %v", img3, want3)
		}
	}
}

func TestText(t *testing.T) {
	d := NewText("hello world", 4)
	if d.Vocab() != " dehlorw" || d.VocabSize() != 8 || d.Len() != 7 || d.Chars() != 11 {
		t.Fatalf("vocab %q, %d windows", d.Vocab(), d.Len())
	}
	x, y := d.NewBatch(2)
	d.Gather([]int{0, 6}, x, y)
	if got := d.Decode(x.Slice(0, 0, 1)); got != "hell" {
		t.Fatalf("window 0 %q", got)
	}
	if got := d.Decode(y.Slice(0, 0, 1)); got != "ello" {
		t.Fatalf("target 0 %q", got)
	}
	if got := d.Decode(x.Slice(0, 1, 2)) + "|" + d.Decode(y.Slice(0, 1, 2)); got != "worl|orld" {
		t.Fatalf("window 6: %q", got)
	}
	if d.Decode(d.Encode("lower")) != "lower" {
		t.Fatal("Encode/Decode round trip")
	}
	panics(t, `character 'z' is not in the vocabulary`, func() { d.Encode("z") })
	if s := d.Stride(4); s.Len() != 2 {
		t.Fatalf("stride 4: %d windows", s.Len())
	}
	l := NewLoader(d, 3, Shuffle(1), DropLast())
	n := 0
	for l.Next() {
		bx, by := l.Batch()
		if bx.DType() != tensor.Int || by.Size(1) != 4 {
			t.Fatalf("batch %v %v", bx.Shape(), bx.DType())
		}
		n++
	}
	if n != 2 {
		t.Fatalf("%d batches", n)
	}
}

func TestOpticks(t *testing.T) {
	s := Opticks()
	if len(s) != 567198 || !strings.HasPrefix(s, "Produced by") || !strings.Contains(s, "OPTICKS") {
		t.Fatalf("%d bytes, starting %q", len(s), s[:20])
	}
	d := NewText(s, 128)
	train, val := d.Split(0.1)
	if train.VocabSize() != d.VocabSize() || train.Chars()+val.Chars() != d.Chars() {
		t.Fatal("split changed the vocabulary or lost text")
	}
	if d.VocabSize() < 60 || d.VocabSize() > 120 {
		t.Fatalf("vocabulary of %d characters", d.VocabSize())
	}
}

func TestGoSource(t *testing.T) {
	s, err := GoSource(20000)
	if err != nil {
		t.Skip(err)
	}
	if len(s) > 20000 || len(s) < 19000 || !strings.HasPrefix(s, "// FILE: ") || !strings.Contains(s, "package ") {
		t.Fatalf("%d bytes starting %q", len(s), s[:min(len(s), 40)])
	}
}
