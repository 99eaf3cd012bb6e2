// Command gonn is a Jupyter kernel for building and training neural networks
// in Go.
//
//	gonn kernel CONNECTION_FILE                      serve a kernel (what kernel.json runs)
//	gonn install [--user | --sys-prefix | --prefix DIR]   write the kernelspec
//	gonn run NOTEBOOK.ipynb [-o OUT.ipynb]           execute a notebook headless
//	gonn version                                     print gonn's, Go's and yaegi's versions
//
// Run `gonn help` for the flags of each command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/gonnlab/gonn/display"
	"github.com/gonnlab/gonn/install"
	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/kernel"
	"github.com/gonnlab/gonn/nbrun"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

const usage = `gonn is a Jupyter kernel for Go neural networks.

Usage:
  gonn kernel CONNECTION_FILE
        Serve a Jupyter kernel on the sockets of CONNECTION_FILE. This is what
        kernel.json runs; Jupyter front ends start it, people rarely do.
  gonn install [--user | --sys-prefix | --prefix DIR]
        Write the "Go (gonn)" kernelspec where 'jupyter kernelspec install'
        would: --user (the default) in $JUPYTER_DATA_DIR/kernels/gonn or
        ~/.local/share/jupyter/kernels/gonn; --sys-prefix in the kernels
        directory of the Python that runs Jupyter; --prefix DIR in
        DIR/share/jupyter/kernels/gonn. kernel.json runs this binary.
  gonn run [-o OUT.ipynb | --inplace] [--allow-errors] [--timeout D] NOTEBOOK.ipynb
        Execute the notebook's code cells in order, in this process, and
        write the notebook with its outputs (nbformat 4.5) to
        NOTEBOOK.nbconvert.ipynb beside it, as 'jupyter nbconvert --execute
        --to notebook' does. At the first failing cell it writes the notebook
        so far and exits 1, naming the cell; cells tagged raises-exception may
        fail. Flags (before or after the notebook):
          -o OUT.ipynb     write to OUT.ipynb instead ("-" for standard output)
          --inplace        overwrite NOTEBOOK.ipynb
          --allow-errors   run every cell even when some fail; exit 0
          --timeout D      interrupt a cell that runs longer than D (e.g. 10m)
  gonn version
        Print the versions of gonn, Go and yaegi.

Exit status: 0 on success, 1 when the command fails, 2 on bad usage.
`

// errUsage marks errors that are the command line's fault: gonn prints the
// usage text and exits 2.
var errUsage = errors.New("usage")

func main() {
	c := &cli{
		stdout: os.Stdout,
		stderr: os.Stderr,
		newEngine: func() (kernel.Engine, error) {
			// Renderers from display/ join here when it provides them.
			return interp.New(interp.Options{Renderers: []interp.Renderer{display.Render}})
		},
	}
	os.Exit(c.run(os.Args[1:]))
}

// cli is the gonn command with its outputs and engine factory, so that
// tests can run it in process.
type cli struct {
	stdout, stderr io.Writer
	newEngine      func() (kernel.Engine, error) // an *interp.Session
}

// run runs the command line args (without the program name) and returns
// the exit status.
func (c *cli) run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "kernel":
		defer tensor.TuneGC()() // notebooks hold large pointer-free tensors: see TuneGC
		err = c.kernel(rest)
	case "install":
		err = c.install(rest)
	case "run":
		defer tensor.TuneGC()()
		err = c.runNotebook(rest)
	case "version", "--version", "-version":
		err = c.version(rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(c.stdout, usage)
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(c.stdout, usage)
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(c.stderr, "gonn: %v\n\n%s", err, usage)
		return 2
	}
	var ce *nbrun.CellError
	if errors.As(err, &ce) {
		// Already reported with its traceback by runNotebook.
		return 1
	}
	fmt.Fprintf(c.stderr, "gonn %s: %v\n", args[0], err)
	return 1
}

// parse parses a subcommand's flags, which may come before, after or
// between its arguments, and returns the arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *cli) kernel(args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: gonn kernel takes one connection file, got %d arguments", errUsage, len(pos))
	}
	eng, err := c.newEngine()
	if err != nil {
		return fmt.Errorf("starting the interpreter: %w", err)
	}
	// The kernel handles SIGINT itself, as an interrupt; SIGTERM stops it.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	gonn, _, _ := versions()
	// While a cell runs, fds 1 and 2 carry the cell's output; the kernel's
	// own log goes to a copy of stderr taken before any cell runs.
	logger := log.New(processStderr(), "gonn kernel: ", log.LstdFlags)
	return kernel.Serve(ctx, pos[0], eng, kernel.Options{Version: gonn, Logger: logger})
}

func (c *cli) install(args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	user := fs.Bool("user", false, "install for the current user (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "install into the prefix of the Python that runs Jupyter")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: gonn install takes no arguments, got %q", errUsage, pos)
	}
	n := 0
	fs.Visit(func(f *flag.Flag) { n++ })
	if n > 1 {
		return fmt.Errorf("%w: choose one of --user, --sys-prefix and --prefix DIR", errUsage)
	}
	var dir string
	switch {
	case *sysPrefix:
		p, err := install.SysPrefix()
		if err != nil {
			return err
		}
		dir, err = install.PrefixDir(p)
		if err != nil {
			return err
		}
	case *prefix != "":
		if dir, err = install.PrefixDir(*prefix); err != nil {
			return err
		}
	default:
		_ = *user // the default
		if dir, err = install.UserDir(); err != nil {
			return err
		}
	}
	exe, err := install.Executable()
	if err != nil {
		return err
	}
	if err := install.Write(dir, exe); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Installed kernelspec %s (%s) in %s\n", install.Name, install.DisplayName, dir)
	if *prefix != "" {
		share := filepath.Dir(filepath.Dir(dir))
		fmt.Fprintf(c.stdout, "Jupyter finds it when %s is on JUPYTER_PATH or is its own sys.prefix/share/jupyter.\n", share)
	}
	return nil
}

