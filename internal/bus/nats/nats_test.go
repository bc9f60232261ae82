package nats_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"

	"github.com/liftoff-chat/liftoff/internal/bus/bustest"
	"github.com/liftoff-chat/liftoff/internal/bus/nats"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

// wait bounds every wait; generous for -race on a loaded machine.
const wait = 10 * time.Second

// TestBus runs the contract against an embedded server and against the
// real server CI provides. Each bus gets its own subject prefix, so cases
// running in parallel, or other users of a shared server, cannot see each
// other's events.
func TestBus(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		bustest.Run(t, func(t *testing.T) chat.Bus {
			return open(t, url, nats.Options{Prefix: uniquePrefix()})
		})
	})
}

// TestSubjects checks the topic-to-subject mapping from outside, with a
// plain NATS client: the default prefix, a custom one given without its
// dot, the wildcard, the connection name, and that a message that is not
// an event is skipped rather than fatal.
func TestSubjects(t *testing.T) {
	srv := startServer(t, -1)
	raw := rawConn(t, srv.ClientURL())

	def := open(t, srv.ClientURL(), nats.Options{Name: "liftoff-subjects"})
	custom := open(t, srv.ClientURL(), nats.Options{Prefix: "acme"})
	for _, tt := range []struct {
		bus     *nats.Bus
		subject string
	}{
		{def, "liftoff.room.S1"},
		{custom, "acme.room.S1"},
	} {
		rs, err := raw.SubscribeSync(tt.subject)
		if err != nil {
			t.Fatal(err)
		}
		if err := raw.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := tt.bus.Publish(context.Background(), "room.S1", chat.Event{Kind: chat.EventMessage, MessageID: "m"}); err != nil {
			t.Fatal(err)
		}
		m, err := rs.NextMsg(wait)
		if err != nil {
			t.Fatalf("%s: %v", tt.subject, err)
		}
		var ev chat.Event
		if err := json.Unmarshal(m.Data, &ev); err != nil || ev.MessageID != "m" {
			t.Fatalf("%s: payload %s (%v)", tt.subject, m.Data, err)
		}
	}

	sub := subscribe(t, def, "room.>")
	if err := raw.Publish("liftoff.room.junk", []byte("not json")); err != nil {
		t.Fatal(err)
	}
	if err := raw.Publish("liftoff.room.S2.thread", []byte(`{"kind":"message","mid":"ok"}`)); err != nil {
		t.Fatal(err)
	}
	if ev := receive(t, sub); ev.MessageID != "ok" {
		t.Fatalf("got %+v, want the event published on liftoff.room.S2.thread", ev)
	}

	conns, err := srv.Connz(&server.ConnzOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range conns.Conns {
		names = append(names, c.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "liftoff-subjects") {
		t.Errorf("connection names %v lack liftoff-subjects", names)
	}
}

// TestTwoInstances stands for two Liftoff instances: two buses, two
// connections, one server. Each sees the other's events, and a
// subscription on one is live for publishes from the other as soon as
// Subscribe returns.
func TestTwoInstances(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		prefix := uniquePrefix()
		a := open(t, url, nats.Options{Prefix: prefix, Name: "instance-a"})
		b := open(t, url, nats.Options{Prefix: prefix, Name: "instance-b"})
		subA, subB := subscribe(t, a, "room.X"), subscribe(t, b, "room.X")

		publish(t, a, "room.X", "from-a")
		publish(t, b, "room.X", "from-b")
		for _, s := range []chat.BusSubscription{subA, subB} {
			// Two connections: the server may interleave them either way.
			got := map[string]bool{receive(t, s).MessageID: true, receive(t, s).MessageID: true}
			if !got["from-a"] || !got["from-b"] {
				t.Fatalf("received %v, want from-a and from-b", got)
			}
		}

		for i := range 20 {
			topic := "room.live" + strconv.Itoa(i)
			s := subscribe(t, b, topic)
			publish(t, a, topic, "first")
			expectNext(t, s, "first")
			_ = s.Close()
		}
	})
}

// TestReconnect restarts the server on the same port. Subscriptions carry
// on without being made again; while the server is down Ping, Publish and
// Subscribe fail with EUnavailable, and nothing published then arrives
// later.
func TestReconnect(t *testing.T) {
	srv := startServer(t, -1)
	port, url := serverPort(srv), srv.ClientURL()
	opts := nats.Options{Prefix: uniquePrefix(), ReconnectWait: 20 * time.Millisecond}
	a, b := open(t, url, opts), open(t, url, opts)
	exact, wild := subscribe(t, a, "room.R"), subscribe(t, a, "room.>")
	publish(t, b, "room.R", "before")
	expectNext(t, exact, "before")
	expectNext(t, wild, "before")

	srv.Shutdown()
	srv.WaitForShutdown()
	ctx := context.Background()
	for _, bus := range []*nats.Bus{a, b} {
		eventually(t, "Ping fails while the server is down", func() bool { return bus.Ping(ctx) != nil })
		expectKind(t, bus.Ping(ctx), chat.EUnavailable, "Ping while down")
	}
	expectKind(t, b.Publish(ctx, "room.R", event("during")), chat.EUnavailable, "Publish while down")
	_, err := a.Subscribe(ctx, "room.R")
	expectKind(t, err, chat.EUnavailable, "Subscribe while down")

	startServer(t, port)
	for _, bus := range []*nats.Bus{a, b} {
		eventually(t, "Ping succeeds after the restart", func() bool { return bus.Ping(ctx) == nil })
	}
	// a's Ping succeeded after its subscriptions were sent again, and the
	// server handles a connection in order, so they are live now.
	publish(t, b, "room.R", "after")
	expectNext(t, exact, "after")
	expectNext(t, wild, "after")
}

