package optim

import "math"

// EarlyStopping tells a training loop when a validation metric has stopped
// improving:
//
//	es := optim.NewEarlyStopping(5, 1e-4)
//	for epoch := 0; epoch < 100; epoch++ {
//		train()
//		if es.Step(validationLoss()) {
//			break
//		}
//		if es.Improved() {
//			save(model) // the best model so far
//		}
//	}
//
// A metric improves when it is below the best so far by more than
// minDelta (above it, after Maximize); Step reports stop once Patience
// epochs in a row have not improved (Keras's EarlyStopping).
type EarlyStopping struct {
	patience  int
	minDelta  float64
	maximize  bool
	best      float64
	bestEpoch int
	epoch     int
	wait      int
	improved  bool
}

// NewEarlyStopping returns an EarlyStopping for a metric to minimise (a
// loss). It panics if patience < 1 or minDelta is negative.
func NewEarlyStopping(patience int, minDelta float64) *EarlyStopping {
	if patience < 1 {
		fail("early_stopping", "patience %d is less than 1", patience)
	}
	if !(minDelta >= 0) || math.IsInf(minDelta, 0) {
		fail("early_stopping", "min delta %v is not a finite number >= 0", minDelta)
	}
	e := &EarlyStopping{patience: patience, minDelta: minDelta}
	e.Reset()
	return e
}

// Maximize makes e watch a metric to maximise (an accuracy), resets it,
// and returns it.
func (e *EarlyStopping) Maximize() *EarlyStopping {
	e.maximize = true
	e.Reset()
	return e
}

// Reset forgets every metric seen.
func (e *EarlyStopping) Reset() {
	e.best = math.Inf(1)
	if e.maximize {
		e.best = math.Inf(-1)
	}
	e.bestEpoch, e.epoch, e.wait, e.improved = -1, 0, 0, false
}

// Step records one epoch's metric and reports whether training should
// stop. A NaN metric never improves.
func (e *EarlyStopping) Step(metric float64) (stop bool) {
	if e.maximize {
		e.improved = metric > e.best+e.minDelta
	} else {
		e.improved = metric < e.best-e.minDelta
	}
	if e.improved {
		e.best, e.bestEpoch, e.wait = metric, e.epoch, 0
	} else {
		e.wait++
	}
	e.epoch++
	return e.wait >= e.patience
}

// Improved reports whether the last Step's metric was a new best (the time
// to save the model).
func (e *EarlyStopping) Improved() bool { return e.improved }

// Best returns the best metric seen (+Inf, or -Inf after Maximize, before
// any).
func (e *EarlyStopping) Best() float64 { return e.best }

// BestEpoch returns the epoch (counting Steps from 0) of the best metric,
// or -1 before any Step.
func (e *EarlyStopping) BestEpoch() int { return e.bestEpoch }

// Wait returns how many epochs in a row have not improved.
func (e *EarlyStopping) Wait() int { return e.wait }
