package interp_test

import (
	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/kernel"
)

// *interp.Session is what the kernel serves.
var _ kernel.Engine = (*interp.Session)(nil)
