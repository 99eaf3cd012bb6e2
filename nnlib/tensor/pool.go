package tensor

import (
	"math/bits"
	"runtime"
	"sync"
	"unsafe"
)

// This file holds the storage pool of the float32 fast paths. A notebook
// loop such as `for ... { c = a.Add(b) }` drops a result every iteration.
// Allocating each one afresh makes the collector run every few hundred
// ops, and most of an op's time went to the collection, to clearing the
// new memory and to faulting it back in after the runtime returned it to
// the system. Go frees memory only when the collector proves it
// unreachable, so that is also the only safe moment to reuse it: storage
// made here carries a finalizer, and once the collector finds it
// unreachable (no tensor, view or slice from Float32Data refers to it), the
// finalizer puts it on the free list of its size class, where the next
// result of that class takes it. A result therefore never aliases storage
// that anything can still reach.
//
// The lists are bounded (poolClassBytes per class, at least poolMinKeep
// buffers), and a list that served no result between two collections is
// emptied, so that memory is not held after a loop ends. Only ops that
// write every element of their result use the pool (newTensorF32: the
// elementwise fast paths, matmul, copies); the contents of a reused buffer
// are stale.
//
// Measured on the ops workload of the bench command (a cell's loop of
// 100000 64x64 Adds through interp, five runs alternating with the build
// without the pool and with PyTorch; medians): 4.55 us per Add against
// 6.70 without the pool (compiled loop: 2.68 against 5.98; PyTorch 1.68),
// for 40-90 MB more peak resident memory in that loop (80-135 MB against
// 42-44 MB). Bounds of 4 and 8 MB per class were slower, and not reliably
// smaller.

const (
	poolMinElems   = 1 << 10  // smaller results are allocated as usual
	poolMaxElems   = 1 << 24  // and so are larger ones
	poolSubClasses = 8        // classes per power of two: <= 12.5% waste
	poolClassBytes = 16 << 20 // free-list bound per class
	poolMinKeep    = 2        // buffers a class may keep whatever their size

	// A class of large buffers may keep as many as it served in the last
	// collection cycle, up to poolLargeBytes: clearing a large buffer that
	// the bound made the collector free costs more than the cache misses of
	// reusing it (the MNIST MLP's 800 KB weight gradient took 40 us a step
	// to allocate, half of them cleared), while small results (the 16 KB
	// of a 64x64 Add) are best kept few, so that the next ones come from
	// the caches. Measured with the bench command (-only mlp -epochs 2, six
	// runs alternating with the build before): 0.75 s per epoch against
	// 0.78 (medians), for 512 MB peak memory against 380 (PyTorch's run:
	// 499 MB).
	poolLargeElems = 1 << 16   // 256 KB
	poolLargeBytes = 128 << 20 // bound per class
)

// f32Pool is the storage pool of float32 results.
var f32Pool = newStoragePool()

// storagePool holds free float32 buffers by size class.
type storagePool struct {
	mu      sync.Mutex
	classes []poolClass
	armed   bool             // collected runs after each collection
	recycle []func(*float32) // finalizer of each class's buffers
}

// poolClass is one size class: its free buffers (base pointers), the
// number of results it served since the last collection and in the cycle
// before.
type poolClass struct {
	free         []*float32
	served, last int
}

// poolMinExp is e for poolMinElems in 2^e < n <= 2^(e+1), the first power
// of two of the classes.
var poolMinExp = bits.Len(uint(poolMinElems-1)) - 1

func newStoragePool() *storagePool {
	n := (bits.Len(uint(poolMaxElems-1)) - 1 - poolMinExp + 1) * poolSubClasses
	p := &storagePool{classes: make([]poolClass, n), recycle: make([]func(*float32), n)}
	for c := range p.recycle {
		p.recycle[c] = func(b *float32) { p.put(c, b) }
	}
	return p
}

// sizeClass returns the size class of n elements and the number of
// elements its buffers hold, or -1 if n is not pooled.
func sizeClass(n int) (class, size int) {
	if n < poolMinElems || n > poolMaxElems {
		return -1, 0
	}
	e := bits.Len(uint(n-1)) - 1 // 2^e < n <= 2^(e+1)
	step := 1 << e / poolSubClasses
	k := (n - 1 - 1<<e) / step // 0 .. poolSubClasses-1
	return (e-poolMinExp)*poolSubClasses + k, 1<<e + (k+1)*step
}

// get returns a float32 buffer of length n whose contents are undefined.
func (p *storagePool) get(n int) []float32 {
	c, size := sizeClass(n)
	if c < 0 {
		return make([]float32, n)
	}
	var b *float32
	p.mu.Lock()
	if !p.armed {
		p.armed = true
		afterEachCollection(func() bool { p.collected(); return true })
	}
	pc := &p.classes[c]
	pc.served++
	if l := len(pc.free); l > 0 {
		b = pc.free[l-1]
		pc.free[l-1] = nil
		pc.free = pc.free[:l-1]
	}
	p.mu.Unlock()
	if b == nil {
		s := make([]float32, size)
		b = &s[0]
	}
	runtime.SetFinalizer(b, p.recycle[c])
	return unsafe.Slice(b, size)[:n:n]
}

// put is the finalizer of a buffer of class c that nothing refers to any
// more: it keeps the buffer for reuse unless the class's list is full, in
// which case the collector frees it.
func (p *storagePool) put(c int, b *float32) {
	_, size := sizeClass(classMaxElems(c))
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := &p.classes[c]
	keep := max(poolMinKeep, poolClassBytes/(4*size))
	if size >= poolLargeElems {
		keep = max(keep, min(pc.last, poolLargeBytes/(4*size)))
	}
	if len(pc.free) < keep {
		pc.free = append(pc.free, b)
	}
}

// classMaxElems returns the number of elements of class c's buffers.
func classMaxElems(c int) int {
	e := c/poolSubClasses + poolMinExp
	return 1<<e + (c%poolSubClasses+1)*(1<<e/poolSubClasses)
}

// collected runs once per collection: it empties the lists of the classes
// that served no result since the previous one.
func (p *storagePool) collected() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.classes {
		pc := &p.classes[c]
		if pc.served == 0 {
			pc.free = nil
		}
		pc.last, pc.served = pc.served, 0
	}
}

// reset empties the pool (for tests).
func (p *storagePool) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.classes {
		p.classes[c] = poolClass{}
	}
}

// newTensorF32 returns a contiguous float32 tensor whose elements are
// undefined (pooled storage), for an op that writes every one of them.
func newTensorF32(shape []int) *Tensor {
	t := newHeader(Float32, shape)
	t.data = f32Pool.get(numel(shape))
	return t
}
