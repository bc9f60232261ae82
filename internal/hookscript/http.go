package hookscript

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/dop251/goja"
)

const (
	// maxHTTPBody bounds the response body the HTTP helper reads.
	maxHTTPBody = 10 << 20
	// maxErrorContent bounds the body quoted in a "failed [status]" error.
	maxErrorContent = 500
)

// httpOptions are the HTTP helper's options, those of Meteor's HTTP.call
// that Rocket.Chat scripts use.
type httpOptions struct {
	content     *string           // request body
	data        *string           // JSON request body (wins over content)
	query       *string           // replaces the URL's query string
	params      map[string]string // added to the query, or sent as a form
	auth        string            // "user:password" for Basic auth
	headers     map[string]string
	timeout     time.Duration
	noRedirects bool // followRedirects: false
}

// http is the sandbox's HTTP(method, url, options). It runs synchronously
// and never throws: it returns {result: {statusCode, content, headers, ok,
// redirected, data}}, or {error} for an unusable call, a failed request or
// a status of 400 and up, in which case error.response holds the result.
// data is the parsed body when the response is JSON, otherwise null.
func (sb *sandbox) http(call goja.FunctionCall) goja.Value {
	rt := sb.rt
	var method string
	if m := call.Argument(0); !goja.IsUndefined(m) && !goja.IsNull(m) {
		method = strings.ToUpper(m.String())
	}
	rawURL := call.Argument(1).String()
	out := rt.NewObject()
	opts, err := sb.httpOptions(call.Argument(2))
	var res map[string]any
	if err == nil {
		res, err = sb.do(method, rawURL, opts)
	}
	var resJS goja.Value
	if res != nil {
		v, cerr := sb.toJS(res)
		if cerr != nil {
			panic(throwable(rt, cerr))
		}
		resJS = v
	}
	if err != nil {
		e, cerr := rt.New(sb.errorCtor, rt.ToValue(err.Error()))
		if cerr != nil {
			panic(throwable(rt, cerr))
		}
		if resJS != nil {
			_ = e.Set("response", resJS)
		}
		_ = out.Set("error", e)
		return out
	}
	_ = out.Set("result", resJS)
	return out
}

// throwable is what a native function panics with to pass err on to the
// script: the exception or interrupt itself when err is one, so that an
// interrupt stays uncatchable.
func throwable(rt *goja.Runtime, err error) any {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		return ie
	}
	return rt.NewGoError(err)
}

// httpOptions reads the options argument.
func (sb *sandbox) httpOptions(v goja.Value) (httpOptions, error) {
	var o httpOptions
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return o, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return o, fmt.Errorf("options must be an object, not %s", describe(v))
	}
	set := func(name string) (goja.Value, bool) {
		f := obj.Get(name)
		return f, f != nil && !goja.IsUndefined(f) && !goja.IsNull(f)
	}
	if f, ok := set("content"); ok {
		s := f.String()
		o.content = &s
	}
	if f := obj.Get("data"); truthy(f) {
		s, err := sb.stringify(goja.Undefined(), f)
		if err != nil {
			return o, fmt.Errorf("options.data: %w", err)
		}
		str := s.String()
		o.data = &str
	}
	if f, ok := set("query"); ok {
		if _, isObject := f.(*goja.Object); !isObject && f.ExportType().Kind() == reflect.String {
			s := f.String()
			o.query = &s
		}
	}
	if f, ok := set("params"); ok {
		m, err := stringMap(f, "options.params")
		if err != nil {
			return o, err
		}
		o.params = m
	}
	if f := obj.Get("auth"); truthy(f) {
		o.auth = f.String()
	}
	if f, ok := set("headers"); ok {
		m, err := stringMap(f, "options.headers")
		if err != nil {
			return o, err
		}
		o.headers = m
	}
	if f, ok := set("timeout"); ok {
		if ms := f.ToFloat(); ms > 0 && !math.IsInf(ms, 0) {
			o.timeout = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if f, ok := set("followRedirects"); ok {
		o.noRedirects = f.StrictEquals(sb.rt.ToValue(false))
	}
	return o, nil
}

// stringMap reads an object's own properties as strings.
func stringMap(v goja.Value, what string) (map[string]string, error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("%s must be an object, not %s", what, describe(v))
	}
	m := make(map[string]string)
	for _, k := range obj.Keys() {
		m[k] = obj.Get(k).String()
	}
	return m, nil
}

