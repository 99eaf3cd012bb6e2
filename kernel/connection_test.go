package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadConnectionFile(t *testing.T) {
	// As jupyter_client writes it.
	p := writeFile(t, `{"shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003, "control_port": 50004,
		"hb_port": 50005, "ip": "127.0.0.1", "key": "0e5d2c3a-9f7b", "transport": "tcp",
		"signature_scheme": "hmac-sha256", "kernel_name": "gonn"}`)
	info, err := ReadConnectionFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.ShellPort != 50001 || info.HBPort != 50005 || info.Key != "0e5d2c3a-9f7b" || info.KernelName != "gonn" {
		t.Errorf("info %+v", info)
	}
	if got := info.endpoint(info.ControlPort); got != "tcp://127.0.0.1:50004" {
		t.Errorf("tcp endpoint %s", got)
	}
	// Defaults: tcp, hmac-sha256.
	info, err = ReadConnectionFile(writeFile(t, `{"ip": "::1", "key": ""}`))
	if err != nil {
		t.Fatal(err)
	}
	if info.Transport != "tcp" || info.SignatureScheme != "hmac-sha256" {
		t.Errorf("defaults %+v", info)
	}
	if got := info.endpoint(5); got != "tcp://[::1]:5" {
		t.Errorf("IPv6 endpoint %s", got)
	}
	if got := (ConnectionInfo{Transport: "tcp", IP: "*"}).endpoint(7); got != "tcp://0.0.0.0:7" {
		t.Errorf("wildcard endpoint %s", got)
	}
	if got := (ConnectionInfo{Transport: "ipc", IP: "/run/k"}).endpoint(3); got != "ipc:///run/k-3" {
		t.Errorf("ipc endpoint %s", got)
	}
}

func TestReadConnectionFileErrors(t *testing.T) {
	for content, want := range map[string]string{
		`{"ip": "127.0.0.1", "transport": "udp"}`:                   "unsupported transport",
		`{"ip": "127.0.0.1", "signature_scheme": "hmac-whirlpool"}`: "unsupported signature scheme",
		`{"transport": "tcp"}`:                                      "no ip",
		`{"ip": "127.0.0.1", "shell_port": 70000}`:                  "out of range",
		`{"ip": `: "parsing connection file",
	} {
		_, err := ReadConnectionFile(writeFile(t, content))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", content, err, want)
		}
	}
	if _, err := ReadConnectionFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file gives no error")
	}
}
