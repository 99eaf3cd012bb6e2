package lang

import (
	"go/types"
	"strings"
)

// userName maps an internal name to the user's.
func (e *Env) userName(name string) string {
	if e.UserName == nil {
		return name
	}
	return e.UserName(name)
}

// internal reports whether a name is the machinery's (or a versioned name
// UserName did not map), never shown.
func internal(name string) bool {
	return strings.Contains(name, "__gonn") || name == "_"
}

// programObjects returns the objects of the user's earlier declarations,
// one per name the user wrote: a versioned object is renamed to the user's
// name (the newest version wins) and internal names are left out.
func (e *Env) programObjects() []types.Object {
	if e.Program == nil {
		return nil
	}
	scope := e.Program.Scope()
	best := map[string]types.Object{}
	var order []string
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		u := e.userName(name)
		if strings.HasPrefix(name, "__gonn") || internal(u) || u == "" {
			continue
		}
		old, ok := best[u]
		if !ok {
			order = append(order, u)
			best[u] = obj
			continue
		}
		if newer(obj, old, u) {
			best[u] = obj
		}
	}
	objs := make([]types.Object, 0, len(order))
	for _, u := range order {
		obj := best[u]
		if obj.Name() != u {
			obj = rename(obj, u)
		}
		if obj != nil {
			objs = append(objs, obj)
		}
	}
	return objs
}

// newer reports whether a is a newer version than b of the user's name u:
// the unversioned name first, then the later declaration, then the longer
// (higher-numbered) name.
func newer(a, b types.Object, u string) bool {
	if (a.Name() == u) != (b.Name() == u) {
		return a.Name() == u
	}
	if a.Pos() != b.Pos() && a.Pos().IsValid() && b.Pos().IsValid() {
		return a.Pos() > b.Pos()
	}
	if len(a.Name()) != len(b.Name()) {
		return len(a.Name()) > len(b.Name())
	}
	return a.Name() > b.Name()
}

// rename returns a copy of obj under another name, with the same type.
func rename(obj types.Object, name string) types.Object {
	switch o := obj.(type) {
	case *types.TypeName:
		return types.NewTypeName(o.Pos(), o.Pkg(), name, o.Type())
	case *types.Var:
		return types.NewVar(o.Pos(), o.Pkg(), name, o.Type())
	case *types.Func:
		sig, _ := o.Type().(*types.Signature)
		if sig == nil {
			return nil
		}
		return types.NewFunc(o.Pos(), o.Pkg(), name, sig)
	case *types.Const:
		return types.NewConst(o.Pos(), o.Pkg(), name, o.Type(), o.Val())
	}
	return nil
}

// programScope returns the scope of the user's earlier declarations, or
// nil.
func (e *Env) programScope() *types.Scope {
	if e.Program == nil {
		return nil
	}
	return e.Program.Scope()
}