// do makes the request. With a status of 400 or more it returns both the
// response and an error, as Meteor's HTTP.call does.
func (sb *sandbox) do(method, rawURL string, o httpOptions) (map[string]any, error) {
	if !strings.HasPrefix(rawURL, "http://") && !strings.HasPrefix(rawURL, "https://") {
		return nil, errors.New("url must be absolute and start with http:// or https://")
	}
	header := make(http.Header)
	var body *string
	switch {
	case o.data != nil:
		body = o.data
		header.Set("Content-Type", "application/json")
	case o.content != nil:
		body = o.content
	}

	// Like HTTP.call: params go in the URL when there is a body already or
	// the method has none, and otherwise make a form body.
	target := rawURL
	if o.query != nil || (len(o.params) > 0 && (body != nil || method == "GET" || method == "HEAD")) {
		target = withQuery(rawURL, o.query, o.params)
	} else if len(o.params) > 0 {
		form := make(url.Values)
		for k, v := range o.params {
			form.Set(k, v)
		}
		s := form.Encode()
		body = &s
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if o.auth != "" {
		if !strings.Contains(o.auth, ":") {
			return nil, errors.New(`auth option should be of the form "username:password"`)
		}
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(o.auth)))
	}
	for k, v := range o.headers {
		header.Set(k, v)
	}

	ctx := sb.ctx
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	var r io.Reader
	if body != nil {
		r = strings.NewReader(*body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, r)
	if err != nil {
		return nil, err
	}
	req.Header = header

	client := sb.e.client
	if o.noRedirects {
		c := *client
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		client = &c
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	content, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPBody+1))
	if err != nil {
		return nil, err
	}
	if len(content) > maxHTTPBody {
		return nil, fmt.Errorf("response body is larger than %d bytes", maxHTTPBody)
	}

	headers := make(map[string]string, len(resp.Header))
	for k, vs := range resp.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	res := map[string]any{
		"statusCode": resp.StatusCode,
		"content":    string(content),
		"headers":    headers,
		"ok":         resp.StatusCode >= 200 && resp.StatusCode < 300,
		"redirected": resp.Request != nil && resp.Request.URL.String() != req.URL.String(),
		"data":       jsonData(resp.Header.Get("Content-Type"), content),
	}
	if resp.StatusCode >= 400 {
		return res, errors.New(strings.TrimSpace(fmt.Sprintf("failed [%d] %s", resp.StatusCode, quote(string(content)))))
	}
	return res, nil
}

// withQuery is rawURL with its query replaced by query (when not nil) and
// then params appended, as Meteor's URL._constructUrl builds it.
func withQuery(rawURL string, query *string, params map[string]string) string {
	base, q, hasQ := strings.Cut(rawURL, "?")
	if query != nil {
		q, hasQ = *query, true
	}
	if len(params) > 0 {
		vals := make(url.Values)
		for k, v := range params {
			vals.Set(k, v)
		}
		if q != "" {
			q += "&"
		}
		q += vals.Encode()
		hasQ = true
	}
	if !hasQ {
		return base
	}
	return base + "?" + q
}

// jsonData is the parsed body of a JSON response, or nil: the "data" of
// an HTTP.call result.
func jsonData(contentType string, body []byte) any {
	mediaType, _, _ := strings.Cut(contentType, ";")
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case "application/json", "text/javascript", "application/javascript", "application/x-javascript":
	default:
		return nil
	}
	if !json.Valid(body) {
		return nil
	}
	return json.RawMessage(body)
}

// quote is a response body fit for an error message: on one line and
// cut short.
func quote(content string) string {
	s := strings.ReplaceAll(strings.TrimSpace(content), "\n", " ")
	if r := []rune(s); len(r) > maxErrorContent {
		s = string(r[:maxErrorContent]) + "…"
	}
	return s
}
