//go:build !linux

package interp

import (
	"os"
	"sync"
)

// redirectMu serializes redirection of the process's standard streams.
var redirectMu sync.Mutex

// redirect swaps the os.Stdout and os.Stderr variables, so that compiled Go
// code writes into the cell's streams. (On Linux the file descriptors
// themselves are redirected, which also catches C code and children.)
func redirect(stdout, stderr *os.File) (restore func(), err error) {
	redirectMu.Lock()
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = stdout, stderr
	return func() {
		os.Stdout, os.Stderr = oldOut, oldErr
		redirectMu.Unlock()
	}, nil
}
