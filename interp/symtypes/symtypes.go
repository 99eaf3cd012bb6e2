// Package symtypes builds go/types packages from yaegi symbol tables, so that
// cells can be type-checked (and completed) against exactly the packages the
// interpreter offers.
//
// A yaegi table (interp.Exports) maps "import/path/pkgname" to the package's
// exported symbols as reflect values, encoded the way `yaegi extract` writes
// them:
//
//   - types as a nil pointer to the type: reflect.ValueOf((*T)(nil));
//   - variables as an addressable value: reflect.ValueOf(&V).Elem();
//   - functions as the function value;
//   - untyped constants as a go/constant.Value;
//   - typed constants as a plain (non-addressable) value of their type;
//   - names starting with "_" are interface wrappers for the interpreter and
//     are not part of the package.
//
// Types reached through symbols (parameter types, fields, methods) are
// converted from reflect.Type, recursively; named types keep their package,
// so io.Reader reached from bufio is the same *types.Named as the one io
// exports. Unexported struct fields and unexported named types are converted
// too (reflect reports them), but reflect lists only exported methods, so the
// method sets of converted types are the exported ones.
package symtypes

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
)

// Importer resolves import paths to packages built from yaegi symbol tables.
// It implements types.Importer; it is safe for concurrent use and builds each
// package once, on its first import.
type Importer struct {
	mu      sync.Mutex
	symbols map[string]map[string]reflect.Value // import path -> symbols
	names   map[string]string                   // import path -> package name
	pkgs    map[string]*types.Package           // every package seen, complete or not
	done    map[string]bool                     // packages whose scope is filled
	conv    map[reflect.Type]types.Type
}

// NewImporter returns an Importer over the union of tables. A path present
// in several tables gets the union of their symbols (later tables win).
func NewImporter(tables ...interp.Exports) *Importer {
	im := &Importer{
		symbols: map[string]map[string]reflect.Value{},
		names:   map[string]string{},
		pkgs:    map[string]*types.Package{},
		done:    map[string]bool{},
		conv:    map[reflect.Type]types.Type{},
	}
	for _, t := range tables {
		for key, syms := range t {
			i := strings.LastIndex(key, "/")
			if i <= 0 {
				continue // "" holds yaegi's internal symbols
			}
			path, name := key[:i], key[i+1:]
			m := im.symbols[path]
			if m == nil {
				m = map[string]reflect.Value{}
				im.symbols[path] = m
			}
			for k, v := range syms {
				m[k] = v
			}
			im.names[path] = name
		}
	}
	return im
}

