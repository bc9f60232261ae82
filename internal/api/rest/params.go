package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

// rawBody reads the request body once, within the size limit.
func (r *Request) rawBody() ([]byte, error) {
	if r.read {
		return r.body, nil
	}
	r.read = true
	b, err := io.ReadAll(http.MaxBytesReader(r.W, r.Body, r.api.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, chat.Errorf(chat.ETooLarge, "error-request-too-large", "Request body too large")
		}
		return nil, chat.ErrInvalidParam("could not read body")
	}
	r.body = b
	return b, nil
}

// decode reads a JSON body (or, for form posts, the form fields as
// strings) into v. An empty body decodes as {}.
func (r *Request) decode(v any) error {
	b, err := r.rawBody()
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return chat.ErrInvalidParam("invalid form body")
		}
		m := map[string]any{}
		for k := range form {
			m[k] = form.Get(k)
		}
		b, _ = json.Marshal(m)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return chat.ErrInvalidParam("must be %s: '%s'", jsonTypeName(typeErr.Type), typeErr.Field)
		}
		if errors.As(err, &typeErr) {
			return chat.ErrInvalidParam("must be %s", jsonTypeName(typeErr.Type))
		}
		return errInvalidBody()
	}
	// One JSON value per body: trailing data means a client bug or a
	// truncated concatenation, not something to half-accept.
	if _, err := dec.Token(); err != io.EOF {
		return errInvalidBody()
	}
	return nil
}

// errInvalidBody is the answer to a body that is not JSON.
func errInvalidBody() error {
	return chat.Errorf(chat.EInvalid, "error-invalid-body", "Invalid JSON body")
}

// jsonTypeName names a Go type the way JSON Schema (and so Rocket.Chat's
// validation messages) names it.
func jsonTypeName(t reflect.Type) string {
	if t == reflect.TypeOf(json.Number("")) {
		return "number"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return t.String()
}

// q returns a query parameter.
func (r *Request) q(name string) string { return r.URL.Query().Get(name) }

// queryList reads a list from the query in each form Rocket.Chat's clients
// send one: name[]=a&name[]=b, name=a&name=b and name=a,b; values are
// trimmed and empty ones dropped. nil means none was given.
func (r *Request) queryList(name string) []string {
	q := r.URL.Query()
	var out []string
	for _, v := range append(q[name+"[]"], q[name]...) {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// required returns Rocket.Chat's validation error for a missing property.
func required(name string) error {
	return chat.ErrInvalidParam("must have required property '%s'", name)
}

// queryDate reads an optional ISO date from the query; a malformed one is
// a 400.
func (r *Request) queryDate(name string) (time.Time, error) {
	s := r.q(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := wire.ParseISO(s)
	if err != nil {
		return time.Time{}, chat.Errorf(chat.EInvalid, "error-roomId-param-invalid", "The \"%s\" query parameter must be a valid date.", name)
	}
	return t, nil
}

// queryBool reads a boolean query parameter.
func (r *Request) queryBool(name string) bool {
	b, _ := strconv.ParseBool(r.q(name))
	return b
}

// pagination is the offset/count/sort of a listing.
type pagination struct {
	Offset int
	Count  int
	Sort   []chat.SortField
}

// paginate reads offset, count and sort as Rocket.Chat does: count defaults
// to API_Default_Count, is capped at API_Upper_Count_Limit, and 0 means all
// when API_Allow_Infinite_Count is on.
func (r *Request) paginate() (pagination, error) {
	c := r.api.core
	p := pagination{Count: c.SettingInt("API_Default_Count", 50)}
	upper := c.SettingInt("API_Upper_Count_Limit", 100)
	if s := r.q("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, chat.ErrInvalidParam("must be integer: 'offset'")
		}
		p.Offset = n
	}
	if s := r.q("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, chat.ErrInvalidParam("must be integer: 'count'")
		}
		p.Count = n
	}
	switch {
	case p.Count == 0 && c.SettingBool("API_Allow_Infinite_Count"):
	case p.Count == 0:
		p.Count = c.SettingInt("API_Default_Count", 50)
	case p.Count > upper:
		p.Count = upper
	}
	if s := r.q("sort"); s != "" {
		sort, err := parseSort(s)
		if err != nil {
			return p, err
		}
		p.Sort = sort
	}
	return p, nil
}

// parseSort reads a Mongo-style sort object, keeping the key order.
func parseSort(s string) ([]chat.SortField, error) {
	bad := chat.ErrInvalidParam("Invalid sort parameter provided: \"%s\"", s)
	dec := json.NewDecoder(strings.NewReader(s))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, bad
	}
	var out []chat.SortField
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		key, _ := t.(string)
		var dir float64
		if err := dec.Decode(&dir); err != nil || (dir != 1 && dir != -1) {
			return nil, bad
		}
		out = append(out, chat.SortField{Field: key, Desc: dir < 0})
	}
	return out, nil
}

// paged adds Rocket.Chat's count/offset/total to a listing response.
func paged(o obj, n int, p pagination, total int) obj {
	o["count"] = n
	o["offset"] = p.Offset
	o["total"] = total
	return o
}

// str reads a string from a decoded JSON value, accepting numbers.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}
