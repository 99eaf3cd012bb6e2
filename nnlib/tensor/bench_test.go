package tensor

import "testing"

func BenchmarkAdd64x64(b *testing.B) {
	x, y := Randn(64, 64), Randn(64, 64)
	b.ReportAllocs()
	for b.Loop() {
		x.Add(y)
	}
}

func BenchmarkAddBroadcast64x64(b *testing.B) {
	x, y := Randn(64, 64), Randn(64)
	b.ReportAllocs()
	for b.Loop() {
		x.Add(y)
	}
}

func BenchmarkReLU64x64(b *testing.B) {
	x := Randn(64, 64)
	b.ReportAllocs()
	for b.Loop() {
		x.ReLU()
	}
}

func BenchmarkMatMul256(b *testing.B) {
	x, y := Randn(256, 256), Randn(256, 256)
	b.ReportAllocs()
	b.SetBytes(2 * 256 * 256 * 256) // "MB/s" reads as MFLOP/s
	for b.Loop() {
		x.MatMul(y)
	}
}

func BenchmarkLinearBackward(b *testing.B) {
	x := Randn(64, 784)
	w := Randn(784, 128).Mul(0.01).RequiresGrad()
	bias := Zeros(128).RequiresGrad()
	b.ReportAllocs()
	for b.Loop() {
		x.MatMul(w).Add(bias).ReLU().Sum().Backward()
		w.ZeroGrad()
		bias.ZeroGrad()
	}
}

func BenchmarkReLUBackward64x128(b *testing.B) {
	x := Randn(64, 128).RequiresGrad()
	up := Ones(64, 128)
	b.ReportAllocs()
	for b.Loop() {
		x.ReLU().BackwardWith(up)
		x.ZeroGrad()
	}
}

func BenchmarkSigmoid64x128(b *testing.B) {
	x := Randn(64, 128)
	b.ReportAllocs()
	for b.Loop() {
		x.Sigmoid()
	}
}

func BenchmarkTanh64x128(b *testing.B) {
	x := Randn(64, 128)
	b.ReportAllocs()
	for b.Loop() {
		x.Tanh()
	}
}

func BenchmarkExp64x128(b *testing.B) {
	x := Randn(64, 128)
	b.ReportAllocs()
	for b.Loop() {
		x.Exp()
	}
}
