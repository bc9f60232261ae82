package server

import (
	"net/http"
	"net/url"
	"strings"
)

// CORS headers Rocket.Chat sends, so browser clients embedded in other
// sites (EmbeddedChat, widgets) can call the API with its auth headers.
const (
	corsMethods = "GET, POST, PUT, DELETE, HEAD, PATCH"
	corsHeaders = "Origin, X-Requested-With, Content-Type, Accept, X-User-Id, X-Auth-Token, x-visitor-token, Authorization"
)

// corsPrefixes are the paths that other sites' clients call.
var corsPrefixes = []string{"/api/", "/file-upload/", "/avatar/", "/hooks/"}

// cors applies Rocket.Chat's API_Enable_CORS and API_CORS_Origin settings to
// the API, file and avatar paths. With CORS on and "*" every origin is
// allowed; with a comma-separated list only those origins get CORS headers,
// and a request from another site is refused with 403 before it can change
// anything, as Rocket.Chat does. Requests from the server's own origin (the
// web client) are never refused.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !corsPath(r.URL.Path) || !s.core.SettingBool("API_Enable_CORS") {
			next.ServeHTTP(w, r)
			return
		}
		if s.sameOrigin(r, origin) {
			next.ServeHTTP(w, r)
			return
		}
		allowed := strings.TrimSpace(s.core.SettingString("API_CORS_Origin"))
		h := w.Header()
		h.Add("Vary", "Origin")
		switch {
		case allowed == "*":
			h.Set("Access-Control-Allow-Origin", "*")
		case originListed(allowed, origin):
			h.Set("Access-Control-Allow-Origin", origin)
		default:
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
		h.Set("Access-Control-Allow-Methods", corsMethods)
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func corsPath(path string) bool {
	for _, p := range corsPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// originListed reports whether origin is in a comma-separated list,
// compared case-insensitively.
func originListed(list, origin string) bool {
	for _, o := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(o), origin) {
			return true
		}
	}
	return false
}

// sameOrigin reports whether origin is the server itself: ROOT_URL's origin
// or the host the request was sent to.
func (s *Server) sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if root, err := url.Parse(s.cfg.RootURL); err == nil && strings.EqualFold(root.Scheme, u.Scheme) && strings.EqualFold(root.Host, u.Host) {
		return true
	}
	return strings.EqualFold(u.Host, r.Host)
}
