package nbrun

import "strings"

// outputItem is one output of a code cell, as nbformat 4 stores it.
type outputItem struct {
	kind string // "stream", "display_data", "execute_result" or "error"

	name, text string // stream

	data, metadata map[string]any // display_data, execute_result
	displayID      string         // display_data; transient, never written
	count          int            // execute_result

	ename, evalue string // error
	traceback     []string
}

// json returns the output as nbformat stores it.
func (o *outputItem) json() map[string]any {
	m := map[string]any{"output_type": o.kind}
	switch o.kind {
	case "stream":
		m["name"] = o.name
		m["text"] = splitLines(overwriteCarriageReturns(o.text))
	case "display_data", "execute_result":
		m["data"] = mimeBundle(o.data)
		m["metadata"] = orEmpty(o.metadata)
		if o.kind == "execute_result" {
			m["execution_count"] = o.count
		}
	case "error":
		m["ename"] = o.ename
		m["evalue"] = o.evalue
		m["traceback"] = o.traceback
	}
	return m
}

// mimeBundle returns data as nbformat stores it: text types (text/*, SVG and
// JavaScript) as lists of lines, JSON types and base64 images as they are.
func mimeBundle(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for mime, v := range data {
		if s, ok := v.(string); ok && (strings.HasPrefix(mime, "text/") || mime == "image/svg+xml" || mime == "application/javascript") {
			out[mime] = splitLines(s)
			continue
		}
		out[mime] = v
	}
	return out
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// overwriteCarriageReturns applies carriage returns to stream text as
// Jupyter's front ends show it and as nbconvert's coalesce_streams stores
// it: on each line, text before a "\r" that is followed by more text on
// that line is overwritten (dropped). A "\r" at the end of the line stays.
func overwriteCarriageReturns(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		// The last "\r" followed by a character (the regexp .*\r(?=[^\n])).
		if j := strings.LastIndexByte(line[:max(len(line)-1, 0)], '\r'); j >= 0 {
			line = line[j+1:]
		}
		b.WriteString(line)
	}
	return b.String()
}
