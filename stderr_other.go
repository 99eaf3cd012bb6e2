//go:build !unix

package main

import "os"

// processStderr returns the process's stderr.
func processStderr() *os.File { return os.Stderr }
