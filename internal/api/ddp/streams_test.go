package ddp_test

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// login connects a DDP client and resumes the REST client's session.
func login(t *testing.T, env *testenv.Env, c *testenv.Client) *ddptest.Client {
	t.Helper()
	d, _ := ddptest.Connect(t, env.WSURL, "1")
	d.Resume(c.Token)
	return d
}

// anyChanged matches every stream event.
func anyChanged(f ddptest.Frame) bool { return f.Msg() == "changed" }

// TestRoomStreamReadRule checks that a private room's streams refuse
// outsiders, and that nothing of that room reaches them by any stream.
func TestRoomStreamReadRule(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob, carol := env.CreateUser(t, "bob"), env.CreateUser(t, "carol")
	b, c := login(t, env, bob), login(t, env, carol)
	var created struct{ RID string }
	b.MustCall(&created, "createPrivateGroup", "secret", []string{})

	for _, sub := range [][]any{
		{"stream-room-messages", created.RID, false},
		{"stream-notify-room", created.RID + "/typing", false},
		{"stream-notify-room", created.RID + "/deleteMessage", false},
		{"stream-notify-user", bob.UserID + "/notification", false},
	} {
		_, nosub := c.Sub(sub[0].(string), sub[1:]...)
		if nosub == nil {
			t.Fatalf("%v: subscription accepted for an outsider", sub)
		}
		errObj, _ := nosub.Map["error"].(map[string]any)
		if errObj["error"] != "not-allowed" || errObj["errorType"] != "Meteor.Error" {
			t.Fatalf("%v: nosub %s", sub, nosub.Raw)
		}
	}
	c.MustSub("stream-room-messages", "__my_messages__", false)
	b.MustSub("stream-room-messages", created.RID, false)
	b.MustCall(nil, "sendMessage", map[string]any{"rid": created.RID, "msg": "for members only"})
	b.ExpectEvent("stream-room-messages", created.RID, nil)
	c.ExpectNone(anyChanged, 300*time.Millisecond, "event from a private room")

	// A room that does not exist is refused the same way.
	if _, nosub := c.Sub("stream-room-messages", "NoSuchRoom12345", false); nosub == nil {
		t.Fatal("subscription to an unknown room accepted")
	}
	if _, nosub := c.Sub("no-such-publication"); nosub == nil || nosub.Map["error"].(map[string]any)["error"] != float64(404) {
		t.Fatalf("unknown publication: %v", nosub)
	}
}

// TestTyping checks typing emits: re-broadcast under both names to other
// connections (the sender's other connections included), not echoed to
// the sending connection, and refused for someone else's name.
func TestTyping(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	a1, a2, b := login(t, env, alice), login(t, env, alice), login(t, env, bob)
	for _, c := range []*ddptest.Client{a1, a2, b} {
		c.MustSub("stream-notify-room", "GENERAL/typing", false)
		c.MustSub("stream-notify-room", "GENERAL/user-activity", false)
	}
	if r := a1.Call("stream-notify-room", "GENERAL/typing", "alice", true); r.Error != nil || r.Result != nil {
		t.Fatalf("typing emit: %s", r.Frame.Raw)
	}
	for _, c := range []*ddptest.Client{b, a2} {
		args := c.ExpectEvent("stream-notify-room", "GENERAL/typing", nil)
		if len(args) != 2 || args[0] != "alice" || args[1] != true {
			t.Fatalf("typing args %v", args)
		}
		args = c.ExpectEvent("stream-notify-room", "GENERAL/user-activity", nil)
		if len(args) != 2 || args[0] != "alice" || len(args[1].([]any)) != 1 || args[1].([]any)[0] != "user-typing" {
			t.Fatalf("user-activity args %v", args)
		}
	}
	a1.ExpectNone(anyChanged, 300*time.Millisecond, "echo of its own typing")

	// EmbeddedChat's form: user-activity with an empty list stops typing.
	b.MustCall(nil, "stream-notify-room", "GENERAL/user-activity", "bob", []string{})
	args := a1.ExpectEvent("stream-notify-room", "GENERAL/typing", nil)
	if args[0] != "bob" || args[1] != false {
		t.Fatalf("typing stop args %v", args)
	}

	if r := a1.Call("stream-notify-room", "GENERAL/typing", "bob", true); r.Error["error"] != "not-allowed" {
		t.Fatalf("typing as someone else: %s", r.Frame.Raw)
	}
	if r := a1.Call("stream-notify-room", "GENERAL/deleteMessage", map[string]any{"_id": "x"}); r.Error["error"] != "not-allowed" {
		t.Fatalf("emit of a server-only event: %s", r.Frame.Raw)
	}
	if r := a1.Call("stream-room-messages", "GENERAL", map[string]any{"msg": "x"}); r.Error["error"] != "not-allowed" {
		t.Fatalf("emit into stream-room-messages: %s", r.Frame.Raw)
	}
	b.ExpectNone(func(f ddptest.Frame) bool { return anyChanged(f) && f.Args()[0] == "bob" }, 300*time.Millisecond, "refused emit delivered")
}

