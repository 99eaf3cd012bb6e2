package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/kernel"
	"github.com/gonnlab/gonn/output"
)

// fakeEngine prints each cell's source on stdout, and fails cells that
// start with "panic".
type fakeEngine struct{ closed bool }

func (e *fakeEngine) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	if strings.HasPrefix(code, "panic") {
		return nil, &interp.Error{Name: "panic", Value: "boom", Traceback: []string{"\x1b[31mpanic\x1b[0m: boom", "goroutine 1"}}
	}
	pub.Stream("stdout", code+"\n")
	return nil, nil
}
func (e *fakeEngine) Complete(code string, cursor int) interp.Completion { return interp.Completion{} }
func (e *fakeEngine) Inspect(code string, cursor int, detail int) (output.Bundle, bool) {
	return output.Bundle{}, false
}
func (e *fakeEngine) IsComplete(code string) interp.Completeness { return interp.Completeness{} }
func (e *fakeEngine) LanguageInfo() interp.LanguageInfo          { return interp.LanguageInfo{Name: "go"} }
func (e *fakeEngine) Close() error                               { e.closed = true; return nil }

// gonn runs the command line in process and returns its exit status and
// outputs.
func gonn(t *testing.T, eng *fakeEngine, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, newEngine: func() (kernel.Engine, error) { return eng, nil }}
	code = c.run(args)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"kernel"},
		{"kernel", "a.json", "b.json"},
		{"install", "--user", "--prefix", "/x"},
		{"install", "--sys-prefix", "--user"},
		{"install", "extra"},
		{"install", "--nosuchflag"},
		{"run"},
		{"run", "a.ipynb", "b.ipynb"},
		{"run", "a.ipynb", "-o", "x.ipynb", "--inplace"},
		{"run", "a.ipynb", "--timeout", "soon"},
		{"run", "a.ipynb", "-o"},
		{"version", "extra"},
	} {
		code, stdout, stderr := gonn(t, &fakeEngine{}, args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "Usage:") {
			t.Errorf("gonn %q: exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", args, code, stdout, stderr)
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"run", "-h"}, {"install", "--help"}} {
		code, stdout, _ := gonn(t, &fakeEngine{}, args...)
		if code != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("gonn %q: exit %d, stdout %q; want 0 and the usage", args, code, stdout)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args []string
		pos  []string
		o    string
	}{
		{[]string{"nb.ipynb"}, []string{"nb.ipynb"}, ""},
		{[]string{"nb.ipynb", "-o", "out.ipynb"}, []string{"nb.ipynb"}, "out.ipynb"},
		{[]string{"--o=out.ipynb", "nb.ipynb", "x"}, []string{"nb.ipynb", "x"}, "out.ipynb"},
		{[]string{"-o", "out.ipynb", "--", "-nb.ipynb"}, []string{"-nb.ipynb"}, "out.ipynb"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		o := fs.String("o", "", "")
		pos, err := parse(fs, tt.args)
		if err != nil || !reflect.DeepEqual(pos, tt.pos) || *o != tt.o {
			t.Errorf("parse(%q) = %q, -o %q, %v; want %q, -o %q", tt.args, pos, *o, err, tt.pos, tt.o)
		}
	}
}

