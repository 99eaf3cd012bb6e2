package kernel

import (
	"testing"
	"time"
)

// TestQueuedBehindFailure checks which requests a failed cell with
// stop_on_error aborts: execute requests the kernel received before the
// failure, or that the client made before it and that arrived within
// abortGrace (the shell reader may take a request from the socket late).
func TestQueuedBehindFailure(t *testing.T) {
	failed := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return failed.Add(d) }
	for _, c := range []struct {
		name           string
		msgType, made  string
		received       time.Time
		noFailure, abo bool
	}{
		{"received before the failure", "execute_request", formatDate(at(-time.Second)), at(-time.Millisecond), false, true},
		{"made before, read late", "execute_request", formatDate(at(-2 * time.Millisecond)), at(30 * time.Millisecond), false, true},
		{"made before, arrived after the grace", "execute_request", formatDate(at(-2 * time.Millisecond)), at(abortGrace + time.Millisecond), false, false},
		{"made after the failure", "execute_request", formatDate(at(5 * time.Millisecond)), at(6 * time.Millisecond), false, false},
		{"a date this kernel cannot read", "execute_request", "yesterday", at(time.Millisecond), false, false},
		{"Python's offset form", "execute_request", "2026-11-28T11:59:59.998000+00:00", at(time.Millisecond), false, true},
		{"not an execute request", "complete_request", formatDate(at(-time.Second)), at(-time.Millisecond), false, false},
		{"no failure", "execute_request", formatDate(at(-time.Second)), at(-time.Millisecond), true, false},
	} {
		k := &kernel{abortBefore: failed}
		if c.noFailure {
			k.abortBefore = time.Time{}
		}
		m := &message{header: header{MsgType: c.msgType, Date: c.made}, received: c.received}
		if got := k.queuedBehindFailure(m); got != c.abo {
			t.Errorf("%s: queuedBehindFailure = %v, want %v", c.name, got, c.abo)
		}
	}
}
