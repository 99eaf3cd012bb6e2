package lang

import (
	"testing"
	"unicode/utf8"
)

// FuzzServices checks that no cell and cursor makes the services panic or
// return an inconsistent answer.
func FuzzServices(f *testing.F) {
	for _, seed := range []string{
		"fmt.Pri", "p.Next().", "for i := 0; i < 3; i++ {\n\tp.", "x := []P{{X", "func (", "func (p *P) M",
		"type T struct{ a T }\nvar t T\nt.a.a.", "s := `raw", "/* c", "%time x :=", "import (\n\t\"fmt\"\n)\nfmt.",
		"x := map[string][]P{}\nx[\"a\"][0].", "go func() {\n\tp.", "switch v := shape.(type) {\ncase P:\n\tv.",
		"var _ = P{}.", "\"é\"; ß.", ")))", "{{{{", "func f[T any](x T) { x.", "defer p.", "goto L\nL: p.",
		"select {\ncase x := <-ch:\n\tx.", "type I interface{ M() }\nvar i I\ni.", "label:\nfor {\n\tbreak label\n}\np.",
	} {
		f.Add(seed, len(seed))
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, src string, cursor int) {
		if !utf8.ValidString(src) || len(src) > 2000 {
			return
		}
		n := utf8.RuneCountInString(src)
		if cursor < 0 || cursor > n {
			cursor = n
		}
		m, start, end, kinds := Complete(src, cursor, env)
		if len(m) != len(kinds) || start < 0 || start > end || end > n {
			t.Errorf("Complete(%q, %d): %d matches, %d kinds, [%d, %d)", src, cursor, len(m), len(kinds), start, end)
		}
		Inspect(src, cursor, 0, env)
		Inspect(src, cursor, 1, env)
		switch status, _ := IsComplete(src); status {
		case "complete", "incomplete", "invalid":
		default:
			t.Errorf("IsComplete(%q) = %q", src, status)
		}
	})
}
