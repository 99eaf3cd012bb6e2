package nn

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// The safetensors format (Hugging Face): an 8-byte little-endian header
// length, a JSON header mapping each tensor's name to its dtype, shape and
// data_offsets [begin, end) into the data, plus an optional
// "__metadata__" object of strings, then the raw little-endian data. Go's
// Float32 and Float64 are stored as "F32" and "F64", Int as "I64".

// stInfo is a tensor's entry in a safetensors header.
type stInfo struct {
	DType   string `json:"dtype"`
	Shape   []int  `json:"shape"`
	Offsets [2]int `json:"data_offsets"`
}

// maxHeader bounds the JSON header that ReadSafetensors accepts.
const maxHeader = 100 << 20

// Save writes the state dict of m (parameters and buffers, named as in
// PyTorch) to a safetensors file at path, which PyTorch's and Hugging
// Face's safetensors readers load.
//
// Quantised layers (Quantize) are not saved: Save returns an error for a
// model that holds one; save the float model instead. Pruning masks are
// not saved either (the pruned weights are, as zeros).
func Save(m Module, path string) error {
	if q, ok := findQuantized("", m); ok {
		return fmt.Errorf("nn: save %s: layer %q is quantised to int8, which Save does not store; save the model before Quantize", path, q)
	}
	state := m.ModuleBase().StateDict()
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("nn: save: %w", err)
	}
	w := bufio.NewWriter(f)
	err = WriteSafetensors(w, state, map[string]string{"format": "pt"})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("nn: save %s: %w", path, err)
	}
	return nil
}

// findQuantized returns the name of a QuantLinearLayer in m (m's name
// being name), and whether there is one.
func findQuantized(name string, m Module) (string, bool) {
	if _, ok := m.(*QuantLinearLayer); ok {
		return name, true
	}
	for _, c := range m.ModuleBase().children {
		if n, ok := findQuantized(strings.TrimPrefix(name+"."+c.Name, "."), c.Module); ok {
			return n, true
		}
	}
	return "", false
}

// Load reads a safetensors file written by Save, PyTorch or Hugging Face
// into m's parameters and buffers, in place. It fails, changing nothing,
// if a tensor of m is missing from the file, has another shape there, or
// the file holds a tensor m lacks; the error names each one.
func Load(m Module, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("nn: load: %w", err)
	}
	defer f.Close()
	state, _, err := ReadSafetensors(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("nn: load %s: %w", path, err)
	}
	if err := m.ModuleBase().LoadStateDict(state); err != nil {
		return fmt.Errorf("%w (from %s)", err, path)
	}
	return nil
}

// WriteSafetensors writes tensors in the safetensors format, with
// metadata (may be nil) as its "__metadata__".
func WriteSafetensors(w io.Writer, tensors []Param, metadata map[string]string) error {
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	off := 0
	for _, p := range tensors {
		if _, dup := header[p.Name]; dup || p.Name == "__metadata__" {
			return fmt.Errorf("safetensors: tensor name %q used twice", p.Name)
		}
		dt, size := stDType(p.Tensor.DType())
		n := p.Tensor.Numel() * size
		shape := p.Tensor.Shape()
		header[p.Name] = stInfo{DType: dt, Shape: shape, Offsets: [2]int{off, off + n}}
		off += n
	}
	h, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("safetensors: header: %w", err)
	}
	for len(h)%8 != 0 { // the data starts 8-byte aligned, as the reference writer does
		h = append(h, ' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(h)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if _, err := w.Write(h); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	for _, p := range tensors {
		if _, err := w.Write(encode(p.Tensor)); err != nil {
			return fmt.Errorf("safetensors: %s: %w", p.Name, err)
		}
	}
	return nil
}

func stDType(dt tensor.DType) (string, int) {
	switch dt {
	case tensor.Float32:
		return "F32", 4
	case tensor.Float64:
		return "F64", 8
	}
	return "I64", 8
}

