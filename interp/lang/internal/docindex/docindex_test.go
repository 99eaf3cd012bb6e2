package docindex

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

func goroot(t *testing.T) string {
	t.Helper()
	r := build.Default.GOROOT
	if r == "" {
		t.Skip("GOROOT unknown")
	}
	return r
}

func TestLoadStdlib(t *testing.T) {
	root := goroot(t)
	tests := []struct {
		path, key  string
		declHas    []string
		docHas     string
		relatedHas string
	}{
		{"fmt", "Println", []string{"func Println(a ...any) (n int, err error)"}, "Println formats using the default formats", ""},
		{"fmt", "Stringer", []string{"type Stringer interface", "String() string"}, "Stringer is implemented by any value", ""},
		{"fmt", "Stringer.String", []string{"String() string"}, "", ""},
		{"bytes", "Buffer", []string{"type Buffer struct", "contains filtered or unexported fields"}, "A Buffer is a variable-sized buffer", "Buffer.WriteString"},
		{"bytes", "Buffer.WriteString", []string{"func (b *Buffer) WriteString(s string) (n int, err error)"}, "WriteString appends the contents", ""},
		{"bytes", "NewBuffer", []string{"func NewBuffer(buf []byte) *Buffer"}, "NewBuffer creates", ""},
		{"builtin", "len", []string{"func len(v Type) int"}, "The len built-in function", ""},
		{"builtin", "error", []string{"type error interface"}, "The error built-in interface type", ""},
		{"net/http", "MethodGet", []string{"MethodGet", "\"GET\"", "MethodPost"}, "Common HTTP methods", ""},
		{"net/http", "Client.Timeout", []string{"Timeout time.Duration"}, "Timeout specifies a time limit", ""},
		{"math", "Pi", []string{"Pi", "="}, "Mathematical constants", ""},
		{"strings", "Builder", []string{"type Builder struct"}, "A Builder is used", "Builder.String"},
	}
	cache := map[string]*Package{}
	for _, tt := range tests {
		p := cache[tt.path]
		if p == nil {
			var err error
			p, err = Load(filepath.Join(root, "src", filepath.FromSlash(tt.path)), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			cache[tt.path] = p
		}
		e := p.Entries[tt.key]
		if e == nil {
			t.Errorf("%s: no entry %q", tt.path, tt.key)
			continue
		}
		for _, s := range tt.declHas {
			if !strings.Contains(e.Decl, s) {
				t.Errorf("%s.%s: decl %q lacks %q", tt.path, tt.key, e.Decl, s)
			}
		}
		if !strings.Contains(e.Doc, tt.docHas) {
			t.Errorf("%s.%s: doc %q lacks %q", tt.path, tt.key, e.Doc, tt.docHas)
		}
		if tt.relatedHas != "" && !strings.Contains(strings.Join(e.Related, " "), tt.relatedHas) {
			t.Errorf("%s.%s: related %v lacks %q", tt.path, tt.key, e.Related, tt.relatedHas)
		}
	}
	if p := cache["fmt"]; p.Name != "fmt" || !strings.HasPrefix(p.Doc, "Package fmt implements") {
		t.Errorf("fmt package: name %q doc %.40q", p.Name, p.Doc)
	}
	if _, ok := cache["bytes"].Entries["Buffer.buf"]; ok {
		t.Errorf("unexported field indexed")
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(t.TempDir(), "empty"); err == nil || !strings.Contains(err.Error(), "no Go files") {
		t.Errorf("empty dir: err = %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), "missing"); err == nil {
		t.Errorf("missing dir: no error")
	}
}
