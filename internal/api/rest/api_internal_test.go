package rest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/core"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestAPI builds the REST API on a Service without a store: enough for
// routes that touch neither.
func newTestAPI(t *testing.T, maxBody int64, extra ...func(a *API)) (*API, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	a := New(Config{Core: core.New(core.Config{Logger: log}), Logger: log, MaxBodyBytes: maxBody, Extra: extra})
	return a, logs
}

func TestPanicInHandlerIsRecovered(t *testing.T) {
	t.Parallel()
	a, logs := newTestAPI(t, 0, func(a *API) {
		a.Handle("GET /api/v1/test.panic", false, func(r *Request) (map[string]any, error) {
			panic("boom in handler")
		})
		a.Handle("GET /api/v1/test.ok", false, func(r *Request) (map[string]any, error) {
			return map[string]any{"fine": true}, nil
		})
	})
	srv := httptest.NewServer(a)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/v1/test.panic")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body["success"] != false || body["error"] != "Internal server error" {
		t.Fatalf("body %v", body)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"panic in handler"`) || !strings.Contains(out, "boom in handler") ||
		!strings.Contains(out, "/api/v1/test.panic") || !strings.Contains(out, "goroutine") {
		t.Fatalf("the panic was not logged with its route and stack: %s", out)
	}

	// The server keeps serving.
	resp2, err := http.Get(srv.URL + "/api/v1/test.ok")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusOK {
		t.Fatalf("after a panic: %d", resp2.StatusCode)
	}
}

func TestPanicAfterWritingKeepsTheResponse(t *testing.T) {
	t.Parallel()
	a, _ := newTestAPI(t, 0, func(a *API) {
		a.Handle("GET /api/v1/test.late", false, func(r *Request) (map[string]any, error) {
			writeJSON(r.W, http.StatusAccepted, obj{"partial": true})
			panic("late")
		})
	})
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/test.late", nil))
	if rec.Code != http.StatusAccepted || strings.Contains(rec.Body.String(), "Internal server error") {
		t.Fatalf("a second response was written after the first: %d %s", rec.Code, rec.Body)
	}
}

func TestUnknownEndpointsAnd405(t *testing.T) {
	t.Parallel()
	a, _ := newTestAPI(t, 0)
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/no.such.endpoint"},
		{http.MethodGet, "/api/v2/info"},
		{http.MethodDelete, "/api/v1/login"}, // known path, wrong method
		{http.MethodGet, "/api/v1/login"},
	} {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %q", tt.method, tt.path, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["success"] != false || body["error"] != "Resource not found" {
			t.Errorf("%s %s: body %s", tt.method, tt.path, rec.Body)
		}
	}
}

func TestDecodeRejectsBadBodies(t *testing.T) {
	t.Parallel()
	var got map[string]any
	a, _ := newTestAPI(t, 64, func(a *API) {
		a.Handle("POST /api/v1/test.echo", false, func(r *Request) (map[string]any, error) {
			var b struct {
				Name  string   `json:"name"`
				Count int      `json:"count"`
				Tags  []string `json:"tags"`
			}
			if err := r.decode(&b); err != nil {
				return nil, err
			}
			got = map[string]any{"name": b.Name}
			return got, nil
		})
	})
	for _, tt := range []struct {
		body, ct string
		status   int
		errType  string
		errText  string
	}{
		{`{"name":"x"}`, "application/json", 200, "", ""},
		{``, "application/json", 200, "", ""},
		{`name=form`, "application/x-www-form-urlencoded", 200, "", ""},
		{`{"name":`, "application/json", 400, "error-invalid-body", ""},
		{`{"name":"x"} {"name":"y"}`, "application/json", 400, "error-invalid-body", ""},
		{`[1,2]`, "application/json", 400, "invalid-params", "must be object"},
		{`{"name":5}`, "application/json", 400, "invalid-params", "must be string: 'name'"},
		{`{"count":"5"}`, "application/json", 400, "invalid-params", "must be integer: 'count'"},
		{`{"tags":"a"}`, "application/json", 400, "invalid-params", "must be array: 'tags'"},
		{`{"name":"` + strings.Repeat("x", 100) + `"}`, "application/json", 413, "error-request-too-large", ""},
	} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/test.echo", strings.NewReader(tt.body))
		req.Header.Set("Content-Type", tt.ct)
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%q: %d %q %s", tt.body, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			continue
		}
		var body map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		if tt.status == 200 {
			if body["success"] != true {
				t.Errorf("%q: %s", tt.body, rec.Body)
			}
			continue
		}
		msg, _ := body["error"].(string)
		if body["success"] != false || body["errorType"] != tt.errType || !strings.Contains(msg, tt.errText) {
			t.Errorf("%q: body %s", tt.body, rec.Body)
		}
	}
}