// encode returns t's elements as little-endian bytes.
func encode(t *tensor.Tensor) []byte {
	switch t.DType() {
	case tensor.Float32:
		vs := t.Float32s()
		b := make([]byte, 4*len(vs))
		for i, v := range vs {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		return b
	case tensor.Float64:
		vs := t.Float64s()
		b := make([]byte, 8*len(vs))
		for i, v := range vs {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		}
		return b
	}
	vs := t.Ints()
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(int64(v)))
	}
	return b
}

// ReadSafetensors reads a safetensors stream: its tensors by name (F32 as
// Float32, F64 as Float64, I64, I32 and BOOL as Int, BF16 and F16 as
// Float32) and its metadata.
func ReadSafetensors(r io.Reader) (map[string]*tensor.Tensor, map[string]string, error) {
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, nil, fmt.Errorf("safetensors: header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > maxHeader {
		return nil, nil, fmt.Errorf("safetensors: header of %d bytes: not a safetensors file?", n)
	}
	h := make([]byte, n)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(h, &raw); err != nil {
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	var meta map[string]string
	infos := map[string]stInfo{}
	var names []string
	for k, v := range raw {
		if k == "__metadata__" {
			if err := json.Unmarshal(v, &meta); err != nil {
				return nil, nil, fmt.Errorf("safetensors: __metadata__: %w", err)
			}
			continue
		}
		var info stInfo
		if err := json.Unmarshal(v, &info); err != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", k, err)
		}
		infos[k] = info
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return infos[names[i]].Offsets[0] < infos[names[j]].Offsets[0] })
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("safetensors: data: %w", err)
	}
	out := map[string]*tensor.Tensor{}
	for _, name := range names {
		t, err := decode(infos[name], data)
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		out[name] = t
	}
	return out, meta, nil
}

var stSizes = map[string]int{"F32": 4, "F64": 8, "I64": 8, "I32": 4, "BOOL": 1, "BF16": 2, "F16": 2}

// decode makes the tensor an entry describes from the data section.
func decode(info stInfo, data []byte) (*tensor.Tensor, error) {
	size, ok := stSizes[info.DType]
	if !ok {
		return nil, fmt.Errorf("dtype %q is not supported (F32, F64, F16, BF16, I64, I32, BOOL are)", info.DType)
	}
	numel := 1
	for _, d := range info.Shape {
		if d < 0 {
			return nil, fmt.Errorf("negative size in shape %v", info.Shape)
		}
		numel *= d
	}
	b, e := info.Offsets[0], info.Offsets[1]
	if b < 0 || e < b || e > len(data) {
		return nil, fmt.Errorf("data_offsets [%d, %d] outside the %d bytes of data", b, e, len(data))
	}
	if e-b != numel*size {
		return nil, fmt.Errorf("%d bytes for shape %v of %s (%d expected)", e-b, info.Shape, info.DType, numel*size)
	}
	buf := data[b:e]
	var t *tensor.Tensor
	switch info.DType {
	case "F32", "BF16", "F16":
		vs := make([]float32, numel)
		for i := range vs {
			switch info.DType {
			case "F32":
				vs[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
			case "BF16":
				vs[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
			default:
				vs[i] = halfToFloat(binary.LittleEndian.Uint16(buf[2*i:]))
			}
		}
		t = tensor.FromSlice(vs)
	case "F64":
		vs := make([]float64, numel)
		for i := range vs {
			vs[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		t = tensor.FromSlice(vs)
	default:
		vs := make([]int, numel)
		for i := range vs {
			switch size {
			case 8:
				vs[i] = int(int64(binary.LittleEndian.Uint64(buf[8*i:])))
			case 4:
				vs[i] = int(int32(binary.LittleEndian.Uint32(buf[4*i:])))
			default:
				vs[i] = int(buf[i])
			}
		}
		t = tensor.FromSlice(vs)
	}
	return t.Reshape(info.Shape...), nil
}

// halfToFloat converts an IEEE 754 half-precision value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := int(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | uint32(exp-15+127)<<23 | frac<<13)
}