// TestReconnectBuffer shows the other mode: with a reconnect buffer,
// Publish while disconnected succeeds and the event goes out after the
// reconnect, behind the bus's own resubscriptions.
func TestReconnectBuffer(t *testing.T) {
	srv := startServer(t, -1)
	port := serverPort(srv)
	a := open(t, srv.ClientURL(), nats.Options{ReconnectWait: 20 * time.Millisecond, ReconnectBuffer: 1 << 20})
	s := subscribe(t, a, "room.Q")

	srv.Shutdown()
	srv.WaitForShutdown()
	ctx := context.Background()
	eventually(t, "Ping fails while the server is down", func() bool { return a.Ping(ctx) != nil })
	publish(t, a, "room.Q", "queued")

	startServer(t, port)
	expectNext(t, s, "queued")
}

// TestConnectionLost checks that a bus that gives up reconnecting
// (MaxReconnects) closes its subscriptions' channels, so readers notice,
// and fails from then on.
func TestConnectionLost(t *testing.T) {
	srv := startServer(t, -1)
	a := open(t, srv.ClientURL(), nats.Options{MaxReconnects: 1, ReconnectWait: 10 * time.Millisecond})
	s := subscribe(t, a, "room.L")

	srv.Shutdown()
	expectClosed(t, s)
	ctx := context.Background()
	expectKind(t, a.Publish(ctx, "room.L", event("x")), chat.EUnavailable, "Publish after giving up")
	expectKind(t, a.Ping(ctx), chat.EUnavailable, "Ping after giving up")
}

// TestOpen checks that Open waits for a server that is not up yet, gives
// up when its context ends, and rejects a bad URL or prefix at once.
func TestOpen(t *testing.T) {
	srv := startServer(t, -1)
	port := serverPort(srv)
	url := srv.ClientURL()
	srv.Shutdown()
	srv.WaitForShutdown()
	opts := nats.Options{ReconnectWait: 20 * time.Millisecond}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if b, err := nats.Open(ctx, url, opts, discard()); err == nil {
		b.Close()
		t.Fatal("Open with no server succeeded")
	} else {
		expectKind(t, err, chat.EUnavailable, "Open with no server")
	}

	type result struct {
		b   *nats.Bus
		err error
	}
	opened := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		b, err := nats.Open(ctx, url, opts, discard())
		opened <- result{b, err}
	}()
	time.Sleep(100 * time.Millisecond) // let Open fail a few attempts first; the result does not depend on it
	startServer(t, port)
	r := <-opened
	if r.err != nil {
		t.Fatalf("Open while the server starts: %v", r.err)
	}
	defer r.b.Close()
	if err := r.b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	_, err := nats.Open(context.Background(), "nats://bob:s3cret@127.0.0.1:notaport,nats://ann:pw2@x:1", opts, discard())
	if chat.ErrorKind(err) != chat.EInvalid {
		t.Errorf("Open with a bad URL: %v, want EInvalid", err)
	} else if msg := err.Error(); strings.Contains(msg, "s3cret") || strings.Contains(msg, "pw2") {
		t.Errorf("error shows a password: %s", msg)
	}
	if _, err := nats.Open(context.Background(), url, nats.Options{Prefix: "a b"}, discard()); chat.ErrorKind(err) != chat.EInvalid {
		t.Errorf("Open with a bad prefix: %v, want EInvalid", err)
	}
}

// TestMaxPayload checks the server's default limit of 1 MB: an event just
// under it is delivered, one over it fails with ETooLarge, without harm to
// the connection.
func TestMaxPayload(t *testing.T) {
	srv := startServer(t, -1)
	b := open(t, srv.ClientURL(), nats.Options{})
	if got := b.MaxPayload(); got != 1<<20 {
		t.Fatalf("MaxPayload() = %d, want the default 1 MB", got)
	}
	s := subscribe(t, b, "room.M")
	ctx := context.Background()

	big := event("big")
	big.Data = json.RawMessage(`"` + strings.Repeat("x", 1<<20-1024) + `"`)
	if err := b.Publish(ctx, "room.M", big); err != nil {
		t.Fatalf("Publish just under the limit: %v", err)
	}
	if ev := expectNext(t, s, "big"); len(ev.Data) != len(big.Data) {
		t.Fatalf("Data of %d bytes arrived as %d", len(big.Data), len(ev.Data))
	}

	big.Data = json.RawMessage(`"` + strings.Repeat("x", 1<<20+1) + `"`)
	expectKind(t, b.Publish(ctx, "room.M", big), chat.ETooLarge, "Publish over the limit")
	publish(t, b, "room.M", "small")
	expectNext(t, s, "small")
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("Ping after a refused event: %v", err)
	}
}

