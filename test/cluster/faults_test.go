package cluster_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// readyz returns the status of an instance's /readyz.
func readyz(n *testenv.Node) int {
	hc := &http.Client{Timeout: 5 * time.Second}
	res, err := hc.Get(n.BaseURL + "/readyz")
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// waitReadyz waits until every instance's /readyz answers want.
func waitReadyz(t *testing.T, c *testenv.Cluster, want int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	testenv.Eventually(t, within, func() bool {
		for _, n := range c.Nodes {
			if n.Running() && readyz(n) != want {
				return false
			}
		}
		return true
	}, "/readyz answering %d on every running instance", want)
	return time.Since(start)
}

// stillOpen checks that a DDP connection is open and answering: a ping
// gets its pong.
func stillOpen(t *testing.T, d *ddptest.Client, what string) {
	t.Helper()
	if _, closed := d.Closed(0); closed {
		t.Fatalf("%s: the connection was closed: %s", what, d.Dump())
	}
	id := "alive-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	d.Send(map[string]any{"msg": "ping", "id": id})
	if _, ok := d.Wait(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == id }, 10*time.Second); !ok {
		t.Fatalf("%s: no pong: %s", what, d.Dump())
	}
}

// postText posts a message over REST and returns its id and ts.
func postText(t *testing.T, c *testenv.Client, text string) (string, string) {
	t.Helper()
	m := c.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": text}}).MustOK(t)["message"].(map[string]any)
	return m["_id"].(string), m["ts"].(string)
}

// TestPostgresOutage stops the PostgreSQL server under two instances:
// /readyz fails, writes over REST and DDP get a clear 503, the open DDP
// connections stay open; when PostgreSQL is back the instances recover by
// themselves, and a post reaches the connections that lived through it.
func TestPostgresOutage(t *testing.T) {
	pg := startPrivatePostgres(t)
	c := testenv.StartCluster(t, testenv.ClusterOptions{Instances: 2, PostgresURL: pg.URL,
		// A prompt 503 rather than the default 5s wait for a connection.
		Env: map[string]string{"LIFTOFF_DB_CONNECT_TIMEOUT": "1s"}})
	alice := c.Nodes[0].CreateUser(t, "alice")
	bob := c.Nodes[0].CreateUser(t, "bob")
	a := ddpOn(t, c.Nodes[0], alice)
	a.MustSub("stream-room-messages", "GENERAL", false)
	b := ddpOn(t, c.Nodes[1], bob)
	b.MustSub("stream-room-messages", "GENERAL", false)
	bobREST := c.Nodes[1].As(bob)

	pg.Stop(t)
	stopped := time.Now()
	took := waitReadyz(t, c, http.StatusServiceUnavailable, 30*time.Second)
	t.Logf("PostgreSQL stopped: /readyz failing on both instances after %s", took.Round(time.Millisecond))
	for _, n := range c.Nodes {
		res, err := http.Get(n.BaseURL + "/livez")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("/livez on instance %d during the outage: %v %v", n.Index, res, err)
		}
		res.Body.Close()
	}
	res := bobREST.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": "during the outage"}})
	if body := res.MustFail(t, http.StatusServiceUnavailable); body["error"] != "Service Unavailable" {
		t.Fatalf("REST write during the outage: %d %s", res.Status, res.Raw)
	}
	r := b.Call("sendMessage", map[string]any{"rid": "GENERAL", "msg": "during the outage"})
	if r.Error == nil {
		t.Fatalf("DDP write during the outage succeeded: %s", r.Frame.Raw)
	}
	if fmt.Sprint(r.Error["error"]) != "503" {
		t.Fatalf("DDP write during the outage answered %v %q, want 503", r.Error["error"], r.Error["reason"])
	}
	// A few seconds down: many heartbeats, a server ping or two.
	time.Sleep(3 * time.Second)
	if got := readyz(c.Nodes[0]); got != http.StatusServiceUnavailable {
		t.Fatalf("/readyz during the outage: %d", got)
	}
	stillOpen(t, a, "alice on instance 0 during the outage")
	stillOpen(t, b, "bob on instance 1 during the outage")

	pg.Start(t)
	took = waitReadyz(t, c, http.StatusOK, 60*time.Second)
	t.Logf("PostgreSQL back after %s down: /readyz answering 200 on both instances after %s", time.Since(stopped).Round(time.Millisecond), took.Round(time.Millisecond))
	stillOpen(t, a, "alice after the outage")
	mid, _ := postText(t, bobREST, "after the outage")
	a.Expect(messageEvent("GENERAL", mid, nil), "a post after the outage, on a connection that lived through it")
	var sent map[string]any
	b.MustCall(&sent, "sendMessage", map[string]any{"rid": "GENERAL", "msg": "over DDP after the outage"})
	a.Expect(messageEvent("GENERAL", sent["_id"].(string), nil), "a DDP post after the outage")
	// The refused writes left nothing behind.
	hist := c.Nodes[0].As(alice).Get(t, "/api/v1/channels.history", map[string]string{"roomId": "GENERAL", "count": "50"}).MustOK(t)
	for _, m := range hist["messages"].([]any) {
		if m.(map[string]any)["msg"] == "during the outage" {
			t.Fatalf("a write refused during the outage was stored: %v", m)
		}
	}
}

