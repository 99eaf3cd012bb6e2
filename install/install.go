package install

//go:generate go run gen.go

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Kernelspec identity, as Jupyter front ends show it.
const (
	Name        = "gonn"
	DisplayName = "Go (gonn)"
	Language    = "go"
)

// spec holds the logos: logo-32x32.png, logo-64x64.png and logo-svg.svg,
// drawn by internal/logo (see gen.go).
//
//go:embed spec
var spec embed.FS

// Spec is the content of kernel.json.
// Its fields are in alphabetical order so that it encodes with sorted keys,
// as Jupyter writes JSON.
type Spec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	InterruptMode string         `json:"interrupt_mode"`
	Language      string         `json:"language"`
	Metadata      map[string]any `json:"metadata"`
}

// NewSpec returns the kernelspec that runs the gonn binary at executable.
func NewSpec(executable string) Spec {
	return Spec{
		Argv:          []string{executable, "kernel", "{connection_file}"},
		DisplayName:   DisplayName,
		Language:      Language,
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
}

// KernelJSON returns kernel.json for the gonn binary at executable,
// formatted as Jupyter writes JSON (one-space indent, sorted keys).
func KernelJSON(executable string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(NewSpec(executable)); err != nil {
		return nil, fmt.Errorf("install: encoding kernel.json: %w", err)
	}
	return buf.Bytes(), nil
}

// Executable returns the absolute path of the running binary with symbolic
// links resolved, the path kernel.json should run.
func Executable() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("install: locating the gonn binary: %w", err)
	}
	if p, err = filepath.EvalSymlinks(p); err != nil {
		return "", fmt.Errorf("install: resolving the gonn binary's path: %w", err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", fmt.Errorf("install: resolving the gonn binary's path: %w", err)
	}
	return p, nil
}

// UserDir returns the kernelspec directory for `--user`:
// $JUPYTER_DATA_DIR/kernels/gonn when JUPYTER_DATA_DIR is set, otherwise
// the platform's Jupyter data directory (on Linux $XDG_DATA_HOME/jupyter or
// ~/.local/share/jupyter, on macOS ~/Library/Jupyter, on Windows
// %APPDATA%\jupyter), as jupyter_core's jupyter_data_dir computes it.
func UserDir() (string, error) {
	data, err := userDataDir(runtime.GOOS, os.Getenv, os.UserHomeDir)
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "kernels", Name), nil
}

func userDataDir(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	if d := getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	if goos == "windows" {
		if appdata := getenv("APPDATA"); appdata != "" {
			return filepath.Join(appdata, "jupyter"), nil
		}
	}
	h, err := home()
	if err != nil {
		return "", fmt.Errorf("install: finding the Jupyter data directory: %w", err)
	}
	switch goos {
	case "darwin", "ios":
		return filepath.Join(h, "Library", "Jupyter"), nil
	case "windows":
		// jupyter_config_dir()/data, without APPDATA.
		return filepath.Join(h, ".jupyter", "data"), nil
	}
	xdg := getenv("XDG_DATA_HOME")
	if xdg == "" {
		xdg = filepath.Join(h, ".local", "share")
	}
	return filepath.Join(xdg, "jupyter"), nil
}

// PrefixDir returns the kernelspec directory for `--prefix prefix`:
// prefix/share/jupyter/kernels/gonn, with prefix made absolute.
func PrefixDir(prefix string) (string, error) {
	if prefix == "" {
		return "", errors.New("install: empty prefix")
	}
	abs, err := filepath.Abs(prefix)
	if err != nil {
		return "", fmt.Errorf("install: prefix %q: %w", prefix, err)
	}
	return filepath.Join(abs, "share", "jupyter", "kernels", Name), nil
}

// pythonProbe prints sys.prefix only if the Python can import jupyter_core,
// that is, if it is a Python that runs Jupyter.
const pythonProbe = "import sys, jupyter_core; print(sys.prefix)"

// SysPrefix returns sys.prefix of the Python that runs Jupyter, for
// `--sys-prefix`. It tries, in order, the interpreter named on the first
// line of the `jupyter` script on PATH, `python3` and `python` on PATH, and
// /usr/bin/python3, and takes the first that can import jupyter_core.
func SysPrefix() (string, error) {
	var tried []string
	for _, py := range pythonCandidates() {
		tried = append(tried, py)
		out, err := exec.Command(py, "-c", pythonProbe).Output()
		if err != nil {
			continue
		}
		if p := strings.TrimSpace(string(out)); p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("install: --sys-prefix: no Python with Jupyter found (tried %s); use --user or --prefix DIR",
		strings.Join(tried, ", "))
}

// pythonCandidates lists the Pythons SysPrefix tries, without duplicates.
func pythonCandidates() []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if j, err := exec.LookPath("jupyter"); err == nil {
		add(shebangInterpreter(j))
	}
	for _, name := range []string{"python3", "python"} {
		if p, err := exec.LookPath(name); err == nil {
			add(p)
		}
	}
	if runtime.GOOS != "windows" {
		add("/usr/bin/python3")
	}
	return out
}

// shebangInterpreter returns the Python a script's "#!" line names, looking
// it up on PATH for "#!/usr/bin/env python3", or "" when there is none.
func shebangInterpreter(script string) string {
	f, err := os.Open(script)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	rest, ok := strings.CutPrefix(line, "#!")
	if !ok {
		return ""
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return ""
	}
	interp := fields[0]
	if filepath.Base(interp) == "env" && len(fields) > 1 {
		p, err := exec.LookPath(fields[1])
		if err != nil {
			return ""
		}
		interp = p
	}
	if !strings.HasPrefix(filepath.Base(interp), "python") {
		return ""
	}
	return interp
}

// Write installs the kernelspec for the gonn binary at executable into dir,
// replacing whatever kernelspec was there, as `jupyter kernelspec install`
// does. executable must be an absolute path.
func Write(dir, executable string) error {
	if !filepath.IsAbs(executable) {
		return fmt.Errorf("install: the gonn binary's path %q is not absolute", executable)
	}
	kj, err := KernelJSON(executable)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("install: removing the old kernelspec: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), kj, 0o644); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	logos, err := fs.ReadDir(spec, "spec")
	if err != nil {
		return fmt.Errorf("install: reading embedded logos: %w", err)
	}
	for _, e := range logos {
		b, err := spec.ReadFile("spec/" + e.Name())
		if err != nil {
			return fmt.Errorf("install: reading embedded %s: %w", e.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return fmt.Errorf("install: %w", err)
		}
	}
	return nil
}
