package postgres_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/postgres"
)

// proxy is a TCP proxy between the store and PostgreSQL that a test can cut
// and restore: the machine's PostgreSQL is shared, so outages are played
// here instead of by stopping it.
type proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  proxyMode
	conns map[net.Conn]struct{}
}

type proxyMode int

const (
	proxyUp        proxyMode = iota
	proxyRefuse              // accept and close at once, as a server that is down
	proxyBlackhole           // accept and never answer, as an unreachable host
)

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.closeAll()
	})
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		switch mode {
		case proxyRefuse:
			p.drop(c)
		case proxyBlackhole:
			// Held open, unanswered, until cut or cleanup.
		case proxyUp:
			go p.pipe(c)
		}
	}
}

func (p *proxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		p.drop(c)
		return
	}
	p.mu.Lock()
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	p.drop(c)
	p.drop(up)
}

func (p *proxy) drop(c net.Conn) {
	c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

func (p *proxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// set switches the mode; leaving proxyUp breaks every open connection.
func (p *proxy) set(m proxyMode) {
	p.mu.Lock()
	p.mode = m
	p.mu.Unlock()
	if m != proxyUp {
		p.closeAll()
	}
}

// through returns connString with its host and port replaced by the
// proxy's.
func (p *proxy) through(t *testing.T, connString string) string {
	u, err := url.Parse(connString)
	if err != nil || u.Host == "" {
		t.Skipf("the outage test needs a postgres:// URL, not %q", connString)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

func proxyTarget(t *testing.T, connString string) string {
	u, err := url.Parse(connString)
	if err != nil || u.Host == "" {
		t.Skipf("the outage test needs a postgres:// URL, not %q", connString)
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "5432")
	}
	return u.Host
}

// TestOutageAndRecovery: while PostgreSQL cannot be reached, every operation
// fails promptly with EUnavailable (which the API answers with 503 and
// /readyz reports); when it is back, the same Store works again without
// being reopened.
func TestOutageAndRecovery(t *testing.T) {
	connString, _ := freshSchema(t)
	p := startProxy(t, proxyTarget(t, connString))
	s := openAt(t, p.through(t, connString), postgres.Options{MaxConns: 4, ConnectTimeout: time.Second})
	ctx := t.Context()
	addRoom(t, s, "r1")
	post := func(id string, sec int64) error {
		return s.WithTx(ctx, func(tx chat.Store) error {
			return tx.InsertMessage(ctx, &chat.Message{ID: id, RoomID: "r1", Text: "hello " + id,
				User: chat.UserRef{ID: "u1"}, TS: time.Unix(sec, 0)}, true)
		})
	}
	must(t, post("m1", 1))

	ops := map[string]func() error{
		"ping": func() error { return s.Ping(ctx) },
		"read": func() error { _, err := s.RoomByID(ctx, "r1"); return err },
		"list": func() error {
			_, _, err := s.ListMessages(ctx, chat.MessageFilter{RoomID: "r1", WithTotal: true})
			return err
		},
		"write": func() error { return s.IncrementRoomUsers(ctx, "r1", 1) },
		"post":  func() error { return post("m-down", 2) },
	}
	for _, mode := range []proxyMode{proxyRefuse, proxyBlackhole} {
		p.set(mode)
		for name, op := range ops {
			start := time.Now()
			err := op()
			if chat.ErrorKind(err) != chat.EUnavailable {
				t.Fatalf("mode %d, %s: got %v (kind %s), want EUnavailable", mode, name, err, chat.ErrorKind(err))
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("mode %d, %s: failed after %s", mode, name, d)
			}
		}
	}

	p.set(proxyUp)
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := s.Ping(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("store did not recover: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	must(t, post("m2", 3))
	r, err := s.RoomByID(ctx, "r1")
	must(t, err)
	if r.Seq != 2 || r.Msgs != 2 || r.LastMessage.ID != "m2" {
		t.Fatalf("room after recovery: seq %d, msgs %d, last %s", r.Seq, r.Msgs, r.LastMessage.ID)
	}
	if _, err := s.MessageByID(ctx, "m-down"); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("the post that failed during the outage: %v", err)
	}
}

// TestCancelledIsNotUnavailable: a caller that gives up is not told that
// the database is down.
func TestCancelledIsNotUnavailable(t *testing.T) {
	s := open(t, postgres.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, err := range map[string]error{
		"ping": s.Ping(ctx),
		"read": func() error { _, err := s.RoomByID(ctx, "r1"); return err }(),
		"tx":   s.WithTx(ctx, func(tx chat.Store) error { return nil }),
	} {
		if err == nil || chat.IsKind(err, chat.EUnavailable) {
			t.Errorf("%s: got %v, want a plain cancellation error", name, err)
		}
	}
}
