package tensor

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100}, {1 << 20, 100}, {32 << 20, 100}, {64 << 20, 50}, {250 << 20, 13}, {320 << 20, 10}, {4 << 30, 10},
	} {
		if got := gcPercent(c.live); got != c.want {
			t.Errorf("gcPercent(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(77)
	defer debug.SetGCPercent(before)
	undo := TuneGC()
	if p := debug.SetGCPercent(gcTuning.percent); p != gcTuning.percent || p < 10 || p > 100 {
		t.Errorf("TuneGC set GOGC %d (tuned %d)", p, gcTuning.percent)
	}
	TuneGC()() // a second call does nothing, and neither does its undo
	if !gcTuning.on {
		t.Fatal("a second TuneGC's undo turned tuning off")
	}
	undo()
	if p := debug.SetGCPercent(77); p != 77 {
		t.Errorf("undo left GOGC %d, want 77", p)
	}
	t.Setenv("GOGC", "200")
	TuneGC()()
	if p := debug.SetGCPercent(77); p != 77 {
		t.Errorf("TuneGC with GOGC set changed GOGC to %d", p)
	}
}

// TestAfterEachCollection checks that the hook runs after collections and
// stops once it returns false.
func TestAfterEachCollection(t *testing.T) {
	calls := make(chan int, 10)
	n := 0
	afterEachCollection(func() bool {
		n++
		calls <- n
		return n < 2
	})
	for want := 1; want <= 2; want++ {
		deadline := time.After(5 * time.Second)
	wait:
		for {
			runtime.GC()
			select {
			case got := <-calls:
				if got != want {
					t.Fatalf("call %d, want %d", got, want)
				}
				break wait
			case <-deadline:
				t.Fatalf("no call %d after collections", want)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case got := <-calls:
		t.Fatalf("call %d after the hook returned false", got)
	default:
	}
}
