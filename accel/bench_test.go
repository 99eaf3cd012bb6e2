package accel

import (
	"fmt"
	"testing"
)

// BenchmarkSgemm times square float32 GEMMs on the default backend; the
// GFLOP/s figure is the one to compare with PyTorch (see doc.go).
func BenchmarkSgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		for _, threads := range []int{1, 0} {
			be, err := NewCPU(CPUOptions{Threads: threads})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("n=%d/threads=%d", n, be.Threads()), func(b *testing.B) {
				x := make([]float32, n*n)
				c := make([]float32, n*n)
				for i := range x {
					x[i] = float32(i%7) - 3
				}
				for b.Loop() {
					be.Sgemm(false, false, n, n, n, 1, x, n, x, n, 0, c, n)
				}
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkDgemm is BenchmarkSgemm in float64.
func BenchmarkDgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := make([]float64, n*n)
			c := make([]float64, n*n)
			for b.Loop() {
				Dgemm(false, false, n, n, n, 1, x, n, x, n, 0, c, n)
			}
			b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkKernel times each float32 micro-kernel alone on packed panels that
// stay in L1: the ceiling the blocked GEMM can reach on one core.
func BenchmarkKernel(b *testing.B) {
	for _, ks := range allKernels {
		k := ks.s
		b.Run(ks.name, func(b *testing.B) {
			const kc = 256
			ap := make([]float32, k.mr*kc)
			bp := make([]float32, k.nr*kc)
			c := make([]float32, k.mr*k.nr)
			for b.Loop() {
				k.fn(kc, &ap[0], &bp[0], &c[0], k.nr, 1)
			}
			b.ReportMetric(2*float64(k.mr*k.nr*kc)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemmMLP times the GEMMs of a training step of the bench
// command's MNIST MLP (784-256-128-10, batch 64): forward (x W^T), input
// gradient (g W) and weight gradient (g^T x) of each layer, as nn's Linear
// calls them.
func BenchmarkSgemmMLP(b *testing.B) {
	for _, s := range []struct {
		name           string
		m, n, k        int
		transA, transB bool
	}{
		{"fwd1_64x256x784", 64, 256, 784, false, true},
		{"fwd2_64x128x256", 64, 128, 256, false, true},
		{"fwd3_64x10x128", 64, 10, 128, false, true},
		{"dx2_64x256x128", 64, 256, 128, false, false},
		{"dx3_64x128x10", 64, 128, 10, false, false},
		{"dw1_256x784x64", 256, 784, 64, true, false},
		{"dw2_128x256x64", 128, 256, 64, true, false},
		{"dw3_10x128x64", 10, 128, 64, true, false},
	} {
		b.Run(s.name, func(b *testing.B) {
			a, bm, c := make([]float32, s.m*s.k), make([]float32, s.k*s.n), make([]float32, s.m*s.n)
			for i := range a {
				a[i] = float32(i%7) - 3
			}
			for i := range bm {
				bm[i] = float32(i%5) - 2
			}
			lda, ldb := s.k, s.n
			if s.transA {
				lda = s.m
			}
			if s.transB {
				ldb = s.k
			}
			for b.Loop() {
				Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
			}
			b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
