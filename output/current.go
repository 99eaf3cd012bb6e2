package output

import "sync/atomic"

// current is the publisher of the cell that is running, for compiled code
// (package display) that a cell calls and that has no other way to reach
// the front end. A kernel runs one cell at a time, so one is enough.
var current atomic.Pointer[Publisher]

// SetCurrent makes p the publisher that Current returns, and returns the
// previous one so that the caller can restore it. The interpreter sets it
// around each cell; nil means Discard.
func SetCurrent(p Publisher) (previous Publisher) {
	var prev *Publisher
	if p == nil {
		prev = current.Swap(nil)
	} else {
		prev = current.Swap(&p)
	}
	if prev == nil {
		return Discard
	}
	return *prev
}

// Current returns the publisher of the running cell, or Discard when no
// cell is running.
func Current() Publisher {
	if p := current.Load(); p != nil {
		return *p
	}
	return Discard
}
