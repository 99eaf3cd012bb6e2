package kernel_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// accuracyGoals is the least `test accuracy: X` each training notebook must
// print, by the number that starts its file name. A notebook listed here must
// print the line; the others may.
var accuracyGoals = map[string]float64{
	"02": 0.96, // 64-64-10 MLP on the 8x8 digits
	"03": 0.98, // MLP on MNIST
	"04": 0.93, // MLP on 1,000 MNIST images, dropout and augmentation
	"05": 0.99, // LeNet-5 on MNIST
	"07": 0.35, // next-character accuracy of the tiny GPT (0.42 here; uniform guessing 0.011)
	"08": 0.84, // MLP pretrained on MNIST 0-4, fine-tuned on 50 images each of 5-9 (reaches 0.867)
	"09": 0.93, // 64-128-64-10 MLP on the 8x8 digits, 90% pruned, fine-tuned and int8 (reaches 0.95)
}

// accuracyLine matches the line that ends a training notebook's evaluation.
var accuracyLine = regexp.MustCompile(`(?m)^test accuracy: ([0-9]*\.?[0-9]+)`)

// pngFirst is nbconvert configuration that exports images as PNG rather than
// SVG: Debian's nbconvert 6.5 passes inline SVG through lxml's clean_html,
// which empties it (see py/display_test.py). Every image bundle of display
// has a PNG twin.
const pngFirst = "c.NbConvertBase.display_data_priority = ['text/html', 'text/markdown', 'text/latex', " +
	"'image/png', 'image/jpeg', 'image/svg+xml', 'text/plain']\n"

// TestNotebooks executes every notebook in notebooks/ with `jupyter nbconvert
// --execute` through the installed kernelspec and with `gonn run`, and checks
// the outputs of each: no error, every code cell run, at least one picture,
// and the notebook's accuracy goal met. The executed notebooks and their HTML
// exports are left in build/notebooks/ at the repository root. It is skipped
// with -short.
func TestNotebooks(t *testing.T) {
	need(t)
	if testing.Short() {
		t.Skip("executes every notebook (-short)")
	}
	paths, err := filepath.Glob(filepath.Join("..", "notebooks", "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no notebooks in ../notebooks")
	}
	outDir, err := filepath.Abs(filepath.Join("..", "build", "notebooks"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(t.TempDir(), "png_first.py")
	if err := os.WriteFile(config, []byte(pngFirst), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".ipynb")
		t.Run(name, func(t *testing.T) {
			checkStored(t, path)
			t.Run("nbconvert", func(t *testing.T) {
				out := filepath.Join(outDir, name+".nbconvert.ipynb")
				start := time.Now()
				run(t, 10*time.Minute, "jupyter-nbconvert", "--to", "notebook", "--execute",
					"--ExecutePreprocessor.timeout=600", "--output", out, path)
				t.Logf("%s: nbconvert --execute took %v", name, time.Since(start).Round(10*time.Millisecond))
				checkExecuted(t, name, out)
				html := filepath.Join(outDir, name+".html")
				run(t, 2*time.Minute, "jupyter-nbconvert", "--to", "html", "--config="+config, "--output", html, out)
				t.Logf("%s: HTML export in %s", name, html)
			})
			t.Run("gonn-run", func(t *testing.T) {
				out := filepath.Join(outDir, name+".gonn-run.ipynb")
				start := time.Now()
				run(t, 10*time.Minute, env.bin, "run", path, "-o", out)
				t.Logf("%s: gonn run took %v", name, time.Since(start).Round(10*time.Millisecond))
				checkExecuted(t, name, out)
			})
		})
	}
}

// storedNotebook is the part of a notebook file that checkStored reads.
type storedNotebook struct {
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []struct {
		CellType       string            `json:"cell_type"`
		ExecutionCount *int              `json:"execution_count"`
		Outputs        []json.RawMessage `json:"outputs"`
	} `json:"cells"`
}

// checkStored checks a notebook as the repository keeps it: valid nbformat,
// the gonn kernelspec, and no outputs or execution counts (they would make
// every run a diff and hide whether the outputs are current).
func checkStored(t *testing.T, path string) {
	t.Helper()
	readNotebook(t, path) // validates with nbformat
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb storedNotebook
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if nb.Metadata.Kernelspec.Name != "gonn" {
		t.Errorf("%s: kernelspec %q, want \"gonn\"", path, nb.Metadata.Kernelspec.Name)
	}
	for i, c := range nb.Cells {
		if len(c.Outputs) > 0 || c.ExecutionCount != nil {
			t.Errorf("%s: cell %d is stored with outputs or an execution count; clear them", path, i+1)
		}
	}
}

// nbOutput is one output of a code cell, the fields the checks read.
type nbOutput struct {
	OutputType string                     `json:"output_type"`
	Text       any                        `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	Ename      string                     `json:"ename"`
	Evalue     string                     `json:"evalue"`
}

// checkExecuted checks an executed notebook: every code cell ran without an
// error output, at least one picture was drawn, and every `test accuracy:`
// line meets the notebook's goal (which requires at least one such line).
func checkExecuted(t *testing.T, name, path string) {
	t.Helper()
	nb := readNotebook(t, path)
	var text strings.Builder
	pictures := 0
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("%s: code cell %d did not run", name, i+1)
		}
		for _, raw := range c.Outputs {
			var o nbOutput
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatalf("%s: cell %d: %v", name, i+1, err)
			}
			switch o.OutputType {
			case "error":
				t.Errorf("%s: cell %d failed: %s: %s", name, i+1, o.Ename, o.Evalue)
			case "stream":
				text.WriteString(multiline(o.Text))
			case "display_data", "execute_result":
				if o.Data["image/png"] != nil || o.Data["image/svg+xml"] != nil {
					pictures++
				}
			}
		}
	}
	if pictures == 0 {
		t.Errorf("%s: drew no picture (no image/png or image/svg+xml output)", name)
	}
	goal, hasGoal := accuracyGoals[strings.SplitN(name, "-", 2)[0]]
	found := accuracyLine.FindAllStringSubmatch(text.String(), -1)
	if hasGoal && len(found) == 0 {
		t.Errorf("%s: printed no `test accuracy: X` line (goal %.2f)", name, goal)
	}
	for _, m := range found {
		acc, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Errorf("%s: %q: %v", name, m[0], err)
			continue
		}
		t.Logf("%s: %s", name, m[0])
		if hasGoal && acc < goal {
			t.Errorf("%s: %s, below the goal %.2f", name, m[0], goal)
		}
	}
	if !t.Failed() {
		t.Logf("%s: %d pictures, no errors: %s", name, pictures, path)
	}
}
