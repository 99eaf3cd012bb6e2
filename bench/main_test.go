package main

import (
	"strings"
	"testing"
)

func TestParseOnly(t *testing.T) {
	got, err := parseOnly("gemm, mlp")
	if err != nil {
		t.Fatal(err)
	}
	if !got["gemm"] || !got["mlp"] || got["ops"] || len(got) != 2 {
		t.Fatalf("parseOnly(gemm, mlp) = %v", got)
	}
	if _, err := parseOnly("gemm,conv"); err == nil || !strings.Contains(err.Error(), `"conv"`) {
		t.Fatalf("parseOnly(gemm,conv) error = %v, want one naming conv", err)
	}
}

// TestOps runs the ops workload's two loops briefly: the interpreted one
// through a real interp.Session, so that a change in the cell language or
// the symbol tables that breaks the benchmark's cells fails here.
func TestOps(t *testing.T) {
	perOp, err := opsInterpreted(opsLoop, 200)
	if err != nil {
		t.Fatal(err)
	}
	if !(perOp > 0 && perOp < 0.01) {
		t.Fatalf("interpreted: %g s per Add", perOp)
	}
	if c := opsCompiled(200); !(c > 0 && c < 0.01) {
		t.Fatalf("compiled: %g s per Add", c)
	}
	if _, err := timeCell(opsSetup, "c = a.Add(undefinedName)"); err == nil || !strings.Contains(err.Error(), "loop cell") {
		t.Fatalf("a failing loop cell: error %v", err)
	}
	if _, err := timeCell(opsSetup, "c"); err == nil || !strings.Contains(err.Error(), "value") {
		t.Fatalf("a loop cell without a number: error %v", err)
	}
}
