package cluster_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// Rolling restart load: posters × rate messages per second each, and
// subscribers spread over the instances.
const (
	rollPosters     = 3
	rollRate        = 20 // per poster per second
	rollSubscribers = 6
	// rollCatchUpMargin is how far before the last message it saw a
	// reconnecting client asks for missed messages. A message's ts is
	// taken before its transaction commits, so a message can be
	// delivered after one with a later ts; asking from a little earlier
	// and skipping what was already seen covers that.
	rollCatchUpMargin = 5 * time.Second
	// rollBalancerLag is how long the load balancer keeps routing to an
	// instance after it was told to stop.
	rollBalancerLag = 300 * time.Millisecond
)

// TestRollingRestart restarts each of three instance processes in turn
// (SIGTERM, then start again) while clients post steadily and others stay
// subscribed, reconnecting as Rocket.Chat's clients do: on close, to
// another instance, resuming the session, subscribing again and catching
// up with loadMissedMessages. Every acknowledged message must be stored
// exactly once and reach every subscriber, live or through catch-up.
func TestRollingRestart(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t, testenv.ClusterOptions{Process: true})
	rid := "GENERAL"

	var up [3]atomic.Bool
	for i := range up {
		up[i].Store(true)
	}
	hc := &http.Client{Timeout: 10 * time.Second}

	subs := make([]*rollSubscriber, rollSubscribers)
	for i := range subs {
		u := c.Nodes[0].CreateUser(t, fmt.Sprintf("sub%d", i))
		subs[i] = &rollSubscriber{token: u.Token, nodes: c.Nodes, at: i % len(c.Nodes), rid: rid,
			seen: map[string]string{}, ready: make(chan struct{})}
	}
	posters := make([]*rollPoster, rollPosters)
	for i := range posters {
		u := c.Nodes[0].CreateUser(t, fmt.Sprintf("poster%d", i))
		posters[i] = &rollPoster{name: fmt.Sprintf("p%d", i), uid: u.UserID, token: u.Token, nodes: c.Nodes, up: up[:], hc: hc, rid: rid, next: i}
	}

	subCtx, stopSubs := context.WithCancel(context.Background())
	defer stopSubs()
	var subWG sync.WaitGroup
	for _, s := range subs {
		subWG.Add(1)
		go func() { defer subWG.Done(); s.run(subCtx) }()
	}
	for i, s := range subs {
		select {
		case <-s.ready:
		case <-time.After(30 * time.Second):
			t.Fatalf("subscriber %d not subscribed within 30s", i)
		}
	}

	postCtx, stopPosting := context.WithCancel(context.Background())
	defer stopPosting()
	var postWG sync.WaitGroup
	for _, p := range posters {
		postWG.Add(1)
		go func() { defer postWG.Done(); p.run(postCtx) }()
	}

	start := time.Now()
	time.Sleep(time.Second)
	for i, n := range c.Nodes {
		// The load balancer notices a while after SIGTERM that /readyz
		// fails, and meanwhile sends posts to an instance that is closing:
		// they fail and are retried elsewhere.
		t0 := time.Now()
		lb := time.AfterFunc(rollBalancerLag, func() { up[i].Store(false) })
		n.Stop()
		<-time.After(time.Until(t0.Add(rollBalancerLag)))
		lb.Stop()
		up[i].Store(false)
		n.Restart(t)
		up[i].Store(true)
		c.WaitInstances(t, len(c.Nodes))
		t.Logf("instance %d restarted in %s", i, time.Since(t0).Round(time.Millisecond))
		time.Sleep(time.Second)
	}
	stopPosting()
	postWG.Wait()
	elapsed := time.Since(start)

	acked := map[string]string{} // id → text
	var attempts, retries int
	for _, p := range posters {
		for id, text := range p.acked {
			acked[id] = text
		}
		attempts += p.attempts
		retries += p.retries
	}
	if len(acked) < 100 {
		t.Fatalf("only %d messages acknowledged", len(acked))
	}

	// Let the last deliveries arrive: until every subscriber has every
	// acknowledged message, or nothing moved for 5 seconds.
	missing := func() int {
		n := 0
		for _, s := range subs {
			n += s.missing(acked)
		}
		return n
	}
	last, moved := missing(), time.Now()
	for last > 0 && time.Since(moved) < 5*time.Second {
		time.Sleep(50 * time.Millisecond)
		if m := missing(); m != last {
			last, moved = m, time.Now()
		}
	}
	stopSubs()
	subWG.Wait()

	// Stored exactly once: every acknowledged id once, and no text twice.
	stored := storedMessages(t, c, rid)
	var notStored, dupStored int
	byText := map[string]int{}
	for _, text := range stored {
		byText[text]++
	}
	for id, text := range acked {
		if stored[id] != text {
			notStored++
			t.Errorf("acknowledged message %s (%q) is not stored", id, text)
		}
	}
	for text, n := range byText {
		if n > 1 {
			dupStored += n - 1
			t.Errorf("message %q stored %d times", text, n)
		}
	}

	var live, caught, lost, reconnects int
	for i, s := range subs {
		s.mu.Lock()
		for id := range acked {
			switch s.seen[id] {
			case "live":
				live++
			case "catch-up":
				caught++
			default:
				lost++
				if lost <= 10 {
					t.Errorf("subscriber %d never got message %s", i, id)
				}
			}
		}
		reconnects += s.reconnects
		s.mu.Unlock()
	}
	t.Logf("rolling restart of 3 instances in %s: %d posters, %d subscribers", elapsed.Round(time.Millisecond), rollPosters, rollSubscribers)
	t.Logf("messages acknowledged %d (%d attempts, %d retried on another instance); stored %d, duplicates stored %d, acknowledged but not stored %d",
		len(acked), attempts, retries, len(stored), dupStored, notStored)
	t.Logf("deliveries %d = %d subscribers × %d: live %d, caught up after reconnect %d, lost %d; subscriber reconnects %d",
		len(acked)*rollSubscribers, rollSubscribers, len(acked), live, caught, lost, reconnects)
	if lost > 0 {
		t.Fatalf("%d deliveries lost", lost)
	}
}

