package docindex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Generate returns the JSON index (a list of Package sorted by
// path) of the packages matched by patterns under the module at root.
func Generate(root string, patterns []string) ([]byte, error) {
	if root == "" {
		var err error
		if root, err = FindRoot(); err != nil {
			return nil, err
		}
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("reading module: %w", err)
	}
	modPath := modulePath(gomod)
	if modPath == "" {
		return nil, fmt.Errorf("no module path in %s", filepath.Join(root, "go.mod"))
	}
	seen := map[string]bool{}
	var dirs []string
	for _, pat := range patterns {
		rel, all := strings.CutSuffix(pat, "/...")
		start := filepath.Join(root, filepath.FromSlash(rel))
		if _, err := os.Stat(start); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			name := d.Name()
			if p != start && (!all || name == "internal" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if !seen[p] {
				seen[p] = true
				dirs = append(dirs, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", pat, err)
		}
	}
	var pkgs []*Package
	for _, dir := range dirs {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return nil, fmt.Errorf("locating %s: %w", dir, err)
		}
		p, err := Load(dir, path.Join(modPath, filepath.ToSlash(rel)))
		if err != nil {
			if strings.Contains(err.Error(), "no Go files") {
				continue
			}
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b *Package) int { return strings.Compare(a.Path, b.Path) })
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pkgs); err != nil {
		return nil, fmt.Errorf("encoding index: %w", err)
	}
	return b.Bytes(), nil
}

// modulePath returns the path in go.mod's module directive.
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// FindRoot returns the directory holding go.mod at or above the current
// directory.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding module root: no go.mod above the current directory")
		}
		dir = parent
	}
}
