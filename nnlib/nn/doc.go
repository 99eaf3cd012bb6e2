// Package nn holds gonn's layers, losses, initialisers and model tools,
// built on package tensor and mirroring PyTorch's torch.nn: the same
// names, shapes, defaults and parameter names, so that PyTorch goldens
// match and a PyTorch user's intuition carries over.
//
// # Modules
//
// A Module has a Forward method and parameters. Layers are made by
// functions named as in PyTorch, which return concrete pointer types
// (LinearLayer, ...) whose fields (Weight, Bias, In, Out) can be read:
//
//	model := nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
//	logits := model.Forward(x)               // (64, 784) -> (64, 10)
//	loss := nn.CrossEntropy(logits, labels)  // labels: Int tensor of class indices
//	loss.Backward()
//	model.Parameters()                       // for an optimizer
//	nn.Summary(model, 1, 784)                // layers, output shapes, parameter counts
//
// Every layer embeds Base, which registers parameters, buffers and
// children by name and provides Parameters, NamedParameters (names as in
// a PyTorch state dict: "0.weight", "0.bias"), StateDict, LoadStateDict,
// Train, Eval, ZeroGrad, Freeze and To (a dtype). A model of one's own in
// a notebook is a Func, a forward function over named layers:
//
//	fc1, fc2 := nn.Linear(784, 128), nn.Linear(128, 10)
//	net := nn.Func("Net", func(x *tensor.Tensor) *tensor.Tensor {
//		return fc2.Forward(fc1.Forward(x).ReLU())
//	}).With("fc1", fc1).With("fc2", fc2)
//
// (compiled Go code can also embed Base in a struct and register its
// layers with RegisterModule; the interpreter cannot pass such a struct
// defined in a cell to compiled functions as a Module.)
//
// Layers: Linear, Sequential, Flatten, Dropout, the activations (ReLU,
// LeakyReLU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax, Identity);
// Conv2d (stride, padding, dilation), MaxPool2d, AvgPool2d, BatchNorm1d and
// BatchNorm2d (running statistics), LayerNorm, Embedding; RNN, LSTM and
// GRU (batch-first, stacked; Run carries the state), MultiHeadAttention
// (with a causal mask) and a pre-norm TransformerBlock. Constructors take
// PyTorch's positional arguments: nn.Conv2d(1, 6, 5, 1, 2) is stride 1,
// padding 2. Parameters are Float32 and initialised as PyTorch does
// (Linear: uniform in +-1/sqrt(in)); the initialisers (Uniform, Normal,
// XavierUniform, KaimingNormal, ...) draw from tensor's default generator,
// so tensor.Seed makes a model reproducible.
//
// # Saving and loading
//
// Save writes a model's state dict (parameters and buffers such as
// BatchNorm's running statistics) as a safetensors file, which PyTorch
// (model.load_state_dict on the file's tensors) and Hugging Face's
// safetensors readers load; Load reads one written by gonn, PyTorch or
// Hugging Face into a model of the same architecture, in place, and fails
// with an error naming every missing, unexpected or mis-shaped tensor.
//
// # Fine-tuning and compression
//
// Freeze and Unfreeze stop and restart gradients to a module's
// parameters, and TrainableParameters lists the ones an optimizer should
// take. LoRA wraps a Linear in a low-rank adapter (Merge folds it back);
// SequentialLayer.Set puts it in place. Prune and PruneGlobal zero the
// smallest-magnitude weights of Linear and Conv2d layers, per layer or
// ranked together, and keep a mask so that they stay zero while training;
// Sparsity measures the result. Quantize replaces the Linear layers of a
// model with int8 versions (QuantLinearLayer: per-row weight scales, one
// scale per input batch) for inference.
//
// # Losses
//
// CrossEntropy (logits and class indices, with label smoothing as
// CrossEntropySmoothed), NLL, MSE, L1, Huber and BCEWithLogits return the
// mean over the batch as a scalar tensor; L1Penalty and L2Penalty sum
// over parameters for regularisation.
//
// # Performance
//
// The layers on the hot path of training are fused ops with their own
// backward (tensor.Record), computed on raw storage: Linear, Conv2d, the
// poolings, ReLU, BatchNorm, LayerNorm, CrossEntropy and BCEWithLogits;
// the others are composed of tensor ops. Linear runs on accel's GEMM
// without copying contiguous operands: one GEMM forward, two backward.
// Conv2d unfolds chunks of samples (im2col) into 512 KiB matrices, which
// stay in the L2 cache, for one GEMM each; the chunks are shared between
// GOMAXPROCS goroutines, and the weight and bias gradients are summed per
// chunk in chunk order, so results do not depend on the thread count. The
// forward's columns are kept for the backward when the batch is one
// chunk. For stride 1 without padding, float32 im2col and col2im move
// their short runs (8 to 24 values in LeNet) with accel.CopyRunsF32 and
// AddRunsF32. ReLU's kernels and 2x2 max pooling have no data-dependent
// branches (the signs of activations are random, and mispredictions made
// a branching ReLU loop 7x slower), and Sequential runs a ReLU followed by
// max pooling as pooling then ReLU (the same values and gradients on a
// quarter of the elements).
//
// BenchmarkMLPStep and BenchmarkLeNetStep time the training steps of
// ../shared/bench/torch_reference.py's MNIST models and report cpu-ns/op,
// the process's CPU time per step, which varies much less than the wall
// time on a shared machine. One core (-cpu 1), this machine: MLP step
// 1.3-1.4 ms (was 1.5-1.7), LeNet step 4.8-5.4 ms (was 11.6-12.2).
// `go run ./bench -only mlp,cnn` times whole MNIST epochs as the PyTorch
// script does.
//
// # Errors
//
// Bad input panics with an *Error naming the op and the shapes, e.g.
// "nn: linear: input (64x100) for weight (10x784): last dimension must be
// 784" or "nn: cross_entropy: scores (4x3) and labels (4): label 3 at
// index 2 is outside [0, 3)"; errors.Is tells its kind with tensor's
// sentinels (tensor.ErrShape, ErrDType, ErrIndex, ErrEmpty, ErrNaN). A loss
// that comes out NaN or infinite panics (ErrNaN) rather than train on it.
//
// # Testing
//
// Every layer and loss is checked with tensor.GradCheck in float64 and
// against PyTorch 1.13: testdata/gen_torch.py builds each case with fixed
// weights and writes the outputs and gradients to testdata/torch_nn.json,
// which the tests compare with no Python needed. The same script loads
// testdata/gonn_model.safetensors (written by go test -update) into
// PyTorch and writes testdata/torch_model.safetensors for gonn to load.
package nn
