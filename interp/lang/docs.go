package lang

import (
	_ "embed" // for the project's documentation index
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gonnlab/gonn/interp/lang/internal/docindex"
)

//go:generate go run ./internal/gendocs -o projectdocs.json output interrupt display/... nnlib/... accel

// projectDocsJSON is the documentation of the project's own packages,
// embedded so that Inspect shows it wherever the binary runs. Regenerate
// it with `go generate ./interp/lang` after changing a doc comment.
//
//go:embed projectdocs.json
var projectDocsJSON []byte

// modulePath prefixes the import paths of the project's packages.
const modulePath = "github.com/gonnlab/gonn/"

// projectDocs decodes the embedded index once; it is read-only afterwards.
var projectDocs = sync.OnceValue(func() map[string]*docindex.Package {
	var pkgs []*docindex.Package
	m := map[string]*docindex.Package{}
	if err := json.Unmarshal(projectDocsJSON, &pkgs); err != nil {
		return m // a broken index only costs the docs; the test catches it
	}
	for _, p := range pkgs {
		m[p.Path] = p
	}
	return m
})

// A DocCache holds the documentation read from GOROOT's sources, per
// package, so each package is parsed once. It is safe for concurrent use;
// the zero value is not usable, call NewDocCache.
type DocCache struct {
	mu   sync.Mutex
	pkgs map[string]*docindex.Package // by GOROOT and path; nil when absent
}

// NewDocCache returns an empty cache.
func NewDocCache() *DocCache {
	return &DocCache{pkgs: map[string]*docindex.Package{}}
}

// sharedDocs is the cache used when Env.Docs is nil.
var sharedDocs = NewDocCache()

// docs returns the documentation of the package at path, or nil.
func (e *Env) docs(path string) *docindex.Package {
	if strings.HasPrefix(path+"/", modulePath) {
		return projectDocs()[path]
	}
	if e.GOROOT == "" || !isStdPath(path) {
		return nil
	}
	c := e.Docs
	if c == nil {
		c = sharedDocs
	}
	key := e.GOROOT + "\x00" + path
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pkgs[key]; ok {
		return p
	}
	p, err := docindex.Load(filepath.Join(e.GOROOT, "src", filepath.FromSlash(path)), path)
	if err != nil {
		p = nil
	}
	c.pkgs[key] = p
	return p
}

// isStdPath reports whether path looks like a standard library package (no
// dot in its first element).
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return path != "" && !strings.Contains(first, ".") && !strings.Contains(path, "..")
}

// Preload reads the documentation of the standard library packages at
// paths under goroot into the cache, so that the first Inspect of them is
// as fast as the next ones; sessions call it in the background at start.
func (c *DocCache) Preload(goroot string, paths ...string) {
	env := Env{GOROOT: goroot, Docs: c}
	for _, p := range paths {
		env.docs(p)
	}
}
