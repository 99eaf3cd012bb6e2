package tensor

import (
	"runtime"
	"sort"
	"testing"
	"time"
	"unsafe"
)

func TestSizeClass(t *testing.T) {
	var ns []int
	for n := 1; n <= poolMaxElems+5; n += 1 + n/97 {
		ns = append(ns, n)
	}
	for p := poolMinElems / 2; p <= poolMaxElems*2; p *= 2 {
		ns = append(ns, p-1, p, p+1)
	}
	sort.Ints(ns)
	prev := -1
	for _, n := range ns {
		c, size := sizeClass(n)
		if n < poolMinElems || n > poolMaxElems {
			if c != -1 {
				t.Fatalf("sizeClass(%d) = %d, want -1 (not pooled)", n, c)
			}
			continue
		}
		if size < n || float64(size) > float64(n)*1.125+1 {
			t.Fatalf("sizeClass(%d): size %d", n, size)
		}
		if c < prev || c < 0 || c >= len(f32Pool.classes) || classMaxElems(c) != size {
			t.Fatalf("sizeClass(%d) = %d, %d (previous class %d, classMaxElems %d)", n, c, size, prev, classMaxElems(c))
		}
		if c2, _ := sizeClass(size); c2 != c {
			t.Fatalf("a class's own size %d is in class %d, not %d", size, c2, c)
		}
		prev = c
	}
}

// freeAddrs returns the addresses of the free buffers of the class of n.
func freeAddrs(n int) map[uintptr]bool {
	c, _ := sizeClass(n)
	f32Pool.mu.Lock()
	defer f32Pool.mu.Unlock()
	m := map[uintptr]bool{}
	for _, b := range f32Pool.classes[c].free {
		m[uintptr(unsafe.Pointer(b))] = true
	}
	return m
}

// waitFree collects garbage until the buffer at addr is free in the class
// of n, or a second has passed (finalizers run on their own goroutine).
func waitFree(n int, addr uintptr) bool {
	for end := time.Now().Add(time.Second); time.Now().Before(end); {
		runtime.GC()
		if freeAddrs(n)[addr] {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// TestPoolReusesOnlyUnreachableStorage checks that a dropped result's
// storage is reused, with correct values, and that storage still reachable
// (through a tensor or a slice from Float32Data) never is.
func TestPoolReusesOnlyUnreachableStorage(t *testing.T) {
	f32Pool.reset()
	defer f32Pool.reset()
	a, b := Full(1, 64, 64), Full(2, 64, 64)
	n := a.Numel()

	raw := a.Add(b).Float32Data() // the tensor is dropped, its storage is not
	kept := a.Mul(b)
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	time.Sleep(10 * time.Millisecond)
	if free := freeAddrs(n); free[uintptr(unsafe.Pointer(&raw[0]))] || free[uintptr(unsafe.Pointer(&kept.Float32Data()[0]))] {
		t.Fatal("a buffer was freed while reachable")
	}

	addr := uintptr(unsafe.Pointer(&a.Sub(b).Float32Data()[0])) // a number: keeps nothing alive
	if !waitFree(n, addr) {
		t.Fatal("the dropped result's storage was not freed within a second")
	}
	free := freeAddrs(n)
	c := a.Div(b)
	if !free[uintptr(unsafe.Pointer(&c.Float32Data()[0]))] {
		t.Errorf("a free buffer was not reused")
	}
	raw[0], kept.Float32Data()[0] = 100, 200
	for _, v := range c.Float32s() {
		if v != 0.5 {
			t.Fatalf("reused storage: value %g, want 0.5", v)
		}
	}
	if raw[1] != 3 || kept.At(0, 1) != 2 {
		t.Fatal("storage still referred to was written")
	}
}

func TestPoolBoundAndTrim(t *testing.T) {
	p := newStoragePool()
	c, size := sizeClass(poolMaxElems)
	keep := max(poolMinKeep, poolClassBytes/(4*size))
	bufs := make([]float32, keep+3)
	for i := range bufs {
		p.put(c, &bufs[i])
	}
	if got := len(p.classes[c].free); got != keep {
		t.Fatalf("class of %d elements keeps %d buffers, want %d", size, got, keep)
	}
	p.classes[c].served = 1
	p.collected()
	if len(p.classes[c].free) != keep {
		t.Fatal("a class that served a result was emptied")
	}
	p.collected()
	if len(p.classes[c].free) != 0 {
		t.Fatal("a class that served nothing since the last collection kept its buffers")
	}
}

func BenchmarkAdd64x64Loop(b *testing.B) {
	x, y := Randn(64, 64), Randn(64, 64)
	var c *Tensor
	for b.Loop() {
		c = x.Add(y)
	}
	_ = c
}

// TestPoolConcurrent has goroutines make, check and drop results of one
// size class while collections recycle them: a buffer handed to two live
// results at once would show up as a wrong value.
func TestPoolConcurrent(t *testing.T) {
	const workers, steps = 4, 300
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			a, b := Full(float64(w), 64, 64), Full(1, 64, 64)
			var keep []*Tensor
			for i := range steps {
				c := a.Add(b)
				keep = append(keep, c)
				if len(keep) > 8 {
					keep = keep[1:]
				}
				if i%50 == 0 {
					runtime.GC()
				}
				for _, k := range keep {
					if d := k.Float32Data(); d[0] != float32(w+1) || d[len(d)-1] != float32(w+1) {
						errs <- "a live result changed"
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
}
