package lang

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gonnlab/gonn/interp/lang/internal/docindex"
)

// generateArgs returns the package patterns of docs.go's go:generate line,
// the one place they are listed.
func generateArgs(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("docs.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run ./internal/gendocs -o projectdocs.json "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("no go:generate line for gendocs in docs.go")
	return nil
}

// TestProjectDocsFresh fails when a doc comment of the project changed
// without `go generate ./interp/lang`.
func TestProjectDocsFresh(t *testing.T) {
	root, err := docindex.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := docindex.Generate(root, generateArgs(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, projectDocsJSON) {
		t.Errorf("interp/lang/projectdocs.json is stale: run go generate ./interp/lang")
	}
	for _, path := range []string{"github.com/gonnlab/gonn/output", "github.com/gonnlab/gonn/interrupt"} {
		if projectDocs()[path] == nil {
			t.Errorf("%s missing from the embedded index", path)
		}
	}
}

func TestDocCache(t *testing.T) {
	env := testEnv()
	env.Docs = NewDocCache()
	p := env.docs("strings")
	if p == nil || p.Entries["Builder"] == nil {
		t.Fatalf("strings docs: %v", p)
	}
	if env.docs("strings") != p {
		t.Errorf("second lookup parsed again")
	}
	for _, path := range []string{"nosuch/pkg", "example.com/x", "../etc", ""} {
		if env.docs(path) != nil {
			t.Errorf("docs(%q) found something", path)
		}
	}
	c := NewDocCache()
	start := time.Now()
	c.Preload(env.GOROOT, "fmt", "strings", "nosuch")
	t.Logf("preloading fmt and strings: %v", time.Since(start))
	if len(c.pkgs) != 3 || c.pkgs[env.GOROOT+"\x00fmt"] == nil || c.pkgs[env.GOROOT+"\x00nosuch"] != nil {
		t.Errorf("preloaded %v", c.pkgs)
	}
	env.GOROOT = t.TempDir()
	if env.docs("fmt") != nil {
		t.Errorf("docs from an empty GOROOT")
	}
}

// TestConcurrent asks questions from several goroutines at once, as a
// kernel may (run with -race).
func TestConcurrent(t *testing.T) {
	env := testEnv()
	env.Docs = NewDocCache()
	done := make(chan bool)
	for i := range 4 {
		go func() {
			defer func() { done <- true }()
			for range 5 {
				if m, _, _, _ := Complete("fmt.Pri", 7, env); len(m) != 3 {
					t.Errorf("goroutine %d: %v", i, m)
				}
				if text, _ := Inspect("strings.Builder", 10, 1, env); !strings.Contains(text, "A Builder") {
					t.Errorf("goroutine %d: %q", i, text)
				}
				IsComplete("for {")
			}
		}()
	}
	for range 4 {
		<-done
	}
}
