package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// opsReps is torch_reference.py's bench_small_ops loop count.
const opsReps = 100000

// opsSetup and opsLoop are the cells of the interpreted ops workload: a
// notebook cell timing a loop of c = a.Add(b) on two 64x64 float32 tensors,
// as bench_small_ops times a + b.
const (
	opsSetup = `a := tensor.Randn(64, 64)
b := tensor.Randn(64, 64)
var c *tensor.Tensor
var n int`
	opsLoop = `start := time.Now()
for i := 0; i < %d; i++ {
	c = a.Add(b)
}
time.Since(start).Seconds()`
	// callLoop is the same loop around a method call that allocates
	// nothing: the interpreter's own share of a cell's op.
	callLoop = `start := time.Now()
for i := 0; i < %d; i++ {
	n = a.Numel()
}
time.Since(start).Seconds()`
)

// benchOps prints add64x64_per_op: seconds and us_per_op measured through
// the interpreter (the way a notebook cell calls Add), compiled_us_per_op
// for the same loop in compiled Go, and call_us_per_op for a cell's loop
// of a.Numel(), a native method call that allocates nothing.
func benchOps() error {
	interpreted, err := opsInterpreted(opsLoop, opsReps)
	if err != nil {
		return err
	}
	call, err := opsInterpreted(callLoop, opsReps)
	if err != nil {
		return err
	}
	compiled := opsCompiled(opsReps)
	emit(map[string]any{"workload": "add64x64_per_op", "seconds": interpreted,
		"us_per_op": interpreted * 1e6, "compiled_us_per_op": compiled * 1e6, "call_us_per_op": call * 1e6})
	return nil
}

// opsInterpreted runs the setup cell and loop (a format taking the number
// of iterations) in a fresh interp.Session and returns the seconds per
// iteration.
func opsInterpreted(loop string, reps int) (float64, error) {
	secs, err := timeCell(opsSetup, fmt.Sprintf(loop, reps))
	if err != nil {
		return 0, err
	}
	return secs / float64(reps), nil
}

// timeCell runs setup, then loop, in a fresh interp.Session and returns the
// number loop's final expression evaluates to.
func timeCell(setup, loop string) (float64, error) {
	s, err := interp.New(interp.Options{})
	if err != nil {
		return 0, fmt.Errorf("bench: ops: starting the interpreter: %w", err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Execute(ctx, setup, nil); err != nil {
		return 0, fmt.Errorf("bench: ops: setup cell: %w", err)
	}
	b, err := s.Execute(ctx, loop, nil)
	if err != nil {
		return 0, fmt.Errorf("bench: ops: loop cell: %w", err)
	}
	if b == nil {
		return 0, fmt.Errorf("bench: ops: the loop cell returned no value")
	}
	text, _ := b.Data["text/plain"].(string)
	secs, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil {
		return 0, fmt.Errorf("bench: ops: the loop cell's value %q: %w", text, err)
	}
	return secs, nil
}

// opsCompiled times the same loop in compiled Go and returns the seconds
// per Add.
func opsCompiled(reps int) float64 {
	a, b := tensor.Randn(64, 64), tensor.Randn(64, 64)
	var c *tensor.Tensor
	start := time.Now()
	for i := 0; i < reps; i++ {
		c = a.Add(b)
	}
	dt := time.Since(start).Seconds() / float64(reps)
	if reps > 0 && c.Numel() != a.Numel() {
		panic(fmt.Sprintf("bench: ops: Add of 64x64 tensors has %d elements", c.Numel()))
	}
	return dt
}