// TestMessageChanges checks that every change to a message is re-emitted
// on stream-room-messages, and deletions on deleteMessage.
func TestMessageChanges(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	b := login(t, env, bob)
	b.MustSub("stream-room-messages", "GENERAL", false)
	b.MustSub("stream-notify-room", "GENERAL/deleteMessage", false)

	posted := alice.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "#general", "text": "first"}).MustOK(t)
	mid := posted["message"].(map[string]any)["_id"].(string)
	isMsg := func(args []any) bool { return args[0].(map[string]any)["_id"] == mid }
	b.ExpectEvent("stream-room-messages", "GENERAL", isMsg)

	alice.Post(t, "/api/v1/chat.update", map[string]any{"roomId": "GENERAL", "msgId": mid, "text": "edited"}).MustOK(t)
	m := b.ExpectEvent("stream-room-messages", "GENERAL", isMsg)[0].(map[string]any)
	if m["msg"] != "edited" || m["editedAt"].(map[string]any)["$date"] == nil || m["editedBy"].(map[string]any)["username"] != "alice" {
		t.Fatalf("edited message %v", m)
	}
	bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": mid, "emoji": ":thumbsup:"}).MustOK(t)
	m = b.ExpectEvent("stream-room-messages", "GENERAL", isMsg)[0].(map[string]any)
	if r := m["reactions"].(map[string]any)[":thumbsup:"].(map[string]any)["usernames"].([]any); len(r) != 1 || r[0] != "bob" {
		t.Fatalf("reacted message %v", m)
	}
	alice.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": "GENERAL", "msgId": mid}).MustOK(t)
	args := b.ExpectEvent("stream-notify-room", "GENERAL/deleteMessage", nil)
	if len(args) != 1 || args[0].(map[string]any)["_id"] != mid {
		t.Fatalf("deleteMessage args %v", args)
	}
}

// TestNotifyUser checks stream-notify-user: every event name the SDKs
// subscribe to is ready, another user's events are refused, and joining
// and leaving a room announce the subscription and the room.
func TestNotifyUser(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	a := login(t, env, alice)
	for _, ev := range []string{"message", "otr", "webrtc", "notification", "rooms-changed", "subscriptions-changed", "uiInteraction"} {
		a.MustSub("stream-notify-user", alice.UserID+"/"+ev, map[string]any{"useCollection": false, "args": []any{}})
	}
	if _, nosub := a.Sub("stream-notify-user", bob.UserID+"/message", false); nosub == nil {
		t.Fatal("subscribed to another user's events")
	}
	b := login(t, env, bob)
	var room struct{ RID string }
	b.MustCall(&room, "createChannel", "lounge", []string{})

	a.MustCall(nil, "joinRoom", room.RID)
	sub := a.ExpectEvent("stream-notify-user", alice.UserID+"/subscriptions-changed", nil)
	if sub[0] != "inserted" || sub[1].(map[string]any)["rid"] != room.RID || sub[1].(map[string]any)["ts"].(map[string]any)["$date"] == nil {
		t.Fatalf("subscriptions-changed on join: %v", sub)
	}
	// The room's own "updated" events (its join message) come on another
	// topic and may arrive first; the room must still be announced as new.
	rc := a.ExpectEvent("stream-notify-user", alice.UserID+"/rooms-changed", func(args []any) bool { return args[0] == "inserted" })
	if rc[1].(map[string]any)["_id"] != room.RID {
		t.Fatalf("rooms-changed on join: %v", rc)
	}

	// A mention notifies the mentioned user.
	bob.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": room.RID, "text": "hey @alice"}).MustOK(t)
	n := a.ExpectEvent("stream-notify-user", alice.UserID+"/notification", nil)
	payload := n[0].(map[string]any)["payload"].(map[string]any)
	if payload["rid"] != room.RID || payload["sender"].(map[string]any)["username"] != "bob" {
		t.Fatalf("notification: %v", n)
	}

	a.MustCall(nil, "leaveRoom", room.RID)
	gone := a.ExpectEvent("stream-notify-user", alice.UserID+"/subscriptions-changed", func(args []any) bool { return args[0] == "removed" })
	if gone[1].(map[string]any)["rid"] != room.RID {
		t.Fatalf("subscriptions-changed on leave: %v", gone)
	}
}

