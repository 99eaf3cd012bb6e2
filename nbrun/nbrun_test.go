package nbrun

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// counterIDs returns a NewID that numbers cells new-1, new-2, ...
func counterIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("new-%d", n) }
}

func readFile(t *testing.T, path string) *Notebook {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nb, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	nb.NewID = counterIDs()
	return nb
}

func encode(t *testing.T, nb *Notebook) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := nb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// debianPython is the Python with nbformat that checks what nbrun writes.
const debianPython = "/usr/bin/python3"

// nbformatCheck validates the notebook at path with nbformat's own
// validator, fails on any warning nbformat raises, and prints the notebook
// as nbformat writes it.
const nbformatCheck = `
import sys, warnings, nbformat
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nb = nbformat.read(sys.argv[1], as_version=4)
    nbformat.validate(nb)
    out = nbformat.writes(nb)
bad = [str(w.message) for w in caught if "nbformat" in w.filename]
if bad:
    sys.exit("nbformat warned: %s" % bad)
sys.stdout.write(out + "\n")
`

// checkWithNbformat validates the notebook file with nbformat and checks
// that nbformat writes it byte for byte as nbrun did.
func checkWithNbformat(t *testing.T, path string) {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import nbformat").Run(); err != nil {
		t.Skipf("%s lacks nbformat: %v", debianPython, err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(debianPython, "-c", nbformatCheck, path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nbformat rejects %s: %v\n%s", path, err, stderr.Bytes())
	}
	ours, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, ours) {
		t.Errorf("nbformat writes %s differently:\n%s", path, out)
	}
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	wantErr := map[string]string{
		"errors": "cell 4 (line 34): panic: runtime error: index out of range [3] with length 3",
	}
	ran := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden.ipynb") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(in), ".ipynb")
		ran++
		t.Run(name, func(t *testing.T) {
			nb := readFile(t, in)
			err := Run(context.Background(), nb, &fakeExecutor{}, Options{})
			if got := fmt.Sprint(err); err != nil || wantErr[name] != "" {
				if got != wantErr[name] {
					t.Errorf("Run: %v, want %q", err, wantErr[name])
				}
			}
			got := encode(t, nb)
			golden := filepath.Join("testdata", name+".golden.ipynb")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; got:\n%s", in, golden, got)
			}
			checkWithNbformat(t, golden)
		})
	}
	if ran < 3 {
		t.Fatalf("found %d test notebooks in testdata", ran)
	}
}

func TestCellError(t *testing.T) {
	nb := readFile(t, "testdata/errors.ipynb")
	err := Run(context.Background(), nb, &fakeExecutor{}, Options{})
	var ce *CellError
	if !errors.As(err, &ce) {
		t.Fatalf("Run: %v, want a *CellError", err)
	}
	if ce.Cell != 4 || ce.Line != 34 || ce.Name != "panic" || len(ce.Traceback) != 2 {
		t.Errorf("CellError = %+v", ce)
	}
	var ie *interp.Error
	if !errors.As(err, &ie) || ie.Name != "panic" {
		t.Errorf("CellError does not unwrap to the *interp.Error: %v", ie)
	}
	last := nb.cells[len(nb.cells)-1]
	if last.count != 0 || len(last.outputs) != 0 {
		t.Errorf("the cell after the failure ran or kept stale outputs: count %d, %d outputs", last.count, len(last.outputs))
	}
}

func TestAllowErrors(t *testing.T) {
	nb := readFile(t, "testdata/errors.ipynb")
	ex := &fakeExecutor{}
	if err := Run(context.Background(), nb, ex, Options{AllowErrors: true}); err != nil {
		t.Fatalf("Run with AllowErrors: %v", err)
	}
	if len(ex.codes) != 4 {
		t.Errorf("ran %d cells, want 4", len(ex.codes))
	}
	last := nb.cells[len(nb.cells)-1]
	if last.count != 4 || len(last.outputs) != 1 || last.outputs[0].text != "not reached\n" {
		t.Errorf("last cell: count %d, outputs %+v", last.count, last.outputs)
	}
}

