//go:build !noasm

#include "textflag.h"

// func sgdMomentumF32AVX(p, g, buf []float32, lr, wd, mom, keep float32)
// Frame: p (0, 8, 16), g 24, buf 48, lr 72, wd 76, mom 80, keep 84.
// len(p) is a multiple of 8; each product is rounded before the add, as
// in sgdMomentumF32Go.
TEXT ·sgdMomentumF32AVX(SB), NOSPLIT, $0-88
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ buf_base+48(FP), DX
	VBROADCASTSS lr+72(FP), Y12
	VBROADCASTSS wd+76(FP), Y13
	VBROADCASTSS mom+80(FP), Y14
	VBROADCASTSS keep+84(FP), Y15
	XORQ AX, AX
	TESTQ CX, CX
	JZ sgd_done
sgd_loop:
	VMOVUPS (DI)(AX*4), Y0      // p
	VMULPS Y13, Y0, Y1          // wd*p
	VADDPS (SI)(AX*4), Y1, Y1   // g + wd*p
	VMULPS Y15, Y1, Y1          // keep*(g + wd*p)
	VMULPS (DX)(AX*4), Y14, Y2  // mom*buf
	VADDPS Y1, Y2, Y2           // b
	VMOVUPS Y2, (DX)(AX*4)
	VMULPS Y12, Y2, Y3          // lr*b
	VSUBPS Y3, Y0, Y0           // p - lr*b
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	CMPQ AX, CX
	JB sgd_loop
sgd_done:
	VZEROUPPER
	RET

// func adamF32AVX(p, g, m, v []float32, c AdamConsts)
// Frame: p (0, 8, 16), g 24, m 48, v 72, then c's fields: WeightDecay 96,
// Beta1 100, Beta2 104, C1 108, C2 112, StepSize 116, BiasCorr2 120,
// Eps 124.
TEXT ·adamF32AVX(SB), NOSPLIT, $0-128
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), DX
	MOVQ v_base+72(FP), R8
	VBROADCASTSS c_WeightDecay+96(FP), Y8
	VBROADCASTSS c_Beta1+100(FP), Y9
	VBROADCASTSS c_Beta2+104(FP), Y10
	VBROADCASTSS c_C1+108(FP), Y11
	VBROADCASTSS c_C2+112(FP), Y12
	VBROADCASTSS c_StepSize+116(FP), Y13
	VBROADCASTSS c_BiasCorr2+120(FP), Y14
	VBROADCASTSS c_Eps+124(FP), Y15
	XORQ AX, AX
	TESTQ CX, CX
	JZ adam_done
adam_loop:
	VMOVUPS (DI)(AX*4), Y0      // p
	VMULPS Y8, Y0, Y1           // wd*p
	VADDPS (SI)(AX*4), Y1, Y1   // gi
	VMULPS (DX)(AX*4), Y9, Y2   // Beta1*m
	VMULPS Y11, Y1, Y3          // C1*gi
	VADDPS Y3, Y2, Y2           // mi
	VMOVUPS Y2, (DX)(AX*4)
	VMULPS (R8)(AX*4), Y10, Y4  // Beta2*v
	VMULPS Y12, Y1, Y5          // C2*gi
	VMULPS Y1, Y5, Y5           // C2*gi*gi
	VADDPS Y5, Y4, Y4           // vi
	VMOVUPS Y4, (R8)(AX*4)
	VSQRTPS Y4, Y5              // sqrt(vi)
	VDIVPS Y14, Y5, Y5          // sqrt(vi)/BiasCorr2
	VADDPS Y15, Y5, Y5          // + Eps
	VMULPS Y13, Y2, Y6          // StepSize*mi
	VDIVPS Y5, Y6, Y6           // StepSize*mi / (...)
	VSUBPS Y6, Y0, Y0           // p - ...
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	CMPQ AX, CX
	JB adam_loop
adam_done:
	VZEROUPPER
	RET
