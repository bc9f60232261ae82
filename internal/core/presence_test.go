package core

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// cluster is several instances — Services with their Presence — sharing
// one store and one bus, as a deployment on PostgreSQL and NATS does. Each
// instance's presence is fed the presence and instance topics, as the
// realtime hub feeds it.
type cluster struct {
	t   *testing.T
	ctx context.Context
	st  chat.Store
	ps  []*Presence
}

func newCluster(t *testing.T, n int, heartbeat time.Duration) *cluster {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "presence.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := memory.New(log)
	t.Cleanup(func() { bus.Close() })
	c := &cluster{t: t, ctx: ctx, st: st}
	for i := range n {
		s := New(Config{Store: st, Bus: bus, Logger: log, InstanceID: "instance" + string(rune('A'+i))})
		if err := s.Init(ctx, InitOptions{Env: map[string]string{}}); err != nil {
			t.Fatal(err)
		}
		p := NewPresence(s, PresenceOptions{OfflineDelay: 50 * time.Millisecond, Heartbeat: heartbeat, Alone: n == 1})
		for _, topic := range []string{chat.TopicPresence, chat.TopicInstances} {
			sub, err := bus.Subscribe(ctx, topic)
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				for ev := range sub.C() {
					p.Apply(ev)
				}
			}()
		}
		p.Start(ctx)
		t.Cleanup(func() { p.Stop(ctx) })
		c.ps = append(c.ps, p)
	}
	return c
}

func (c *cluster) user(name string) *chat.User {
	c.t.Helper()
	u, err := c.ps[0].s.AdminCreateUser(c.ctx, NewUser{Username: name})
	if err != nil {
		c.t.Fatal(err)
	}
	return u
}

// status reads a user's shown and connection statuses from the store.
func (c *cluster) status(uid string) (string, string) {
	u, err := c.st.UserByID(c.ctx, uid)
	if err != nil {
		c.t.Fatal(err)
	}
	return u.Status, u.StatusConnection
}

func (c *cluster) eventually(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPresenceOneInstance checks the single-instance rules: online with a
// connection, away when every connection is idle, the chosen status while
// connected, offline shortly after the last connection closes.
func TestPresenceOneInstance(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 1, time.Second)
	p := c.ps[0]
	u := c.user("solo")
	p.Connect(c.ctx, "c1", u)
	if st, conn := c.status(u.ID); st != chat.StatusOnline || conn != chat.StatusOnline {
		t.Fatalf("after connect: %s/%s", st, conn)
	}
	p.Connect(c.ctx, "c2", u)
	if err := p.SetConnectionStatus(c.ctx, "c1", u.ID, chat.StatusAway); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.status(u.ID); st != chat.StatusOnline {
		t.Fatalf("one idle connection of two: %s, want online", st)
	}
	if err := p.SetConnectionStatus(c.ctx, "c2", u.ID, chat.StatusAway); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.status(u.ID); st != chat.StatusAway {
		t.Fatalf("every connection idle: %s, want away", st)
	}
	busy := chat.StatusBusy
	if _, err := p.s.SetUserStatus(c.ctx, u, "", StatusChange{Status: &busy}); err != nil {
		t.Fatal(err)
	}
	p.Disconnect("c1", u.ID)
	if st, _ := c.status(u.ID); st != chat.StatusBusy {
		t.Fatalf("chosen busy while connected: %s", st)
	}
	p.Disconnect("c2", u.ID)
	c.eventually("offline after the last connection", func() bool { st, _ := c.status(u.ID); return st == chat.StatusOffline })
	if err := p.SetConnectionStatus(c.ctx, "c2", u.ID, chat.StatusOnline); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.status(u.ID); st != chat.StatusOffline {
		t.Fatalf("a closed connection changed the status: %s", st)
	}
}

// TestPresenceAcrossInstances checks that presence is the union over
// instances, and that a dead instance's connections stop counting once its
// heartbeats stop.
func TestPresenceAcrossInstances(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3, 50*time.Millisecond)
	a, b, dead := c.ps[0], c.ps[1], c.ps[2]
	u := c.user("roamer")
	c.eventually("instances see each other", func() bool { return a.Instances() == 3 && b.Instances() == 3 })

	a.Connect(c.ctx, "a1", u)
	b.Connect(c.ctx, "b1", u)
	c.eventually("a knows of b's connection", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		in := a.remote["instanceB"]
		return in != nil && in.users[u.ID] == chat.StatusOnline
	})
	a.Disconnect("a1", u.ID)
	time.Sleep(200 * time.Millisecond)
	if st, _ := c.status(u.ID); st != chat.StatusOnline {
		t.Fatalf("connected on another instance: %s, want online", st)
	}
	b.SetConnectionStatus(c.ctx, "b1", u.ID, chat.StatusAway)
	if st, _ := c.status(u.ID); st != chat.StatusAway {
		t.Fatalf("idle on the only instance with a connection: %s", st)
	}
	b.Disconnect("b1", u.ID)
	c.eventually("offline once no instance has a connection", func() bool { st, _ := c.status(u.ID); return st == chat.StatusOffline })

	// An instance that dies without a word: its connections count until
	// its heartbeats lapse, then the leader turns its users offline.
	v := c.user("victim")
	dead.Connect(c.ctx, "d1", v)
	c.eventually("the others know of the connection", func() bool { return a.ConnectionStatus(v.ID) == chat.StatusOnline })
	dead.mu.Lock()
	stop := dead.stop
	dead.stop, dead.stopped = nil, true
	dead.mu.Unlock()
	close(stop) // heartbeats end, nothing else is said
	c.eventually("a dead instance's users offline", func() bool { st, _ := c.status(v.ID); return st == chat.StatusOffline })
	if a.Instances() != 2 {
		t.Fatalf("instances after one died: %d", a.Instances())
	}

	// A new instance learns the others' connections from their answer to
	// its hello.
	w := c.user("watcher")
	a.Connect(c.ctx, "a2", w)
	late := NewPresence(b.s, PresenceOptions{Heartbeat: 50 * time.Millisecond})
	late.instance = "instanceZ"
	sub, _ := b.s.bus.Subscribe(c.ctx, chat.TopicPresence)
	go func() {
		for ev := range sub.C() {
			late.Apply(ev)
		}
	}()
	late.Start(c.ctx)
	c.eventually("the new instance learns a's connections", func() bool { return late.ConnectionStatus(w.ID) == chat.StatusOnline })
	late.Stop(c.ctx)
}
