package accel

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRuns compares every run kernel set with the Go loops, bit for bit,
// for run lengths 0..99, several run counts and strides (equal to the
// run, wider, and zero), with guard words around both buffers and NaN and
// infinite values among the data.
func TestRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	value := func(int) float32 {
		switch rng.IntN(20) {
		case 0:
			return float32(math.NaN())
		case 1:
			return float32(math.Inf(-1))
		}
		return float32(rng.NormFloat64())
	}
	for _, impl := range runImpls {
		for n := 0; n < 100; n++ {
			for _, runs := range []int{0, 1, 3, 7} {
				for _, pad := range []int{0, 5} {
					ds, ss := n+pad, n+2*pad+1
					if runs == 7 && pad == 0 {
						ss = 0 // the same source run again
					}
					size := func(stride int) int { return max(0, (runs-1)*stride+n) }
					srcBuf, src := guarded(size(ss), value)
					for _, op := range []string{"copy", "add"} {
						gotBuf, got := guarded(size(ds), value)
						want := append([]float32(nil), got...)
						if op == "copy" {
							impl.copy(got, ds, src, ss, runs, n)
							copyRunsF32Go(want, ds, src, ss, runs, n)
						} else {
							impl.add(got, ds, src, ss, runs, n)
							addRunsF32Go(want, ds, src, ss, runs, n)
						}
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s %s: runs=%d n=%d strides %d, %d: dst[%d] = %v, want %v", impl.name, op, runs, n, ds, ss, i, got[i], want[i])
							}
						}
						checkGuards(t, impl.name+" "+op+" dst", gotBuf)
						checkGuards(t, impl.name+" "+op+" src", srcBuf)
					}
				}
			}
		}
	}
}

// TestRunsChecks checks the panics of CopyRunsF32 and AddRunsF32.
func TestRunsChecks(t *testing.T) {
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { CopyRunsF32(make([]float32, 10), 4, make([]float32, 12), 4, 3, 4) }, "accel: copy_runs: len(dst)=10 < 12 (3 runs of 4, stride 4)"},
		{func() { AddRunsF32(make([]float32, 12), 4, make([]float32, 9), 3, 3, 4) }, "accel: add_runs: len(src)=9 < 10 (3 runs of 4, stride 3)"},
		{func() { CopyRunsF32(nil, 0, nil, 0, -1, 4) }, "accel: copy_runs: negative size: runs=-1 n=4 strides 0, 0"},
	} {
		checkPanic(t, c.f, c.want)
	}
	CopyRunsF32(nil, 0, nil, 0, 0, 5) // nothing to do: no panic
	dst := make([]float32, 5)
	AddRunsF32(dst, 0, []float32{1, 2}, 1, 2, 1)
	if dst[0] != 3 {
		t.Fatalf("two runs of 1 added into one place: %v, want 3", dst[0])
	}
}

// checkPanic fails the test unless f panics with an *Error whose message
// is want.
func checkPanic(t *testing.T, f func(), want string) {
	t.Helper()
	defer func() {
		var e *Error
		if r, _ := recover().(error); !errors.As(r, &e) || e.Error() != want {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	f()
}
