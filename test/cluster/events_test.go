package cluster_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestEventsCrossInstances starts three instances with a DDP client on
// each, and checks that whatever is done through any instance — a
// message posted over REST or DDP, an edit, a reaction, a deletion, a
// typing notice — reaches the subscribers on all of them.
func TestEventsCrossInstances(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t, testenv.ClusterOptions{})
	names := []string{"alice", "bob", "carol"}
	users := make([]*testenv.Client, 3)
	for i, name := range names {
		users[i] = c.Nodes[0].CreateUser(t, name)
	}
	// Client i is user i on instance i; users act through their own
	// instance's REST API too.
	clients := make([]*ddptest.Client, 3)
	rest := make([]*testenv.Client, 3)
	for i, n := range c.Nodes {
		clients[i] = ddpOn(t, n, users[i])
		clients[i].MustSub("stream-room-messages", "GENERAL", false)
		clients[i].MustSub("stream-notify-room", "GENERAL/deleteMessage", false)
		clients[i].MustSub("stream-notify-room", "GENERAL/typing", false)
		clients[i].MustSub("stream-notify-room", "GENERAL/user-activity", false)
		rest[i] = n.As(users[i])
	}

	for origin := range 3 {
		editor, reactor := (origin+1)%3, (origin+2)%3
		t.Logf("posted through instance %d, edited through %d, reacted to through %d", origin, editor, reactor)
		text := fmt.Sprintf("hello from instance %d", origin)
		posted := rest[origin].Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": text}}).MustOK(t)
		mid := posted["message"].(map[string]any)["_id"].(string)
		expectAll(t, clients, messageEvent("GENERAL", mid, func(m map[string]any) bool { return m["msg"] == text }), "new message")

		// The author edits (only authors may, without moderator rights),
		// through another instance.
		c.Nodes[editor].As(users[origin]).Post(t, "/api/v1/chat.update", map[string]any{"roomId": "GENERAL", "msgId": mid, "text": text + " (edited)"}).MustOK(t)
		expectAll(t, clients, messageEvent("GENERAL", mid, func(m map[string]any) bool {
			return m["msg"] == text+" (edited)" && m["editedAt"] != nil
		}), "edited message")

		rest[reactor].Post(t, "/api/v1/chat.react", map[string]any{"messageId": mid, "emoji": ":tada:"}).MustOK(t)
		expectAll(t, clients, messageEvent("GENERAL", mid, func(m map[string]any) bool {
			r, _ := m["reactions"].(map[string]any)
			tada, _ := r[":tada:"].(map[string]any)
			u, _ := tada["usernames"].([]any)
			return len(u) == 1 && u[0] == names[reactor]
		}), "reaction")

		rest[origin].Post(t, "/api/v1/chat.delete", map[string]any{"roomId": "GENERAL", "msgId": mid}).MustOK(t)
		expectAll(t, clients, func(f ddptest.Frame) bool {
			if !ddptest.Stream("stream-notify-room", "GENERAL/deleteMessage")(f) {
				return false
			}
			m, _ := f.Args()[0].(map[string]any)
			return m["_id"] == mid
		}, "deleteMessage")

		// Over DDP too: sendMessage on one instance, seen on all.
		var sent map[string]any
		clients[editor].MustCall(&sent, "sendMessage", map[string]any{"rid": "GENERAL", "msg": "ddp " + text})
		expectAll(t, clients, messageEvent("GENERAL", sent["_id"].(string), nil), "message sent over DDP")
	}

	// Typing crosses instances, under both event names, and is not echoed
	// to the connection that sent it.
	if r := clients[0].Call("stream-notify-room", "GENERAL/typing", "alice", true); r.Error != nil {
		t.Fatalf("typing: %s", r.Frame.Raw)
	}
	for _, other := range clients[1:] {
		args := other.ExpectEvent("stream-notify-room", "GENERAL/typing", func(a []any) bool { return a[0] == "alice" })
		if args[1] != true {
			t.Fatalf("typing args %v", args)
		}
		other.ExpectEvent("stream-notify-room", "GENERAL/user-activity", func(a []any) bool { return a[0] == "alice" })
	}
	clients[0].ExpectNone(ddptest.Stream("stream-notify-room", "GENERAL/typing"), 300*time.Millisecond, "echo of its own typing")
}

// TestPresenceUnion checks that a user's status is the union over the
// instances holding their connections, and that it does not flap when a
// client moves to another instance, connecting there before closing the
// first connection, as a client does behind a load balancer.
func TestPresenceUnion(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t, testenv.ClusterOptions{})
	watcherUser := c.Nodes[0].CreateUser(t, "watcher")
	dave := c.Nodes[0].CreateUser(t, "dave")
	erin := c.Nodes[0].CreateUser(t, "erin")
	watcher := ddpOn(t, c.Nodes[2], watcherUser)
	watcher.MustSub("stream-notify-logged", "user-status", false)

	// Union: dave on instances 0 and 1 stays online while either holds a
	// connection, and goes offline when the last one closes.
	d0 := ddpOn(t, c.Nodes[0], dave)
	watcher.Expect(statusEvent(dave.UserID, codeOnline), "dave online")
	d1 := ddpOn(t, c.Nodes[1], dave)
	d0.Close()
	// Longer than the delay before a last connection counts as gone (1s),
	// and than a few heartbeats.
	watcher.ExpectNone(anyStatusEvent(dave.UserID), 2*time.Second, "status change while connected elsewhere")
	for _, n := range c.Nodes {
		if s := status(t, n, dave.UserID); s != "online" {
			t.Fatalf("dave through instance %d: %s, want online (connected to instance 1)", n.Index, s)
		}
	}
	d1.Close()
	watcher.Expect(statusEvent(dave.UserID, codeOffline), "dave offline after the last connection closed")
	for _, n := range c.Nodes {
		if s := status(t, n, dave.UserID); s != "offline" {
			t.Fatalf("dave through instance %d: %s, want offline", n.Index, s)
		}
	}

	// No flap: erin's client moves from instance 0 to instance 1 (and then
	// to 2), opening the new connection before closing the old one. The
	// watcher must see her online once and nothing else.
	e := ddpOn(t, c.Nodes[0], erin)
	watcher.Expect(statusEvent(erin.UserID, codeOnline), "erin online")
	for _, to := range []int{1, 2} {
		next := ddpOn(t, c.Nodes[to], erin)
		e.Close()
		e = next
	}
	watcher.ExpectNone(anyStatusEvent(erin.UserID), 2500*time.Millisecond, "erin's status flapping while her client moved")
	for _, n := range c.Nodes {
		if s := status(t, n, erin.UserID); s != "online" {
			t.Fatalf("erin through instance %d after moving: %s, want online", n.Index, s)
		}
	}
}
