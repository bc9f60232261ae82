package ddp_test

import (
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestHandshake pins the opening of a connection: the Meteor server-id
// frame first, then connect answered for each supported version, and
// failed (with a suggestion) for others.
func TestHandshake(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	for _, v := range []string{"1", "pre2", "pre1"} {
		c := ddptest.Dial(t, env.WSURL)
		first := c.Expect(func(ddptest.Frame) bool { return true }, "first frame")
		if string(first.Raw) != `{"server_id":"0"}` {
			t.Fatalf("first frame = %s, want the Meteor server-id frame", first.Raw)
		}
		c.Send(map[string]any{"msg": "connect", "version": v, "support": []string{v}})
		f := c.Expect(func(f ddptest.Frame) bool { return f.Msg() != "" }, "connect answer")
		if f.Msg() != "connected" || len(f.Str("session")) != 17 {
			t.Fatalf("connect %s: %s", v, f.Raw)
		}
	}

	c := ddptest.Dial(t, env.WSURL)
	c.Send(map[string]any{"msg": "connect", "version": "2", "support": []string{"2", "pre2"}})
	f := c.Expect(func(f ddptest.Frame) bool { return f.Msg() != "" }, "connect answer")
	if f.Msg() != "failed" || f.Str("version") != "pre2" {
		t.Fatalf("unsupported version: %s, want failed suggesting pre2", f.Raw)
	}
	if _, closed := c.Closed(3 * time.Second); !closed {
		t.Fatal("connection not closed after failed")
	}
}

// TestPingPong checks pings in both directions keep their ids.
func TestPingPong(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	c, _ := ddptest.Connect(t, env.WSURL, "1")
	c.Send(map[string]any{"msg": "ping", "id": "p1"})
	c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == "p1" }, "pong p1")
	c.Send(map[string]any{"msg": "ping"})
	f := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" }, "pong")
	if _, has := f.Map["id"]; has {
		t.Fatalf("pong to a ping without id carries one: %s", f.Raw)
	}
}

// TestMalformedFrames sends garbage and checks that each gets an error
// frame while the connection, and another one, keep working.
func TestMalformedFrames(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	other, _ := ddptest.Connect(t, env.WSURL, "1")
	c := ddptest.Dial(t, env.WSURL)

	c.Send(map[string]any{"msg": "method", "id": "1", "method": "getUserRoles", "params": []any{}})
	f := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "error" }, "error before connect")
	if f.Str("reason") != "Must connect first" {
		t.Fatalf("method before connect: %s", f.Raw)
	}
	c.Send(map[string]any{"msg": "connect", "version": "1", "support": []string{"1"}})
	c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "connected" }, "connected")

	cases := []struct{ frame, reason string }{
		{`not json at all`, "Parse error"},
		{`{"msg":`, "Parse error"},
		{`[1,2,3]`, "Parse error"},
		{`{}`, "Bad request"},
		{`{"msg":"bogus"}`, "Bad request"},
		{`{"msg":"method","method":"login"}`, "Malformed method invocation"},
		{`{"msg":"sub","id":"x"}`, "Malformed subscription"},
		{`{"msg":"method","id":"m","method":"x","params":"notalist"}`, "Parse error"},
	}
	for _, tc := range cases {
		c.SendRaw(tc.frame)
		f := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "error" }, "error for "+tc.frame)
		if f.Str("reason") != tc.reason {
			t.Errorf("%s: reason %q, want %q", tc.frame, f.Str("reason"), tc.reason)
		}
	}
	// Both connections still answer.
	c.Send(map[string]any{"msg": "ping", "id": "after"})
	c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == "after" }, "pong after garbage")
	other.Send(map[string]any{"msg": "ping", "id": "other"})
	other.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == "other" }, "pong on the other connection")

	r := c.Call("noSuchMethod")
	if r.Error["error"] != float64(404) || r.Error["reason"] != "Method 'noSuchMethod' not found" ||
		r.Error["message"] != "Method 'noSuchMethod' not found [404]" || r.Error["errorType"] != "Meteor.Error" || r.Error["isClientSafe"] != true {
		t.Fatalf("unknown method error: %s", r.Frame.Raw)
	}
}

// TestOversizedFrame checks that a frame over the limit closes only the
// connection that sent it.
func TestOversizedFrame(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	other, _ := ddptest.Connect(t, env.WSURL, "1")
	c, _ := ddptest.Connect(t, env.WSURL, "1")
	big := make([]byte, 2<<20)
	for i := range big {
		big[i] = 'a'
	}
	_ = c.TrySendRaw(`{"msg":"ping","id":"` + string(big) + `"}`) // the server may hang up mid-frame
	code, closed := c.Closed(5 * time.Second)
	if !closed || (code != websocket.StatusMessageTooBig && code != -1) {
		t.Fatalf("oversized frame: closed=%v code=%v", closed, code)
	}
	other.Send(map[string]any{"msg": "ping", "id": "still"})
	other.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" && f.Str("id") == "still" }, "pong")
}