// TestOnDrop checks that Options.Buffer and Options.OnDrop are wired.
func TestOnDrop(t *testing.T) {
	srv := startServer(t, -1)
	var mu sync.Mutex
	drops := map[string]int{}
	b := open(t, srv.ClientURL(), nats.Options{Buffer: 2, OnDrop: func(topic string) {
		mu.Lock()
		drops[topic]++
		mu.Unlock()
	}})
	s := subscribe(t, b, "room.>")
	if c := cap(s.C()); c != 2 {
		t.Fatalf("buffer = %d, want 2", c)
	}
	for i := range 5 {
		publish(t, b, "room.D", strconv.Itoa(i))
	}
	eventually(t, "three drops counted", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return drops["room.>"] == 3 && b.Dropped() == 3
	})
}

func BenchmarkPublish(b *testing.B) {
	forEachServer(b, func(b *testing.B, url string) {
		bus, err := nats.Open(context.Background(), url, nats.Options{Prefix: uniquePrefix()}, discard())
		if err != nil {
			b.Fatal(err)
		}
		defer bus.Close()
		bustest.BenchmarkPublish(b, bus)
	})
}

// forEachServer runs fn as subtest "embedded", against a server started in
// the test, and as "real", against LIFTOFF_TEST_NATS_URL.
func forEachServer[T interface {
	testing.TB
	Run(string, func(T)) bool
}](t T, fn func(t T, url string)) {
	t.Run("embedded", func(t T) {
		fn(t, startServer(t, -1).ClientURL())
	})
	t.Run("real", func(t T) {
		url := os.Getenv("LIFTOFF_TEST_NATS_URL")
		if url == "" {
			t.Skip("LIFTOFF_TEST_NATS_URL is not set; set it to a NATS server (e.g. nats://127.0.0.1:4222) to run against it; CI always does")
		}
		if testing.Short() {
			t.Skip("-short: skipping the real NATS server")
		}
		fn(t, url)
	})
}

// startServer starts an embedded NATS server on port, -1 for a random one,
// and shuts it down when the test ends.
func startServer(t testing.TB, port int) *server.Server {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(wait) {
		t.Fatalf("nats server on port %d not ready", port)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

func serverPort(srv *server.Server) int { return srv.Addr().(*net.TCPAddr).Port }

// open opens a bus or fails the test, and closes it when the test ends.
func open(t testing.TB, url string, opts nats.Options) *nats.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	b, err := nats.Open(ctx, url, opts, discard())
	if err != nil {
		t.Fatalf("Open(%s): %v", url, err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func rawConn(t testing.TB, url string) *natsgo.Conn {
	t.Helper()
	nc, err := natsgo.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// uniquePrefix isolates a bus on a shared server.
func uniquePrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "liftoff.test." + hex.EncodeToString(b[:]) + "."
}

// discard is the logger of buses in tests: nats.go calls its handlers
// from its own goroutines, possibly after a test has ended, when writing to
// t's output would panic.
func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func event(id string) chat.Event {
	return chat.Event{Kind: chat.EventMessage, MessageID: id, At: time.Now()}
}

func subscribe(t testing.TB, b chat.Bus, topic string) chat.BusSubscription {
	t.Helper()
	s, err := b.Subscribe(context.Background(), topic)
	if err != nil {
		t.Fatalf("Subscribe(%q): %v", topic, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func publish(t testing.TB, b chat.Bus, topic, id string) {
	t.Helper()
	if err := b.Publish(context.Background(), topic, event(id)); err != nil {
		t.Fatalf("Publish(%q, %s): %v", topic, id, err)
	}
}

func receive(t testing.TB, s chat.BusSubscription) chat.Event {
	t.Helper()
	select {
	case ev, ok := <-s.C():
		if !ok {
			t.Fatal("subscription channel closed, want an event")
		}
		return ev
	case <-time.After(wait):
		t.Fatalf("no event within %v", wait)
	}
	return chat.Event{}
}

func expectNext(t testing.TB, s chat.BusSubscription, id string) chat.Event {
	t.Helper()
	ev := receive(t, s)
	if ev.MessageID != id {
		t.Fatalf("received %q, want %q", ev.MessageID, id)
	}
	return ev
}

func expectClosed(t testing.TB, s chat.BusSubscription) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-s.C():
			if !ok {
				return
			}
		case <-timeout:
			t.Fatalf("subscription channel still open after %v", wait)
		}
	}
}

func expectKind(t testing.TB, err error, want chat.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, want)
	}
	var ce *chat.Error
	if !errors.As(err, &ce) || ce.Kind != want {
		t.Fatalf("%s: error %q, want kind %s", what, err, want)
	}
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v", what, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