// rollPoster posts rollRate messages a second with ids of its own,
// through the instances the load balancer routes to, and retries a failed
// post with the same id on another instance, as clients that choose
// message ids do (Rocket.Chat's web client does): a retry of a post that
// was stored after all is refused as a duplicate, which is an
// acknowledgement.
type rollPoster struct {
	name       string
	uid, token string
	rid        string
	nodes      []*testenv.Node
	up         []atomic.Bool
	hc         *http.Client
	next       int

	acked    map[string]string
	attempts int
	retries  int
}

func (p *rollPoster) run(ctx context.Context) {
	p.acked = map[string]string{}
	tick := time.NewTicker(time.Second / rollRate)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		id := fmt.Sprintf("roll-%s-%05d", p.name, i)
		text := fmt.Sprintf("rolling %s %d", p.name, i)
		// Once started, a post is seen through to its acknowledgement,
		// however long the instances take.
		for try := 0; ; try++ {
			n := p.pick()
			p.attempts++
			if try > 0 {
				p.retries++
			}
			status, body, err := restPost(context.Background(), p.hc, n.BaseURL, "/api/v1/chat.sendMessage", p.uid, p.token,
				map[string]any{"message": map[string]any{"_id": id, "rid": p.rid, "msg": text}})
			if err == nil && status == http.StatusOK && body["success"] == true {
				p.acked[id] = text
				break
			}
			if err == nil && status == http.StatusBadRequest && body["errorType"] == "error-message-already-exists" && try > 0 {
				p.acked[id] = text
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// pick returns the next instance in rotation that is up.
func (p *rollPoster) pick() *testenv.Node {
	for range len(p.nodes) {
		p.next = (p.next + 1) % len(p.nodes)
		if p.up[p.next].Load() {
			return p.nodes[p.next]
		}
	}
	return p.nodes[p.next]
}

// rollSubscriber follows a room over DDP and, whenever its socket
// closes, reconnects to the next instance, resumes its session,
// subscribes again and catches up with loadMissedMessages.
type rollSubscriber struct {
	token string
	rid   string
	nodes []*testenv.Node
	at    int
	ready chan struct{}

	mu         sync.Mutex
	seen       map[string]string // message id → "live" or "catch-up", the first way it came
	lastTS     time.Time
	reconnects int
}

func (s *rollSubscriber) record(doc map[string]any, how string) {
	id, _ := doc["_id"].(string)
	if !strings.HasPrefix(id, "roll-") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[id]; !ok {
		s.seen[id] = how
	}
	if ts := ejsonTime(doc["ts"]); ts.After(s.lastTS) {
		s.lastTS = ts
	}
}

func (s *rollSubscriber) missing(acked map[string]string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id := range acked {
		if _, ok := s.seen[id]; !ok {
			n++
		}
	}
	return n
}

func (s *rollSubscriber) run(ctx context.Context) {
	first := true
	since := time.Now()
	for ctx.Err() == nil {
		conn, err := s.connect(ctx, first, since)
		if err != nil {
			// That instance is down or not ready: try the next one.
			s.at = (s.at + 1) % len(s.nodes)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if first {
			close(s.ready)
			first = false
		}
		select {
		case <-ctx.Done():
			conn.close()
			return
		case <-conn.done:
		}
		s.mu.Lock()
		s.reconnects++
		since = s.lastTS
		s.mu.Unlock()
		if since.IsZero() {
			since = time.Now().Add(-time.Minute)
		}
		s.at = (s.at + 1) % len(s.nodes)
	}
}

// connect logs in on the current instance, subscribes, and after a
// reconnection catches up on what was posted since the last message seen.
func (s *rollSubscriber) connect(ctx context.Context, first bool, since time.Time) (*rtConn, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := dialRT(cctx, s.nodes[s.at].WSURL, func(doc map[string]any) { s.record(doc, "live") })
	if err != nil {
		return nil, err
	}
	if _, err := conn.call(cctx, "login", map[string]any{"resume": s.token}); err != nil {
		conn.close()
		return nil, err
	}
	if err := conn.sub(cctx, "stream-room-messages", s.rid, false); err != nil {
		conn.close()
		return nil, err
	}
	if !first {
		res, err := conn.call(cctx, "loadMissedMessages", s.rid, map[string]any{"$date": since.Add(-rollCatchUpMargin).UnixMilli()})
		if err != nil {
			conn.close()
			return nil, err
		}
		var docs []map[string]any
		_ = json.Unmarshal(res, &docs)
		for _, d := range docs {
			s.record(d, "catch-up")
		}
	}
	return conn, nil
}

// storedMessages reads the room's messages straight from the cluster's
// schema: id → text.
func storedMessages(t *testing.T, c *testenv.Cluster, rid string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id, msg FROM messages WHERE rid = $1 AND msg LIKE 'rolling %'`, rid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var id, msg string
		if err := rows.Scan(&id, &msg); err != nil {
			t.Fatal(err)
		}
		out[id] = msg
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
