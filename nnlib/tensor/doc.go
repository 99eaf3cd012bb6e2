// Package tensor is gonn's n-dimensional array with reverse-mode automatic
// differentiation: the layer every model, loss and optimizer is built on.
//
// # Tensors
//
// A Tensor has a dtype (Float32 by default; Float64 for gradient checks;
// Int for labels and indices), a shape, and strides into storage that views
// share. Reshape (of a contiguous tensor), Transpose, Permute, Slice,
// Index, Expand, Squeeze and Unsqueeze return views without copying; Set,
// Fill and Assign write through them. Ops never change their operands.
//
//	x := tensor.Randn(64, 784)             // float32, from the seeded default generator
//	w := tensor.Randn(784, 10).Mul(0.01).RequiresGrad()
//	b := tensor.Zeros(10).RequiresGrad()
//	logits := x.MatMul(w).Add(b)           // b broadcasts over the rows
//
// Binary ops (Add, Sub, Mul, Div, Pow, comparisons) take another tensor or
// a Go number, and broadcast as NumPy does: shapes align at the right and
// sizes must match or be 1. Numbers take the tensor's dtype; two tensors
// of different dtypes are an error (convert with To). Comparisons return
// masks of 0s and 1s, so pred.Eq(labels).Mean() is an accuracy.
//
// Reductions (Sum, Mean, Max, Min, Var, Std) take the dims to reduce (all
// when none) and drop them; their KeepDim forms keep them with size 1.
// Softmax and LogSoftmax are computed stably. MatMul follows NumPy's
// matmul, batch dimensions broadcasting, and runs on accel's GEMM.
//
// # Autograd
//
// Each op computes its output and records, right beside it, a closure that
// maps the output's gradient to its inputs' gradients (the op's backward
// rule). Backward orders the recorded graph topologically and walks it in
// reverse, handing each tensor's gradient to its rule and adding what comes
// back into the inputs' gradients; gradients of broadcast operands are
// summed back to their shapes in that one place. Gradients accumulate into
// the Grad of leaves that called RequiresGrad, until ZeroGrad.
//
// The graph is freed by Backward; a second Backward through it panics and
// says so (use BackwardRetain to go through it twice). NoGrad runs code
// without recording, Detach cuts a tensor from the graph, RegisterHook sees
// or replaces a gradient as it arrives, and Op, Inputs and Saved describe
// the graph for drawing it. GradCheck compares the rules with finite
// differences in float64, with PyTorch's default tolerances.
//
// The pointwise ops are one table of functions and derivatives
// (elementwise.go); sums, maxima and matrix products have their own rules;
// Sigmoid, Softmax and LogSoftmax are fused with their own gradients, Mean,
// Var, Std, Maximum, Minimum and MaskedFill are built from primitives and
// need no rule of their own.
//
// Contiguous float32 operands take fast paths (fast.go) that compute the
// same values: binary ops of two tensors of one shape, of a tensor and a
// row vector (a bias) or a scalar, and in-place arithmetic, run on accel's
// vector kernels, which report NaN from the op's own loop so that the NaN
// check costs no second pass; ReLU, Exp, Sigmoid and Tanh run on accel's
// vector kernels too (the last three within 2-3 ulp of the float64 result
// rounded, where the general path rounds math's), Neg and the activations'
// gradients as typed loops; an op builds no backward closure when nothing
// records. Their results take storage from a pool (pool.go) that
// a finalizer refills once the collector has proved a buffer unreachable,
// so a result never aliases anything still reachable; this spares most of
// the collections and page faults that a fresh 16 KiB per 64x64 Add cost.
// A 64x64 Add spends 0.6-0.8 us in arithmetic; most of the rest goes to
// allocation and collection (see the bench command's ops workload).
//
// Other packages add fused ops (a convolution, a cross-entropy) with
// Record, which attaches their backward rule to a result they computed,
// often on the raw storage that Float32Data and Float64Data expose; each
// such op needs its own GradCheck test. In-place arithmetic (AddInPlace,
// AddScaledInPlace, ...) serves optimizer updates without allocating; code
// that writes the raw storage itself calls MarkModified afterwards, so that
// a Backward through a graph that saved the tensor panics.
//
// # Errors
//
// Bad input panics with an *Error whose message names the op and the
// shapes, e.g. "tensor: matmul: (64x784) x (100x10): inner dimensions
// differ"; errors.Is tells the kind (ErrShape, ErrDType, ErrIndex,
// ErrEmpty, ErrNaN, ErrGraph). The notebook interpreter shows it as the
// cell's error. Labels or indices out of range, empty reductions and
// variances of one element panic rather than return NaN, and so does an op
// that makes NaN from inputs without any (log of a negative, 0/0), unless
// SetNaNCheck(false). Backward panics if a tensor its graph saved was
// modified in place (Set, Fill, Assign, the InPlace ops, or raw writes
// followed by MarkModified) since.
//
// # State
//
// Three pieces of process-wide state exist, all resettable: the default
// random generator (Seed resets it; NewGenerator makes independent ones),
// the grad-recording switch (NoGrad, SetGradEnabled) and the NaN check
// (SetNaNCheck). Long work polls
// the interrupt package so the notebook's stop button stops it.
//
// The exported API is non-generic so that the yaegi interpreter can call
// all of it from notebook cells; generics are used only inside.
package tensor
