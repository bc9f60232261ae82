package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/liftoff-chat/liftoff/internal/web"
)

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>t</title>")},
		"index.html.gz":           {Data: []byte("GZ-INDEX")},
		"favicon.svg":             {Data: []byte("<svg/>")},
		"assets/app-abc123.js":    {Data: []byte("console.log(1)")},
		"assets/app-abc123.js.gz": {Data: []byte("GZ-JS")},
		"assets/app-abc123.js.br": {Data: []byte("BR-JS")},
		"assets/app-def456.css":   {Data: []byte("body{}")},
	}
}

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := web.NewHandler(testFS())
	tests := []struct {
		name, method, path, accept string
		status                     int
		body, ctype, cache, enc    string
	}{
		{"root is the page", "GET", "/", "", 200, "<!doctype html><title>t</title>", "text/html; charset=utf-8", "no-cache", ""},
		{"client routes get the page", "GET", "/channel/general", "", 200, "<!doctype html><title>t</title>", "text/html; charset=utf-8", "no-cache", ""},
		{"room names with dots are routes", "GET", "/channel/release.notes", "", 200, "<!doctype html><title>t</title>", "text/html; charset=utf-8", "no-cache", ""},
		{"the page compressed", "GET", "/admin/settings", "gzip, deflate", 200, "GZ-INDEX", "text/html; charset=utf-8", "no-cache", "gzip"},
		{"hashed asset, brotli preferred", "GET", "/assets/app-abc123.js", "gzip, deflate, br", 200, "BR-JS", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "br"},
		{"hashed asset, gzip", "GET", "/assets/app-abc123.js", "gzip", 200, "GZ-JS", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "gzip"},
		{"brotli refused by q=0", "GET", "/assets/app-abc123.js", "br;q=0, gzip", 200, "GZ-JS", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "gzip"},
		{"identity when nothing accepted", "GET", "/assets/app-abc123.js", "", 200, "console.log(1)", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"css without precompressed files", "GET", "/assets/app-def456.css", "gzip", 200, "body{}", "text/css; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"top-level file", "GET", "/favicon.svg", "", 200, "<svg/>", "image/svg+xml", "public, max-age=3600", ""},
		{"missing hashed asset is not the page", "GET", "/assets/app-old.js", "", 404, "", "", "", ""},
		{"missing top-level file is not the page", "GET", "/robots.txt", "", 404, "", "", "", ""},
		{"unknown API path is not the page", "GET", "/api/v1/nothing", "", 404, "", "", "", ""},
		{"websocket path is not the page", "GET", "/websocket", "", 404, "", "", "", ""},
		{"HEAD has headers only", "HEAD", "/", "", 200, "", "text/html; charset=utf-8", "no-cache", ""},
		{"POST is refused", "POST", "/", "", 405, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := get(t, h, tt.method, tt.path, map[string]string{"Accept-Encoding": tt.accept})
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "http") {
				t.Errorf("CSP %q: want self only, no external host", csp)
			}
			if tt.status != 200 {
				return
			}
			if got := body(t, res); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			for k, want := range map[string]string{"Content-Type": tt.ctype, "Cache-Control": tt.cache, "Content-Encoding": tt.enc} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}
			if tt.enc != "" && res.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("Vary %q, want Accept-Encoding", res.Header.Get("Vary"))
			}
		})
	}
}

func TestHandlerETag(t *testing.T) {
	t.Parallel()
	h := web.NewHandler(testFS())
	first := get(t, h, "GET", "/", nil)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on the page")
	}
	again := get(t, h, "GET", "/home", map[string]string{"If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("status %d, want 304", again.StatusCode)
	}
}

// TestEmbeddedBuild checks the committed build: the page and every asset
// it names are served.
func TestEmbeddedBuild(t *testing.T) {
	t.Parallel()
	h := web.Handler()
	res := get(t, h, "GET", "/", nil)
	if res.StatusCode != 200 {
		t.Fatalf("index.html: %d (run make web)", res.StatusCode)
	}
	page := body(t, res)
	refs := assetRefs(page)
	if len(refs) == 0 {
		t.Fatalf("index.html names no assets:\n%s", page)
	}
	for _, ref := range refs {
		r := get(t, h, "GET", ref, map[string]string{"Accept-Encoding": "gzip"})
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", ref, r.StatusCode)
		}
		if r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", ref, r.Header.Get("Cache-Control"))
		}
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: served uncompressed", ref)
		}
	}
}
