package nbrun

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Notebook is an nbformat 4 notebook in memory. Fields gonn does not know
// are kept as they were read and written back unchanged.
type Notebook struct {
	// NewID returns a fresh cell id for cells that lack one (notebooks
	// before nbformat 4.5) or whose id is invalid or repeated. Nil means
	// eight random hexadecimal digits, as nbformat makes them.
	NewID func() string

	top   map[string]any // top-level fields but "cells"
	cells []*cell
}

// cell is one cell: its fields as read, with source joined into one string
// and, for code cells, the outputs of this run.
type cell struct {
	fields  map[string]any
	typ     string // "code", "markdown", "raw"
	source  string
	line    int // line of the cell's source in the file read, 1-based; 0 if unknown
	count   int // execution count; 0 means not executed (null)
	outputs []*outputItem
	// clearPending is set by clear_output(wait=True): the outputs are
	// cleared when the next one arrives.
	clearPending bool
}

// Read parses an nbformat 4 notebook (minor versions 0 to 5; sources and
// texts as strings or lists of strings). Outputs of code cells are dropped:
// the notebook is about to be run again.
func Read(r io.Reader) (*Notebook, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("nbrun: reading notebook: %w", err)
	}
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("nbrun: notebook is not JSON: %w", err)
	}
	if top == nil {
		return nil, errors.New("nbrun: notebook is not a JSON object")
	}
	major, _ := top["nbformat"].(json.Number)
	minor, _ := top["nbformat_minor"].(json.Number)
	if major.String() != "4" {
		return nil, fmt.Errorf("nbrun: nbformat %v is not supported: only nbformat 4 (convert with `jupyter nbconvert --to notebook`)", top["nbformat"])
	}
	if m, err := minor.Int64(); err != nil || m < 0 || m > 5 {
		return nil, fmt.Errorf("nbrun: nbformat 4.%v is not supported: 4.0 to 4.5 are", top["nbformat_minor"])
	}
	rawCells, ok := top["cells"].([]any)
	if !ok {
		return nil, errors.New("nbrun: notebook has no list of cells")
	}
	delete(top, "cells")
	if _, ok := top["metadata"].(map[string]any); !ok {
		top["metadata"] = map[string]any{}
	}
	lines := cellLines(src)
	nb := &Notebook{top: top}
	for i, rc := range rawCells {
		fields, ok := rc.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("nbrun: cell %d is not a JSON object", i+1)
		}
		c := &cell{fields: fields}
		c.typ, _ = fields["cell_type"].(string)
		if c.typ == "" {
			return nil, fmt.Errorf("nbrun: cell %d has no cell_type", i+1)
		}
		if c.source, ok = joinText(fields["source"]); !ok {
			return nil, fmt.Errorf("nbrun: cell %d: source is neither a string nor a list of strings", i+1)
		}
		if i < len(lines) {
			c.line = lines[i]
		}
		if _, ok := fields["metadata"].(map[string]any); !ok {
			fields["metadata"] = map[string]any{}
		}
		nb.cells = append(nb.cells, c)
	}
	return nb, nil
}

// joinText returns a multiline string field of a notebook, stored either
// as one string or as a list of lines.
func joinText(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case []any:
		var b strings.Builder
		for _, s := range v {
			s, ok := s.(string)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// cellLines returns, for each cell of the notebook src, the 1-based line
// where its source begins (where the cell begins when it has no source).
// It returns what it found so far when src is not what it expects.
func cellLines(src []byte) []int {
	var lines []int
	dec := json.NewDecoder(bytes.NewReader(src))
	// valueStart is the offset of the next value after the decoder's
	// position: past whitespace, commas and colons.
	valueStart := func() int {
		off := int(dec.InputOffset())
		for off < len(src) && strings.IndexByte(" \t\r\n,:", src[off]) >= 0 {
			off++
		}
		return off
	}
	lineAt := func(off int) int { return 1 + bytes.Count(src[:off], []byte("\n")) }
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return lines
		}
		if key != "cells" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return lines
		}
		for dec.More() {
			line := lineAt(valueStart())
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return lines
			}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return lines
				}
				if k == "source" {
					off := valueStart()
					if off < len(src) && src[off] == '[' {
						// The first line of a list of lines.
						dec.Token()
						off = valueStart()
						if off < len(src) && src[off] == ']' {
							off = -1 // empty source: keep the cell's line
						}
						if off >= 0 {
							line = lineAt(off)
						}
						for dec.More() {
							dec.Token()
						}
						dec.Token()
						continue
					}
					line = lineAt(off)
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return lines
				}
			}
			dec.Token() // '}'
			lines = append(lines, line)
		}
		return lines
	}
	return lines
}

