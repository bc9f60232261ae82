package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// handleLive answers while the process is serving at all.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok\n"))
}

// checks pings the store and the bus.
func (s *Server) checks(ctx context.Context) (store, bus error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.store.Ping(ctx), s.bus.Ping(ctx)
}

// handleReady answers 200 only while the instance should get traffic: not
// shutting down, store and bus reachable.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	if !s.ready.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if st, bus := s.checks(r.Context()); st != nil || bus != nil {
		http.Error(w, "store or bus unreachable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// handleHealth reports each dependency as JSON.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	st, bus := s.checks(r.Context())
	status := func(err error) string {
		if err != nil {
			return "down: " + err.Error()
		}
		return "up"
	}
	ok := st == nil && bus == nil && s.ready.Load()
	body := map[string]any{
		"status":   map[bool]string{true: "ok", false: "degraded"}[ok],
		"store":    status(st),
		"bus":      status(bus),
		"ready":    s.ready.Load(),
		"version":  s.core.Version(),
		"instance": s.core.InstanceID(),
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(body)
}
