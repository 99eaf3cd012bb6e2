package interp

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"

	"golang.org/x/sys/unix"
)

// redirectMu serializes redirection: file descriptors 1 and 2 belong to the
// process, so only one cell of any session may hold them at a time.
var redirectMu sync.Mutex

// redirect points file descriptors 1 and 2 at stdout and stderr, so that
// compiled code (fmt.Println in nnlib, C libraries, child processes that
// inherit them) writes into the cell's streams. Meanwhile the Go runtime's
// fatal error reports also go to the process's own stderr, where they would
// otherwise vanish into the cell's pipe. The returned function restores
// everything.
func redirect(stdout, stderr *os.File) (restore func(), err error) {
	redirectMu.Lock()
	var saved [2]*os.File
	undo := func() {
		for i, f := range saved {
			if f != nil {
				unix.Dup3(int(f.Fd()), i+1, 0)
				f.Close()
			}
		}
		debug.SetCrashOutput(nil, debug.CrashOptions{})
		redirectMu.Unlock()
	}
	for i, f := range []*os.File{stdout, stderr} {
		fd, err := unix.FcntlInt(uintptr(i+1), unix.F_DUPFD_CLOEXEC, 3)
		if err != nil {
			undo()
			return nil, fmt.Errorf("interp: saving fd %d: %w", i+1, err)
		}
		saved[i] = os.NewFile(uintptr(fd), "saved")
		if err := unix.Dup3(int(f.Fd()), i+1, 0); err != nil {
			undo()
			return nil, fmt.Errorf("interp: redirecting fd %d: %w", i+1, err)
		}
	}
	debug.SetCrashOutput(saved[1], debug.CrashOptions{})
	return undo, nil
}
