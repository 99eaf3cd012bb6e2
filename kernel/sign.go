package kernel

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"sort"
	"strings"
	"sync"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"
)

// hashes are the digests a signature_scheme "hmac-NAME" may name: those of
// Python's hashlib that HMAC accepts and Go implements, under hashlib's names.
var hashes = map[string]func() hash.Hash{
	"md5":      md5.New,
	"sha1":     sha1.New,
	"sha224":   sha256.New224,
	"sha256":   sha256.New,
	"sha384":   sha512.New384,
	"sha512":   sha512.New,
	"sha3_224": func() hash.Hash { return sha3.New224() },
	"sha3_256": func() hash.Hash { return sha3.New256() },
	"sha3_384": func() hash.Hash { return sha3.New384() },
	"sha3_512": func() hash.Hash { return sha3.New512() },
	// hashlib's defaults: blake2b with a 64-byte digest, blake2s with 32.
	"blake2b": func() hash.Hash { h, _ := blake2b.New512(nil); return h },
	"blake2s": func() hash.Hash { h, _ := blake2s.New256(nil); return h },
}

// Schemes returns the signature schemes the kernel accepts, sorted.
func Schemes() []string {
	s := make([]string, 0, len(hashes))
	for name := range hashes {
		s = append(s, "hmac-"+name)
	}
	sort.Strings(s)
	return s
}

// signer signs and verifies messages with HMAC. A signer with an empty key
// signs nothing (the signature frame is empty) and accepts every message, as
// Jupyter specifies for an empty key.
type signer struct {
	key  []byte
	pool sync.Pool // of hash.Hash, HMACs keyed with key
}

func newSigner(scheme string, key []byte) (*signer, error) {
	name, ok := strings.CutPrefix(scheme, "hmac-")
	newHash := hashes[name]
	if !ok || newHash == nil {
		return nil, fmt.Errorf("unsupported signature scheme %q (supported: %s)", scheme, strings.Join(Schemes(), ", "))
	}
	s := &signer{key: append([]byte(nil), key...)}
	s.pool.New = func() any { return hmac.New(newHash, s.key) }
	return s, nil
}

// mac returns the raw HMAC of the concatenated frames.
func (s *signer) mac(frames ...[]byte) []byte {
	h := s.pool.Get().(hash.Hash)
	h.Reset()
	for _, f := range frames {
		h.Write(f)
	}
	sum := h.Sum(nil)
	s.pool.Put(h)
	return sum
}

// sign returns the hex signature of header, parent header, metadata and
// content, in that order; empty when the key is empty.
func (s *signer) sign(frames ...[]byte) []byte {
	if len(s.key) == 0 {
		return []byte{}
	}
	sum := s.mac(frames...)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify reports whether sig is the hex signature of frames, comparing in
// constant time. With an empty key every message is accepted.
func (s *signer) verify(sig []byte, frames ...[]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.mac(frames...)
	got := make([]byte, hex.DecodedLen(len(sig)))
	n, err := hex.Decode(got, sig)
	if err != nil || n != len(want) {
		return false
	}
	return hmac.Equal(got, want)
}
