package rewrite

import "testing"

func TestSource(t *testing.T) {
	s := newSession(t)
	for _, c := range []string{
		`x := 1

// square returns v*v.
// It is a teaching example.
func square(v float64) float64 {
	return v * v
}`,
		`// P is a point.
type P struct{ X, Y float64 }

// Norm is its length.
func (p P) Norm() float64 { return p.X*p.X + p.Y*p.Y }
type (
	// Celsius is a temperature.
	Celsius float64
	Kelvin  float64
)
// Limits of the run.
const (
	Lo = 1
	Hi = 2
)
y := 2 // not a declaration
func helper() {}`,
		// A redefinition replaces the source; its doc goes with it.
		`func square(v float64) float64 { return v * v * 1 }`,
		`fmt := 3`,
	} {
		if _, _, err := s.run(c); err != "" {
			t.Fatalf("%s: %s", c, err)
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"square", "func square(v float64) float64 { return v * v * 1 }"},
		{"P", "// P is a point.\ntype P struct{ X, Y float64 }"},
		{"P.Norm", "// Norm is its length.\nfunc (p P) Norm() float64 { return p.X*p.X + p.Y*p.Y }"},
		{"Celsius", "// Celsius is a temperature.\ntype Celsius float64"},
		{"Kelvin", "type Kelvin  float64"},
		{"Hi", "// Limits of the run.\nconst (\n\tLo = 1\n\tHi = 2\n)"},
		{"helper", "func helper() {}"},
	} {
		if got, ok := s.prog.Source(tc.name); !ok || got != tc.want {
			t.Errorf("Source(%s) = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
	for _, name := range []string{"x", "y", "fmt", "nothing", "P.Missing"} {
		if got, ok := s.prog.Source(name); ok {
			t.Errorf("Source(%s) = %q, want none", name, got)
		}
	}
	// The first version of square had a doc comment.
	s2 := newSession(t)
	s2.run("// cube returns v³.\nfunc cube(v float64) float64 { return v * v * v }")
	if got, _ := s2.prog.Source("cube"); got != "// cube returns v³.\nfunc cube(v float64) float64 { return v * v * v }" {
		t.Errorf("Source(cube) = %q", got)
	}
}