func TestOutputPath(t *testing.T) {
	tests := []struct {
		in, out string
		inplace bool
		want    string
	}{
		{"nb.ipynb", "", false, "nb.nbconvert.ipynb"},
		{"dir/nb.ipynb", "", false, "dir/nb.nbconvert.ipynb"},
		{"dir/nb", "", false, "dir/nb.nbconvert.ipynb"},
		{"dir/nb.ipynb", "", true, "dir/nb.ipynb"},
		{"dir/nb.ipynb", "x.ipynb", false, "x.ipynb"},
		{"dir/nb.ipynb", "-", false, "-"},
	}
	for _, tt := range tests {
		if got := outputPath(tt.in, tt.out, tt.inplace); got != tt.want {
			t.Errorf("outputPath(%q, %q, %v) = %q, want %q", tt.in, tt.out, tt.inplace, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := gonn(t, &fakeEngine{}, "version")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 3 {
		t.Fatalf("gonn version: exit %d, output %q", code, stdout)
	}
	if !strings.HasPrefix(lines[0], "gonn ") || lines[1] != "go    "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH || !strings.HasPrefix(lines[2], "yaegi ") {
		t.Errorf("gonn version printed %q", lines)
	}
}

func TestInstall(t *testing.T) {
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ = filepath.EvalSymlinks(exe)
	prefix := t.TempDir()
	for _, tt := range []struct {
		args []string
		dir  string
	}{
		{[]string{"install"}, filepath.Join(data, "kernels", "gonn")},
		{[]string{"install", "--user"}, filepath.Join(data, "kernels", "gonn")},
		{[]string{"install", "--prefix", prefix}, filepath.Join(prefix, "share", "jupyter", "kernels", "gonn")},
	} {
		code, stdout, stderr := gonn(t, &fakeEngine{}, tt.args...)
		if code != 0 || !strings.Contains(stdout, tt.dir) {
			t.Errorf("gonn %q: exit %d, stdout %q, stderr %q; want it to name %s", tt.args, code, stdout, stderr, tt.dir)
			continue
		}
		var spec struct{ Argv []string }
		b, err := os.ReadFile(filepath.Join(tt.dir, "kernel.json"))
		if err == nil {
			err = json.Unmarshal(b, &spec)
		}
		if err != nil || len(spec.Argv) != 3 || spec.Argv[0] != exe {
			t.Errorf("gonn %q: kernel.json %s, %v; want argv[0] %s", tt.args, b, err, exe)
		}
		for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
			if _, err := os.Stat(filepath.Join(tt.dir, logo)); err != nil {
				t.Error(err)
			}
		}
	}
}

const testNotebook = `{
 "cells": [
  {"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [], "source": "first"},
  {"cell_type": "code", "execution_count": null, "id": "b", "metadata": {}, "outputs": [],
   "source": "panic"},
  {"cell_type": "code", "execution_count": null, "id": "c", "metadata": {}, "outputs": [], "source": "third"}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`

// cellTexts returns the stream text of each cell of the notebook at path,
// "!" for an error output.
func cellTexts(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Outputs []struct {
				OutputType string   `json:"output_type"`
				Text       []string `json:"text"`
			}
		}
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var texts []string
	for _, c := range nb.Cells {
		s := ""
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				s += "!"
			}
			s += strings.Join(o.Text, "")
		}
		texts = append(texts, s)
	}
	return texts
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "nb.ipynb")
	if err := os.WriteFile(in, []byte(strings.Replace(testNotebook, `"panic"`, `"second"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{}
	code, _, stderr := gonn(t, eng, "run", in)
	want := []string{"first\n", "second\n", "third\n"}
	out := filepath.Join(dir, "nb.nbconvert.ipynb")
	if code != 0 || !strings.Contains(stderr, "wrote "+out) {
		t.Fatalf("gonn run: exit %d, stderr %q", code, stderr)
	}
	if got := cellTexts(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("outputs %q, want %q", got, want)
	}
	if !eng.closed {
		t.Error("the engine was not closed")
	}

	other := filepath.Join(dir, "other.ipynb")
	if code, _, stderr := gonn(t, &fakeEngine{}, "run", in, "-o", other); code != 0 {
		t.Fatalf("gonn run -o: exit %d, %s", code, stderr)
	}
	if got := cellTexts(t, other); !reflect.DeepEqual(got, want) {
		t.Errorf("-o: outputs %q, want %q", got, want)
	}

	code, stdout, _ := gonn(t, &fakeEngine{}, "run", "-o", "-", in)
	if code != 0 || !strings.HasPrefix(stdout, "{\n \"cells\": [") {
		t.Errorf("gonn run -o -: exit %d, stdout %.40q", code, stdout)
	}

	if code, _, stderr := gonn(t, &fakeEngine{}, "run", "--inplace", in); code != 0 {
		t.Fatalf("gonn run --inplace: exit %d, %s", code, stderr)
	}
	if got := cellTexts(t, in); !reflect.DeepEqual(got, want) {
		t.Errorf("--inplace: outputs %q, want %q", got, want)
	}
	if fi, err := os.Stat(in); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("--inplace changed the notebook's mode: %v, %v", fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

func TestRunFailure(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "fail.ipynb")
	if err := os.WriteFile(in, []byte(testNotebook), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.ipynb")
	code, _, stderr := gonn(t, &fakeEngine{}, "run", in, "-o", out)
	if code != 1 || !strings.Contains(stderr, in+": cell 2 (line 5): panic: boom\n    panic: boom\n    goroutine 1\n") {
		t.Errorf("gonn run: exit %d, stderr %q; want 1 naming cell 2, line 5, without ANSI colours", code, stderr)
	}
	if got, want := cellTexts(t, out), []string{"first\n", "!", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("outputs %q, want %q", got, want)
	}

	code, _, _ = gonn(t, &fakeEngine{}, "run", in, "-o", out, "--allow-errors")
	if got, want := cellTexts(t, out), []string{"first\n", "!", "third\n"}; code != 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("--allow-errors: exit %d, outputs %q, want 0, %q", code, got, want)
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ipynb")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{filepath.Join(dir, "missing.ipynb"), bad} {
		code, _, stderr := gonn(t, &fakeEngine{}, "run", in)
		if code != 1 || !strings.Contains(stderr, "gonn run: ") || !strings.Contains(stderr, filepath.Base(in)) {
			t.Errorf("gonn run %s: exit %d, stderr %q", in, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.nbconvert.ipynb")); !os.IsNotExist(err) {
		t.Errorf("an output was written for a notebook that could not be read: %v", err)
	}
}

func TestKernelBadConnectionFile(t *testing.T) {
	code, _, stderr := gonn(t, &fakeEngine{}, "kernel", filepath.Join(t.TempDir(), "missing.json"))
	if code != 1 || !strings.Contains(stderr, "gonn kernel: ") || !strings.Contains(stderr, "missing.json") {
		t.Errorf("gonn kernel: exit %d, stderr %q", code, stderr)
	}
}

// TestInstallSysPrefix puts a fake `jupyter` on PATH whose "#!" line names a
// fake Python, and checks that --sys-prefix installs under that Python's
// sys.prefix.
func TestInstallSysPrefix(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs #! scripts")
	}
	bin, prefix := t.TempDir(), t.TempDir()
	python := filepath.Join(bin, "python3")
	script := "#!/bin/sh\n# a fake Python: prints sys.prefix for the probe\necho " + prefix + "\n"
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "jupyter"), []byte("#!"+python+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	code, stdout, stderr := gonn(t, &fakeEngine{}, "install", "--sys-prefix")
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "gonn")
	if code != 0 || !strings.Contains(stdout, dir) {
		t.Fatalf("gonn install --sys-prefix: exit %d, stdout %q, stderr %q; want it to install in %s", code, stdout, stderr, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		t.Error(err)
	}
}
