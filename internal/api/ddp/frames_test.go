package ddp_test

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestStreamFrames pins the shapes of the frames clients parse, as golden
// JSON: typing under both names, a deletion, a subscription change, a
// user's status on both presence streams, a refused subscription and a
// method error.
func TestStreamFrames(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	alice, bob := env.CreateUser(t, "alice"), env.CreateUser(t, "bob")
	n := newNormalizer()
	n.name(alice.UserID, "alice-id")
	n.name(bob.UserID, "bob-id")
	a, b := login(t, env, alice), login(t, env, bob)

	b.MustSub("stream-notify-room", "GENERAL/typing", false)
	b.MustSub("stream-notify-room", "GENERAL/user-activity", false)
	b.MustSub("stream-notify-room", "GENERAL/deleteMessage", false)
	b.MustSub("stream-notify-logged", "user-status", false)
	b.MustSub("stream-user-presence", "", map[string]any{"added": []string{alice.UserID}})
	b.MustSub("stream-notify-user", bob.UserID+"/subscriptions-changed", false)

	a.MustCall(nil, "stream-notify-room", "GENERAL/typing", "alice", true)
	typing := b.Expect(ddptest.Stream("stream-notify-room", "GENERAL/typing"), "typing")
	activity := b.Expect(ddptest.Stream("stream-notify-room", "GENERAL/user-activity"), "user-activity")

	var m map[string]any
	a.MustCall(&m, "sendMessage", map[string]any{"rid": "GENERAL", "msg": "short-lived"})
	a.MustCall(nil, "deleteMessage", map[string]any{"_id": m["_id"]})
	deleted := b.Expect(ddptest.Stream("stream-notify-room", "GENERAL/deleteMessage"), "deleteMessage")
	n.name(m["_id"].(string), "message-id")

	b.MustCall(nil, "readMessages", "GENERAL")
	subChanged := b.Expect(ddptest.Stream("stream-notify-user", bob.UserID+"/subscriptions-changed"), "subscriptions-changed")

	a.MustCall(nil, "UserPresence:away")
	status := b.Expect(func(f ddptest.Frame) bool {
		return ddptest.Stream("stream-notify-logged", "user-status")(f) && f.Args()[0].([]any)[0] == alice.UserID && f.Args()[0].([]any)[2] == float64(2)
	}, "user-status away")
	presence := b.Expect(func(f ddptest.Frame) bool {
		return f.Str("collection") == "stream-user-presence" && f.Args()[1] == float64(2)
	}, "stream-user-presence away")

	_, nosub := b.Sub("stream-notify-user", alice.UserID+"/message", false)
	r := b.Call("getRoomIdByNameOrId", "no-such-room")

	golden(t, n, "streams", typing.Raw, activity.Raw, deleted.Raw, subChanged.Raw, status.Raw, presence.Raw, nosub.Raw, r.Frame.Raw)
}
