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