// TestNATSOutage stops the NATS server under three instances: /readyz
// fails and the DDP connections stay open; posts are still stored but do
// not reach the other instance; presence is left alone. When NATS is
// back, the buses reconnect and resubscribe by themselves, posts are
// delivered live again, and a client catches up on the lost event through
// history (loadMissedMessages and chat.syncMessages). An instance that
// went away during the outage, unheard, has its users turned offline once
// NATS is back.
func TestNATSOutage(t *testing.T) {
	ns := startPrivateNATS(t)
	c := testenv.StartCluster(t, testenv.ClusterOptions{NATSURL: ns.URL})
	alice := c.Nodes[0].CreateUser(t, "alice")
	bob := c.Nodes[0].CreateUser(t, "bob")
	carol := c.Nodes[0].CreateUser(t, "carol")
	a := ddpOn(t, c.Nodes[0], alice)
	a.MustSub("stream-room-messages", "GENERAL", false)
	watcher := ddpOn(t, c.Nodes[0], alice)
	watcher.MustSub("stream-notify-logged", "user-status", false)
	b := ddpOn(t, c.Nodes[1], bob)
	ddpOn(t, c.Nodes[2], carol)
	watcher.Expect(statusEvent(carol.UserID, codeOnline), "carol online")
	bobREST := c.Nodes[1].As(bob)
	before, beforeTS := postText(t, bobREST, "before the outage")
	a.Expect(messageEvent("GENERAL", before, nil), "a post before the outage")

	ns.Stop()
	stopped := time.Now()
	took := waitReadyz(t, c, http.StatusServiceUnavailable, 30*time.Second)
	t.Logf("NATS stopped: /readyz failing on every instance after %s", took.Round(time.Millisecond))
	lost, _ := postText(t, bobREST, "lost while NATS was down")
	a.ExpectNone(messageEvent("GENERAL", lost, nil), 500*time.Millisecond, "delivery while NATS was down")
	// Longer than three heartbeats: each instance now hears no other.
	time.Sleep(time.Second)
	stillOpen(t, a, "alice on instance 0 during the outage")
	stillOpen(t, b, "bob on instance 1 during the outage")
	// Neither instance may take the other's silence for its death while it
	// hears no one at all.
	for _, n := range c.Nodes {
		for _, u := range []*testenv.Client{alice, bob} {
			if s := status(t, n, u.UserID); s != "online" {
				t.Fatalf("%s through instance %d during the outage: %s, want online", u.Username, n.Index, s)
			}
		}
	}

	// Carol's instance goes away while no one can hear it.
	c.Nodes[2].Stop()

	ns.Start(t)
	took = waitReadyz(t, c, http.StatusOK, 30*time.Second)
	t.Logf("NATS back after %s down: /readyz answering 200 on the running instances after %s", time.Since(stopped).Round(time.Millisecond), took.Round(time.Millisecond))
	c.WaitInstances(t, 2)
	after, _ := postText(t, bobREST, "after the outage")
	a.Expect(messageEvent("GENERAL", after, nil), "a post after the outage, live on a connection that lived through it")
	stillOpen(t, a, "alice after the outage")

	// The client catches up from the last message it saw.
	var missed []map[string]any
	beforeTime, err := time.Parse(time.RFC3339Nano, beforeTS)
	if err != nil {
		t.Fatal(err)
	}
	a.MustCall(&missed, "loadMissedMessages", "GENERAL", map[string]any{"$date": beforeTime.UnixMilli()})
	found := map[string]bool{}
	for _, m := range missed {
		found[m["_id"].(string)] = true
	}
	if !found[lost] || !found[after] || found[before] {
		t.Fatalf("loadMissedMessages since the last message seen: %v; want the lost one and the one after", missed)
	}
	sync := c.Nodes[0].As(alice).Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": "GENERAL", "lastUpdate": beforeTS}).MustOK(t)
	found = map[string]bool{}
	for _, m := range sync["result"].(map[string]any)["updated"].([]any) {
		found[m.(map[string]any)["_id"].(string)] = true
	}
	if !found[lost] {
		t.Fatalf("chat.syncMessages since the last message seen lacks the lost one: %v", sync)
	}

	// The instance that vanished during the outage: its user is turned
	// offline once the others hear each other again.
	watcher.Expect(statusEvent(carol.UserID, codeOffline), "carol offline after her instance vanished during the outage")
	// Presence agrees again across instances: a change made through one
	// is seen through the other.
	b.Close()
	watcher.Expect(statusEvent(bob.UserID, codeOffline), "bob offline, seen across instances, after the outage")
	for _, n := range c.Nodes[:2] {
		if s := status(t, n, alice.UserID); s != "online" {
			t.Fatalf("alice through instance %d after the outage: %s", n.Index, s)
		}
	}
}

