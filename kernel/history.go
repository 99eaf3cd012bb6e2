package kernel

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// history keeps the cells run with store_history for the kernel's life and
// answers history_request's tail, range and search.
type history struct {
	mu      sync.Mutex
	session int // the session number entries carry; earlier sessions are empty
	entries []historyEntry
}

type historyEntry struct {
	line   int // execution count
	input  string
	output string // text/plain of the execute_result, "" for none
}

// historyRequest is the content of a history_request.
type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

func (h *history) add(line int, input string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{line: line, input: input})
}

// setOutput records the output of the cell stored at line.
func (h *history) setOutput(line int, out string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.entries) - 1; i >= 0; i-- {
		if h.entries[i].line == line {
			h.entries[i].output = out
			return
		}
	}
}

// query answers a history request: a list of [session, line, input] or,
// with output, [session, line, [input, output]]. It is never nil.
func (h *history) query(r historyRequest) []any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var picked []historyEntry
	switch r.HistAccessType {
	case "tail":
		n := len(h.entries)
		if r.N != nil && *r.N >= 0 && *r.N < n {
			n = *r.N
		}
		picked = h.entries[len(h.entries)-n:]
	case "range":
		// Session 0 is the current one; negative sessions count back from
		// it and, like any other session, hold nothing: history does not
		// outlive the kernel.
		if r.Session == 0 || r.Session == h.session {
			for _, e := range h.entries {
				if e.line >= r.Start && (r.Stop <= 0 || e.line < r.Stop) {
					picked = append(picked, e)
				}
			}
		}
	case "search":
		re := globRegexp(r.Pattern)
		seen := map[string]bool{}
		// Walk from the newest so that unique keeps the latest run and n
		// the most recent matches, then restore chronological order.
		for i := len(h.entries) - 1; i >= 0; i-- {
			e := h.entries[i]
			if !re.MatchString(e.input) || (r.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			picked = append(picked, e)
			if r.N != nil && *r.N > 0 && len(picked) == *r.N {
				break
			}
		}
		for i, j := 0, len(picked)-1; i < j; i, j = i+1, j-1 {
			picked[i], picked[j] = picked[j], picked[i]
		}
	}
	out := make([]any, 0, len(picked))
	for _, e := range picked {
		var item any = e.input
		if r.Output {
			item = []string{e.input, e.output}
		}
		out = append(out, []any{h.session, e.line, item})
	}
	return out
}

// globRegexp compiles a glob as IPython's history search reads it (SQLite's
// GLOB: * any run, ? one character, [...] a class), matching the whole
// input. An empty pattern matches everything.
func globRegexp(glob string) *regexp.Regexp {
	if glob == "" {
		glob = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	g := []rune(glob)
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			end := slices.Index(g[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := string(g[i+1 : i+1+end])
			if strings.HasPrefix(class, "^") {
				class = "^" + regexp.QuoteMeta(class[1:])
			} else {
				class = regexp.QuoteMeta(class)
			}
			// QuoteMeta escapes '-' nowhere, so ranges like a-z survive.
			b.WriteString("[" + class + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`\A` + regexp.QuoteMeta(glob) + `\z`)
	}
	return re
}
