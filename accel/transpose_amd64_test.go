//go:build !noasm

package accel

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

func TestTranspose16x16F32(t *testing.T) {
	if !cpu.X86.HasAVX512F {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const lds, ldd = 21, 19
	src := make([]float32, 16*lds)
	for i := range src {
		src[i] = rng.Float32()
	}
	for rows := 0; rows <= 16; rows++ {
		for _, mask := range []int{0xffff, 0xfff, 0x1, 0x8001} {
			dst := make([]float32, 16*ldd+3)
			for i := range dst {
				dst[i] = -1
			}
			transpose16x16F32(&dst[0], ldd, &src[0], lds, rows, mask)
			for i, got := range dst {
				p, c := i/ldd, i%ldd
				want := float32(-1)
				if p < 16 && c < 16 && mask&(1<<c) != 0 {
					want = 0
					if c < rows {
						want = src[c*lds+p]
					}
				}
				if got != want {
					t.Fatalf("rows=%d mask=%#x: dst[%d] (p=%d, i=%d) = %v, want %v", rows, mask, i, p, c, got, want)
				}
			}
		}
	}
}
