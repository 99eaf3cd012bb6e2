package install_test

import (
	"fmt"
	"os"

	"github.com/gonnlab/gonn/install"
)

func ExampleKernelJSON() {
	b, err := install.KernelJSON("/usr/local/bin/gonn")
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(b)
	// Output:
	// {
	//  "argv": [
	//   "/usr/local/bin/gonn",
	//   "kernel",
	//   "{connection_file}"
	//  ],
	//  "display_name": "Go (gonn)",
	//  "interrupt_mode": "message",
	//  "language": "go",
	//  "metadata": {
	//   "debugger": false
	//  }
	// }
}
