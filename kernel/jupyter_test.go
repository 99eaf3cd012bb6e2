package kernel

import (
	"context"
	"encoding/json"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// debianPython has jupyter_client and jupyter_kernel_test; the python3 on
// PATH may be another interpreter.
const debianPython = "/usr/bin/python3"

// TestJupyterClient serves the fake engine to Debian's jupyter_client, which
// checks signatures, dates and every message against the protocol schemas
// (testdata/jupyter_client_check.py). Skipped without that Python.
func TestJupyterClient(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python")
	}
	if err := exec.Command(debianPython, "-c", "import jupyter_client, jupyter_kernel_test").Run(); err != nil {
		t.Skipf("no jupyter_client in %s: %v", debianPython, err)
	}
	for _, c := range []struct{ transport, scheme, key string }{
		{"tcp", "hmac-sha256", "f00d-key"},
		{"tcp", "hmac-blake2b", "another key"},
		{"tcp", "hmac-sha3_256", "k"},
		{"tcp", "hmac-sha256", ""},
		{"ipc", "hmac-sha256", "ipc-key"},
	} {
		t.Run(c.transport+"/"+c.scheme+"/key="+c.key, func(t *testing.T) {
			dir := t.TempDir()
			info := ConnectionInfo{Transport: c.transport, IP: "127.0.0.1", SignatureScheme: c.scheme, Key: c.key, KernelName: "gonn"}
			if c.transport == "ipc" {
				info.IP = filepath.Join(dir, "k")
				info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort = 1, 2, 3, 4, 5
			}
			ready := make(chan Endpoints, 1)
			done := make(chan error, 1)
			logs := &logBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			eng := newFakeEngine()
			go func() {
				done <- ServeInfo(ctx, info, eng, Options{Logger: log.New(logs, "", 0), Ready: func(e Endpoints) { ready <- e }})
			}()
			var ep Endpoints
			select {
			case ep = <-ready:
			case err := <-done:
				t.Fatal(err)
			}
			port := func(e string) int {
				_, p, err := net.SplitHostPort(e[len("tcp://"):])
				if err != nil {
					t.Fatal(err)
				}
				n, _ := strconv.Atoi(p)
				return n
			}
			if c.transport == "tcp" {
				info.ShellPort, info.IOPubPort, info.StdinPort = port(ep.Shell), port(ep.IOPub), port(ep.Stdin)
				info.ControlPort, info.HBPort = port(ep.Control), port(ep.HB)
			}
			file := filepath.Join(dir, "kernel.json")
			data, _ := json.Marshal(info)
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(debianPython, "testdata/jupyter_client_check.py", file)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("jupyter_client check failed: %v\n%s\nkernel log:\n%s", err, out, logs)
				cancel()
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(waitFor):
				t.Error("the client's shutdown_request did not stop Serve")
			}
		})
	}
}
