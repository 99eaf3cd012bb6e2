package kernel

import (
	"regexp"
	"strings"

	"github.com/gonnlab/gonn/output"
)

// pageRequest recognises the notebook's help syntax, "?name", "name?" and
// "??name" / "name??" (more detail), on a single line. Go has no '?'
// operator, so such a cell can be nothing else.
func pageRequest(code string) (name string, detail int, ok bool) {
	s := strings.TrimSpace(code)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return "", 0, false
	}
	switch {
	case strings.HasPrefix(s, "??"):
		name, detail = s[2:], 1
	case strings.HasPrefix(s, "?"):
		name = s[1:]
	case strings.HasSuffix(s, "??"):
		name, detail = s[:len(s)-2], 1
	case strings.HasSuffix(s, "?"):
		name = s[:len(s)-1]
	default:
		return "", 0, false
	}
	name = strings.TrimSpace(name)
	if !helpName.MatchString(name) {
		return "", 0, false
	}
	return name, detail, true
}

// helpName is what may follow or precede the '?': a name or a selector
// (pkg.Name, x.Method), so that a line like `x := 1 // why?` stays code.
var helpName = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$`)

// page answers a help cell: the engine's documentation for name goes in the
// execute_reply's payload, which front ends show in their pager. Nothing
// found is reported on stdout, as IPython does.
func (k *kernel) page(pub *cellPublisher, name string, detail int) []any {
	b, found := k.eng.Inspect(name, len([]rune(name)), detail)
	data, _ := bundleFields(b)
	if !found || len(data) == 0 {
		pub.Stream("stdout", "no documentation found for "+name+"\n")
		return []any{}
	}
	return []any{map[string]any{"source": "page", "data": data, "start": 0}}
}

var _ output.Publisher = (*cellPublisher)(nil)
