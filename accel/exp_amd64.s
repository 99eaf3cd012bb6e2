//go:build !noasm

#include "textflag.h"

// Float32 exp, sigmoid and tanh on ymm registers (AVX2), 8 elements a step, the
// last partial step through masked loads and stores. expF32Go and
// sigmoidF32Go (exp.go) are the same operations in the same order; see
// there for the method.

DATA expc<>+0(SB)/4, $0xc2d00000  // lo, -104
DATA expc<>+4(SB)/4, $0x42b1999a  // hi, 88.8
DATA expc<>+8(SB)/4, $0x3fb8aa3b  // log2(e)
DATA expc<>+12(SB)/4, $0x3f000000 // 0.5
DATA expc<>+16(SB)/4, $0x3f318000 // c1
DATA expc<>+20(SB)/4, $0xb95e8083 // c2
DATA expc<>+24(SB)/4, $0x39506967 // p0
DATA expc<>+28(SB)/4, $0x3ab743ce // p1
DATA expc<>+32(SB)/4, $0x3c088908 // p2
DATA expc<>+36(SB)/4, $0x3d2aa9c1 // p3
DATA expc<>+40(SB)/4, $0x3e2aaaaa // p4
DATA expc<>+44(SB)/4, $0x3f000000 // p5
DATA expc<>+48(SB)/4, $0x3f800000 // 1
DATA expc<>+52(SB)/4, $127        // exponent bias
DATA expc<>+56(SB)/4, $0x80000000 // sign bit
DATA expc<>+60(SB)/4, $0x7fffffff // abs mask
DATA expc<>+64(SB)/4, $0 // lane indices 0..7, for the tail mask
DATA expc<>+68(SB)/4, $1
DATA expc<>+72(SB)/4, $2
DATA expc<>+76(SB)/4, $3
DATA expc<>+80(SB)/4, $4
DATA expc<>+84(SB)/4, $5
DATA expc<>+88(SB)/4, $6
DATA expc<>+92(SB)/4, $7
DATA expc<>+96(SB)/4, $0x3f200000  // 0.625, tanh's switch
DATA expc<>+100(SB)/4, $0xbbbaf0ea // tanh q0
DATA expc<>+104(SB)/4, $0x3ca9134e // q1
DATA expc<>+108(SB)/4, $0xbd5c1e2d // q2
DATA expc<>+112(SB)/4, $0x3e088393 // q3
DATA expc<>+116(SB)/4, $0xbeaaaa99 // q4
GLOBL expc<>(SB), RODATA|NOPTR, $120

