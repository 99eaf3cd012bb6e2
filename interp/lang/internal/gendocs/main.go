// Command gendocs writes the documentation index of the project's own
// packages, which lang embeds so that Inspect shows their docs wherever the
// gonn binary runs. It is run by `go generate` in interp/lang:
//
//	gendocs [-root DIR] -o FILE PATTERN...
//
// A PATTERN is a package directory relative to the module root ("output"),
// or one followed by "/..." for it and every package below it, internal and
// testdata directories excluded. Patterns that match no directory are
// skipped, so packages can be listed before they exist.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gonnlab/gonn/interp/lang/internal/docindex"
)

func main() {
	root := flag.String("root", "", "module root (default: the directory holding go.mod above the current one)")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()
	data, err := docindex.Generate(*root, flag.Args())
	if err == nil {
		if *out == "" {
			_, err = os.Stdout.Write(data)
		} else {
			err = os.WriteFile(*out, data, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
