package cluster_test

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// Rocket.Chat's status codes on stream-notify-logged's user-status.
const (
	codeOffline = float64(0)
	codeOnline  = float64(1)
)

// ddpOn connects a DDP client to node n and resumes u's session there.
func ddpOn(t *testing.T, n *testenv.Node, u *testenv.Client) *ddptest.Client {
	t.Helper()
	d, _ := ddptest.Connect(t, n.WSURL, "1")
	d.Resume(u.Token)
	return d
}

// status reads a user's status through node n's REST API.
func status(t *testing.T, n *testenv.Node, uid string) string {
	t.Helper()
	body := n.Admin.Get(t, "/api/v1/users.getStatus", map[string]string{"userId": uid}).MustOK(t)
	s, _ := body["status"].(string)
	return s
}

// statusEvent matches a user-status event of uid with the given code.
func statusEvent(uid string, code float64) func(ddptest.Frame) bool {
	match := ddptest.Stream("stream-notify-logged", "user-status")
	return func(f ddptest.Frame) bool {
		if !match(f) {
			return false
		}
		e, _ := f.Args()[0].([]any)
		return len(e) > 2 && e[0] == uid && e[2] == code
	}
}

// anyStatusEvent matches every user-status event of uid.
func anyStatusEvent(uid string) func(ddptest.Frame) bool {
	match := ddptest.Stream("stream-notify-logged", "user-status")
	return func(f ddptest.Frame) bool {
		if !match(f) {
			return false
		}
		e, _ := f.Args()[0].([]any)
		return len(e) > 2 && e[0] == uid
	}
}

// messageEvent matches stream-room-messages events of message mid in rid
// whose document passes pred (nil: any).
func messageEvent(rid, mid string, pred func(m map[string]any) bool) func(ddptest.Frame) bool {
	match := ddptest.Stream("stream-room-messages", rid)
	return func(f ddptest.Frame) bool {
		if !match(f) || len(f.Args()) == 0 {
			return false
		}
		m, _ := f.Args()[0].(map[string]any)
		return m["_id"] == mid && (pred == nil || pred(m))
	}
}

// expectAll waits for a matching frame on every client.
func expectAll(t *testing.T, clients []*ddptest.Client, pred func(ddptest.Frame) bool, what string) {
	t.Helper()
	for i, c := range clients {
		if _, ok := c.Wait(pred, ddptest.Timeout); !ok {
			t.Fatalf("client %d: no %s within %s; frames:%s", i, what, ddptest.Timeout, c.Dump())
		}
	}
}
