package interp

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"

	"github.com/gonnlab/gonn/output"
)

// render turns a cell's final value into its bundle: the Options'
// Renderers first, then the value's own MIMEBundle, HTML, SVG, PNG and
// Markdown methods, always with a text/plain form.
func (s *Session) render(r *richValue) (b *output.Bundle, err error) {
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, &Error{Name: "RenderError", Value: panicMessage(p), Traceback: []string{ansiRed + "RenderError" + ansiReset + ": " + panicMessage(p)}}
		}
	}()
	for _, rd := range s.opts.Renderers {
		if out, ok := rd(r.Value); ok {
			if out.Data == nil {
				out.Data = map[string]any{}
			}
			if out.Metadata == nil {
				out.Metadata = map[string]any{}
			}
			if _, ok := out.Data["text/plain"]; !ok {
				out.Data["text/plain"] = plainText(r)
			}
			return &out, nil
		}
	}
	nativeMethods(r)
	out := output.Text(plainText(r))
	if r.MIMEBundle != nil {
		for k, v := range r.MIMEBundle() {
			out.Data[k] = v
		}
	}
	if r.HTML != nil {
		out.Data["text/html"] = r.HTML()
	}
	if r.SVG != nil {
		out.Data["image/svg+xml"] = r.SVG()
	}
	if r.PNG != nil {
		out.Data["image/png"] = base64.StdEncoding.EncodeToString(r.PNG())
	}
	if r.Markdown != nil {
		out.Data["text/markdown"] = r.Markdown()
	}
	return &out, nil
}

// nativeMethods fills the methods of a compiled value (interpreted types
// have theirs filled by the session's call source).
func nativeMethods(r *richValue) {
	v := r.Value
	if x, ok := v.(interface{ MIMEBundle() map[string]any }); ok && r.MIMEBundle == nil {
		r.MIMEBundle = x.MIMEBundle
	}
	if x, ok := v.(interface{ HTML() string }); ok && r.HTML == nil {
		r.HTML = x.HTML
	}
	if x, ok := v.(interface{ SVG() string }); ok && r.SVG == nil {
		r.SVG = x.SVG
	}
	if x, ok := v.(interface{ PNG() []byte }); ok && r.PNG == nil {
		r.PNG = x.PNG
	}
	if x, ok := v.(interface{ Markdown() string }); ok && r.Markdown == nil {
		r.Markdown = x.Markdown
	}
	if x, ok := v.(error); ok && r.Error == nil {
		r.Error = x.Error
	}
	if x, ok := v.(fmt.Stringer); ok && r.String == nil {
		r.String = x.String
	}
}

// plainText is the text/plain form of a value: its Error or String method,
// a quoted string, or fmt's %+v (field names shown).
func plainText(r *richValue) string {
	switch {
	case r.Error != nil:
		return r.Error()
	case r.String != nil:
		return r.String()
	}
	switch v := r.Value.(type) {
	case nil:
		return "<nil>"
	case string:
		return strconv.Quote(v)
	case []byte:
		return fmt.Sprintf("%v", v)
	}
	rv := reflect.ValueOf(r.Value)
	switch rv.Kind() {
	case reflect.Struct, reflect.Pointer:
		return fmt.Sprintf("%+v", r.Value)
	}
	return fmt.Sprintf("%v", r.Value)
}
