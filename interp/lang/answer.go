package lang

import (
	"go/doc/comment"
	"strings"

	"github.com/gonnlab/gonn/interp/lang/internal/docindex"
)

// An answer is what Inspect shows, in parts that plain text and Markdown
// render differently.
type answer []part

type partKind int

const (
	partCode  partKind = iota // Go declarations
	partDoc                   // a doc comment, in Go's doc comment syntax
	partValue                 // a printed value
	partPath                  // not shown: the import path doc links resolve in
)

type part struct {
	kind partKind
	text string
}

// in records the package whose doc comments the answer quotes.
func (a answer) in(path string) answer {
	return append(a, part{partPath, path})
}

// text renders the answer as plain text: the parts separated by blank
// lines.
func (a answer) text() string {
	var parts []string
	for _, p := range a {
		if p.kind != partPath && strings.TrimSpace(p.text) != "" {
			parts = append(parts, strings.TrimRight(p.text, "\n"))
		}
	}
	return strings.Join(parts, "\n\n")
}

// markdown renders the answer as Markdown: code in Go blocks, doc
// comments converted (links to the standard library's names go to
// pkg.go.dev), values in plain blocks.
func (a answer) markdown(env *Env) string {
	path := ""
	for _, p := range a {
		if p.kind == partPath {
			path = p.text
		}
	}
	var parts []string
	for _, p := range a {
		if strings.TrimSpace(p.text) == "" {
			continue
		}
		switch p.kind {
		case partCode:
			parts = append(parts, fence("go", p.text))
		case partValue:
			parts = append(parts, fence("", p.text))
		case partDoc:
			parts = append(parts, strings.TrimRight(docMarkdown(p.text, path, env.docs(path)), "\n"))
		}
	}
	return strings.Join(parts, "\n\n")
}

// fence puts s in a fenced code block longer than any backtick run in it.
func fence(lang, s string) string {
	f := "```"
	for strings.Contains(s, f) {
		f += "`"
	}
	return f + lang + "\n" + strings.TrimRight(s, "\n") + "\n" + f
}

// docMarkdown converts a doc comment of the package at path (documented by
// pkg, which may be nil) to Markdown.
func docMarkdown(text, path string, pkg *docindex.Package) string {
	p := comment.Parser{
		LookupSym: func(recv, name string) bool {
			if pkg == nil {
				return false
			}
			if recv != "" {
				name = recv + "." + name
			}
			return pkg.Entries[name] != nil
		},
	}
	doc := p.Parse(text)
	pr := comment.Printer{
		DocLinkURL: func(l *comment.DocLink) string {
			ip := l.ImportPath
			if ip == "" {
				ip = path
			}
			if ip == "" || !isStdPath(ip) {
				return ""
			}
			anchor := l.Name
			if l.Recv != "" {
				anchor = l.Recv + "." + l.Name
			}
			if anchor != "" {
				anchor = "#" + anchor
			}
			return "https://pkg.go.dev/" + ip + anchor
		},
	}
	return string(pr.Markdown(doc))
}
