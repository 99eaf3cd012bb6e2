package interp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gonnlab/gonn/output"
)

// A stream carries one of a cell's output streams ("stdout" or "stderr")
// from a pipe to the publisher. Everything a cell writes reaches the pipe's
// write end: interpreted fmt.Print* and os.Stdout (yaegi writes to the
// *os.File it is given), compiled code and child processes (the cell's file
// descriptors 1 and 2 point at it while the cell runs). One goroutine reads
// the pipe and publishes each chunk as it arrives, so the first line reaches
// the front end while the cell is still running.
//
// sync makes the reader publish everything written so far: it writes a
// marker into the pipe and waits until the reader sees it, which keeps the
// order of stdout against displays and the cell's result.
type stream struct {
	name string
	r, w *os.File
	pub  func() output.Publisher // where text goes now

	mu      sync.Mutex
	partial string                   // text after the last newline published
	waiters map[uint64]chan struct{} // sync markers not yet seen
	next    uint64
	done    chan struct{} // closed when the reader ends
}

// markerStart opens a sync marker: NUL bytes never appear in text that a
// cell writes for a notebook, and a marker is written in one write(2) of
// less than PIPE_BUF bytes, so it is never interleaved with other writes.
const markerStart = "\x00gonn-sync:"

const maxMarker = len(markerStart) + 21 // digits of a uint64 and the closing NUL

func newStream(name string, pub func() output.Publisher) (*stream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("interp: %s pipe: %w", name, err)
	}
	st := &stream{name: name, r: r, w: w, pub: pub, waiters: map[uint64]chan struct{}{}, done: make(chan struct{})}
	go st.read()
	return st, nil
}

// read publishes what arrives on the pipe until the write end is closed.
func (st *stream) read() {
	defer close(st.done)
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := st.r.Read(buf)
		if n > 0 {
			pending = st.process(append(pending, buf[:n]...))
		}
		if err != nil {
			if len(pending) > 0 {
				st.publish(string(pending))
			}
			return
		}
	}
}

// process publishes data up to any incomplete marker or UTF-8 sequence at
// its end, answers the sync markers it contains, and returns what it held
// back.
func (st *stream) process(data []byte) []byte {
	for {
		i := bytes.Index(data, []byte(markerStart))
		if i < 0 {
			break
		}
		end := bytes.IndexByte(data[i+len(markerStart):], 0)
		if end < 0 {
			st.publish(string(data[:i]))
			return append([]byte(nil), data[i:]...)
		}
		st.publish(string(data[:i]))
		id, _ := strconv.ParseUint(string(data[i+len(markerStart):i+len(markerStart)+end]), 10, 64)
		st.mu.Lock()
		if ch, ok := st.waiters[id]; ok {
			close(ch)
			delete(st.waiters, id)
		}
		st.mu.Unlock()
		data = data[i+len(markerStart)+end+1:]
	}
	keep := 0
	// A NUL near the end may begin a marker whose rest is still in the pipe.
	if i := bytes.LastIndexByte(data, 0); i >= 0 && len(data)-i < maxMarker && bytes.HasPrefix([]byte(markerStart), data[i:min(len(data), i+len(markerStart))]) {
		keep = len(data) - i
	} else {
		keep = incompleteUTF8(data)
	}
	st.publish(string(data[:len(data)-keep]))
	return append([]byte(nil), data[len(data)-keep:]...)
}

// incompleteUTF8 returns the length of an unfinished UTF-8 sequence at the
// end of b (0 when b ends on a rune boundary).
func incompleteUTF8(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}

func (st *stream) publish(text string) {
	if text == "" {
		return
	}
	st.mu.Lock()
	if i := lastNewline(text); i >= 0 {
		st.partial = text[i+1:]
	} else {
		st.partial += text
	}
	st.mu.Unlock()
	st.pub().Stream(st.name, text)
}

func lastNewline(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return i
		}
	}
	return -1
}

// partialLine returns the text published after the last newline: the
// prompt, when a cell reads stdin after printing one.
func (st *stream) partialLine() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.partial
}

// resetPartial forgets the partial line (at the start of a cell).
func (st *stream) resetPartial() {
	st.mu.Lock()
	st.partial = ""
	st.mu.Unlock()
}

// sync returns once everything written to the pipe before the call has
// been published, or after timeout.
func (st *stream) sync(timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	st.await(st.mark(), ctx.Done())
}

// mark writes a sync marker into the pipe and returns a channel that is
// closed once the reader has published everything written before it; nil
// when the marker could not be written.
func (st *stream) mark() chan struct{} {
	st.mu.Lock()
	st.next++
	id := st.next
	ch := make(chan struct{})
	st.waiters[id] = ch
	st.mu.Unlock()
	if _, err := st.w.WriteString(markerStart + strconv.FormatUint(id, 10) + "\x00"); err != nil {
		st.mu.Lock()
		delete(st.waiters, id)
		st.mu.Unlock()
		return nil
	}
	return ch
}

// await waits for a marker's channel, the reader's end, or stop.
func (st *stream) await(marker chan struct{}, stop <-chan struct{}) {
	if marker == nil {
		return
	}
	select {
	case <-marker:
	case <-st.done:
	case <-stop:
	}
}

// close closes the write end and waits for the reader to publish the rest.
func (st *stream) close() error {
	err := st.w.Close()
	<-st.done
	if cerr := st.r.Close(); err == nil {
		err = cerr
	}
	return err
}
