package kernel

import "testing"

func TestPageRequest(t *testing.T) {
	for code, want := range map[string]struct {
		name   string
		detail int
		ok     bool
	}{
		"?fmt.Println":   {"fmt.Println", 0, true},
		"fmt.Println?":   {"fmt.Println", 0, true},
		"??tensor.Randn": {"tensor.Randn", 1, true},
		"x??":            {"x", 1, true},
		"  ? x  ":        {"x", 0, true},
		"?":              {"", 0, false},
		"??":             {"", 0, false},
		"???":            {"", 0, false},
		"a?b?":           {"", 0, false},
		"x := 1":         {"", 0, false},
		"?x\ny":          {"", 0, false},
		`s := "why?"`:    {"", 0, false},
		"x := 1 // why?": {"", 0, false},
		"input Name? ":   {"", 0, false},
		"?fmt.":          {"", 0, false},
		"?données.Étape": {"données.Étape", 0, true},
	} {
		name, detail, ok := pageRequest(code)
		if name != want.name || detail != want.detail || ok != want.ok {
			t.Errorf("pageRequest(%q) = %q, %d, %v; want %q, %d, %v", code, name, detail, ok, want.name, want.detail, want.ok)
		}
	}
}
