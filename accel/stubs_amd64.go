//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

//go:generate go run gen_kernels.go

// sgemmKernelAVX512 computes a 12x32 tile of C from packed panels:
//
//	for i := 0; i < 12; i++ {
//		for j := 0; j < 32; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[p*12+i] * b[p*32+j]
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j]
//			}
//		}
//	}
//
//go:noescape
func sgemmKernelAVX512(k int, a, b, c *float32, ldc int, beta float32)

// sgemmKernelAVX512M8 is sgemmKernelAVX512 for an 8x32 tile: for row
// counts that are multiples of 8 but not of 12 (64, 128, 256: a batch, a
// layer's width), which the 12-row kernel would pad.
//
//go:noescape
func sgemmKernelAVX512M8(k int, a, b, c *float32, ldc int, beta float32)

// dgemmKernelAVX512 is sgemmKernelAVX512 for a 12x16 tile of float64.
//
//go:noescape
func dgemmKernelAVX512(k int, a, b, c *float64, ldc int, beta float64)

// sgemmKernelAVX2 is sgemmKernelAVX512 for a 6x16 tile, on ymm registers.
//
//go:noescape
func sgemmKernelAVX2(k int, a, b, c *float32, ldc int, beta float32)

// dgemmKernelAVX2 is sgemmKernelAVX512 for a 6x8 tile of float64, on ymm
// registers.
//
//go:noescape
func dgemmKernelAVX2(k int, a, b, c *float64, ldc int, beta float64)

// archKernels lists the assembly kernel sets this CPU can run, fastest first.
func archKernels() []*kernelSet {
	var ks []*kernelSet
	if cpu.X86.HasAVX512F {
		ks = append(ks, &kernelSet{
			name: "avx512",
			s:    newKernel(12, 32, sgemmKernelAVX512),
			d:    newKernel(12, 16, dgemmKernelAVX512),
		})
		ks[0].s.tr = transpose16x16F32
		s8 := newKernel(8, 32, sgemmKernelAVX512M8)
		s8.tr = transpose16x16F32
		ks[0].s8 = &s8
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, &kernelSet{
			name: "avx2",
			s:    newKernel(6, 16, sgemmKernelAVX2),
			d:    newKernel(6, 8, dgemmKernelAVX2),
		})
	}
	return ks
}

// transpose16x16F32 transposes a block of rows x 16 float32, rows <= 16:
//
//	for p := 0; p < 16; p++ {
//		for i := 0; i < 16; i++ {
//			if mask&(1<<i) != 0 {
//				if i < rows {
//					dst[p*ldd+i] = src[i*lds+p]
//				} else {
//					dst[p*ldd+i] = 0
//				}
//			}
//		}
//	}
//
//go:noescape
func transpose16x16F32(dst *float32, ldd int, src *float32, lds int, rows int, mask int)