// Paths returns the import paths the Importer knows, sorted.
func (im *Importer) Paths() []string {
	paths := make([]string, 0, len(im.symbols))
	for p := range im.symbols {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Import returns the package for path, or an error when no table has it.
func (im *Importer) Import(path string) (*types.Package, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	syms, ok := im.symbols[path]
	if !ok {
		return nil, fmt.Errorf("symtypes: package %q is not available in the interpreter", path)
	}
	pkg := im.pkg(path)
	if im.done[path] {
		return pkg, nil
	}
	im.done[path] = true
	names := make([]string, 0, len(syms))
	for n := range syms {
		names = append(names, n)
	}
	sort.Strings(names)
	scope := pkg.Scope()
	for _, name := range names {
		if strings.HasPrefix(name, "_") || !token.IsExported(name) {
			continue
		}
		if obj := im.object(pkg, name, syms[name]); obj != nil && scope.Lookup(name) == nil {
			scope.Insert(obj)
		}
	}
	pkg.MarkComplete()
	return pkg, nil
}

var constantValue = reflect.TypeOf((*constant.Value)(nil)).Elem()

// object converts one symbol into the object pkg exports under name.
func (im *Importer) object(pkg *types.Package, name string, v reflect.Value) types.Object {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	switch {
	case t.Implements(constantValue) && t.Kind() != reflect.Interface:
		c := v.Interface().(constant.Value)
		return types.NewConst(token.NoPos, pkg, name, untypedOf(c), c)
	case t.Kind() == reflect.Pointer && v.IsNil() && !v.CanAddr():
		named, ok := im.typ(t.Elem()).(*types.Named)
		if ok && named.Obj().Pkg() == pkg && named.Obj().Name() == name {
			return named.Obj()
		}
		// An alias (type A = B) is exported under a name that differs from
		// the type's own.
		return types.NewTypeName(token.NoPos, pkg, name, im.typ(t.Elem()))
	case v.CanAddr():
		return types.NewVar(token.NoPos, pkg, name, im.typ(t))
	case t.Kind() == reflect.Func:
		return types.NewFunc(token.NoPos, pkg, name, im.typ(t).(*types.Signature))
	}
	if c, ok := constOf(v); ok {
		return types.NewConst(token.NoPos, pkg, name, im.typ(t), c)
	}
	return types.NewVar(token.NoPos, pkg, name, im.typ(t))
}

// untypedOf returns the untyped basic type of a constant value.
func untypedOf(c constant.Value) types.Type {
	switch c.Kind() {
	case constant.Bool:
		return types.Typ[types.UntypedBool]
	case constant.String:
		return types.Typ[types.UntypedString]
	case constant.Int:
		return types.Typ[types.UntypedInt]
	case constant.Float:
		return types.Typ[types.UntypedFloat]
	case constant.Complex:
		return types.Typ[types.UntypedComplex]
	}
	return types.Typ[types.Invalid]
}

// constOf returns the constant value of a typed constant symbol.
func constOf(v reflect.Value) (constant.Value, bool) {
	switch v.Kind() {
	case reflect.Bool:
		return constant.MakeBool(v.Bool()), true
	case reflect.String:
		return constant.MakeString(v.String()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return constant.MakeInt64(v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return constant.MakeUint64(v.Uint()), true
	case reflect.Float32, reflect.Float64:
		return constant.MakeFloat64(v.Float()), true
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return constant.BinaryOp(constant.MakeFloat64(real(c)), token.ADD,
			constant.MakeImag(constant.MakeFloat64(imag(c)))), true
	}
	return nil, false
}

// pkg returns the (possibly still empty) package for path.
func (im *Importer) pkg(path string) *types.Package {
	if p := im.pkgs[path]; p != nil {
		return p
	}
	name := im.names[path]
	if name == "" {
		name = path[strings.LastIndex(path, "/")+1:]
	}
	p := types.NewPackage(path, name)
	im.pkgs[path] = p
	return p
}

var (
	errorType  = reflect.TypeOf((*error)(nil)).Elem()
	basicKinds = map[reflect.Kind]types.BasicKind{
		reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8,
		reflect.Int16: types.Int16, reflect.Int32: types.Int32, reflect.Int64: types.Int64,
		reflect.Uint: types.Uint, reflect.Uint8: types.Uint8, reflect.Uint16: types.Uint16,
		reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64, reflect.Uintptr: types.Uintptr,
		reflect.Float32: types.Float32, reflect.Float64: types.Float64,
		reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128,
		reflect.String: types.String, reflect.UnsafePointer: types.UnsafePointer,
	}
)

// typ converts t. Named types are registered before their underlying type and
// methods are converted, so recursive types terminate.
func (im *Importer) typ(t reflect.Type) types.Type {
	if tt, ok := im.conv[t]; ok {
		return tt
	}
	if t == errorType {
		return types.Universe.Lookup("error").Type()
	}
	if t.Name() != "" && t.PkgPath() != "" {
		return im.named(t)
	}
	var tt types.Type
	if k, ok := basicKinds[t.Kind()]; ok {
		tt = types.Typ[k]
	} else {
		tt = im.literal(t, nil)
	}
	im.conv[t] = tt
	return tt
}

// named converts a defined type with a package.
func (im *Importer) named(t reflect.Type) types.Type {
	pkg := im.pkg(t.PkgPath())
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		// An instantiated generic type: keep it opaque under a name that
		// cannot be written in source.
		name = name[:i] + "·inst"
	}
	obj := types.NewTypeName(token.NoPos, pkg, name, nil)
	named := types.NewNamed(obj, nil, nil)
	im.conv[t] = named
	if k, ok := basicKinds[t.Kind()]; ok {
		named.SetUnderlying(types.Typ[k])
	} else {
		named.SetUnderlying(im.literal(t, pkg))
	}
	if t.Kind() == reflect.Interface {
		return named
	}
	// Methods: those of T have value receivers; those only in *T's set have
	// pointer receivers.
	value := map[string]bool{}
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		value[m.Name] = true
		recv := types.NewVar(token.NoPos, pkg, "", named)
		named.AddMethod(types.NewFunc(token.NoPos, pkg, m.Name, im.signature(m.Type, recv, true)))
	}
	pt := reflect.PointerTo(t)
	for i := 0; i < pt.NumMethod(); i++ {
		m := pt.Method(i)
		if value[m.Name] {
			continue
		}
		recv := types.NewVar(token.NoPos, pkg, "", types.NewPointer(named))
		named.AddMethod(types.NewFunc(token.NoPos, pkg, m.Name, im.signature(m.Type, recv, true)))
	}
	return named
}

// literal converts the structure of t (its underlying type). pkg is the
// package of the named type being built, if any.
func (im *Importer) literal(t reflect.Type, pkg *types.Package) types.Type {
	switch t.Kind() {
	case reflect.Pointer:
		return types.NewPointer(im.typ(t.Elem()))
	case reflect.Slice:
		return types.NewSlice(im.typ(t.Elem()))
	case reflect.Array:
		return types.NewArray(im.typ(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return types.NewMap(im.typ(t.Key()), im.typ(t.Elem()))
	case reflect.Chan:
		dir := types.SendRecv
		switch t.ChanDir() {
		case reflect.SendDir:
			dir = types.SendOnly
		case reflect.RecvDir:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, im.typ(t.Elem()))
	case reflect.Func:
		return im.signature(t, nil, false)
	case reflect.Struct:
		fields := make([]*types.Var, t.NumField())
		tags := make([]string, t.NumField())
		for i := range fields {
			f := t.Field(i)
			fpkg := pkg
			if f.PkgPath != "" {
				fpkg = im.pkg(f.PkgPath)
			}
			name := f.Name
			if strings.IndexByte(name, '[') >= 0 {
				name = name[:strings.IndexByte(name, '[')]
			}
			fields[i] = types.NewField(token.NoPos, fpkg, name, im.typ(f.Type), f.Anonymous)
			tags[i] = string(f.Tag)
		}
		return types.NewStruct(fields, tags)
	case reflect.Interface:
		var methods []*types.Func
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			mpkg := pkg
			if m.PkgPath != "" {
				mpkg = im.pkg(m.PkgPath)
			}
			methods = append(methods, types.NewFunc(token.NoPos, mpkg, m.Name, im.signature(m.Type, nil, false)))
		}
		it := types.NewInterfaceType(methods, nil)
		it.Complete()
		return it
	}
	if k, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[k]
	}
	return types.Typ[types.Invalid]
}

// signature converts a func type. With method set, t's first parameter is
// the receiver and is dropped in favour of recv.
func (im *Importer) signature(t reflect.Type, recv *types.Var, method bool) *types.Signature {
	first := 0
	if method {
		first = 1
	}
	params := make([]*types.Var, 0, t.NumIn())
	for i := first; i < t.NumIn(); i++ {
		params = append(params, types.NewParam(token.NoPos, nil, "", im.typ(t.In(i))))
	}
	results := make([]*types.Var, t.NumOut())
	for i := range results {
		results[i] = types.NewParam(token.NoPos, nil, "", im.typ(t.Out(i)))
	}
	return types.NewSignatureType(recv, nil, nil, types.NewTuple(params...), types.NewTuple(results...), t.IsVariadic())
}
