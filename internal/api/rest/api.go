package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// obj is a JSON object in a response.
type obj = map[string]any

// Config wires the REST API.
type Config struct {
	Core   *core.Service
	Logger *slog.Logger
	// MaxBodyBytes bounds JSON request bodies (default 8 MiB).
	MaxBodyBytes int64
	// Observe, when set, is called after every request with the route
	// pattern, for metrics.
	Observe func(route, method string, status int, elapsed time.Duration)
	// Extra registers routes owned by other packages (uploads, method.call).
	Extra []func(a *API)
}

// API is the REST handler.
type API struct {
	core       *core.Service
	log        *slog.Logger
	mux        *http.ServeMux
	maxBody    int64
	observe    func(string, string, int, time.Duration)
	registered []RouteInfo // for Routes, in registration order
}

// RouteInfo describes one registered endpoint.
type RouteInfo struct {
	Method       string // empty when the pattern matches every method
	Path         string // a ServeMux path, e.g. /api/v1/settings/{id}
	AuthRequired bool
	Raw          bool // writes its own response (files, uploads)
}

// Routes lists the registered endpoints in registration order, for the
// API coverage documentation and for tests that sweep the whole API.
func (a *API) Routes() []RouteInfo { return append([]RouteInfo(nil), a.registered...) }

// addRoute records a pattern for Routes.
func (a *API) addRoute(pattern string, auth, raw bool) {
	ri := RouteInfo{Path: pattern, AuthRequired: auth, Raw: raw}
	if m, p, ok := strings.Cut(pattern, " "); ok {
		ri.Method, ri.Path = m, p
	}
	a.registered = append(a.registered, ri)
}

// New builds the REST API handler for /api/.
func New(cfg Config) *API {
	a := &API{core: cfg.Core, log: cfg.Logger, mux: http.NewServeMux(), maxBody: cfg.MaxBodyBytes, observe: cfg.Observe}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.maxBody <= 0 {
		a.maxBody = 8 << 20
	}
	a.routes()
	for _, f := range cfg.Extra {
		f(a)
	}
	return a
}

// authMode says who may call an endpoint.
type authMode int

const (
	public       authMode = iota // anyone; the actor is set when credentials are sent
	authRequired                 // a logged-in user
)

// Request is what a handler gets: the HTTP request, the caller and helpers
// to read parameters.
type Request struct {
	*http.Request
	W     http.ResponseWriter
	Actor *chat.User
	Token string
	api   *API
	body  []byte
	read  bool
}

// handlerFunc answers a request with a JSON object (success:true is added)
// or an error.
type handlerFunc func(r *Request) (obj, error)

// Handle registers fn under a ServeMux pattern such as
// "GET /api/v1/chat.getMessage". Other packages register through Extra.
func (a *API) Handle(pattern string, requireAuth bool, fn func(r *Request) (map[string]any, error)) {
	mode := public
	if requireAuth {
		mode = authRequired
	}
	a.handle(pattern, mode, fn)
}

// HandleRaw registers a handler that writes its own response (files).
func (a *API) HandleRaw(pattern string, h http.Handler) {
	a.addRoute(pattern, false, true)
	a.mux.Handle(pattern, h)
}

func (a *API) handle(pattern string, mode authMode, fn handlerFunc) {
	a.addRoute(pattern, mode == authRequired, false)
	route := pattern
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		route = pattern[i+1:]
	}
	a.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p) // the handler asked net/http to abort the response
				}
				a.log.Error("panic in handler", "route", route, "method", hr.Method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeJSON(sw, http.StatusInternalServerError, obj{"success": false, "error": "Internal server error"})
				}
			}
			if a.observe != nil {
				a.observe(route, hr.Method, sw.status, time.Since(start))
			}
		}()
		r := &Request{Request: hr, W: sw, api: a}
		if err := a.authenticate(r); err != nil {
			// Rocket.Chat only checks credentials on endpoints that need
			// them: a public endpoint (login above all) called with stale
			// headers answers as for an anonymous caller.
			if !chat.IsKind(err, chat.EUnauthorized) {
				a.writeError(sw, r, err)
				return
			}
			if mode == authRequired {
				writeUnauthorized(sw)
				return
			}
		}
		if mode == authRequired && r.Actor == nil {
			writeUnauthorized(sw)
			return
		}
		res, err := fn(r)
		if err != nil {
			a.writeError(sw, r, err)
			return
		}
		if sw.status != 0 { // the handler wrote its own response
			return
		}
		if res == nil {
			res = obj{}
		}
		if _, ok := res["success"]; !ok {
			res["success"] = true
		}
		writeJSON(sw, http.StatusOK, res)
	}))
}

