package symtypes

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// check type-checks src as package main with the yaegi stdlib importer.
func check(t *testing.T, im types.Importer, src string) error {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, 0)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	conf := types.Config{Importer: im}
	_, err = conf.Check("main", fset, []*ast.File{f}, nil)
	return err
}

var stdImporter = NewImporter(stdlib.Symbols)

func stdImporterTables() interp.Exports { return stdlib.Symbols }

func TestProgramsTypeCheck(t *testing.T) {
	programs := map[string]string{
		"fmt-strings-strconv": `package main
import ("fmt"; "strings"; "strconv")
func main() {
	var b strings.Builder
	b.WriteString("x")
	n, err := strconv.Atoi("12")
	if err != nil { var ne *strconv.NumError; _ = ne }
	fmt.Fprintf(&b, "%d %s", n, strings.ToUpper(b.String()))
	fields := strings.Fields(" a b ")
	_ = strings.Join(fields, ",") + strconv.Itoa(strconv.IntSize)
	r := strings.NewReplacer("a", "b")
	_ = r.Replace("abc")
}`,
		"math-time-sort": `package main
import ("math"; "time"; "sort")
type byLen []string
func (b byLen) Len() int { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int) { b[i], b[j] = b[j], b[i] }
func main() {
	x := math.Sqrt(2) * math.Pi
	var f32 float32 = math.MaxFloat32
	_ = math.Inf(1) + x + float64(f32)
	var i8 int8 = math.MaxInt8
	_ = i8
	d := 3 * time.Second + time.Duration(x) * time.Millisecond
	t0 := time.Now()
	el := time.Since(t0).Seconds() + d.Minutes()
	_ = t0.Add(d).Format(time.RFC3339) + time.January.String()
	var m time.Month = time.March
	_ = m
	_ = el
	s := []string{"ccc", "a", "bb"}
	sort.Sort(byLen(s))
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	sort.Ints([]int{3, 1})
	var _ sort.Interface = sort.StringSlice(s)
	tk := time.NewTicker(time.Second)
	<-tk.C
	tk.Stop()
	var ch <-chan time.Time = time.After(d)
	_ = ch
}`,
		"errors-os-bufio-bytes": `package main
import ("errors"; "os"; "bufio"; "bytes"; "io"; "fmt")
var errX = errors.New("x")
type myErr struct{ msg string }
func (e *myErr) Error() string { return e.msg }
func main() {
	err := fmt.Errorf("wrap: %w", errX)
	if errors.Is(err, errX) {}
	var me *myErr
	if errors.As(err, &me) { _ = me.msg }
	f, err := os.Open("x")
	if err != nil { return }
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() { _ = sc.Text() }
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	w.WriteString("hi")
	w.Flush()
	var r io.Reader = bytes.NewReader(buf.Bytes())
	data, _ := io.ReadAll(r)
	_ = bytes.Equal(data, []byte("hi"))
	fmt.Fprintln(os.Stderr, len(os.Args), os.Getenv("HOME"))
	info, _ := os.Stat("x")
	_ = info.Mode().IsDir() && info.Mode()&os.ModeDir != 0
	os.Exit(0)
}`,
		"regexp-sync-context-json-rand": `package main
import ("regexp"; "sync"; "context"; "encoding/json"; "math/rand"; "time")
type P struct { X int ` + "`json:\"x\"`" + `; Y []float64 }
func main() {
	re := regexp.MustCompile("a+")
	_ = re.FindAllString("aaa", -1)
	var mu sync.Mutex
	mu.Lock(); mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
	var once sync.Once
	once.Do(func() {})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	select { case <-ctx.Done(): _ = ctx.Err() ; default: }
	b, err := json.Marshal(P{X: 1})
	var p P
	err = json.Unmarshal(b, &p)
	_ = err
	var m map[string]any
	_ = json.NewDecoder(nil).Decode(&m)
	rng := rand.New(rand.NewSource(1))
	_ = rng.Float64() + rand.NormFloat64()
	_ = rand.Perm(10)
	rand.Shuffle(3, func(i, j int) {})
}`,
	}
	for name, src := range programs {
		t.Run(name, func(t *testing.T) {
			if err := check(t, stdImporter, src); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTypeErrorsDetected(t *testing.T) {
	cases := map[string]string{
		"wrong arg":           `package main; import "strings"; func main() { _ = strings.Repeat("a", "b") }`,
		"unknown func":        `package main; import "strings"; func main() { strings.NoSuch() }`,
		"unexported field":    `package main; import "strings"; func main() { var b strings.Builder; _ = b.buf }`,
		"ptr method on value": `package main; import "sync"; func main() { type T interface{ Lock() }; var m sync.Mutex; var _ T = m }`,
		"recv-only chan":      `package main; import "time"; func main() { time.After(1) <- time.Now() }`,
		"const overflow":      `package main; import "math"; func main() { var x int8 = math.MaxInt16; _ = x }`,
		"typed const":         `package main; import "time"; func main() { var x int64 = time.Second; _ = x }`,
		"not variadic":        `package main; import "strings"; func main() { _ = strings.ToUpper("a", "b") }`,
		"missing package":     `package main; import "no/such/pkg"; func main() {}`,
	}
	for name, src := range cases {
		if err := check(t, stdImporter, src); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestMatchesSourceImporter compares every exported object of a few packages
// with what the compiler's source importer builds from GOROOT.
func TestMatchesSourceImporter(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks GOROOT sources")
	}
	fset := token.NewFileSet()
	src := importer.ForCompiler(fset, "source", nil)
	for _, path := range []string{"strings", "strconv", "errors", "sort", "bufio", "io", "container/list"} {
		want, err := src.Import(path)
		if err != nil {
			t.Fatalf("source import %s: %v", path, err)
		}
		got, err := stdImporter.Import(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range want.Scope().Names() {
			wo := want.Scope().Lookup(name)
			if !wo.Exported() {
				continue
			}
			if fn, ok := wo.(*types.Func); ok && fn.Type().(*types.Signature).TypeParams() != nil {
				continue // yaegi extract drops generic funcs
			}
			if tn, ok := wo.(*types.TypeName); ok && (tn.IsAlias() || tn.Type().(*types.Named).TypeParams() != nil) {
				continue
			}
			g := got.Scope().Lookup(name)
			if g == nil {
				// The tables are generated for an older Go: only a symbol
				// the table has must appear.
				if _, inTable := stdlib.Symbols[path+"/"+want.Name()][name]; inTable {
					t.Errorf("%s.%s: missing", path, name)
				}
				continue
			}
			if ws, gs := describe(wo), describe(g); ws != gs {
				t.Errorf("%s.%s:\n got %s\nwant %s", path, name, gs, ws)
			}
		}
	}
}

// describe prints an object's kind, type and method sets in a normal form
// that ignores parameter names and the byte/uint8, any/interface{} spellings.
func describe(o types.Object) string {
	var b strings.Builder
	switch o := o.(type) {
	case *types.Const:
		b.WriteString("const " + norm(o.Type()) + " = " + o.Val().ExactString())
	case *types.Var:
		b.WriteString("var " + norm(o.Type()))
	case *types.Func:
		b.WriteString("func " + norm(o.Type()))
	case *types.TypeName:
		b.WriteString("type " + norm(o.Type().Underlying()))
		for _, t := range []types.Type{o.Type(), types.NewPointer(o.Type())} {
			ms := types.NewMethodSet(t)
			var names []string
			for i := 0; i < ms.Len(); i++ {
				if m := ms.At(i).Obj(); m.Exported() {
					names = append(names, m.Name()+norm(m.Type()))
				}
			}
			sort.Strings(names)
			b.WriteString(" | " + strings.Join(names, ", "))
		}
	}
	return b.String()
}

func norm(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		switch t.Kind() {
		case types.Byte:
			return "uint8"
		case types.Rune:
			return "int32"
		}
		return t.Name()
	case *types.Named:
		if t.Obj().Pkg() == nil {
			return t.Obj().Name()
		}
		return t.Obj().Pkg().Path() + "." + t.Obj().Name()
	case *types.Pointer:
		return "*" + norm(t.Elem())
	case *types.Slice:
		return "[]" + norm(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), norm(t.Elem()))
	case *types.Map:
		return "map[" + norm(t.Key()) + "]" + norm(t.Elem())
	case *types.Chan:
		return fmt.Sprintf("chan(%d) %s", t.Dir(), norm(t.Elem()))
	case *types.Signature:
		var ps, rs []string
		for i := 0; i < t.Params().Len(); i++ {
			ps = append(ps, norm(t.Params().At(i).Type()))
		}
		for i := 0; i < t.Results().Len(); i++ {
			rs = append(rs, norm(t.Results().At(i).Type()))
		}
		return fmt.Sprintf("func(%s) (%s) variadic=%v", strings.Join(ps, ","), strings.Join(rs, ","), t.Variadic())
	case *types.Interface:
		var ms []string
		for i := 0; i < t.NumMethods(); i++ {
			ms = append(ms, t.Method(i).Name()+norm(t.Method(i).Type()))
		}
		sort.Strings(ms)
		return "interface{" + strings.Join(ms, "; ") + "}"
	case *types.Struct:
		var fs []string
		for i := 0; i < t.NumFields(); i++ {
			f := t.Field(i)
			fs = append(fs, fmt.Sprintf("%s %v %s", f.Name(), f.Embedded(), norm(f.Type())))
		}
		return "struct{" + strings.Join(fs, "; ") + "}"
	}
	return t.String()
}

func TestRecursiveAndIdentity(t *testing.T) {
	im := NewImporter(stdlib.Symbols)
	bufio, err := im.Import("bufio")
	if err != nil {
		t.Fatal(err)
	}
	io, err := im.Import("io")
	if err != nil {
		t.Fatal(err)
	}
	nr := bufio.Scope().Lookup("NewReader").Type().(*types.Signature)
	if nr.Params().At(0).Type() != io.Scope().Lookup("Reader").Type() {
		t.Errorf("io.Reader reached from bufio is not io's io.Reader")
	}
	list, err := im.Import("container/list")
	if err != nil {
		t.Fatal(err)
	}
	elem := list.Scope().Lookup("Element").Type()
	next, _, _ := types.LookupFieldOrMethod(types.NewPointer(elem), false, list, "Next")
	if next == nil || !strings.Contains(next.Type().String(), "*container/list.Element") {
		t.Errorf("recursive type: Element.Next = %v", next)
	}
	again, _ := im.Import("container/list")
	if again != list {
		t.Errorf("package not cached")
	}
}

func TestConcurrentImports(t *testing.T) {
	im := NewImporter(stdlib.Symbols)
	var wg sync.WaitGroup
	paths := []string{"fmt", "os", "net/http", "bufio", "io", "strings", "time", "encoding/json"}
	for i := 0; i < 4; i++ {
		for _, p := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := im.Import(p); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
}
