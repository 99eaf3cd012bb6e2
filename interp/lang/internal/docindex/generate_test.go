package docindex

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestGenerate(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod":                 "module example.com/m\n\ngo 1.26\n",
		"a/a.go":                 "// Package a is A.\npackage a\n\n// F is f.\nfunc F() {}\n",
		"b/b.go":                 "// Package b is B.\npackage b\n\n// T is t.\ntype T struct{ X int }\n",
		"b/c/c.go":               "package c\n\nconst K = 1\n",
		"b/internal/i/i.go":      "package i\n\nfunc I() {}\n",
		"b/testdata/t.go":        "package t\n",
		"b/empty/README":         "no Go here",
		"a/a_test.go":            "package a\n\nfunc TestX() {}\n",
		"cmd/main.go":            "package main\n\nfunc main() {}\n",
		"a/zz_other_os_linux.go": "package a\n\n// L is linux only.\nfunc L() {}\n",
	}
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := Generate(root, []string{"b/...", "a", "missing", "missing/...", "cmd"})
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []*Package
	if err := json.Unmarshal(data, &pkgs); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.Path)
	}
	want := []string{"example.com/m/a", "example.com/m/b", "example.com/m/b/c"}
	if !slices.Equal(paths, want) {
		t.Errorf("packages %v, want %v", paths, want)
	}
	if e := pkgs[0].Entries["F"]; e == nil || e.Doc != "F is f.\n" || e.Decl != "func F()" {
		t.Errorf("a.F: %+v", e)
	}
	if _, ok := pkgs[0].Entries["TestX"]; ok {
		t.Errorf("test file indexed")
	}
	if pkgs[1].Entries["T.X"] == nil || pkgs[1].Doc != "Package b is B.\n" {
		t.Errorf("b: %+v", pkgs[1])
	}
	again, _ := Generate(root, []string{"a", "b/..."})
	if string(again) != string(data) {
		t.Errorf("output depends on pattern order")
	}
	if _, err := Generate(t.TempDir(), []string{"a"}); err == nil {
		t.Errorf("no go.mod: no error")
	}
}
