// Package optim trains parameters: the optimizers SGD (with momentum,
// Nesterov and weight decay), Adam, AdamW, RMSprop and Adagrad; learning-
// rate schedules; gradient clipping; and an early-stopping helper. Every
// rule, default and schedule has PyTorch 1.13's semantics, and the tests
// compare them with PyTorch's numbers (testdata/gen_torch.py writes the
// goldens).
//
// # Optimizers
//
// An optimizer takes the parameters to train (any []*tensor.Tensor, such
// as a model's Parameters(); those without a gradient, frozen ones
// included, are skipped by Step), a learning rate, and options for the
// rest:
//
//	opt := optim.SGD(model.Parameters(), 0.05, optim.Momentum(0.9), optim.Nesterov())
//	opt := optim.Adam(model.Parameters(), 1e-3)
//	opt := optim.AdamW(model.Parameters(), 1e-3, optim.WeightDecay(0.05))
//	for ... {
//		opt.ZeroGrad()
//		loss := ...
//		loss.Backward()
//		opt.Step()
//	}
//
// The options are functions (Momentum, Betas, WeightDecay, ...) so that a
// call names what it changes; an option an optimizer does not take panics
// with the list of those it does. Each optimizer keeps its state (momentum
// buffers, moment estimates) in its parameters' dtype, made on the first
// Step; later Steps allocate nothing.
//
// # Schedules
//
// A schedule wraps an optimizer and sets its learning rate each time it
// steps, per epoch or per batch as the schedule intends:
//
//	sched := optim.StepLR(opt, 10, 0.1)         // x0.1 every 10 epochs
//	sched := optim.CosineLR(opt, 50, 0)          // cosine to 0 over 50 epochs
//	sched := optim.WarmupCosine(opt, 500, 10000, 0) // per batch
//	sched := optim.OneCycle(opt, 0.1, epochs*batchesPerEpoch)
//	plateau := optim.ReduceOnPlateau(opt, optim.Patience(3))
//
// Schedule.Step advances one epoch (or batch); Plateau.Step takes the
// epoch's validation metric. OneCycle also cycles the momentum (Adam's
// beta1), as PyTorch's OneCycleLR does.
//
// # Helpers
//
// ClipGradNorm(params, maxNorm) rescales gradients to a global norm and
// returns the norm before clipping; ClipGradValue clamps them. An
// EarlyStopping watches a validation metric and says when to stop.
//
// # Errors
//
// Bad arguments panic with an *Error ("optim: sgd: ..."), which wraps
// ErrInvalid; the notebook shows it as the cell's error. The package has
// no global state.
//
// The exported API is non-generic so that the yaegi interpreter can call
// all of it from notebook cells. The package does not import nnlib/nn: it
// works on tensors.
package optim
