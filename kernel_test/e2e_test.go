package kernel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// python is Debian's Python, which has the Jupyter packages; the python3 on
// PATH may be another one.
const python = "/usr/bin/python3"

// env is shared by every test: the built binary and the Jupyter dirs that
// hold its kernelspec.
var env struct {
	bin     string // the gonn binary
	dataDir string // JUPYTER_DATA_DIR with kernels/gonn
	err     error  // why the environment is unusable
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gonn-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	env.err = setup(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setup builds gonn and installs its kernelspec under dir.
func setup(dir string) error {
	if out, err := exec.Command(python, "-c", "import jupyter_client, jupyter_kernel_test, nbformat, nbconvert").CombinedOutput(); err != nil {
		return fmt.Errorf("Debian's Jupyter is missing (make deps installs it): %v: %s", err, out)
	}
	env.bin = filepath.Join(dir, "gonn")
	build := exec.Command("go", "build", "-o", env.bin, "github.com/gonnlab/gonn")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v: %s", err, out)
	}
	env.dataDir = filepath.Join(dir, "jupyter")
	install := exec.Command(env.bin, "install", "--user")
	install.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+env.dataDir)
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("gonn install: %v: %s", err, out)
	}
	return nil
}

// need skips or fails the test when the environment is unusable.
func need(t *testing.T) {
	t.Helper()
	if env.err == nil {
		return
	}
	if os.Getenv("GONN_E2E") == "require" {
		t.Fatal(env.err)
	}
	t.Skip(env.err)
}

// jupyterEnv is the environment for Jupyter commands: the temporary data dir
// first on the kernelspec search path, and no user config that could
// interfere.
func jupyterEnv(extra ...string) []string {
	e := append(os.Environ(),
		"JUPYTER_DATA_DIR="+env.dataDir,
		"JUPYTER_PATH="+env.dataDir,
		"JUPYTER_CONFIG_DIR="+filepath.Join(env.dataDir, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(env.dataDir, "runtime"),
		"JUPYTER_PLATFORM_DIRS=1",
		"PYDEVD_DISABLE_FILE_VALIDATION=1",
		"GONN="+env.bin,
	)
	return append(e, extra...)
}

// run runs a command with the Jupyter environment and a deadline, and fails
// the test with its output when it fails.
func run(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = jupyterEnv()
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: timed out after %v:\n%s", name, strings.Join(args, " "), timeout, out.String())
	}
	if err != nil {
		t.Fatalf("%s %s: %v:\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestProtocol drives the kernel through jupyter_client's KernelManager and
// BlockingKernelClient: every message type, interrupts, stdin, bad input.
func TestProtocol(t *testing.T) {
	need(t)
	out := run(t, 5*time.Minute, python, "py/protocol.py", "-v")
	t.Log(out)
}

// TestKernelSuite runs the public jupyter_kernel_test suite.
func TestKernelSuite(t *testing.T) {
	need(t)
	out := run(t, 5*time.Minute, python, "py/suite.py", "-v")
	t.Log(out)
}

// TestNbconvertExecute executes a notebook with `jupyter nbconvert --execute`
// through the installed kernelspec and checks its outputs.
func TestNbconvertExecute(t *testing.T) {
	need(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "hello.out.ipynb")
	run(t, 3*time.Minute, "jupyter-nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=gonn", "--ExecutePreprocessor.timeout=60",
		"--output", out, "testdata/hello.ipynb")
	checkHello(t, out)
}

// TestGonnRun executes the same notebook with `gonn run` and validates it
// with nbformat.
func TestGonnRun(t *testing.T) {
	need(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "hello.out.ipynb")
	run(t, 3*time.Minute, env.bin, "run", "testdata/hello.ipynb", "-o", out)
	checkHello(t, out)
}

// TestGonnRunFailure checks that `gonn run` exits non-zero naming the
// failing cell, and still writes the notebook with the error output.
func TestGonnRunFailure(t *testing.T) {
	need(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "fail.out.ipynb")
	cmd := exec.Command(env.bin, "run", "testdata/fail.ipynb", "-o", out)
	msg, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("gonn run on a failing notebook succeeded:\n%s", msg)
	}
	if !strings.Contains(string(msg), "cell 2") || !strings.Contains(string(msg), "boom") {
		t.Errorf("gonn run's error does not name cell 2 and its panic:\n%s", msg)
	}
	nb := readNotebook(t, out)
	if got := outputTypes(nb.Cells[1]); !strings.Contains(got, "error") {
		t.Errorf("failing cell outputs = %s, want an error output", got)
	}
}

type notebook struct {
	Cells []struct {
		CellType       string            `json:"cell_type"`
		ExecutionCount *int              `json:"execution_count"`
		Outputs        []json.RawMessage `json:"outputs"`
	} `json:"cells"`
}

func readNotebook(t *testing.T, path string) notebook {
	t.Helper()
	run(t, time.Minute, python, "-c",
		"import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

func outputTypes(c struct {
	CellType       string            `json:"cell_type"`
	ExecutionCount *int              `json:"execution_count"`
	Outputs        []json.RawMessage `json:"outputs"`
}) string {
	var types []string
	for _, o := range c.Outputs {
		var v struct {
			OutputType string `json:"output_type"`
		}
		json.Unmarshal(o, &v)
		types = append(types, v.OutputType)
	}
	return strings.Join(types, ",")
}

// checkHello checks the executed testdata/hello.ipynb: a streamed line, a
// result that uses a variable from an earlier cell, a redefined type.
func checkHello(t *testing.T, path string) {
	t.Helper()
	nb := readNotebook(t, path)
	var text []string
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("cell %d has no execution_count", i+1)
		}
		for _, o := range c.Outputs {
			var v struct {
				OutputType string                     `json:"output_type"`
				Text       any                        `json:"text"`
				Data       map[string]json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(o, &v); err != nil {
				t.Fatal(err)
			}
			switch v.OutputType {
			case "stream":
				text = append(text, multiline(v.Text))
			case "execute_result":
				var plain any
				json.Unmarshal(v.Data["text/plain"], &plain)
				text = append(text, "result:"+multiline(plain))
			default:
				text = append(text, v.OutputType)
			}
		}
	}
	got := strings.Join(text, "|")
	want := "hello from gonn\n|result:42|{X:1 Y:2 Z:3}\n"
	if got != want {
		t.Errorf("outputs of the executed notebook:\n got %q\nwant %q", got, want)
	}
}

// multiline joins nbformat's multiline strings, stored as a string or a list
// of lines.
func multiline(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, s := range v {
			b.WriteString(fmt.Sprint(s))
		}
		return b.String()
	}
	return fmt.Sprint(v)
}
