package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sync/atomic"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp"
	"github.com/liftoff-chat/liftoff/internal/api/rest"
	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	natsbus "github.com/liftoff-chat/liftoff/internal/bus/nats"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/metrics"
	"github.com/liftoff-chat/liftoff/internal/realtime"
	"github.com/liftoff-chat/liftoff/internal/store/postgres"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
	"github.com/liftoff-chat/liftoff/internal/web"
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
	// metrics is the Prometheus registry, served on its own listener.
	metrics *metrics.Metrics
	// The realtime API: connection presence, the hub between the bus and
	// the sockets, and the DDP handler at /websocket.
	presence *core.Presence
	hub      *realtime.Hub
	ddp      *ddp.Handler
	// files runs uploads and avatars, and sweeps deleted files' bytes.
	files *core.Files

	// ready turns false the moment shutdown begins, so load balancers stop
	// sending new work before the listener closes.
	ready atomic.Bool
	// addr is the HTTP listener's address once serving, which heartbeats
	// tell the other instances (instances.get).
	addr atomic.Pointer[string]
}

// OpenStore opens the store the configuration names and migrates it.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (chat.Store, error) {
	if cfg.IsPostgres() {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{
			MaxConns: int32(cfg.DBMaxConns), ConnectTimeout: cfg.DBConnTimeout,
		}, log)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return st, nil
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
		host, _ := os.Hostname()
		ctx, cancel := context.WithTimeout(ctx, cfg.DBConnTimeout*6)
		defer cancel()
		return natsbus.Open(ctx, cfg.NATSURL, natsbus.Options{Name: "liftoff@" + host, Prefix: cfg.NATSPrefix}, log)
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
	s.metrics = metrics.New(metrics.Options{Version: version, Logger: log, Info: s.metricsInfo})
	s.core = core.New(core.Config{
		// The core gets the timed store and counted bus; s.store and s.bus
		// stay the backends themselves.
		Store: s.metrics.Store(st), Bus: s.metrics.Bus(bus), Logger: log, Version: version,
		InstanceID: chat.NewID(), Markdown: parseMarkdown, AllowOutbound: outboundPolicy(cfg),
	})
	if err := s.core.Init(ctx, core.InitOptions{Env: cfg.Env}); err != nil {
		s.Close()
		return nil, fmt.Errorf("initialise: %w", err)
	}
	s.core.OnMessageSent = s.metrics.MessageSent
	if cfg.NATSURL == "" {
		// With the in-process bus this process is the whole deployment.
		s.metrics.SetInstanceCount(func() int { return 1 })
	}
	if err := s.startRealtime(ctx); err != nil {
		s.Close()
		return nil, err
	}
	s.files = core.NewFiles(s.core, core.FilesConfig{DataDir: cfg.DataDir, Logger: log})
	s.files.Start(ctx)
	s.rest = rest.New(rest.Config{Core: s.core, Logger: log, MaxBodyBytes: cfg.MaxBodyBytes, Observe: s.metrics.ObserveREST,
		Extra: []func(*rest.API){rest.MethodCallRoutes(s.ddp), rest.FileRoutes(s.files),
			rest.InstanceRoutes(s.presence)}})
	s.ready.Store(true)
	return s, nil
}

// APIRoutes lists the REST endpoints, for the API coverage check.
func (s *Server) APIRoutes() []rest.RouteInfo { return s.rest.Routes() }

// Core returns the use cases, for subcommands and tests.
func (s *Server) Core() *core.Service { return s.core }

// Files returns the file use cases, for tests and tools (the sweeper).
func (s *Server) Files() *core.Files { return s.files }

// Metrics returns the Prometheus registry and its hooks.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// metricsInfo gives rocketchat_info its workspace labels.
func (s *Server) metricsInfo() (uniqueID, siteURL string) {
	return s.core.SettingString("uniqueID"), s.core.SettingString("Site_Url")
}

// Handler returns the HTTP handler of every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", s.rest)
	mux.Handle("/hooks/", s.rest)
	mux.Handle("GET /websocket", s.ddp)
	mux.Handle("GET /avatar/", s.rest.AvatarHandler(s.files))
	mux.Handle("GET /file-upload/", s.rest.FileHandler(s.files))
	mux.HandleFunc("GET /livez", s.handleLive)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.HandleFunc("GET /health", s.handleHealth)
	// The web client answers every other path (its own routes included).
	mux.Handle("/", web.Handler())
	return s.cors(mux)
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
	stopMetrics, err := s.metrics.Run(ctx, metrics.RunConfig{
		Addr: func() string {
			return metrics.Address(s.cfg.MetricsAddr, s.cfg.BindIP, s.core)
		},
		Required: s.cfg.MetricsAddr != "",
		Store:    s.store,
		Bus:      s.bus,
	})
	if err != nil {
		s.Close()
		return err
	}
	defer stopMetrics()
	addr := ln.Addr().String()
	s.addr.Store(&addr)
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
	s.log.Info("shutting down", "delay", s.cfg.ShutdownDelay.String())
	// Keep serving while unready, so load balancers that poll /readyz
	// stop sending new work before the listener closes.
	time.Sleep(s.cfg.ShutdownDelay)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	s.stopRealtime(sctx)
	err = s.http.Shutdown(sctx)
	s.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close closes the bus, then the store.
func (s *Server) Close() error {
	if s.hub != nil {
		s.hub.Close()
	}
	if s.files != nil {
		s.files.Close()
	}
	if s.core != nil {
		s.core.Close() // outgoing webhook calls and retries, before the store goes
	}
	var errs []error
	if s.bus != nil {
		errs = append(errs, s.bus.Close())
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	return errors.Join(errs...)
}

// outboundPolicy is the address policy of the calls the server makes for
// its users: none (any address) unless LIFTOFF_OUTBOUND_PRIVATE=deny.
func outboundPolicy(cfg config.Config) func(netip.Addr) bool {
	if cfg.DenyPrivateOutbound {
		return core.PublicAddress
	}
	return nil
}
