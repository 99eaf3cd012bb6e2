package nn

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// TestMaxPool2x2 compares the unrolled 2x2 max pooling with a plain loop
// over each window, on odd sizes (a last row and column left out), with
// ties and NaNs.
func TestMaxPool2x2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][4]int{{1, 1, 2, 2}, {2, 3, 5, 7}, {3, 2, 24, 24}, {1, 1, 9, 4}} {
		g := convGeom{n: sz[0], c: sz[1], h: sz[2], w: sz[3], kh: 2, kw: 2, sh: 2, sw: 2, dh: 1, dw: 1}
		g.oh, g.ow = g.h/2, g.w/2
		x := make([]float32, g.n*g.c*g.h*g.w)
		for i := range x {
			x[i] = float32(rng.IntN(5)) // ties
			if rng.IntN(20) == 0 {
				x[i] = float32(math.NaN())
			}
		}
		out, arg := make([]float32, g.n*g.c*g.oh*g.ow), make([]int, g.n*g.c*g.oh*g.ow)
		maxPool2x2(x, out, arg, g)
		o := 0
		for plane := 0; plane < g.n*g.c; plane++ {
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					at := plane*g.h*g.w + 2*oy*g.w + 2*ox
					best, bestAt := x[at], at
					for _, off := range []int{1, g.w, g.w + 1} {
						if v := x[at+off]; v > best || v != v {
							best, bestAt = v, at+off
						}
					}
					if arg[o] != bestAt || !(out[o] == best || out[o] != out[o] && best != best) {
						t.Fatalf("%v: output %d = %v at %d, want %v at %d", sz, o, out[o], arg[o], best, bestAt)
					}
					o++
				}
			}
		}
	}
}

// TestReLUKernels compares the branch-free ReLU kernels with the
// definition on signed zeros, NaNs, infinities and denormals.
func TestReLUKernels(t *testing.T) {
	nan := float32(math.NaN())
	x := []float32{-1, 0, float32(math.Copysign(0, -1)), 1e-45, -1e-45, 2, nan, -nan, float32(math.Inf(1)), float32(math.Inf(-1)), 3.5, -7}
	x = append(x, float32(math.Float32frombits(0xffc00000)))
	out := make([]float32, len(x))
	reluForward(x, out)
	g := make([]float32, len(x))
	for i := range g {
		g[i] = float32(i + 1)
	}
	gx := make([]float32, len(x))
	reluBackward(g, out, gx)
	gx64 := make([]float64, len(x))
	out64, g64 := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		out64[i], g64[i] = float64(out[i]), float64(g[i])
	}
	reluBackward(g64, out64, gx64)
	for i, v := range x {
		want := v
		if v < 0 {
			want = 0
		}
		if !(out[i] == want || v != v && out[i] != out[i]) || math.Signbit(float64(out[i])) {
			t.Errorf("relu(%v) = %v", v, out[i])
		}
		wantG := float32(0)
		if v > 0 {
			wantG = g[i]
		}
		if gx[i] != wantG || gx64[i] != float64(wantG) {
			t.Errorf("relu'(%v): gradient %v (float64 %v), want %v", v, gx[i], gx64[i], wantG)
		}
	}
}

// TestReLUBeforeMaxPool checks that a Sequential's ReLU followed by max
// pooling (which it runs pooling first) gives the values and gradients of
// the layers run one by one, on windows that are all negative, tied, or
// hold a NaN.
func TestReLUBeforeMaxPool(t *testing.T) {
	vals := make([]float64, 2*3*6*5)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range vals {
		vals[i] = float64(rng.IntN(7) - 4)
	}
	vals[17] = math.NaN()
	for _, pool := range []*PoolLayer{MaxPool2d(2), MaxPool2d(3, 2, 1)} {
		relu := ReLU()
		x1 := tensor.FromSlice(vals).Reshape(2, 3, 6, 5).RequiresGrad()
		x2 := tensor.FromSlice(vals).Reshape(2, 3, 6, 5).RequiresGrad()
		fused := Sequential(relu, pool).Forward(x1)
		plain := pool.Forward(relu.Forward(x2))
		up := tensor.NewGenerator(9).Randn(plain.Shape()...).Double()
		fused.Mul(up).Sum().Backward()
		plain.Mul(up).Sum().Backward()
		same := func(what string, a, b []float64) {
			t.Helper()
			for i := range a {
				if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
					t.Fatalf("%v: %s[%d] = %v, one layer at a time %v", pool, what, i, a[i], b[i])
				}
			}
		}
		same("output", fused.Float64s(), plain.Float64s())
		same("gradient", x1.Grad().Float64s(), x2.Grad().Float64s())
	}
}

