package tensor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// This file holds TuneGC, the collector policy of the gonn kernel. Go
// collects when the heap has grown by GOGC percent (100 by default) of
// what the last collection found live. A notebook's live heap is mostly
// tensor data without pointers (a dataset: MNIST's training images are
// 188 MB), which costs the collector almost nothing to mark; with the
// default, a training loop then goes through as much fresh memory as its
// data set holds before the first collection returns any result storage to
// the pool (pool.go), and the process's peak memory doubles. TuneGC
// collects instead once the garbage reaches a tenth of the live heap, but
// not before gcMinGarbage, so that a small heap is collected no more
// often than by default.
//
// Measured with the bench command's MLP workload (one MNIST epoch, three
// runs of each alternating, GOGC set by hand): 1.00-1.11 s per epoch and
// 738 MB peak memory at GOGC=100, 0.84-0.89 s and 357-371 MB at GOGC=10.

// gcMinGarbage is the least garbage TuneGC lets accumulate between two
// collections.
const gcMinGarbage = 32 << 20

// gcPercent is TuneGC's GOGC for a live heap of live bytes: 10, or more for
// a heap under 320 MB so that gcMinGarbage may accumulate, and at most 100.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	p := int((100*gcMinGarbage + live - 1) / live)
	return min(100, max(10, p))
}

var gcTuning struct {
	mu      sync.Mutex
	on      bool
	percent int // the GOGC set last
	prev    int // GOGC before TuneGC
}

// TuneGC makes the collector run when the garbage since the last
// collection reaches a tenth of the live heap or 32 MiB, whichever is more
// (GOGC at most 100), re-tuned after every collection. The gonn kernel and
// the bench command call it; a program embedding nnlib may. It does
// nothing if the GOGC environment variable is set, and returns a function
// that restores the previous setting.
func TuneGC() (undo func()) {
	gcTuning.mu.Lock()
	defer gcTuning.mu.Unlock()
	if gcTuning.on || os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcTuning.on = true
	gcTuning.percent = gcPercent(liveHeap())
	gcTuning.prev = debug.SetGCPercent(gcTuning.percent)
	afterEachCollection(retune)
	return func() {
		gcTuning.mu.Lock()
		defer gcTuning.mu.Unlock()
		if gcTuning.on {
			gcTuning.on = false
			debug.SetGCPercent(gcTuning.prev)
		}
	}
}

// retune sets GOGC for the live heap the last collection found, and
// reports whether TuneGC is still on.
func retune() bool {
	gcTuning.mu.Lock()
	defer gcTuning.mu.Unlock()
	if !gcTuning.on {
		return false
	}
	if p := gcPercent(liveHeap()); p != gcTuning.percent {
		gcTuning.percent = p
		debug.SetGCPercent(p)
	}
	return true
}

// afterEachCollection calls f on the finalizer goroutine after every
// collection, for as long as f returns true: f hangs on the finalizer of
// an object nothing refers to, which re-arms itself.
func afterEachCollection(f func() bool) {
	runtime.SetFinalizer(&gcSentinel{f}, sentinelCollected)
}

// gcSentinel is afterEachCollection's object (a pointer field keeps it out
// of the tiny allocator, whose finalizers may never run).
type gcSentinel struct{ f func() bool }

func sentinelCollected(s *gcSentinel) {
	if s.f() {
		runtime.SetFinalizer(s, sentinelCollected)
	}
}

// liveHeap returns the bytes the last collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
