package accel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// This file splits long memory-bound loops (the optimizers' updates of a
// large parameter) across the GEMM helpers: one core's bandwidth from the
// shared cache bounds such a loop, and the helpers idle between GEMMs.

// rangeMinElems is the length from which a loop is split: shorter loops take
// less time than waking a helper may. rangeChunk is the elements per item
// (a multiple of optimBlock).
const (
	rangeMinElems = 1 << 16
	rangeChunk    = 1 << 14
)

// rangeBody is a loop split into items: body(lo, hi) runs elements lo..hi.
type rangeBody interface {
	body(lo, hi int)
}

// rangeJob runs a rangeBody's items on the calling goroutine and idle
// helpers.
type rangeJob struct {
	loop     rangeBody
	n        int
	next     atomic.Int64
	wg       sync.WaitGroup
	workers  []rangeWorker
	panicMu  sync.Mutex
	panicked any
}

// rangeWorker is one goroutine's part of a rangeJob, as worker is of a GEMM
// job.
type rangeWorker struct {
	posting
	job *rangeJob
}

func (w *rangeWorker) run() {
	defer w.job.wg.Done()
	defer helpers.idle.Add(1)
	w.job.work()
}

var rangeJobs = sync.Pool{New: func() any { return new(rangeJob) }}

// parallelRange runs loop.body over [0, n) in items of rangeChunk elements
// on up to GOMAXPROCS goroutines, the caller among them, and returns when
// every item is done. A panic in an item is raised again in the caller.
func parallelRange(loop rangeBody, n int) {
	threads := min(runtime.GOMAXPROCS(0), (n+rangeChunk-1)/rangeChunk)
	if n < rangeMinElems || threads < 2 {
		loop.body(0, n)
		return
	}
	j := rangeJobs.Get().(*rangeJob)
	j.loop, j.n, j.panicked = loop, n, nil
	j.next.Store(0)
	for len(j.workers) < threads {
		j.workers = append(j.workers, rangeWorker{})
	}
	ensureHelpers(threads - 1)
	sent := 1
	for ; sent < threads && claimHelper(); sent++ {
		w := &j.workers[sent]
		w.job = j
		w.post(w, &j.wg)
	}
	j.work()
	for i := 1; i < sent; i++ {
		j.workers[i].withdraw(&j.wg)
	}
	j.wg.Wait()
	p := j.panicked
	j.loop = nil
	rangeJobs.Put(j)
	if p != nil {
		panic(p)
	}
}

// work runs items until none is left.
func (j *rangeJob) work() {
	defer func() {
		if r := recover(); r != nil {
			j.panicMu.Lock()
			j.panicked = r
			j.panicMu.Unlock()
			j.next.Store(int64(j.n)) // no more items
		}
	}()
	for {
		lo := int(j.next.Add(rangeChunk) - rangeChunk)
		if lo >= j.n {
			return
		}
		j.loop.body(lo, min(lo+rangeChunk, j.n))
	}
}
