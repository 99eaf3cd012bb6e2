package accel_test

import (
	"fmt"

	"github.com/gonnlab/gonn/accel"
)

func ExampleSgemm() {
	// C = A*B with A 2x3 and B 3x2, all row-major.
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float32, 2*2)
	accel.Sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)
	// Output: [58 64 139 154]
}

func ExampleDgemm_transpose() {
	// C = 2*A^T*A + C: A is stored as 2x3, so A^T*A is 3x3.
	a := []float64{
		1, 0, 2,
		0, 1, 1,
	}
	c := []float64{
		1, 1, 1,
		1, 1, 1,
		1, 1, 1,
	}
	accel.Dgemm(true, false, 3, 3, 2, 2, a, 3, a, 3, 1, c, 3)
	fmt.Println(c)
	// Output: [3 1 5 1 3 3 5 3 11]
}

func ExampleNewCPU() {
	// Force the portable Go kernels, as the tests do for every kernel family.
	b, err := accel.NewCPU(accel.CPUOptions{Kernel: "generic", Threads: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Name())
	// Output: cpu/generic
}
