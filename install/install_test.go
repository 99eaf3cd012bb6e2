package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/install/internal/logo"
)

const fakeBinary = "/opt/gonn/bin/gonn"

func TestKernelJSON(t *testing.T) {
	b, err := KernelJSON(fakeBinary)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
 "argv": [
  "/opt/gonn/bin/gonn",
  "kernel",
  "{connection_file}"
 ],
 "display_name": "Go (gonn)",
 "interrupt_mode": "message",
 "language": "go",
 "metadata": {
  "debugger": false
 }
}
`
	if string(b) != want {
		t.Errorf("KernelJSON =\n%s\nwant\n%s", b, want)
	}
}

func TestUserDataDir(t *testing.T) {
	home := func() (string, error) { return "/home/ada", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	tests := []struct {
		goos string
		env  map[string]string
		home func() (string, error)
		want string // "" means an error
	}{
		{"linux", nil, home, "/home/ada/.local/share/jupyter"},
		{"linux", map[string]string{"XDG_DATA_HOME": "/xdg"}, home, "/xdg/jupyter"},
		{"linux", map[string]string{"JUPYTER_DATA_DIR": "/jd", "XDG_DATA_HOME": "/xdg"}, home, "/jd"},
		{"linux", map[string]string{"JUPYTER_DATA_DIR": "/jd"}, noHome, "/jd"},
		{"linux", nil, noHome, ""},
		{"freebsd", nil, home, "/home/ada/.local/share/jupyter"},
		{"darwin", map[string]string{"XDG_DATA_HOME": "/xdg"}, home, "/home/ada/Library/Jupyter"},
		{"windows", map[string]string{"APPDATA": "/appdata"}, noHome, filepath.Join("/appdata", "jupyter")},
		{"windows", nil, home, filepath.Join("/home/ada", ".jupyter", "data")},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		got, err := userDataDir(tt.goos, getenv, tt.home)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s %v: got %q, want an error", tt.goos, tt.env, got)
			}
			continue
		}
		if err != nil || got != filepath.FromSlash(tt.want) {
			t.Errorf("%s %v: got %q, %v; want %q", tt.goos, tt.env, got, err, tt.want)
		}
	}
}

func TestUserDirHonoursJupyterDataDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", tmp)
	got, err := UserDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(tmp, "kernels", "gonn"); got != want {
		t.Errorf("UserDir() = %q, want %q", got, want)
	}
}

func TestPrefixDir(t *testing.T) {
	got, err := PrefixDir("rel/prefix")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "rel", "prefix", "share", "jupyter", "kernels", "gonn"); got != want {
		t.Errorf("PrefixDir = %q, want %q", got, want)
	}
	if _, err := PrefixDir(""); err == nil {
		t.Error("PrefixDir(\"\") succeeded")
	}
}

// checkInstalled checks the files Write put in dir.
func checkInstalled(t *testing.T, dir, executable string) {
	t.Helper()
	var spec Spec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatalf("kernel.json: %v", err)
	}
	if len(spec.Argv) != 3 || spec.Argv[0] != executable || spec.Argv[1] != "kernel" || spec.Argv[2] != "{connection_file}" {
		t.Errorf("argv = %q", spec.Argv)
	}
	if spec.DisplayName != "Go (gonn)" || spec.Language != "go" || spec.InterruptMode != "message" {
		t.Errorf("kernel.json = %+v", spec)
	}
	for _, size := range []int{32, 64} {
		name := filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size))
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Width != size || cfg.Height != size {
			t.Errorf("%s is %dx%d", name, cfg.Width, cfg.Height)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "logo-svg.svg")); err != nil || !bytes.HasPrefix(b, []byte("<svg")) {
		t.Errorf("logo-svg.svg: %v, %.20q", err, b)
	}
}

func TestWrite(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	dir, err := UserDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, fakeBinary); err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, dir, fakeBinary)
}

func TestWriteReplaces(t *testing.T) {
	dir, err := PrefixDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "stale.txt")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, fakeBinary); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale file survived: %v", err)
	}
	checkInstalled(t, dir, fakeBinary)
}

func TestWriteRejectsRelativeBinary(t *testing.T) {
	if err := Write(t.TempDir(), "bin/gonn"); err == nil {
		t.Error("Write accepted a relative binary path")
	}
}

func TestExecutable(t *testing.T) {
	p, err := Executable()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(p) {
		t.Errorf("Executable() = %q, not absolute", p)
	}
	if r, err := filepath.EvalSymlinks(p); err != nil || r != p {
		t.Errorf("Executable() = %q, resolves to %q, %v", p, r, err)
	}
}

func TestLogosUpToDate(t *testing.T) {
	for _, size := range []int{32, 64} {
		name := fmt.Sprintf("logo-%dx%d.png", size, size)
		want, err := logo.PNG(size)
		if err != nil {
			t.Fatal(err)
		}
		got, err := spec.ReadFile("spec/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("spec/%s is stale: run go generate ./install", name)
		}
	}
	if got, _ := spec.ReadFile("spec/logo-svg.svg"); !bytes.Equal(got, logo.SVG()) {
		t.Error("spec/logo-svg.svg is stale: run go generate ./install")
	}
}

func TestShebangInterpreter(t *testing.T) {
	dir := t.TempDir()
	py := filepath.Join(dir, "python3.11")
	if err := os.WriteFile(py, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	tests := map[string]string{
		"#!/opt/venv/bin/python3\nimport sys\n": "/opt/venv/bin/python3",
		"#!/usr/bin/env python3.11\n":           py,
		"#!/usr/bin/env nosuchpython\n":         "",
		"#!/bin/sh\nexec python3\n":             "",
		"import sys\n":                          "",
		"":                                      "",
	}
	for content, want := range tests {
		script := filepath.Join(dir, "jupyter")
		if err := os.WriteFile(script, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
		if got := shebangInterpreter(script); got != want {
			t.Errorf("shebangInterpreter(%q) = %q, want %q", content, got, want)
		}
	}
}

// debianPython is the Python with Jupyter that the tests check against.
const debianPython = "/usr/bin/python3"

func requireJupyterClient(t *testing.T) {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import jupyter_client").Run(); err != nil {
		t.Skipf("%s lacks jupyter_client: %v", debianPython, err)
	}
}

func TestSysPrefix(t *testing.T) {
	requireJupyterClient(t)
	got, err := SysPrefix()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(got); err != nil || !fi.IsDir() {
		t.Errorf("SysPrefix() = %q, not a directory: %v", got, err)
	}
	// With nothing on PATH, only /usr/bin/python3 is left to find it.
	t.Setenv("PATH", t.TempDir())
	out, err := exec.Command(debianPython, "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := SysPrefix(); err != nil || got != strings.TrimSpace(string(out)) {
		t.Errorf("SysPrefix() with an empty PATH = %q, %v; want %q", got, err, out)
	}
}

// findSpec asks jupyter_client's KernelSpecManager, with Jupyter's paths
// pointed at dataDir and path, for the kernelspec named gonn.
func findSpec(t *testing.T, dataDir, path string) map[string]any {
	t.Helper()
	const script = `
