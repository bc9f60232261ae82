package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// DefaultPort is the metrics port when nothing else is said: Rocket.Chat's
// Prometheus_Port default.
const DefaultPort = 9458

// Settings reads the Prometheus settings; *core.Service satisfies it.
type Settings interface {
	SettingBool(id string) bool
	SettingInt(id string, def int) int
}

// Address decides where metrics are served. An explicit address
// (LIFTOFF_METRICS_ADDR) wins and "off" disables them; otherwise the
// Rocket.Chat settings decide: Prometheus_Enabled, on bindIP and
// Prometheus_Port. It returns "" when metrics are off.
func Address(explicit, bindIP string, s Settings) string {
	switch explicit {
	case "off", "false", "disabled", "none", "0":
		return ""
	case "":
	default:
		return explicit
	}
	if s == nil || !s.SettingBool("Prometheus_Enabled") {
		return ""
	}
	return net.JoinHostPort(bindIP, strconv.Itoa(s.SettingInt("Prometheus_Port", DefaultPort)))
}

// RunConfig says what Run serves and watches.
type RunConfig struct {
	// Addr returns the address to listen on, "" for none. It is asked
	// again every Recheck, so that changing Prometheus_Enabled or
	// Prometheus_Port in the admin UI takes effect without a restart.
	Addr func() string
	// Required makes a failure to listen at start an error (the address
	// was given explicitly); otherwise it is logged and retried.
	Required bool
	// Recheck is how often Addr is asked again (default 10s).
	Recheck time.Duration
	// Store, when set, is counted every TotalsInterval for the totals.
	Store          chat.Store
	TotalsInterval time.Duration
	// Bus, when set, is watched for message events coming back, for the
	// message round-trip time.
	Bus chat.Bus
}

// Run starts the metrics listener and the background collectors. They run
// until ctx ends or stop is called; stop waits for them.
func (m *Metrics) Run(ctx context.Context, cfg RunConfig) (stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	stop = func() {
		cancel()
		wg.Wait()
	}
	if cfg.Addr != nil {
		l := &listener{m: m, handler: m.Handler()}
		if addr := cfg.Addr(); addr != "" {
			if err := l.listen(addr); err != nil {
				if cfg.Required {
					stop()
					return nil, err
				}
				m.log.Error("metrics listener", "addr", addr, "error", err)
			}
		}
		recheck := cfg.Recheck
		if recheck <= 0 {
			recheck = 10 * time.Second
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.follow(ctx, cfg.Addr, recheck)
		}()
	}
	if cfg.Store != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.watchTotals(ctx, cfg.Store, cfg.TotalsInterval)
		}()
	}
	if cfg.Bus != nil {
		if err := m.watchRoundtrip(ctx, &wg, cfg.Bus); err != nil {
			m.log.Warn("watch message round trips", "error", err)
		}
	}
	return stop, nil
}

// Addr returns the address the metrics listener is bound to, or "" when
// it is not listening.
func (m *Metrics) Addr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listening
}

// listener serves the metrics on one address at a time and moves when the
// wanted address changes.
type listener struct {
	m       *Metrics
	handler http.Handler
	addr    string // wanted address of the running server
	srv     *http.Server
	done    chan struct{}
}

// listen binds addr and serves on it in the background.
func (l *listener) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics listener on %s: %w", addr, err)
	}
	l.addr = addr
	l.srv = &http.Server{Handler: l.handler, ReadHeaderTimeout: 10 * time.Second}
	l.done = make(chan struct{})
	l.m.mu.Lock()
	l.m.listening = ln.Addr().String()
	l.m.mu.Unlock()
	l.m.log.Info("serving metrics", "addr", ln.Addr().String())
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			l.m.log.Error("metrics listener", "error", err)
		}
	}(l.srv, l.done)
	return nil
}

// close stops the running server, if any.
func (l *listener) close() {
	if l.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = l.srv.Shutdown(ctx)
	<-l.done
	l.srv, l.addr = nil, ""
	l.m.mu.Lock()
	l.m.listening = ""
	l.m.mu.Unlock()
}

// follow asks for the wanted address every interval and moves the
// listener when it changes, until ctx ends; then it closes the listener.
func (l *listener) follow(ctx context.Context, want func() string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	defer l.close()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		addr := want()
		if addr == l.addr && (addr == "" || l.srv != nil) {
			continue
		}
		l.close()
		if addr == "" {
			l.m.log.Info("metrics disabled")
			continue
		}
		if err := l.listen(addr); err != nil {
			l.m.log.Error("metrics listener", "addr", addr, "error", err)
		}
	}
}
