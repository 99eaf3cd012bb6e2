package kernel_test

import (
	"fmt"

	"github.com/gonnlab/gonn/kernel"
)

// The signature schemes a connection file may name.
func ExampleSchemes() {
	for _, s := range kernel.Schemes() {
		fmt.Println(s)
	}
	// Output:
	// hmac-blake2b
	// hmac-blake2s
	// hmac-md5
	// hmac-sha1
	// hmac-sha224
	// hmac-sha256
	// hmac-sha384
	// hmac-sha3_224
	// hmac-sha3_256
	// hmac-sha3_384
	// hmac-sha3_512
	// hmac-sha512
}