// TestGlobalStreams checks stream-notify-all and stream-notify-logged:
// every event name is accepted, logged-only streams refuse anonymous
// connections, and settings, permissions and statuses are announced.
func TestGlobalStreams(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	anon, _ := ddptest.Connect(t, env.WSURL, "1")
	for _, ev := range []string{"roles-change", "updateEmojiCustom", "deleteEmojiCustom", "updateAvatar", "public-settings-changed", "permissions-changed"} {
		anon.MustSub("stream-notify-all", ev, false)
	}
	if _, nosub := anon.Sub("stream-notify-logged", "user-status", false); nosub == nil {
		t.Fatal("anonymous subscription to stream-notify-logged accepted")
	}
	b := login(t, env, bob)
	for _, ev := range []string{"Users:NameChanged", "Users:Deleted", "updateAvatar", "updateEmojiCustom", "deleteEmojiCustom", "roles-change", "user-status", "permissions-changed"} {
		b.MustSub("stream-notify-logged", ev, false)
	}
	if _, nosub := b.Sub("stream-notify-logged", "private-settings-changed", false); nosub == nil {
		t.Fatal("private settings stream open to a regular user")
	}

	env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Liftoff Test"}).MustOK(t)
	args := anon.ExpectEvent("stream-notify-all", "public-settings-changed", nil)
	if args[0] != "updated" || args[1].(map[string]any)["_id"] != "Site_Name" || args[1].(map[string]any)["value"] != "Liftoff Test" {
		t.Fatalf("public-settings-changed %v", args)
	}
	env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "pin-message", "roles": []string{"admin", "owner", "moderator", "user"}}}}).MustOK(t)
	args = b.ExpectEvent("stream-notify-logged", "permissions-changed", nil)
	if args[0] != "updated" || args[1].(map[string]any)["_id"] != "pin-message" {
		t.Fatalf("permissions-changed %v", args)
	}
	anon.ExpectNone(ddptest.Stream("stream-notify-all", "permissions-changed"), 200*time.Millisecond, "logged-in event to an anonymous connection")

	// Another user coming online is announced with Rocket.Chat's status code.
	carol := env.CreateUser(t, "carol")
	b.MustSub("stream-user-presence", "", map[string]any{"added": []string{carol.UserID}})
	login(t, env, carol)
	st := b.ExpectEvent("stream-notify-logged", "user-status", func(args []any) bool { return args[0].([]any)[0] == carol.UserID })
	entry := st[0].([]any)
	if entry[1] != "carol" || entry[2] != float64(1) {
		t.Fatalf("user-status %v", st)
	}
	f := b.Expect(func(f ddptest.Frame) bool {
		return f.Msg() == "changed" && f.Str("collection") == "stream-user-presence"
	}, "stream-user-presence")
	if f.Str("id") != carol.UserID || f.Fields()["uid"] != carol.UserID || f.EventName() != carol.UserID {
		t.Fatalf("stream-user-presence frame %s", f.Raw)
	}
	if a := f.Args(); len(a) < 2 || a[0] != "carol" || a[1] != float64(1) {
		t.Fatalf("stream-user-presence args %s", f.Raw)
	}
}

// TestRoomAndUserRemovals checks what deletions announce: messagesRead on
// a read, rooms-changed and subscriptions-changed removed when a room is
// deleted, and a deleted user's connections closed.
func TestRoomAndUserRemovals(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	a, b := login(t, env, alice), login(t, env, bob)
	var room struct{ RID string }
	a.MustCall(&room, "createChannel", "doomed", []string{"bob"})
	b.MustSub("stream-notify-room", room.RID+"/messagesRead", false)
	for _, ev := range []string{"/rooms-changed", "/subscriptions-changed"} {
		b.MustSub("stream-notify-user", bob.UserID+ev, false)
	}

	a.MustCall(nil, "sendMessage", map[string]any{"rid": room.RID, "msg": "read me"})
	a.MustCall(nil, "readMessages", room.RID)
	args := b.ExpectEvent("stream-notify-room", room.RID+"/messagesRead", nil)
	if !isEJSONDate(args[0].(map[string]any)["until"]) {
		t.Fatalf("messagesRead args %v", args)
	}

	alice.Post(t, "/api/v1/rooms.delete", map[string]any{"roomId": room.RID}).MustOK(t)
	rc := b.ExpectEvent("stream-notify-user", bob.UserID+"/rooms-changed", func(args []any) bool { return args[0] == "removed" })
	if rc[1].(map[string]any)["_id"] != room.RID {
		t.Fatalf("rooms-changed removed: %v", rc)
	}
	sc := b.ExpectEvent("stream-notify-user", bob.UserID+"/subscriptions-changed", func(args []any) bool { return args[0] == "removed" })
	if sc[1].(map[string]any)["rid"] != room.RID {
		t.Fatalf("subscriptions-changed removed: %v", sc)
	}
	b.ExpectNone(func(f ddptest.Frame) bool {
		return f.Msg() == "changed" && f.EventName() == bob.UserID+"/rooms-changed" && f.Args()[0] == "removed"
	}, 300*time.Millisecond, "a second rooms-changed removed")

	env.Admin.Post(t, "/api/v1/users.delete", map[string]any{"userId": bob.UserID, "confirmRelinquish": true}).MustOK(t)
	if code, closed := b.Closed(5 * time.Second); !closed || code != 1000 {
		t.Fatalf("deleted user's connection: closed=%v code=%v", closed, code)
	}
}
