//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// processStderr returns a duplicate of file descriptor 2 that stays the
// process's stderr while the interpreter points fd 2 at a cell's stream.
func processStderr() *os.File {
	fd, err := unix.FcntlInt(2, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return os.Stderr
	}
	return os.NewFile(uintptr(fd), "/dev/stderr")
}
