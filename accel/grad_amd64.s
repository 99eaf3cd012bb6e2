//go:build !noasm

#include "textflag.h"

// func reluGradF32AVX(dst, g, out []float32)
// Frame: dst (0, 8, 16), g 24, out 48. len(dst) is a multiple of 8.
TEXT ·reluGradF32AVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ out_base+48(FP), DX
	VXORPS Y15, Y15, Y15
	XORQ AX, AX
	TESTQ CX, CX
	JZ relugrad_done
relugrad_loop:
	VMOVUPS (DX)(AX*4), Y0
	VCMPPS $0x1e, Y15, Y0, Y0   // out > 0, ordered (false for NaN): GT_OQ
	VANDPS (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	CMPQ AX, CX
	JB relugrad_loop
relugrad_done:
	VZEROUPPER
	RET
