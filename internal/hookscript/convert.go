package hookscript

import (
	"encoding/json"
	"fmt"

	"github.com/dop251/goja"
)

// toJS gives v to the runtime as fresh JavaScript data, by way of JSON, so
// that a script never holds (or mutates) a Go value.
func (sb *sandbox) toJS(v any) (goja.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode script input: %w", err)
	}
	return sb.parse(goja.Undefined(), sb.rt.ToValue(string(b)))
}

// fromJS reads v out of the runtime by way of JSON.stringify: objects
// become map[string]any, arrays []any, numbers float64; dates become ISO
// strings; undefined and functions become nil or are left out.
func (sb *sandbox) fromJS(v goja.Value) (any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	s, err := sb.stringify(goja.Undefined(), v)
	if err != nil {
		return nil, err
	}
	if goja.IsUndefined(s) {
		return nil, nil
	}
	var out any
	if err := json.Unmarshal([]byte(s.String()), &out); err != nil {
		return nil, fmt.Errorf("decode script output: %w", err)
	}
	return out, nil
}

// objectFromJS reads v, which must be a plain object; what names it in
// the error.
func (sb *sandbox) objectFromJS(v goja.Value, what string) (map[string]any, error) {
	x, err := sb.fromJS(v)
	if err != nil {
		return nil, err
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s must be an object, not %s", what, describe(v))
	}
	return m, nil
}

// params builds a method's single argument object, e.g. {request}.
func (sb *sandbox) params(kv ...any) goja.Value {
	o := sb.rt.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// truthy is JavaScript's Boolean(v).
func truthy(v goja.Value) bool {
	return v != nil && v.ToBoolean()
}

// field is o[name], or undefined when v is not an object.
func field(v goja.Value, name string) goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		return goja.Undefined()
	}
	if f := o.Get(name); f != nil {
		return f
	}
	return goja.Undefined()
}

// describe names v's kind for error messages: "a string", "an array"...
func describe(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if o, ok := v.(*goja.Object); ok {
		switch o.ClassName() {
		case "Array":
			return "an array"
		case "Function":
			return "a function"
		case "Date":
			return "a date"
		}
		return "an object"
	}
	switch v.Export().(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return fmt.Sprintf("a %T", v.Export())
}

// nonNil returns m, or an empty map for nil, so a script sees {} rather
// than null.
func nonNil[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}
