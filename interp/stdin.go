package interp

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
)

// errStdinInterrupted is what a read of stdin returns when the cell is
// interrupted while waiting for the user.
var errStdinInterrupted = errors.New("interp: stdin: interrupted")

// stdinReader is the stdin of cells: fmt.Scan*, os.Stdin and bufio readers
// over it. When its buffer is empty, a read asks the front end for a line
// through the cell's Publisher.Input, with the partial last line printed on
// stdout as the prompt.
type stdinReader struct {
	s   *Session
	mu  sync.Mutex
	buf []byte
}

// reset drops input left over from an earlier cell.
func (r *stdinReader) reset() {
	r.mu.Lock()
	r.buf = nil
	r.mu.Unlock()
}

// Read implements io.Reader.
func (r *stdinReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		c := r.s.running()
		if c == nil {
			return 0, io.EOF
		}
		r.s.out.sync(flushTimeout)
		prompt := r.s.out.partialLine()
		pub := r.s.publisher()
		type reply struct {
			line string
			err  error
		}
		ch := make(chan reply, 1)
		go func() {
			line, err := pub.Input(prompt, false)
			ch <- reply{line, err}
		}()
		select {
		case rep := <-ch:
			if rep.err != nil {
				return 0, fmt.Errorf("interp: stdin: %w", rep.err)
			}
			r.buf = append(r.buf, rep.line...)
			r.buf = append(r.buf, '\n')
			// The prompt was answered: the front end shows the line.
			r.s.out.resetPartial()
		case <-c.halted:
			return 0, errStdinInterrupted
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// stdinSymbols makes os.Stdin in cells the session's stdin. Its static type
// in cells is io.Reader rather than *os.File: a pipe could not tell the
// session when a cell waits for input.
func (s *Session) stdinSymbols() interp.Exports {
	var in io.Reader = s.stdin
	return interp.Exports{"os/os": {"Stdin": reflect.ValueOf(&in).Elem()}}
}
