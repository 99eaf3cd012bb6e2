package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func testSigner(t *testing.T) *signer {
	t.Helper()
	s, err := newSigner("hmac-sha256", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFormatDate(t *testing.T) {
	loc := time.FixedZone("X", 5*3600+1800)
	tm := time.Date(2026, 1, 2, 3, 4, 5, 123456789, loc)
	got := formatDate(tm)
	if want := "2026-01-01T21:34:05.123456Z"; got != want {
		t.Errorf("formatDate = %s, want %s", got, want)
	}
	if got := formatDate(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2026-01-02T03:04:05.000000Z" {
		t.Errorf("formatDate with zero nanoseconds = %s", got)
	}
	re := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,6}(Z|[+-]\d\d:\d\d)$`)
	if d := formatDate(time.Now()); !re.MatchString(d) {
		t.Errorf("formatDate(now) = %s: not ISO 8601 with a zone and at most 6 fractional digits", d)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := testSigner(t)
	h := header{MsgID: "m1", Session: "s", Username: "u", Date: formatDate(time.Now()), MsgType: "execute_request", Version: protocolVersion}
	parent := json.RawMessage(`{"msg_id":"p","extra":1}`)
	ids := [][]byte{[]byte("peer-a"), []byte("peer-b")}
	frames, err := encode(s, ids, h, parent, nil, map[string]any{"code": "1+1"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(frames[2], delimiter) {
		t.Fatalf("frame 2 = %q, want the delimiter", frames[2])
	}
	if string(frames[6]) != "{}" {
		t.Errorf("nil metadata encoded as %s, want {}", frames[6])
	}
	m, err := decode(frames, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.identities) != 2 || string(m.identities[1]) != "peer-b" {
		t.Errorf("identities = %q", m.identities)
	}
	if m.header != h {
		t.Errorf("header = %+v, want %+v", m.header, h)
	}
	if string(m.parent) != string(parent) {
		t.Errorf("parent = %s, want it byte for byte: %s", m.parent, parent)
	}
	if string(m.content) != `{"code":"1+1"}` {
		t.Errorf("content = %s", m.content)
	}
	// No parent is {}.
	frames, _ = encode(s, nil, h, nil, nil, map[string]any{})
	if string(frames[3+1]) != "{}" {
		t.Errorf("nil parent encoded as %s", frames[4])
	}
}

func TestDecodeBuffers(t *testing.T) {
	s := testSigner(t)
	h := header{MsgID: "m", MsgType: "comm_msg", Version: protocolVersion}
	frames, _ := encode(s, nil, h, nil, nil, map[string]any{})
	frames = append(frames, []byte("buf0"), []byte("buf1"))
	m, err := decode(frames, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.buffers) != 2 || string(m.buffers[1]) != "buf1" {
		t.Errorf("buffers = %q", m.buffers)
	}
}

func TestDecodeRejects(t *testing.T) {
	s := testSigner(t)
	good := func() [][]byte {
		h := header{MsgID: "m", MsgType: "kernel_info_request", Version: protocolVersion}
		f, err := encode(s, [][]byte{[]byte("id")}, h, nil, nil, map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	resign := func(f [][]byte) [][]byte {
		f[2] = s.sign(f[3], f[4], f[5], f[6])
		return f
	}
	cases := map[string][][]byte{
		"no frames":    nil,
		"no delimiter": {[]byte("id"), []byte("sig"), []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")},
		"too few":      good()[:6],
		"bad signature": func() [][]byte {
			f := good()
			f[2] = bytes.Repeat([]byte("0"), 64)
			return f
		}(),
		"no signature": func() [][]byte {
			f := good()
			f[2] = nil
			return f
		}(),
		"tampered content": func() [][]byte {
			f := good()
			f[6] = []byte(`{"x":1}`)
			return f
		}(),
		"malformed header":  func() [][]byte { f := good(); f[3] = []byte(`{"msg_type":`); return resign(f) }(),
		"no msg_type":       func() [][]byte { f := good(); f[3] = []byte(`{"msg_id":"x"}`); return resign(f) }(),
		"content not JSON":  func() [][]byte { f := good(); f[6] = []byte(`not json`); return resign(f) }(),
		"content an array":  func() [][]byte { f := good(); f[6] = []byte(`[]`); return resign(f) }(),
		"content null":      func() [][]byte { f := good(); f[6] = []byte(`null`); return resign(f) }(),
		"parent not object": func() [][]byte { f := good(); f[4] = []byte(`"x"`); return resign(f) }(),
		"metadata garbage":  func() [][]byte { f := good(); f[5] = []byte{0xff, 0xfe}; return resign(f) }(),
	}
	for name, frames := range cases {
		if _, err := decode(frames, s); err == nil {
			t.Errorf("%s: decoded, want an error", name)
		} else if !errors.Is(err, errWire) {
			t.Errorf("%s: error %v does not wrap errWire", name, err)
		}
	}
	if _, err := decode(good(), s); err != nil {
		t.Errorf("the good message fails: %v", err)
	}
}

func TestNewIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newID()
		if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

// FuzzDecode: no input makes decode panic, and what it accepts has a
// message type and JSON-object parts.
func FuzzDecode(f *testing.F) {
	s, _ := newSigner("hmac-sha256", nil) // unsigned, so the fuzzer reaches the JSON
	f.Add([]byte("id"), []byte(`{"msg_type":"execute_request"}`), []byte("{}"), []byte("{}"), []byte(`{"code":"1"}`))
	f.Add([]byte{}, []byte(`{"msg_type":""}`), []byte("null"), []byte("[]"), []byte(`"x"`))
	f.Add([]byte("<IDS|MSG>"), []byte(`{`), []byte{0xff}, []byte("{}"), []byte("{}"))
	f.Fuzz(func(t *testing.T, id, h, p, md, c []byte) {
		m, err := decode([][]byte{id, delimiter, nil, h, p, md, c}, s)
		if err != nil {
			return
		}
		if m.header.MsgType == "" || !isObject(m.parent) || !isObject(m.metadata) || !isObject(m.content) {
			t.Errorf("accepted a bad message: %+v", m)
		}
	})
}
