//go:build ignore

// gen writes the kernelspec logos that install embeds. Run it with
// `go generate ./install`; TestLogosUpToDate fails when they are stale.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/gonnlab/gonn/install/internal/logo"
)

func main() {
	for _, size := range []int{32, 64} {
		b, err := logo.PNG(size)
		if err != nil {
			log.Fatal(err)
		}
		write(fmt.Sprintf("logo-%dx%d.png", size, size), b)
	}
	write("logo-svg.svg", logo.SVG())
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join("spec", name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