// EXP8 sets Y1 = e**Y0 (Y0 is clobbered; Y2-Y7 are scratch).
#define EXP8 \
	VBROADCASTSS expc<>+0(SB), Y2; \
	VMAXPS       Y0, Y2, Y0; \
	VBROADCASTSS expc<>+4(SB), Y2; \
	VMINPS       Y0, Y2, Y0; \
	VBROADCASTSS expc<>+8(SB), Y2; \
	VMULPS       Y2, Y0, Y3; \
	VBROADCASTSS expc<>+12(SB), Y2; \
	VADDPS       Y2, Y3, Y3; \
	VROUNDPS     $1, Y3, Y3; \
	VBROADCASTSS expc<>+16(SB), Y2; \
	VMULPS       Y2, Y3, Y4; \
	VSUBPS       Y4, Y0, Y4; \
	VBROADCASTSS expc<>+20(SB), Y2; \
	VMULPS       Y2, Y3, Y5; \
	VSUBPS       Y5, Y4, Y4; \
	VMULPS       Y4, Y4, Y5; \
	VBROADCASTSS expc<>+24(SB), Y6; \
	VMULPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+28(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+32(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+36(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+40(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+44(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y5, Y6, Y6; \
	VADDPS       Y4, Y6, Y6; \
	VBROADCASTSS expc<>+48(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VCVTTPS2DQ   Y3, Y3; \
	VPSRAD       $1, Y3, Y7; \
	VPSUBD       Y7, Y3, Y3; \
	VPBROADCASTD expc<>+52(SB), Y2; \
	VPADDD       Y2, Y7, Y7; \
	VPSLLD       $23, Y7, Y7; \
	VPADDD       Y2, Y3, Y3; \
	VPSLLD       $23, Y3, Y3; \
	VMULPS       Y7, Y6, Y6; \
	VMULPS       Y3, Y6, Y1

// SIGMOID8 sets Y1 = 1/(1+e**-Y0), from e = e**-|x|: 1/(1+e) where x >= 0
// (sign bit clear), e*(1/(1+e)) where it is set (Y0 clobbered, Y2-Y9
// scratch).
#define SIGMOID8 \
	VMOVAPS      Y0, Y8; \
	VBROADCASTSS expc<>+56(SB), Y2; \
	VORPS        Y2, Y0, Y0; \
	EXP8; \
	VBROADCASTSS expc<>+48(SB), Y2; \
	VADDPS       Y1, Y2, Y3; \
	VDIVPS       Y3, Y2, Y4; \
	VMULPS       Y4, Y1, Y5; \
	VBLENDVPS    Y8, Y5, Y4, Y1

// TANH8 sets Y1 = tanh(Y0): |x| > 0.625: 1 - 2/(e**2|x| + 1); below: the
// odd polynomial x + x*z*q(z), z = x*x; then x's sign (Y0 clobbered,
// Y2-Y8, Y10, Y11 scratch).
#define TANH8 \
	VMOVAPS      Y0, Y8; \
	VBROADCASTSS expc<>+60(SB), Y2; \
	VANDPS       Y2, Y8, Y11; \
	VADDPS       Y11, Y11, Y0; \
	EXP8; \
	VBROADCASTSS expc<>+48(SB), Y2; \
	VADDPS       Y2, Y1, Y3; \
	VADDPS       Y2, Y2, Y4; \
	VDIVPS       Y3, Y4, Y4; \
	VSUBPS       Y4, Y2, Y10; \
	VMULPS       Y8, Y8, Y5; \
	VBROADCASTSS expc<>+100(SB), Y6; \
	VMULPS       Y5, Y6, Y6; \
	VBROADCASTSS expc<>+104(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y5, Y6, Y6; \
	VBROADCASTSS expc<>+108(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y5, Y6, Y6; \
	VBROADCASTSS expc<>+112(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y5, Y6, Y6; \
	VBROADCASTSS expc<>+116(SB), Y2; \
	VADDPS       Y2, Y6, Y6; \
	VMULPS       Y5, Y6, Y6; \
	VMULPS       Y8, Y6, Y6; \
	VADDPS       Y8, Y6, Y6; \
	VBROADCASTSS expc<>+60(SB), Y2; \
	VANDPS       Y2, Y6, Y6; \
	VBROADCASTSS expc<>+96(SB), Y2; \
	VCMPPS       $0x1e, Y2, Y11, Y7; \
	VBLENDVPS    Y7, Y10, Y6, Y1; \
	VBROADCASTSS expc<>+56(SB), Y2; \
	VANDPS       Y2, Y8, Y3; \
	VORPS        Y3, Y1, Y1

// TAILMASK sets Y9 to the mask of the first CX-AX lanes.
#define TAILMASK \
	MOVQ         CX, R9; \
	SUBQ         AX, R9; \
	VMOVD        R9, X9; \
	VPBROADCASTD X9, Y9; \
	VMOVDQU      expc<>+64(SB), Y2; \
	VPCMPGTD     Y2, Y9, Y9

// func expF32AVX2(dst, x []float32)
TEXT ·expF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  exp_tail

exp_loop:
	VMOVUPS (SI)(AX*4), Y0
	EXP8
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JB      exp_loop

exp_tail:
	CMPQ AX, CX
	JAE  exp_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y9, Y0
	EXP8
	VMASKMOVPS Y1, Y9, (DI)(AX*4)

exp_done:
	VZEROUPPER
	RET

// func sigmoidF32AVX2(dst, x []float32)
TEXT ·sigmoidF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  sig_tail

sig_loop:
	VMOVUPS (SI)(AX*4), Y0
	SIGMOID8
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JB      sig_loop

sig_tail:
	CMPQ AX, CX
	JAE  sig_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y9, Y0
	SIGMOID8
	VMASKMOVPS Y1, Y9, (DI)(AX*4)

sig_done:
	VZEROUPPER
	RET

// func tanhF32AVX2(dst, x []float32)
TEXT ·tanhF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  tanh_tail

tanh_loop:
	VMOVUPS (SI)(AX*4), Y0
	TANH8
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JB      tanh_loop

tanh_tail:
	CMPQ AX, CX
	JAE  tanh_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y9, Y0
	TANH8
	VMASKMOVPS Y1, Y9, (DI)(AX*4)

tanh_done:
	VZEROUPPER
	RET
