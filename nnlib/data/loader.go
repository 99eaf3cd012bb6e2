package data

import (
	"math/rand/v2"

	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Transform changes a batch of inputs in place; an Augmenter is one. A
// Loader applies it to each batch after gathering it.
type Transform interface {
	Apply(x *tensor.Tensor)
}

// LoaderOption configures a Loader: Shuffle, DropLast, Augment, NoReuse.
type LoaderOption struct {
	set func(*Loader)
}

// Shuffle makes the loader visit the examples in a new random order each
// epoch. The order of epoch e depends only on seed and e, so a run is
// reproducible and an epoch's order does not depend on how many batches
// of earlier epochs were read.
func Shuffle(seed uint64) LoaderOption {
	return LoaderOption{func(l *Loader) { l.shuffle, l.seed = true, seed }}
}

// DropLast makes the loader skip the last batch of an epoch when it is
// smaller than the batch size (PyTorch's drop_last).
func DropLast() LoaderOption {
	return LoaderOption{func(l *Loader) { l.dropLast = true }}
}

// Augment makes the loader apply t to the inputs of every batch.
func Augment(t Transform) LoaderOption {
	return LoaderOption{func(l *Loader) { l.transform = t }}
}

// NoReuse makes the loader allocate new tensors for every batch, so that
// batches can be kept; by default it reuses two tensors (see Loader).
func NoReuse() LoaderOption {
	return LoaderOption{func(l *Loader) { l.fresh = true }}
}

// Loader cuts a Dataset into batches, epoch after epoch:
//
//	loader := data.NewLoader(train, 64, data.Shuffle(1))
//	for epoch := 0; epoch < 3; epoch++ {
//		for loader.Next() {
//			x, y := loader.Batch()
//			...
//		}
//	}
//
// Next returns false once at the end of each epoch, and the next call
// starts the following epoch; Reset starts a new epoch at once (after a
// break out of the loop).
//
// Aliasing: the tensors Batch returns are the loader's own buffers, reused
// for every batch (the last, short batch is a view of their leading rows):
// Next overwrites them, without telling autograd. Finish with a batch
// (forward, backward, step) before calling Next, and Clone what you keep,
// or make the loader with NoReuse. Reusing them means a training loop
// allocates nothing for its batches.
type Loader struct {
	ds        Dataset
	size      int
	shuffle   bool
	seed      uint64
	dropLast  bool
	fresh     bool
	transform Transform

	epoch  int // epochs finished
	order  []int
	pos    int  // next index into order
	active bool // inside an epoch
	bufX   *tensor.Tensor
	bufY   *tensor.Tensor
	x, y   *tensor.Tensor
	idx    []int
}

// NewLoader returns a loader of ds in batches of batchSize examples, in
// order unless Shuffle is given. It panics if batchSize < 1.
func NewLoader(ds Dataset, batchSize int, opts ...LoaderOption) *Loader {
	if ds == nil {
		fail("loader", "nil dataset")
	}
	if batchSize < 1 {
		fail("loader", "batch size %d is not positive", batchSize)
	}
	l := &Loader{ds: ds, size: batchSize}
	for _, o := range opts {
		if o.set == nil {
			fail("loader", "zero LoaderOption: make options with data.Shuffle, data.DropLast, ...")
		}
		o.set(l)
	}
	return l
}

// Len returns the number of batches in an epoch.
func (l *Loader) Len() int {
	n := l.ds.Len()
	if l.dropLast {
		return n / l.size
	}
	return (n + l.size - 1) / l.size
}

// BatchSize returns the batch size.
func (l *Loader) BatchSize() int { return l.size }

// Epoch returns the number of the epoch being read (or about to be): 0
// during the first.
func (l *Loader) Epoch() int { return l.epoch }

// SetEpoch makes the next Next start epoch e (with e's shuffled order),
// e.g. to resume a run.
func (l *Loader) SetEpoch(e int) {
	if e < 0 {
		fail("loader", "epoch %d is negative", e)
	}
	l.epoch, l.active = e, false
}

// Reset abandons the current epoch: the next Next starts the following
// one. It does nothing between epochs.
func (l *Loader) Reset() {
	if l.active {
		l.epoch++
		l.active = false
	}
}

// begin prepares the order of the current epoch.
func (l *Loader) begin() {
	n := l.ds.Len()
	if cap(l.order) < n {
		l.order = make([]int, n)
	}
	l.order = l.order[:n]
	for i := range l.order {
		l.order[i] = i
	}
	if l.shuffle {
		r := rand.New(rand.NewPCG(l.seed, uint64(l.epoch)))
		r.Shuffle(n, func(i, j int) { l.order[i], l.order[j] = l.order[j], l.order[i] })
	}
	l.pos, l.active = 0, true
}

// Next loads the next batch and reports whether there was one; at the end
// of an epoch it returns false, and the next call starts a new epoch. It
// panics with the interrupt package's error when the notebook's stop
// button was pressed.
func (l *Loader) Next() bool {
	interrupt.Check()
	if !l.active {
		l.begin()
	}
	rest := len(l.order) - l.pos
	if rest == 0 || (l.dropLast && rest < l.size) {
		l.active = false
		l.epoch++
		l.x, l.y, l.idx = nil, nil, nil
		return false
	}
	k := min(rest, l.size)
	l.idx = l.order[l.pos : l.pos+k]
	l.pos += k
	switch {
	case l.fresh:
		l.x, l.y = l.ds.NewBatch(k)
	case l.bufX == nil || l.bufX.Size(0) < k:
		l.bufX, l.bufY = l.ds.NewBatch(l.size)
		fallthrough
	default:
		l.x, l.y = l.bufX, l.bufY
		if k < l.bufX.Size(0) {
			l.x, l.y = l.bufX.Slice(0, 0, k), l.bufY.Slice(0, 0, k)
		}
	}
	l.ds.Gather(l.idx, l.x, l.y)
	if l.transform != nil {
		l.transform.Apply(l.x)
	}
	return true
}

// Batch returns the inputs and targets Next loaded: shapes (B, ...) with
// B the batch size (less for an epoch's last batch without DropLast). It
// panics if Next has not returned true.
func (l *Loader) Batch() (x, y *tensor.Tensor) {
	if l.x == nil {
		fail("loader", "Batch called without a batch: call Next first, and only while it returns true")
	}
	return l.x, l.y
}

// Indices returns the dataset indices of the current batch's examples (a
// copy).
func (l *Loader) Indices() []int { return append([]int{}, l.idx...) }