func (c *cli) runNotebook(args []string) (err error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	out := fs.String("o", "", "write the executed notebook to `OUT.ipynb` (\"-\": standard output)")
	fs.StringVar(out, "output", "", "same as -o")
	inplace := fs.Bool("inplace", false, "overwrite the input notebook")
	allowErrors := fs.Bool("allow-errors", false, "run every cell even when some fail")
	timeout := fs.Duration("timeout", 0, "interrupt a cell that runs longer than this")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: gonn run takes one notebook, got %d arguments", errUsage, len(pos))
	}
	if *inplace && *out != "" {
		return fmt.Errorf("%w: -o and --inplace exclude each other", errUsage)
	}
	if *timeout < 0 {
		return fmt.Errorf("%w: negative --timeout %v", errUsage, *timeout)
	}
	in := pos[0]
	dest := outputPath(in, *out, *inplace)

	f, err := os.Open(in)
	if err != nil {
		return err
	}
	nb, err := nbrun.Read(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	eng, err := c.newEngine()
	if err != nil {
		return fmt.Errorf("starting the interpreter: %w", err)
	}
	defer func() {
		if cerr := eng.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing the interpreter: %w", cerr)
		}
	}()

	// The first Ctrl-C interrupts the running cell (and compiled code
	// polling the interrupt flag); the notebook so far is still written.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	go func() {
		select {
		case <-sigc:
			// A second signal kills the process the default way, should
			// the cell ignore this one.
			signal.Stop(sigc)
			interrupt.Raise()
			cancel()
		case <-ctx.Done():
		}
	}()

	runErr := nbrun.Run(ctx, nb, eng, nbrun.Options{AllowErrors: *allowErrors, Timeout: *timeout})
	if err := c.writeNotebook(nb, dest); err != nil {
		return err
	}
	if dest != "-" {
		fmt.Fprintf(c.stderr, "gonn run: wrote %s\n", dest)
	}
	var ce *nbrun.CellError
	if errors.As(runErr, &ce) {
		fmt.Fprintf(c.stderr, "gonn run: %s: %v\n", in, ce)
		if tb := ce.Traceback; len(tb) != 1 || tb[0] != ce.Name+": "+ce.Value {
			for _, line := range tb {
				fmt.Fprintf(c.stderr, "    %s\n", stripANSI(line))
			}
		}
	}
	return runErr
}

// outputPath is where gonn run writes the notebook read from in: out when
// given, in itself with inplace, else NAME.nbconvert.ipynb beside in.
func outputPath(in, out string, inplace bool) string {
	switch {
	case out != "":
		return out
	case inplace:
		return in
	}
	return strings.TrimSuffix(in, filepath.Ext(in)) + ".nbconvert.ipynb"
}

// writeNotebook writes nb to path ("-" is standard output), through a
// temporary file renamed into place, so that a failed write never leaves a
// truncated notebook.
func (c *cli) writeNotebook(nb *nbrun.Notebook, path string) error {
	if path == "-" {
		_, err := nb.WriteTo(c.stdout)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing the notebook: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := nb.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

func (c *cli) version(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: gonn version takes no arguments", errUsage)
	}
	gonn, goVersion, yaegi := versions()
	fmt.Fprintf(c.stdout, "gonn  %s\ngo    %s %s/%s\nyaegi %s\n", gonn, goVersion, runtime.GOOS, runtime.GOARCH, yaegi)
	return nil
}

const yaegiModule = "github.com/traefik/yaegi"

// versions returns gonn's version (its module version, or the VCS revision
// it was built from), the Go version it was built with, and the version of
// yaegi linked in, from the binary's build information (its interp
// package is gonn's patched copy of that version's).
func versions() (gonn, goVersion, yaegi string) {
	gonn, goVersion, yaegi = "(unknown)", runtime.Version(), "(not linked)"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return gonn, goVersion, yaegi
	}
	goVersion = bi.GoVersion
	gonn = moduleVersion(bi.Main)
	if gonn == "" || gonn == "(devel)" {
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		gonn = "(devel)"
		if rev := settings["vcs.revision"]; rev != "" {
			gonn += " " + rev[:min(12, len(rev))]
			if t, err := time.Parse(time.RFC3339, settings["vcs.time"]); err == nil {
				gonn += " " + t.UTC().Format("2006-01-02T15:04:05Z")
			}
			if settings["vcs.modified"] == "true" {
				gonn += " (modified)"
			}
		}
	}
	for _, d := range bi.Deps {
		if d.Path == yaegiModule {
			yaegi = moduleVersion(*d) + " (interp patched: third_party/yaegi)"
		}
	}
	return gonn, goVersion, yaegi
}

// moduleVersion is m's version, or that of its replacement.
func moduleVersion(m debug.Module) string {
	if m.Replace != nil {
		if m.Replace.Version != "" {
			return m.Replace.Version
		}
		return m.Version + " => " + m.Replace.Path
	}
	return m.Version
}