// notebook builds a notebook of code cells with the given sources.
func notebook(t *testing.T, sources ...string) *Notebook {
	t.Helper()
	var cells []string
	for _, s := range sources {
		cells = append(cells, fmt.Sprintf(`{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": %q}`, s))
	}
	nb, err := Read(strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [` + strings.Join(cells, ",") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	nb.NewID = counterIDs()
	return nb
}

func TestTimeout(t *testing.T) {
	nb := notebook(t, `stdout "start\n"`+"\nblock", `stdout "not run"`)
	err := Run(context.Background(), nb, &fakeExecutor{}, Options{Timeout: 20 * time.Millisecond})
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 1 || ce.Name != "Interrupted" || !strings.Contains(ce.Value, "timed out after 20ms") {
		t.Fatalf("Run: %v", err)
	}
	outs := nb.cells[0].outputs
	if len(outs) != 2 || outs[0].text != "start\n" || outs[1].kind != "error" {
		t.Errorf("outputs: %+v", outs)
	}
}

func TestGraceAbandonsAStuckCell(t *testing.T) {
	// The cell ignores its context; even raises-exception cannot make Run
	// go on with an Executor in an unknown state.
	nb := notebook(t, "hang 2s", `stdout "not run"`)
	nb.cells[0].fields["metadata"] = map[string]any{"tags": []any{RaisesException}}
	start := time.Now()
	err := Run(context.Background(), nb, &fakeExecutor{}, Options{Timeout: 10 * time.Millisecond, Grace: 10 * time.Millisecond})
	if el := time.Since(start); el > time.Second {
		t.Errorf("Run took %v, want it to give up after the grace period", el)
	}
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 1 || !strings.Contains(ce.Value, "did not stop within 10ms") {
		t.Fatalf("Run: %v", err)
	}
}

func TestCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ex := &fakeExecutor{}
	nb := notebook(t, `stdout "a"`, "block", `stdout "not run"`)
	nb.cells[1].fields["metadata"] = map[string]any{"tags": []any{RaisesException}}
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	err := Run(ctx, nb, ex, Options{})
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 2 || ce.Name != "Interrupted" {
		t.Fatalf("Run: %v", err)
	}
	if len(ex.codes) != 2 {
		t.Errorf("ran %d cells after the cancel, want 2", len(ex.codes))
	}
	if err := Run(ctx, notebook(t, `stdout "x"`), ex, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v", err)
	}
}

func TestPanicBecomesError(t *testing.T) {
	nb := notebook(t, `panic "boom"`)
	err := Run(context.Background(), nb, &fakeExecutor{}, Options{})
	if err == nil || err.Error() != "cell 1 (line 1): panic: boom" {
		t.Fatalf("Run: %v", err)
	}
}

func TestPlainErrorBecomesError(t *testing.T) {
	nb := notebook(t, "x")
	ex := executorFunc(func(context.Context, string, output.Publisher) (*output.Bundle, error) {
		return nil, errors.New("engine: broken")
	})
	err := Run(context.Background(), nb, ex, Options{})
	if err == nil || err.Error() != "cell 1 (line 1): Error: engine: broken" {
		t.Fatalf("Run: %v", err)
	}
	o := nb.cells[0].outputs[0].json()
	if want := []string{"Error: engine: broken"}; !reflect.DeepEqual(o["traceback"], want) {
		t.Errorf("traceback = %#v, want %#v", o["traceback"], want)
	}
	// Without a LanguageInfo method, language_info is Go's.
	li := nb.top["metadata"].(map[string]any)["language_info"].(map[string]any)
	if li["name"] != "go" || li["version"] == "" {
		t.Errorf("language_info = %v", li)
	}
}

type executorFunc func(context.Context, string, output.Publisher) (*output.Bundle, error)

func (f executorFunc) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	return f(ctx, code, pub)
}

func TestLateOutputIsDropped(t *testing.T) {
	ex := &fakeExecutor{}
	nb := notebook(t, `stdout "in time\n"`)
	if err := Run(context.Background(), nb, ex, Options{}); err != nil {
		t.Fatal(err)
	}
	ex.pub.Stream("stdout", "late\n")
	ex.pub.Display(output.Text("late"), "", false)
	ex.pub.ClearOutput(false)
	if outs := nb.cells[0].outputs; len(outs) != 1 || outs[0].text != "in time\n" {
		t.Errorf("outputs after the cell returned: %+v", outs)
	}
}

func TestInputRefused(t *testing.T) {
	nb := notebook(t, "input")
	if err := Run(context.Background(), nb, &fakeExecutor{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if outs := nb.cells[0].outputs; len(outs) != 1 || outs[0].text != output.ErrNoInput.Error()+"\n" {
		t.Errorf("outputs: %+v", outs)
	}
}

func TestReadRejects(t *testing.T) {
	for _, src := range []string{
		``,
		`[]`,
		`null`,
		`{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`,
		`{"nbformat": 4, "nbformat_minor": 6, "metadata": {}, "cells": []}`,
		`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}`,
		`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [1]}`,
		`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"source": ""}]}`,
		`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": [1]}]}`,
	} {
		if _, err := Read(strings.NewReader(src)); err == nil {
			t.Errorf("Read(%s) succeeded", src)
		}
	}
}

