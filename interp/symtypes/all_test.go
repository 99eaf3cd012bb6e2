package symtypes

import (
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interp/exports"
	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestEveryTable converts every package of yaegi's standard library and of
// the project's tables, and checks that every symbol is in its scope.
func TestEveryTable(t *testing.T) {
	if testing.Short() {
		t.Skip("converts every package")
	}
	for _, tables := range []interp.Exports{stdlib.Symbols, exports.Symbols} {
		im := NewImporter(tables)
		for key, syms := range tables {
			i := strings.LastIndex(key, "/")
			if i <= 0 {
				continue
			}
			pkg, err := im.Import(key[:i])
			if err != nil {
				t.Errorf("%s: %v", key, err)
				continue
			}
			if pkg.Name() != key[i+1:] {
				t.Errorf("%s: package name %q", key, pkg.Name())
			}
			for name := range syms {
				if strings.HasPrefix(name, "_") {
					continue
				}
				if pkg.Scope().Lookup(name) == nil {
					t.Errorf("%s: %s missing", key, name)
				}
			}
		}
	}
}
