package interp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// magicHelp is what %help prints.
const magicHelp = `Cells are Go: statements, declarations and a final expression whose value
is shown. Pre-imported: fmt, math, os, strings, time, errors, sort and
gonn's own packages; import anything else from the standard library.

Magics (lines at the top of a cell):
  %help             this text
  %reset            forget every variable, function, type and import
  %time             time the rest of the cell (%time on its own line, or
                    %time followed by code)
  %env              list environment variables
  %env KEY          show one
  %env KEY=VALUE    set one (for cells, compiled code and ! commands)
  %who              list variables with their types
  !command          run a shell command, its output streamed
Interrupt (the stop button) ends loops, sleeps, channel waits and nnlib work.
`

// runMagics runs the magic lines at the top of a cell. It returns the Go
// code after them, with the magic lines blanked so that positions still
// name the cell's lines, and whether %time asked to time that code.
func (s *Session) runMagics(ctx context.Context, c *cellRun, code string) (rest string, timed bool, err error) {
	lines := strings.SplitAfter(code, "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		switch line[0] {
		case '!':
			if err := s.shell(ctx, strings.TrimSpace(line[1:])); err != nil {
				return "", false, err
			}
			lines[i] = blank(raw)
			continue
		case '%':
		default:
			return strings.Join(lines, ""), timed, nil
		}
		name, args, _ := strings.Cut(line[1:], " ")
		args = strings.TrimSpace(args)
		lines[i] = blank(raw)
		switch name {
		case "help":
			s.publisher().Stream("stdout", magicHelp)
		case "reset":
			s.progMu.Lock()
			err := s.reset()
			s.progMu.Unlock()
			if err != nil {
				return "", false, &Error{Name: "ResetError", Value: err.Error(), Traceback: []string{ansiRed + "ResetError" + ansiReset + ": " + err.Error()}}
			}
		case "time":
			timed = true
			if args != "" {
				// The code after %time stays at its column.
				start := strings.Index(raw, "%time") + len("%time")
				lines[i] = strings.Repeat(" ", start) + raw[start:]
				return strings.Join(lines, ""), true, nil
			}
		case "env":
			if err := s.envMagic(args); err != nil {
				return "", false, err
			}
		case "who":
			s.publisher().Stream("stdout", s.who())
		default:
			msg := fmt.Sprintf("unknown magic %%%s (%%help lists them)", name)
			return "", false, &Error{Name: "UsageError", Value: msg, Traceback: []string{ansiRed + "UsageError" + ansiReset + ": " + msg}}
		}
	}
	return strings.Join(lines, ""), timed, nil
}

// blank keeps a line's newline and drops the rest.
func blank(line string) string {
	if strings.HasSuffix(line, "\n") {
		return "\n"
	}
	return ""
}

// envMagic implements %env.
func (s *Session) envMagic(args string) error {
	if args == "" {
		env := os.Environ()
		sort.Strings(env)
		s.publisher().Stream("stdout", strings.Join(env, "\n")+"\n")
		return nil
	}
	key, value, set := strings.Cut(args, "=")
	if !set {
		key, value, set = strings.Cut(args, " ")
	}
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if !set {
		if v, ok := os.LookupEnv(key); ok {
			s.publisher().Stream("stdout", v+"\n")
			return nil
		}
		msg := "environment variable " + key + " is not set"
		return &Error{Name: "UsageError", Value: msg, Traceback: []string{ansiRed + "UsageError" + ansiReset + ": " + msg}}
	}
	if err := os.Setenv(key, value); err != nil {
		msg := fmt.Sprintf("%%env %s: %v", key, err)
		return &Error{Name: "UsageError", Value: msg, Traceback: []string{ansiRed + "UsageError" + ansiReset + ": " + msg}}
	}
	s.publisher().Stream("stdout", "env: "+key+"="+value+"\n")
	return nil
}

// who implements %who: the user's variables, sorted, with their types.
func (s *Session) who() string {
	type entry struct{ name, typ string }
	var vars []entry
	for _, v := range s.prog.Vars() {
		vars = append(vars, entry{v.Name, v.Type})
	}
	if len(vars) == 0 {
		return "No variables.\n"
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].name < vars[j].name })
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Variable\tType")
	fmt.Fprintln(tw, "--------\t----")
	for _, v := range vars {
		fmt.Fprintf(tw, "%s\t%s\n", v.name, v.typ)
	}
	tw.Flush()
	return b.String()
}

// shell runs a ! command with sh; its output goes into the cell's streams
// as it comes. A failing command is not an error of the cell (as in
// IPython); an interrupt kills it.
func (s *Session) shell(ctx context.Context, command string) error {
	if command == "" {
		return nil
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Stdout, cmd.Stderr = s.out.w, s.errs.w
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return interrupted()
	}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			msg := fmt.Sprintf("!%s: %v", command, err)
			return &Error{Name: "ShellError", Value: msg, Traceback: []string{ansiRed + "ShellError" + ansiReset + ": " + msg}}
		}
	}
	return nil
}

// formatDuration prints d with three significant digits or so.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return d.String()
	case d < time.Millisecond:
		return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.3fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
