package interp

import (
	"bytes"
	"runtime"
	"strconv"
	"time"
)

// goroutineID returns the id of the calling goroutine, as runtime.Stack
// prints it.
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, _ := strconv.ParseUint(string(b[:i]), 10, 64)
		return id
	}
	return 0
}

// waitGoroutine waits until the goroutine id has exited, or until deadline.
// It is for the rare case of an interrupted cell: yaegi's EvalWithContext
// returns at once when its context is cancelled, while the goroutine that
// ran the cell still unwinds; the next Eval must not start before it ends.
func waitGoroutine(id uint64, deadline time.Time) bool {
	if id == 0 {
		return false
	}
	needle := []byte("goroutine " + strconv.FormatUint(id, 10) + " [")
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n == len(buf) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		if !bytes.HasPrefix(buf[:n], needle) && !bytes.Contains(buf[:n], append([]byte("\n"), needle...)) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}
