package ddp_test

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestOldSDKFrames replays what @rocket.chat/sdk@0.2.9 (ddp.js 0.5 and
// Asteroid) sends, frame by frame, and pins what it depends on: pre2,
// login with a cleartext password, the login service configuration
// subscription, __my_messages__ with useCollection true answered by the
// placeholder document then ready, and each message as a changed frame
// with [message, {roomParticipant, roomType, roomName}] and EJSON dates.
func TestOldSDKFrames(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bot := env.CreateUser(t, "oldbot")
	alice := env.CreateUser(t, "alice")
	n := newNormalizer()
	n.name(bot.UserID, "bot-id")
	n.name(alice.UserID, "alice-id")

	c := ddptest.Dial(t, env.WSURL)
	c.Expect(func(f ddptest.Frame) bool { return f.Str("server_id") == "0" }, "server id")
	c.SendRaw(`{"msg":"connect","version":"pre2","support":["pre2"]}`)
	connected := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "connected" }, "connected")

	c.SendRaw(`{"msg":"sub","id":"a1","name":"meteor.loginServiceConfiguration","params":[]}`)
	lsc := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "ready" }, "ready of meteor.loginServiceConfiguration")

	c.SendRaw(`{"msg":"method","id":"a2","method":"login","params":[{"user":{"username":"oldbot"},"password":"pw-oldbot"}]}`)
	login := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "result" && f.Str("id") == "a2" }, "login result")
	updated := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "updated" }, "updated")
	token, _ := login.Map["result"].(map[string]any)["token"].(string)
	n.name(token, "token")

	c.SendRaw(`{"msg":"method","id":"a3","method":"getRoomIdByNameOrId","params":["general"]}`)
	rid := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "result" && f.Str("id") == "a3" }, "room id")

	c.SendRaw(`{"msg":"sub","id":"a4","name":"stream-room-messages","params":["__my_messages__",true]}`)
	added := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "added" }, "placeholder document")
	ready := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "ready" && f.Map["subs"].([]any)[0] == "a4" }, "ready")
	if string(added.Raw) != `{"msg":"added","collection":"stream-room-messages","id":"id","fields":{"eventName":"__my_messages__"}}` {
		t.Fatalf("placeholder document: %s", added.Raw)
	}

	alice.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "#general", "text": "hello bot"}).MustOK(t)
	changed := c.Expect(ddptest.Stream("stream-room-messages", "__my_messages__"), "message on __my_messages__")
	args := changed.Args()
	msg, _ := args[0].(map[string]any)
	ts, _ := msg["ts"].(map[string]any)
	if _, isNumber := ts["$date"].(float64); !isNumber || msg["msg"] != "hello bot" || msg["u"].(map[string]any)["_id"] != alice.UserID {
		t.Fatalf("message: %s", changed.Raw)
	}

	c.SendRaw(`{"msg":"method","id":"a5","method":"sendMessage","params":[{"msg":"hi alice","rid":"GENERAL","bot":{"i":"js.SDK"}}]}`)
	sent := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "result" && f.Str("id") == "a5" }, "sendMessage result")
	own := c.Expect(ddptest.Stream("stream-room-messages", "__my_messages__"), "own message on __my_messages__")

	c.SendRaw(`{"msg":"ping","id":"a6"}`)
	pong := c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" }, "pong")

	golden(t, n, "oldsdk", connected.Raw, lsc.Raw, login.Raw, updated.Raw, rid.Raw, added.Raw, ready.Raw, changed.Raw, sent.Raw, own.Raw, pong.Raw)
}