import json
from jupyter_client.kernelspec import KernelSpecManager
m = KernelSpecManager()
s = m.get_kernel_spec("gonn")
print(json.dumps({"argv": s.argv, "display_name": s.display_name, "language": s.language,
    "interrupt_mode": s.interrupt_mode, "resource_dir": s.resource_dir,
    "names": sorted(m.find_kernel_specs())}))
`
	cmd := exec.Command(debianPython, "-c", script)
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir, "JUPYTER_PATH="+path, "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("jupyter_client: %v\n%s", err, out)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("jupyter_client printed %q: %v", out, err)
	}
	return got
}

func TestJupyterClientFindsSpec(t *testing.T) {
	requireJupyterClient(t)
	exe, err := Executable()
	if err != nil {
		t.Fatal(err)
	}
	userData := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", userData)
	userDir, err := UserDir()
	if err != nil {
		t.Fatal(err)
	}
	prefixDir, err := PrefixDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, dir, dataDir, path string
	}{
		{"user", userDir, userData, t.TempDir()},
		{"prefix", prefixDir, t.TempDir(), filepath.Dir(filepath.Dir(prefixDir))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := Write(tt.dir, exe); err != nil {
				t.Fatal(err)
			}
			got := findSpec(t, tt.dataDir, tt.path)
			argv, _ := got["argv"].([]any)
			if len(argv) != 3 || argv[0] != exe || argv[1] != "kernel" || argv[2] != "{connection_file}" {
				t.Errorf("argv = %v", got["argv"])
			}
			if got["display_name"] != "Go (gonn)" || got["language"] != "go" || got["interrupt_mode"] != "message" {
				t.Errorf("spec = %v", got)
			}
			if got["resource_dir"] != tt.dir {
				t.Errorf("resource_dir = %v, want %s", got["resource_dir"], tt.dir)
			}
		})
	}
}