// TestIm2colDense compares im2col's and col2im's paths for stride 1
// without padding or dilation with the general ones, with a leading dimension wider than
// a sample's columns and guard values after them.
func TestIm2colDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][5]int{{1, 28, 28, 5, 5}, {6, 12, 12, 5, 5}, {2, 7, 5, 3, 2}, {3, 4, 4, 4, 4}, {1, 1, 9, 1, 3}} {
		g := convGeom{n: 1, c: sz[0], h: sz[1], w: sz[2], kh: sz[3], kw: sz[4], sh: 1, sw: 1, dh: 1, dw: 1}
		g.oh, g.ow = g.h-g.kh+1, g.w-g.kw+1
		x := make([]float32, g.c*g.h*g.w)
		for i := range x {
			x[i] = rng.Float32()
		}
		ld := g.oh*g.ow + 3
		k := g.c * g.kh * g.kw
		got, want := make([]float32, k*ld), make([]float32, k*ld)
		for i := range got {
			got[i], want[i] = -1, -1
		}
		im2colDense(x, got, ld, g)
		im2colAny(x, want, ld, g)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%v: cols[%d] = %v, want %v", sz, i, got[i], want[i])
			}
		}
		gx1, gx2 := make([]float32, len(x)+1), make([]float32, len(x)+1)
		gx1[len(x)], gx2[len(x)] = 5, 5 // guard
		col2imDense(got, gx1, ld, g)
		col2imAny(got, gx2, ld, g)
		for i := range gx1 {
			if gx1[i] != gx2[i] {
				t.Fatalf("%v: col2im's gx[%d] = %v, want %v", sz, i, gx1[i], gx2[i])
			}
		}
	}
}

// TestForChunks checks that every chunk is done once, the last one short,
// and that a panic in a chunk reaches the caller.
func TestForChunks(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]int{}
	forChunks(23, 4, func(n0, m int) {
		mu.Lock()
		defer mu.Unlock()
		seen[n0] += m
	})
	for n0 := 0; n0 < 23; n0 += 4 {
		if want := min(4, 23-n0); seen[n0] != want {
			t.Fatalf("chunk at %d: %d items, want %d (all: %v)", n0, seen[n0], want, seen)
		}
	}
	if len(seen) != 6 {
		t.Fatalf("chunks %v, want 6", seen)
	}
	defer func() {
		if r := recover(); r != "chunk 8" {
			t.Fatalf("recovered %v, want the chunk's panic", r)
		}
	}()
	forChunks(40, 4, func(n0, m int) {
		if n0 == 8 {
			panic("chunk 8")
		}
	})
	t.Fatal("forChunks returned after a panic")
}

// TestScratch checks the size classes of the scratch pools: a buffer of
// n elements has a power-of-two capacity >= n, and one that getScratch
// did not make is not pooled.
func TestScratch(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1000, 1024, 1025, 131072} {
		b := getScratch[float32](n)
		if len(b) != n || cap(b) < n || cap(b)&(cap(b)-1) != 0 {
			t.Fatalf("getScratch(%d): len %d cap %d", n, len(b), cap(b))
		}
		putScratch(b)
	}
	putScratch(make([]float64, 10)) // capacity 10: dropped
	if b := getScratch[float64](10); cap(b) != 16 {
		t.Fatalf("getScratch(10) after putting a buffer of capacity 10: cap %d, want 16", cap(b))
	}
}