func TestCellIDs(t *testing.T) {
	nb, err := Read(strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
		{"cell_type": "raw", "id": "keep_Me-1", "metadata": {}, "source": ""},
		{"cell_type": "raw", "id": "keep_Me-1", "metadata": {}, "source": ""},
		{"cell_type": "raw", "id": "", "metadata": {}, "source": ""},
		{"cell_type": "raw", "metadata": {}, "source": ""},
		{"cell_type": "raw", "id": "new-1", "metadata": {}, "source": ""}]}`))
	if err != nil {
		t.Fatal(err)
	}
	nb.NewID = counterIDs()
	encode(t, nb)
	var got []string
	for _, c := range nb.cells {
		got = append(got, c.fields["id"].(string))
	}
	// new-1 is taken by the last cell, so the first new id is new-2.
	want := []string{"keep_Me-1", "new-2", "new-3", "new-4", "new-1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids = %q, want %q", got, want)
	}

	// Random ids look like nbformat's.
	nb = notebook(t, "a", "b")
	nb.NewID = nil
	encode(t, nb)
	a, b := nb.cells[0].fields["id"].(string), nb.cells[1].fields["id"].(string)
	if len(a) != 8 || !validID.MatchString(a) || a == b {
		t.Errorf("random ids %q, %q", a, b)
	}
}

func TestCellLines(t *testing.T) {
	src := `{
 "metadata": {"x": [1, 2, {"cells": []}]},
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "first\n",
    "second"
   ]
  },
  {"cell_type": "markdown", "source": "one line"},
  {
   "cell_type": "raw",
   "source": []
  },
  {
   "cell_type": "raw"
  }
 ]
}`
	if got, want := cellLines([]byte(src)), []int{7, 11, 12, 16}; !reflect.DeepEqual(got, want) {
		t.Errorf("cellLines = %v, want %v", got, want)
	}
	if got := cellLines([]byte(`{"cells": [{"source": "a"}, `)); !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("cellLines of a truncated notebook = %v", got)
	}
}

func TestSplitLines(t *testing.T) {
	tests := map[string][]string{
		"":               {},
		"a":              {"a"},
		"a\n":            {"a\n"},
		"a\nb":           {"a\n", "b"},
		"a\r\nb\rc\n\n":  {"a\r\n", "b\r", "c\n", "\n"},
		"x\vy\fz\x1cw":   {"x\v", "y\f", "z\x1c", "w"},
		"é\u2028ü\u0085": {"é\u2028", "ü\u0085"},
		"\r":             {"\r"},
	}
	for in, want := range tests {
		if got := splitLines(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOverwriteCarriageReturns(t *testing.T) {
	tests := map[string]string{
		"plain\n":               "plain\n",
		"10%\r50%\r100%\n":      "100%\n",
		"a\rb\nc\rd":            "b\nd",
		"keep\r\n":              "keep\r\n",
		"end\r":                 "end\r",
		"x\r\ry":                "y",
		"line\n\rnext":          "line\nnext",
		"one\rtwo\r\nthree\r\r": "two\r\n\r",
	}
	for in, want := range tests {
		if got := overwriteCarriageReturns(in); got != want {
			t.Errorf("overwriteCarriageReturns(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConcurrentPublishing(t *testing.T) {
	const goroutines, lines = 8, 200
	ex := executorFunc(func(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
		var wg sync.WaitGroup
		pub.Display(output.Text("0"), "progress", false)
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := output.Text("")
				for i := 0; i < lines; i++ {
					pub.Stream("stdout", "x\n")
					b.Data["text/plain"] = fmt.Sprint(i)
					pub.Display(b, "progress", true)
				}
			}()
		}
		wg.Wait()
		pub.Display(output.Text("done"), "progress", true)
		return nil, nil
	})
	nb := notebook(t, "go")
	if err := Run(context.Background(), nb, ex, Options{}); err != nil {
		t.Fatal(err)
	}
	outs := nb.cells[0].outputs
	if len(outs) != 2 || outs[0].data["text/plain"] != "done" || outs[1].text != strings.Repeat("x\n", goroutines*lines) {
		t.Errorf("got %d outputs, first %v", len(outs), outs[0].data)
	}
}

func TestPublishedBundleIsCopied(t *testing.T) {
	ex := executorFunc(func(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
		b := output.Text("first")
		pub.Display(b, "", false)
		b.Data["text/plain"] = "changed after publishing"
		return &b, nil
	})
	nb := notebook(t, "x")
	if err := Run(context.Background(), nb, ex, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := nb.cells[0].outputs[0].data["text/plain"]; got != "first" {
		t.Errorf("display shows %q, want what was published", got)
	}
}

func TestUnencodableBundle(t *testing.T) {
	ex := executorFunc(func(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
		pub.Display(output.Bundle{
			Data:     map[string]any{"text/plain": "loss", "application/json": map[string]any{"loss": math.NaN()}},
			Metadata: map[string]any{"bad": func() {}},
		}, "", false)
		type point struct{ Y, X int }
		return &output.Bundle{Data: map[string]any{"application/json": point{1, 2}}}, nil
	})
	nb := notebook(t, "x")
	if err := Run(context.Background(), nb, ex, Options{}); err != nil {
		t.Fatal(err)
	}
	got := string(encode(t, nb))
	for _, want := range []string{
		`"loss\n",`,
		`"[gonn run: left out what JSON cannot encode: application/json (json: unsupported value: NaN)]"`,
		`"application/json": {
       "X": 2,
       "Y": 1
      }`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notebook lacks %s:\n%s", want, got)
		}
	}
}
