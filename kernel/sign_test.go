package kernel

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestSignGolden checks every scheme against signatures computed by
// Python's hmac and hashlib (testdata/hmac_golden.py).
func TestSignGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/hmac_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Key        string
		Frames     []string
		Signatures map[string]string
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	frames := make([][]byte, len(g.Frames))
	for i, f := range g.Frames {
		frames[i] = []byte(f)
	}
	if got, want := len(g.Signatures), len(Schemes()); got != want {
		t.Errorf("golden file has %d schemes, Schemes() %d", got, want)
	}
	for scheme, want := range g.Signatures {
		s, err := newSigner(scheme, []byte(g.Key))
		if err != nil {
			t.Errorf("%s: %v", scheme, err)
			continue
		}
		if got := string(s.sign(frames...)); got != want {
			t.Errorf("%s: sign = %s, want %s", scheme, got, want)
		}
		if !s.verify([]byte(want), frames...) {
			t.Errorf("%s: verify rejects Python's signature", scheme)
		}
		bad := []byte(want)
		bad[0] ^= 1
		if s.verify(bad, frames...) {
			t.Errorf("%s: verify accepts a flipped signature", scheme)
		}
		if s.verify([]byte(want[:len(want)-2]), frames...) {
			t.Errorf("%s: verify accepts a truncated signature", scheme)
		}
		if s.verify([]byte("zz"+want[2:]), frames...) {
			t.Errorf("%s: verify accepts non-hex", scheme)
		}
		other := slices.Clone(frames)
		other[3] = []byte(`{"code":"e"}`)
		if s.verify([]byte(want), other...) {
			t.Errorf("%s: verify accepts a signature of other content", scheme)
		}
	}
}

func TestSignEmptyKey(t *testing.T) {
	s, err := newSigner("hmac-sha256", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sig := s.sign([]byte("{}")); len(sig) != 0 {
		t.Errorf("empty key signs %q, want an empty signature", sig)
	}
	if !s.verify(nil, []byte("{}")) || !s.verify([]byte("anything"), []byte("{}")) {
		t.Error("empty key must accept every message")
	}
}

func TestSignUnknownScheme(t *testing.T) {
	for _, scheme := range []string{"", "sha256", "hmac-", "hmac-sha257", "hmac-shake_128", "rsa-sha256"} {
		if _, err := newSigner(scheme, []byte("k")); err == nil {
			t.Errorf("newSigner(%q) succeeded, want an error", scheme)
		}
	}
}

func TestSignConcurrent(t *testing.T) {
	s, _ := newSigner("hmac-sha256", []byte("key"))
	want := string(s.sign([]byte("a"), []byte("b")))
	done := make(chan string)
	for range 8 {
		go func() {
			var got string
			for range 200 {
				got = string(s.sign([]byte("a"), []byte("b")))
				if got != want {
					break
				}
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Fatalf("concurrent sign = %s, want %s", got, want)
		}
	}
}