// TestNATSPartition cuts one instance off NATS while the other keeps it:
// the instance cut off leaves the other's users alone, the other takes
// its silence for death and turns its users offline, as it must; when
// the partition ends, the two rejoin, and the cut-off instance's
// connected users are shown online again without reconnecting.
func TestNATSPartition(t *testing.T) {
	shared := os.Getenv("LIFTOFF_TEST_NATS_URL")
	if shared == "" {
		t.Skip("LIFTOFF_TEST_NATS_URL is not set: cluster tests need a real NATS (CI and `make test` set it)")
	}
	u, err := url.Parse(shared)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, u.Host)
	c := testenv.StartCluster(t, testenv.ClusterOptions{Instances: 2, NodeEnv: func(i int) map[string]string {
		if i == 1 {
			return map[string]string{"LIFTOFF_NATS_URL": "nats://" + proxy.Addr}
		}
		return nil
	}})
	alice := c.Nodes[0].CreateUser(t, "alice")
	bob := c.Nodes[0].CreateUser(t, "bob")
	watcher := ddpOn(t, c.Nodes[0], alice)
	watcher.MustSub("stream-notify-logged", "user-status", false)
	b := ddpOn(t, c.Nodes[1], bob)
	b.MustSub("stream-room-messages", "GENERAL", false)
	watcher.Expect(statusEvent(bob.UserID, codeOnline), "bob online")

	proxy.Cut()
	watcher.Expect(statusEvent(bob.UserID, codeOffline), "bob offline: his instance went silent")
	time.Sleep(time.Second) // more heartbeats on both sides of the cut
	if s := status(t, c.Nodes[1], alice.UserID); s != "online" {
		t.Fatalf("alice, connected to the instance that kept NATS, is %s: the cut-off instance turned her offline", s)
	}
	stillOpen(t, b, "bob's connection to the cut-off instance")

	proxy.Restore()
	healed := time.Now()
	watcher.Expect(statusEvent(bob.UserID, codeOnline), "bob online again once the partition ended")
	t.Logf("partition ended: bob shown online again after %s", time.Since(healed).Round(time.Millisecond))
	c.WaitInstances(t, 2)
	watcher.ExpectNone(statusEvent(alice.UserID, codeOffline), 200*time.Millisecond, "alice offline")
	// Events cross again, and presence agrees: bob leaving is seen.
	mid, _ := postText(t, c.Nodes[0].As(alice), "after the partition")
	b.Expect(messageEvent("GENERAL", mid, nil), "a post across the healed partition")
	b.Close()
	watcher.Expect(statusEvent(bob.UserID, codeOffline), "bob offline after closing his connection")
}