// authenticate reads Rocket.Chat's auth headers (X-User-Id, X-Auth-Token).
// Absent headers leave the caller anonymous; wrong ones are an error.
func (a *API) authenticate(r *Request) error {
	uid, token := r.Header.Get("X-User-Id"), r.Header.Get("X-Auth-Token")
	if uid == "" && token == "" {
		return nil
	}
	u, err := a.core.Authenticate(r.Context(), uid, token)
	if err != nil {
		return err
	}
	r.Actor, r.Token = u, token
	return nil
}

// ServeHTTP serves /api/ and answers unknown endpoints with Rocket.Chat's
// 404.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := a.mux.Handler(r); pattern == "" {
		writeJSON(w, http.StatusNotFound, obj{"success": false, "error": "Resource not found"})
		return
	}
	a.mux.ServeHTTP(w, r)
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON writes v with exactly "Content-Type: application/json", which
// Rocket.Chat's clients and tests match literally.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"success":false,"error":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeUnauthorized writes Rocket.Chat's 401 body, legacy fields included.
func writeUnauthorized(w http.ResponseWriter) {
	const msg = "You must be logged in to do this."
	writeJSON(w, http.StatusUnauthorized, obj{"success": false, "status": "error", "message": msg, "error": msg})
}

// writeError maps a domain error to Rocket.Chat's status and body.
func (a *API) writeError(w http.ResponseWriter, r *Request, err error) {
	var e *chat.Error
	if !errors.As(err, &e) {
		if errors.Is(err, context.Canceled) {
			return
		}
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeJSON(w, http.StatusInternalServerError, obj{"success": false, "error": "Internal server error"})
		return
	}
	switch e.Kind {
	case chat.EUnauthorized:
		writeUnauthorized(w)
	case chat.EForbidden:
		body := obj{"success": false, "error": e.Error()}
		if e.Type != "" && e.Type != "error-unauthorized" {
			body["errorType"] = e.Type
		}
		if e.Details != nil {
			body["details"] = e.Details
		}
		writeJSON(w, http.StatusForbidden, body)
	case chat.ETooLarge:
		body := obj{"success": false, "error": e.Error()}
		if e.Type != "" {
			body["errorType"] = e.Type
		}
		writeJSON(w, http.StatusRequestEntityTooLarge, body)
	case chat.ETooMany:
		writeJSON(w, http.StatusTooManyRequests, obj{"success": false, "error": e.Error()})
	case chat.EUnavailable:
		writeJSON(w, http.StatusServiceUnavailable, obj{"success": false, "error": "Service Unavailable"})
	case chat.EInternal:
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeJSON(w, http.StatusInternalServerError, obj{"success": false, "error": "Internal server error"})
	case chat.ENotFound:
		if e.Type == "" {
			writeJSON(w, http.StatusNotFound, obj{"success": false, "error": "Resource not found"})
			return
		}
		fallthrough
	default:
		body := obj{"success": false, "error": e.Error()}
		if e.Type != "" {
			body["errorType"] = e.Type
		}
		if e.Details != nil {
			body["details"] = e.Details
		}
		writeJSON(w, http.StatusBadRequest, body)
	}
}

// date formats dates for REST.
const date = wire.REST
