package ddp_test

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp"
	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/realtime"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// stack is a DDP handler with its own settings (a short ping interval,
// a small queue) on the real core, store and bus.
type stack struct {
	url     string
	handler *ddp.Handler
	hub     *realtime.Hub
	core    *core.Service
}

func newStack(t *testing.T, cfg ddp.Config, queueFrames int) *stack {
	return newStackWith(t, cfg, queueFrames, nil)
}

// newStackWith is newStack with a hook on each accepted connection.
func newStackWith(t *testing.T, cfg ddp.Config, queueFrames int, accepted func(net.Conn)) *stack {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ddp.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	bus := memory.New(log)
	svc := core.New(core.Config{Store: st, Bus: bus, Logger: log})
	if err := svc.Init(ctx, core.InitOptions{Env: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	hub := realtime.New(realtime.Config{Core: svc, Bus: bus, Logger: log, QueueFrames: queueFrames})
	if err := hub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cfg.Core, cfg.Hub, cfg.Logger = svc, hub, log
	h := ddp.New(cfg)
	srv := httptest.NewUnstartedServer(h)
	if accepted != nil {
		srv.Listener = hookListener{srv.Listener, accepted}
	}
	srv.Start()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = h.Shutdown(sctx)
		srv.Close()
		hub.Close()
		bus.Close()
		st.Close()
	})
	return &stack{url: "ws" + strings.TrimPrefix(srv.URL, "http"), handler: h, hub: hub, core: svc}
}

// TestServerPing checks idle detection: a silent client is pinged, and
// closed with 4000 when it does not answer; one that answers stays.
func TestServerPing(t *testing.T) {
	t.Parallel()
	s := newStack(t, ddp.Config{PingInterval: 200 * time.Millisecond}, 0)

	mute, _ := ddptest.Connect(t, s.url, "1")
	mute.SetAutoPong(false)
	alive, _ := ddptest.Connect(t, s.url, "1")

	mute.Expect(func(f ddptest.Frame) bool { return string(f.Raw) == `{"msg":"ping"}` }, "server ping")
	code, closed := mute.Closed(2 * time.Second)
	if !closed || code != 4000 {
		t.Fatalf("silent client: closed=%v code=%v", closed, code)
	}
	time.Sleep(600 * time.Millisecond)
	alive.Send(map[string]any{"msg": "ping", "id": "x"})
	alive.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == "x" }, "pong from a client that answers pings")
	if st := s.handler.Stats(); st.Connections != 1 || st.Sessions != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestShutdownHint checks that shutting down closes every connection with
// "going away", which makes the SDKs reconnect (to another instance).
func TestShutdownHint(t *testing.T) {
	t.Parallel()
	s := newStack(t, ddp.Config{}, 0)
	a, _ := ddptest.Connect(t, s.url, "1")
	b, _ := ddptest.Connect(t, s.url, "pre2")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.handler.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*ddptest.Client{a, b} {
		if code, closed := c.Closed(2 * time.Second); !closed || code != 1001 {
			t.Fatalf("after shutdown: closed=%v code=%v", closed, code)
		}
	}
	if st := s.handler.Stats(); st.Connections != 0 {
		t.Fatalf("stats after shutdown %+v", st)
	}
}

// hookListener calls a function on each accepted connection.
type hookListener struct {
	net.Listener
	accepted func(net.Conn)
}

func (l hookListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted(c)
	}
	return c, err
}