// validID is nbformat 4.5's pattern for cell ids.
var validID = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)

// ensureIDs gives every cell a valid id unique in the notebook, keeping
// the ids that already are.
func (nb *Notebook) ensureIDs() error {
	newID := nb.NewID
	if newID == nil {
		newID = randomID
	}
	// Keep the first cell with each valid id; the rest get new ones.
	seen := map[string]bool{}
	var renew []*cell
	for _, c := range nb.cells {
		id, _ := c.fields["id"].(string)
		if validID.MatchString(id) && !seen[id] {
			seen[id] = true
			continue
		}
		renew = append(renew, c)
	}
	for _, c := range renew {
		var id string
		for tries := 0; ; tries++ {
			if tries == 100 {
				return errors.New("nbrun: NewID keeps returning invalid or repeated cell ids")
			}
			id = newID()
			if validID.MatchString(id) && !seen[id] {
				break
			}
		}
		seen[id] = true
		c.fields["id"] = id
	}
	return nil
}

func randomID() string {
	var b [4]byte
	rand.Read(b[:]) // never fails (crypto/rand panics on failure)
	return hex.EncodeToString(b[:])
}

// WriteTo writes the notebook as nbformat 4.5, formatted the way Jupyter
// writes notebooks: one-space indentation, sorted keys, non-ASCII text
// unescaped, multiline strings split into lists of lines, and a final
// newline.
func (nb *Notebook) WriteTo(w io.Writer) (int64, error) {
	if err := nb.ensureIDs(); err != nil {
		return 0, err
	}
	doc := make(map[string]any, len(nb.top)+1)
	for k, v := range nb.top {
		doc[k] = v
	}
	doc["nbformat"] = 4
	doc["nbformat_minor"] = 5
	cells := make([]any, 0, len(nb.cells))
	for _, c := range nb.cells {
		cells = append(cells, c.json())
	}
	doc["cells"] = cells
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return 0, fmt.Errorf("nbrun: encoding notebook: %w", err)
	}
	n, err := w.Write(buf.Bytes())
	if err != nil {
		return int64(n), fmt.Errorf("nbrun: writing notebook: %w", err)
	}
	return int64(n), nil
}

// json returns the cell as nbformat stores it.
func (c *cell) json() map[string]any {
	m := make(map[string]any, len(c.fields)+3)
	for k, v := range c.fields {
		m[k] = v
	}
	m["source"] = splitLines(c.source)
	if c.typ == "code" {
		outs := make([]any, 0, len(c.outputs))
		for _, o := range c.outputs {
			outs = append(outs, o.json())
		}
		m["outputs"] = outs
		if c.count > 0 {
			m["execution_count"] = c.count
		} else {
			m["execution_count"] = nil
		}
	}
	return m
}

// splitLines splits s after each line break, as Python's
// str.splitlines(keepends=True) does, which is how nbformat stores
// multiline strings. It returns an empty list for "".
func splitLines(s string) []string {
	lines := []string{}
	start := 0
	for i, r := range s {
		switch r {
		case '\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue // the break is the "\n" that follows
			}
		default:
			continue
		}
		end := i + len(string(r))
		lines = append(lines, s[start:end])
		start = end
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}
