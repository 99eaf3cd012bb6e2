package kernel

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// protocolVersion is the Jupyter messaging protocol the kernel speaks.
const protocolVersion = "5.3"

// delimiter separates the routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// dateLayout is ISO 8601 in UTC with microseconds: Python's datetime parses
// at most 6 fractional digits.
const dateLayout = "2006-01-02T15:04:05.000000Z07:00"

// formatDate returns t as a header date.
func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// header is a message header.
type header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// message is a decoded wire message. The header, parent header and metadata
// are kept as received so that replies echo the parent header exactly.
type message struct {
	identities [][]byte
	header     header
	rawHeader  json.RawMessage
	parent     json.RawMessage
	metadata   json.RawMessage
	content    json.RawMessage
	buffers    [][]byte
	received   time.Time // when the socket's reader took it
}

// errWire is wrapped by every error decode returns.
var errWire = errors.New("bad wire message")

// decode parses the frames of a message received on a ROUTER socket
// (identities, delimiter, signature, header, parent header, metadata,
// content, buffers) and verifies its signature.
func decode(frames [][]byte, s *signer) (*message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, fmt.Errorf("%w: no <IDS|MSG> delimiter in %d frames", errWire, len(frames))
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d frames after the delimiter, want at least 5", errWire, len(rest))
	}
	sig, h, p, md, c := rest[0], rest[1], rest[2], rest[3], rest[4]
	if !s.verify(sig, h, p, md, c) {
		return nil, fmt.Errorf("%w: invalid signature", errWire)
	}
	m := &message{
		identities: frames[:i],
		rawHeader:  h,
		parent:     p,
		metadata:   md,
		content:    c,
		buffers:    rest[5:],
	}
	if err := json.Unmarshal(h, &m.header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", errWire, err)
	}
	if m.header.MsgType == "" {
		return nil, fmt.Errorf("%w: header has no msg_type", errWire)
	}
	for _, part := range []struct {
		name string
		data json.RawMessage
	}{{"header", h}, {"parent_header", p}, {"metadata", md}, {"content", c}} {
		if !isObject(part.data) {
			return nil, fmt.Errorf("%w: %s is not a JSON object", errWire, part.name)
		}
	}
	return m, nil
}

// isObject reports whether data is a JSON object.
func isObject(data []byte) bool {
	var v map[string]json.RawMessage
	return json.Unmarshal(data, &v) == nil && v != nil
}

// encode returns the frames of a message: identities, delimiter, signature,
// header, parent header, metadata, content. A nil parent is sent as {}.
func encode(s *signer, identities [][]byte, h header, parent json.RawMessage, metadata, content any) ([][]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("kernel: encoding %s header: %w", h.MsgType, err)
	}
	if len(parent) == 0 {
		parent = json.RawMessage("{}")
	}
	if metadata == nil {
		metadata = struct{}{}
	}
	mb, err := json.Marshal(metadata)
	if err != nil {
		return nil, fmt.Errorf("kernel: encoding %s metadata: %w", h.MsgType, err)
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("kernel: encoding %s content: %w", h.MsgType, err)
	}
	frames := make([][]byte, 0, len(identities)+6)
	frames = append(frames, identities...)
	frames = append(frames, delimiter, s.sign(hb, parent, mb, cb), hb, parent, mb, cb)
	return frames, nil
}

// newID returns a random 128-bit identifier in hex, for message and
// session ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
