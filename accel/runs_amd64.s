//go:build !noasm

#include "textflag.h"

// func copyRunsF32AVX(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)
// Frame: dst (0, 8, 16), dstStride 24, src (32, 40, 48), srcStride 56,
// runs 64, n 72.
TEXT ·copyRunsF32AVX(SB), NOSPLIT, $0-80
	MOVQ dst_base+0(FP), DI
	MOVQ dstStride+24(FP), R8
	MOVQ src_base+32(FP), SI
	MOVQ srcStride+56(FP), R9
	MOVQ runs+64(FP), CX
	MOVQ n+72(FP), DX
	SHLQ $2, R8
	SHLQ $2, R9
	MOVQ DX, BX
	ANDQ $-8, BX
	TESTQ CX, CX
	JZ copy_done
copy_run:
	XORQ AX, AX
	CMPQ AX, BX
	JAE copy_tail
copy_vec:
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	CMPQ AX, BX
	JB copy_vec
copy_tail:
	CMPQ AX, DX
	JAE copy_next
copy_one:
	MOVSS (SI)(AX*4), X0
	MOVSS X0, (DI)(AX*4)
	INCQ AX
	CMPQ AX, DX
	JB copy_one
copy_next:
	ADDQ R8, DI
	ADDQ R9, SI
	DECQ CX
	JNZ copy_run
copy_done:
	VZEROUPPER
	RET

// func addRunsF32AVX(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)
TEXT ·addRunsF32AVX(SB), NOSPLIT, $0-80
	MOVQ dst_base+0(FP), DI
	MOVQ dstStride+24(FP), R8
	MOVQ src_base+32(FP), SI
	MOVQ srcStride+56(FP), R9
	MOVQ runs+64(FP), CX
	MOVQ n+72(FP), DX
	SHLQ $2, R8
	SHLQ $2, R9
	MOVQ DX, BX
	ANDQ $-8, BX
	TESTQ CX, CX
	JZ add_done
add_run:
	XORQ AX, AX
	CMPQ AX, BX
	JAE add_tail
add_vec:
	VMOVUPS (DI)(AX*4), Y0
	VADDPS (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	CMPQ AX, BX
	JB add_vec
add_tail:
	CMPQ AX, DX
	JAE add_next
add_one:
	MOVSS (DI)(AX*4), X0
	ADDSS (SI)(AX*4), X0
	MOVSS X0, (DI)(AX*4)
	INCQ AX
	CMPQ AX, DX
	JB add_one
add_next:
	ADDQ R8, DI
	ADDQ R9, SI
	DECQ CX
	JNZ add_run
add_done:
	VZEROUPPER
	RET
