package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/rest"
	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// Server is one running Liftoff instance.
type Server struct {
	cfg   config.Config
	log   *slog.Logger
	store chat.Store
	bus   chat.Bus
	core  *core.Service
	rest  *rest.API
	http  *http.Server

	// ready turns false the moment shutdown begins, so load balancers stop
	// sending new work before the listener closes.
	ready atomic.Bool
}

// OpenStore opens the store the configuration names and migrates it.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (chat.Store, error) {
	if cfg.IsPostgres() {
		return nil, errors.New("PostgreSQL store: not available in this build")
	}
	path := cfg.SQLitePath()
	if err := os.MkdirAll(dirOf(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return sqlite.Open(ctx, path, log)
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return "."
}

// OpenBus opens the bus the configuration names.
func OpenBus(ctx context.Context, cfg config.Config, log *slog.Logger) (chat.Bus, error) {
	if cfg.NATSURL != "" {
		return nil, errors.New("NATS bus: not available in this build")
	}
	return memory.New(log), nil
}

// New opens the backends, seeds a fresh deployment and builds the handlers.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, version string) (*Server, error) {
	st, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	bus, err := OpenBus(ctx, cfg, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, store: st, bus: bus}
	s.core = core.New(core.Config{
		Store: st, Bus: bus, Logger: log, Version: version,
		InstanceID: chat.NewID(),
	})
	if err := s.core.Init(ctx, core.InitOptions{Env: cfg.Env}); err != nil {
		s.Close()
		return nil, fmt.Errorf("initialise: %w", err)
	}
	s.rest = rest.New(rest.Config{Core: s.core, Logger: log, MaxBodyBytes: cfg.MaxBodyBytes})
	s.ready.Store(true)
	return s, nil
}

// Core returns the use cases, for subcommands and tests.
func (s *Server) Core() *core.Service { return s.core }

// Handler returns the HTTP handler of every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", s.rest)
	mux.Handle("GET /avatar/", s.rest.AvatarHandler())
	mux.HandleFunc("GET /livez", s.handleLive)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.HandleFunc("GET /health", s.handleHealth)
	return mux
}

// Serve answers on ln until ctx is cancelled, then shuts down gracefully:
// it turns unready, stops accepting, lets requests in flight finish within
// the shutdown timeout, and closes the bus and the store.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String(), "root_url", s.cfg.RootURL)
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false)
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(sctx)
	s.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close closes the bus, then the store.
func (s *Server) Close() error {
	var errs []error
	if s.bus != nil {
		errs = append(errs, s.bus.Close())
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	return errors.Join(errs...)
}
