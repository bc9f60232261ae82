package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// ContentSecurityPolicy is sent with every response of the web client: the
// client loads scripts, styles, fonts and data from this origin only (the
// DDP socket included: 'self' covers ws: and wss: on the same host), and
// shows images from this origin, data: and blob: URLs (upload previews).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// immutable is the caching of content-hashed assets: their name changes
// whenever their content does.
const immutable = "public, max-age=31536000, immutable"

// asset is one servable file with its precompressed variants.
type asset struct {
	ctype  string
	etag   string
	cache  string
	raw    []byte
	gzip   []byte
	brotli []byte
}

// Dist returns the embedded build, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}

// Handler serves the embedded client.
func Handler() http.Handler { return NewHandler(Dist()) }

// NewHandler serves a client from files laid out as dist/ is: index.html,
// assets/*, and for each file optional .gz and .br siblings. Files are
// read once, here.
func NewHandler(files fs.FS) http.Handler {
	h := &handler{assets: map[string]*asset{}}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			return nil
		}
		raw, err := fs.ReadFile(files, p)
		if err != nil {
			return nil
		}
		a := &asset{raw: raw, ctype: contentType(p), cache: "public, max-age=3600"}
		a.gzip, _ = fs.ReadFile(files, p+".gz")
		a.brotli, _ = fs.ReadFile(files, p+".br")
		sum := sha256.Sum256(raw)
		a.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
		switch {
		case p == "index.html":
			a.cache = "no-cache"
		case strings.HasPrefix(p, "assets/"):
			a.cache = immutable
		}
		h.assets["/"+p] = a
		return nil
	})
	h.index = h.assets["/index.html"]
	return h
}

type handler struct {
	assets map[string]*asset
	index  *asset
}

// apiPrefixes are paths that belong to the server, never to the client's
// router: an unknown one is a 404, not the client's page.
var apiPrefixes = []string{"/api/", "/websocket", "/sockjs/", "/avatar/", "/file-upload/", "/hooks/", "/livez", "/readyz", "/health"}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", ContentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	for _, pre := range apiPrefixes {
		if strings.HasPrefix(p, pre) || p+"/" == pre {
			http.NotFound(w, r)
			return
		}
	}
	a := h.assets[p]
	if p == "/" || p == "/index.html" {
		a = h.index
	}
	if a == nil {
		// A missing file under assets/ (an old hash after an upgrade) or at
		// the top (/favicon.ico) must not be answered with the page: the
		// browser would cache HTML as a script for a year. Deeper paths are
		// the client's routes, and room names may contain dots.
		if strings.HasPrefix(p, "/assets/") || strings.Count(p, "/") == 1 && path.Ext(p) != "" {
			http.NotFound(w, r)
			return
		}
		a = h.index
	}
	if a == nil {
		http.Error(w, "the web client was not built (run make web)", http.StatusNotFound)
		return
	}
	h.serve(w, r, a)
}

// serve writes one asset, compressed as the client accepts.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Cache-Control", a.cache)
	hd.Set("ETag", a.etag)
	body := a.raw
	if a.gzip != nil || a.brotli != nil {
		hd.Add("Vary", "Accept-Encoding")
		switch enc := negotiate(r.Header.Get("Accept-Encoding"), a.brotli != nil, a.gzip != nil); enc {
		case "br":
			body = a.brotli
			hd.Set("Content-Encoding", "br")
		case "gzip":
			body = a.gzip
			hd.Set("Content-Encoding", "gzip")
		}
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// negotiate picks the best encoding the client accepts among those
// available: brotli, then gzip, else identity ("").
func negotiate(accept string, haveBR, haveGzip bool) string {
	q := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				weight = f
			}
		}
		if name != "" {
			q[name] = weight
		}
	}
	accepts := func(enc string) bool {
		if w, ok := q[enc]; ok {
			return w > 0
		}
		w, ok := q["*"]
		return ok && w > 0
	}
	switch {
	case haveBR && accepts("br"):
		return "br"
	case haveGzip && accepts("gzip"):
		return "gzip"
	}
	return ""
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// contentType names a file's media type by its extension, with the types
// the client uses spelled out so that they do not depend on the host's
// mime tables.
func contentType(p string) string {
	switch path.Ext(p) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".webmanifest":
		return "application/manifest+json"
	case ".woff2":
		return "font/woff2"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}
