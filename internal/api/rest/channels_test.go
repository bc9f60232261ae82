package rest_test

import (
	"fmt"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// roomFix is a server with an admin and three users: alice (who creates
// the rooms), bob and carol.
type roomFix struct {
	env               *testenv.Env
	admin             *testenv.Client
	alice, bob, carol *testenv.Client
}

func newRoomFix(t *testing.T) *roomFix {
	t.Helper()
	env := testenv.Start(t, testenv.Options{})
	return &roomFix{env: env, admin: env.Admin,
		alice: env.CreateUser(t, "alice"), bob: env.CreateUser(t, "bob"), carol: env.CreateUser(t, "carol")}
}

// guest creates a user holding only the guest role, which may not create
// rooms.
func (f *roomFix) guest(t *testing.T, name string) *testenv.Client {
	t.Helper()
	f.admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": name, "name": name, "email": name + "@example.com", "password": "pw-" + name, "roles": []string{"guest"},
	}).MustOK(t)
	return f.env.Login(t, name, "pw-"+name)
}

// rmCreate creates a channel or group ("channels"/"groups") and returns
// the room document.
func rmCreate(t *testing.T, c *testenv.Client, kind, name string, members ...string) map[string]any {
	t.Helper()
	if members == nil {
		members = []string{}
	}
	body := c.Post(t, "/api/v1/"+kind+".create", map[string]any{"name": name, "members": members}).MustOK(t)
	key := map[string]string{"channels": "channel", "groups": "group"}[kind]
	room, ok := body[key].(map[string]any)
	if !ok {
		t.Fatalf("%s.create: no %s in %v", kind, key, body)
	}
	return room
}

// rmFail checks a failure's status and errorType; typ "-" means the body
// must carry no errorType, and msg, when set, is the exact error text.
func rmFail(t *testing.T, res *testenv.Response, status int, typ, msg string) map[string]any {
	t.Helper()
	body := res.MustFail(t, status)
	switch typ {
	case "":
	case "-":
		if et, ok := body["errorType"]; ok {
			t.Fatalf("want no errorType, got %v: %s", et, res.Raw)
		}
	default:
		if body["errorType"] != typ {
			t.Fatalf("want errorType %q, got %s", typ, res.Raw)
		}
	}
	if msg != "" && body["error"] != msg {
		t.Fatalf("want error %q, got %s", msg, res.Raw)
	}
	return body
}

// rmInfo returns a room as <kind>.info shows it to c.
func rmInfo(t *testing.T, c *testenv.Client, kind, id string) map[string]any {
	t.Helper()
	key := map[string]string{"channels": "channel", "groups": "group"}[kind]
	return c.Get(t, "/api/v1/"+kind+".info", map[string]string{"roomId": id}).MustOK(t)[key].(map[string]any)
}

// rmMsgs returns a room's msgs counter as c sees it in rooms.info.
func rmMsgs(t *testing.T, c *testenv.Client, id string) int {
	t.Helper()
	room := c.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": id}).MustOK(t)["room"].(map[string]any)
	return int(room["msgs"].(float64))
}

// rmLastMessage returns the newest message of a room (system ones
// included), through <kind>.messages: history pages end before "now", so
// a message written in the same millisecond may not be on them yet.
func rmLastMessage(t *testing.T, c *testenv.Client, kind, id string) map[string]any {
	t.Helper()
	body := c.Get(t, "/api/v1/"+kind+".messages", map[string]string{"roomId": id, "count": "1"}).MustOK(t)
	msgs, _ := body["messages"].([]any)
	if len(msgs) == 0 {
		t.Fatalf("no message in %s", id)
	}
	return msgs[0].(map[string]any)
}

// rmWantSystem checks that a room's newest message is a system message of
// type typ about text, written by the user with id uid.
func rmWantSystem(t *testing.T, c *testenv.Client, kind, id, typ, text, uid string) {
	t.Helper()
	m := rmLastMessage(t, c, kind, id)
	u, _ := m["u"].(map[string]any)
	if m["t"] != typ || m["msg"] != text || u["_id"] != uid {
		t.Fatalf("last message = %v, want t=%s msg=%q by %s", m, typ, text, uid)
	}
}

func TestChannelsCreateAndInfo(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	room := rmCreate(t, f.alice, "channels", "plaza", "bob", "nobody")
	id, _ := room["_id"].(string)
	if len(id) != 17 || room["t"] != "c" || room["name"] != "plaza" || room["fname"] != "plaza" ||
		room["msgs"] != float64(0) || room["usersCount"] != float64(2) || room["ro"] != false || room["default"] != false {
		t.Fatalf("channel = %v", room)
	}
	wantISO(t, room, "ts")
	wantISO(t, room, "_updatedAt")
	if u, _ := room["u"].(map[string]any); u["_id"] != f.alice.UserID || u["username"] != "alice" {
		t.Fatalf("u = %v", room["u"])
	}

	for _, q := range []map[string]string{{"roomId": id}, {"roomName": "plaza"}} {
		info := f.carol.Get(t, "/api/v1/channels.info", q).MustOK(t)["channel"].(map[string]any)
		if info["_id"] != id {
			t.Fatalf("info %v = %v", q, info)
		}
	}
	rmFail(t, f.carol.Get(t, "/api/v1/channels.info", map[string]string{"roomId": "nope"}), 400, "error-room-not-found",
		`The required "roomId" or "roomName" param provided does not match any channel [error-room-not-found]`)
	rmFail(t, f.carol.Get(t, "/api/v1/channels.info", nil), 400, "error-roomid-param-not-provided", "")

	rmFail(t, f.alice.Post(t, "/api/v1/channels.create", map[string]any{}), 400, "-", `Param "name" is required`)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.create", map[string]any{"name": "plaza"}), 400, "error-duplicate-channel-name", "")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.create", map[string]any{"name": "no spaces"}), 400, "error-invalid-room-name", "")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.create", map[string]any{"name": "x", "members": "bob"}), 400, "-", `Param "members" must be an array if provided`)
	guest := f.guest(t, "gus")
	res := rmFail(t, guest.Post(t, "/api/v1/channels.create", map[string]any{"name": "guests-only"}), 403, "-", "")
	if res["error"] != "User does not have the permissions required for this action [error-unauthorized]" {
		t.Fatalf("403 body %v", res)
	}
	f.alice.Get(t, "/api/v1/rooms.nameExists", map[string]string{"roomName": "guests-only"}).MustOK(t)
	if got := f.alice.Get(t, "/api/v1/rooms.nameExists", map[string]string{"roomName": "guests-only"}).MustOK(t)["exists"]; got != false {
		t.Fatal("a refused creation left a room")
	}
	// Read-only and broadcast channels.
	ro := f.alice.Post(t, "/api/v1/channels.create", map[string]any{"name": "news", "readOnly": true}).MustOK(t)["channel"].(map[string]any)
	if ro["ro"] != true {
		t.Fatalf("readOnly channel %v", ro)
	}
}

func TestChannelsMembership(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "club")["_id"].(string)

	joined := f.bob.Post(t, "/api/v1/channels.join", map[string]any{"roomId": id}).MustOK(t)["channel"].(map[string]any)
	if joined["usersCount"] != float64(2) || joined["msgs"] != float64(1) {
		t.Fatalf("after join %v", joined)
	}
	rmWantSystem(t, f.alice, "channels", id, "uj", "bob", f.bob.UserID)

	// bob is a plain member: he may neither invite nor kick.
	rmFail(t, f.bob.Post(t, "/api/v1/channels.invite", map[string]any{"roomId": id, "username": "carol"}), 403, "error-not-allowed", "")
	rmFail(t, f.bob.Post(t, "/api/v1/channels.kick", map[string]any{"roomId": id, "userId": f.alice.UserID}), 403, "error-not-allowed", "")
	if got := rmMsgs(t, f.admin, id); got != 1 {
		t.Fatalf("refused calls changed msgs to %d", got)
	}

	msgs := rmMsgs(t, f.admin, id)
	inv := f.alice.Post(t, "/api/v1/channels.invite", map[string]any{"roomId": id, "userId": f.carol.UserID}).MustOK(t)["channel"].(map[string]any)
	if inv["msgs"] != float64(msgs+1) || inv["usersCount"] != float64(3) {
		t.Fatalf("after invite %v", inv)
	}
	rmWantSystem(t, f.alice, "channels", id, "au", "carol", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.invite", map[string]any{"roomId": id}), 400, "error-users-params-not-provided", "")

	kicked := f.alice.Post(t, "/api/v1/channels.kick", map[string]any{"roomId": id, "username": "carol"}).MustOK(t)["channel"].(map[string]any)
	if kicked["msgs"] != float64(msgs+2) || kicked["usersCount"] != float64(2) {
		t.Fatalf("after kick %v", kicked)
	}
	rmWantSystem(t, f.alice, "channels", id, "ru", "carol", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.kick", map[string]any{"roomId": id, "username": "carol"}), 400, "error-user-not-in-room", "")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.kick", map[string]any{"roomId": id, "username": "ghost"}), 400, "error-invalid-user", "")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.kick", map[string]any{"roomId": id}), 400, "error-user-param-not-provided", "")

	rmFail(t, f.alice.Post(t, "/api/v1/channels.leave", map[string]any{"roomId": id}), 400, "error-you-are-last-owner", "")
	f.bob.Post(t, "/api/v1/channels.leave", map[string]any{"roomName": "club"}).MustOK(t)
	rmWantSystem(t, f.alice, "channels", id, "ul", "bob", f.bob.UserID)
	rmFail(t, f.bob.Post(t, "/api/v1/channels.leave", map[string]any{"roomId": id}), 400, "error-user-not-in-room", "")
	if got := rmMsgs(t, f.admin, id); got != msgs+3 {
		t.Fatalf("msgs %d, want %d", got, msgs+3)
	}
}

func TestChannelsListsAndCounters(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	for i := 0; i < 3; i++ {
		rmCreate(t, f.alice, "channels", fmt.Sprintf("list-%d", i))
	}
	body := f.bob.Get(t, "/api/v1/channels.list", map[string]string{"count": "2", "offset": "1"}).MustOK(t)
	// #general and the three new channels.
	if body["total"] != float64(4) || body["count"] != float64(2) || body["offset"] != float64(1) || len(body["channels"].([]any)) != 2 {
		t.Fatalf("channels.list %v", body)
	}
	// New users join #general, the default channel.
	body = f.alice.Get(t, "/api/v1/channels.list.joined", nil).MustOK(t)
	if body["total"] != float64(4) {
		t.Fatalf("alice's channels %v", body)
	}
	body = f.bob.Get(t, "/api/v1/channels.list.joined", nil).MustOK(t)
	if body["total"] != float64(1) || body["channels"].([]any)[0].(map[string]any)["_id"] != "GENERAL" {
		t.Fatalf("bob's channels %v", body)
	}

	id := rmCreate(t, f.alice, "channels", "counted", "bob")["_id"].(string)
	f.alice.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": id, "text": "hi @bob"}).MustOK(t)
	c := f.bob.Get(t, "/api/v1/channels.counters", map[string]string{"roomId": id}).MustOK(t)
	if c["joined"] != true || c["unreads"] != float64(1) || c["userMentions"] != float64(1) || c["msgs"] != float64(1) || c["members"] != float64(2) {
		t.Fatalf("member counters %v", c)
	}
	wantISO(t, c, "latest")
	wantISO(t, c, "unreadsFrom")
	c = f.carol.Get(t, "/api/v1/channels.counters", map[string]string{"roomId": id}).MustOK(t)
	for _, k := range []string{"members", "unreads", "unreadsFrom", "msgs", "latest", "userMentions"} {
		if v, ok := c[k]; !ok || v != nil {
			t.Fatalf("outsider %s = %v, want null: %v", k, v, c)
		}
	}
	if c["joined"] != false {
		t.Fatalf("outsider joined %v", c["joined"])
	}
	rmFail(t, f.carol.Get(t, "/api/v1/channels.counters", map[string]string{"roomId": id, "userId": f.bob.UserID}), 403, "-", "")
	c = f.admin.Get(t, "/api/v1/channels.counters", map[string]string{"roomId": id, "userId": f.bob.UserID}).MustOK(t)
	if c["unreads"] != float64(1) {
		t.Fatalf("admin view of bob's counters %v", c)
	}

	members := f.carol.Get(t, "/api/v1/channels.members", map[string]string{"roomId": id}).MustOK(t)
	list := members["members"].([]any)
	if members["total"] != float64(2) || len(list) != 2 {
		t.Fatalf("members %v", members)
	}
	first := list[0].(map[string]any)
	if first["username"] != "alice" || first["status"] == nil || first["_id"] != f.alice.UserID {
		t.Fatalf("member doc %v", first)
	}
	roles := f.bob.Get(t, "/api/v1/channels.roles", map[string]string{"roomId": id}).MustOK(t)["roles"].([]any)
	if len(roles) != 1 {
		t.Fatalf("roles %v", roles)
	}
	r0 := roles[0].(map[string]any)
	if r0["rid"] != id || r0["u"].(map[string]any)["username"] != "alice" || r0["roles"].([]any)[0] != "owner" {
		t.Fatalf("role entry %v", r0)
	}
}

func TestChannelsSettersAndRoles(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "tweak", "bob")["_id"].(string)
	post := func(path string, body map[string]any) map[string]any {
		t.Helper()
		body["roomId"] = id
		return f.alice.Post(t, "/api/v1/channels."+path, body).MustOK(t)
	}
	for _, tt := range []struct {
		path, field, value, typ string
	}{
		{"setTopic", "topic", "the topic", "room_changed_topic"},
		{"setDescription", "description", "the description", "room_changed_description"},
		{"setPurpose", "purpose", "the purpose", "room_changed_description"},
		{"setAnnouncement", "announcement", "the news", "room_changed_announcement"},
	} {
		before := rmMsgs(t, f.admin, id)
		if got := post(tt.path, map[string]any{tt.field: tt.value}); got[tt.field] != tt.value {
			t.Fatalf("%s answered %v", tt.path, got)
		}
		if got := rmMsgs(t, f.admin, id); got != before+1 {
			t.Fatalf("%s: msgs %d, want %d", tt.path, got, before+1)
		}
		rmWantSystem(t, f.bob, "channels", id, tt.typ, tt.value, f.alice.UserID)
	}
	info := rmInfo(t, f.bob, "channels", id)
	if info["topic"] != "the topic" || info["description"] != "the purpose" || info["announcement"] != "the news" {
		t.Fatalf("info after setters %v", info)
	}
	rmFail(t, f.alice.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id, "topic": "the topic"}), 400, "-",
		"The channel topic is the same as what it would be changed to.")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id}), 400, "-", `The bodyParam "topic" is required`)
	rmFail(t, f.bob.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id, "topic": "mine"}), 403, "error-action-not-allowed", "")
	if rmInfo(t, f.bob, "channels", id)["topic"] != "the topic" {
		t.Fatal("a refused setTopic changed the topic")
	}

	ro := post("setReadOnly", map[string]any{"readOnly": true})["channel"].(map[string]any)
	if ro["ro"] != true {
		t.Fatalf("setReadOnly %v", ro)
	}
	rmWantSystem(t, f.bob, "channels", id, "room-set-read-only", "", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.setReadOnly", map[string]any{"roomId": id, "readOnly": true}), 400, "-",
		"The channel read only setting is the same as what it would be changed to.")
	post("setReadOnly", map[string]any{"readOnly": false})
	rmWantSystem(t, f.bob, "channels", id, "room-removed-read-only", "", f.alice.UserID)

	renamed := post("rename", map[string]any{"name": "tweaked"})["channel"].(map[string]any)
	if renamed["name"] != "tweaked" {
		t.Fatalf("rename %v", renamed)
	}
	rmWantSystem(t, f.bob, "channels", id, "r", "tweaked", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.rename", map[string]any{"roomId": id, "name": "tweaked"}), 400, "-",
		"The channel name is the same as what it would be renamed to.")
	rmCreate(t, f.alice, "channels", "other")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.rename", map[string]any{"roomId": id, "name": "other"}), 400, "error-duplicate-channel-name", "")

	// Room roles.
	rmFail(t, f.bob.Post(t, "/api/v1/channels.addModerator", map[string]any{"roomId": id, "userId": f.bob.UserID}), 403, "error-not-allowed", "")
	post("addModerator", map[string]any{"userId": f.bob.UserID})
	m := rmLastMessage(t, f.bob, "channels", id)
	if m["t"] != "subscription-role-added" || m["role"] != "moderator" || m["msg"] != "bob" {
		t.Fatalf("role message %v", m)
	}
	rmFail(t, f.alice.Post(t, "/api/v1/channels.addModerator", map[string]any{"roomId": id, "userId": f.bob.UserID}), 400, "error-user-already-moderator", "")
	mods := f.bob.Get(t, "/api/v1/channels.moderators", map[string]string{"roomId": id}).MustOK(t)["moderators"].([]any)
	if len(mods) != 1 || mods[0].(map[string]any)["username"] != "bob" {
		t.Fatalf("moderators %v", mods)
	}
	// A moderator may now edit the room.
	f.bob.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id, "topic": "by bob"}).MustOK(t)
	post("removeModerator", map[string]any{"userId": f.bob.UserID})
	rmWantSystem(t, f.bob, "channels", id, "subscription-role-removed", "bob", f.alice.UserID)
	post("addLeader", map[string]any{"userId": f.bob.UserID})
	post("removeLeader", map[string]any{"userId": f.bob.UserID})
	rmFail(t, f.alice.Post(t, "/api/v1/channels.removeOwner", map[string]any{"roomId": id, "userId": f.alice.UserID}), 400, "error-remove-last-owner", "")
	post("addOwner", map[string]any{"userId": f.bob.UserID})
	post("removeOwner", map[string]any{"userId": f.alice.UserID})
	roles := f.bob.Get(t, "/api/v1/channels.roles", map[string]string{"roomId": id}).MustOK(t)["roles"].([]any)
	if len(roles) != 1 || roles[0].(map[string]any)["u"].(map[string]any)["username"] != "bob" {
		t.Fatalf("roles after ownership moved %v", roles)
	}

	// setType moves the room to groups.*.
	typed := f.bob.Post(t, "/api/v1/channels.setType", map[string]any{"roomId": id, "type": "p"}).MustOK(t)["channel"].(map[string]any)
	if typed["t"] != "p" {
		t.Fatalf("setType %v", typed)
	}
	rmWantSystem(t, f.bob, "groups", id, "room_changed_privacy", "private", f.bob.UserID)
	rmFail(t, f.carol.Get(t, "/api/v1/channels.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/groups.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmInfo(t, f.alice, "groups", id)
}

func TestChannelsArchiveOpenCloseDelete(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "attic", "bob")["_id"].(string)

	rmFail(t, f.alice.Post(t, "/api/v1/channels.close", map[string]any{"roomId": "nope"}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Post(t, "/api/v1/channels.close", map[string]any{"roomId": id}), 400, "-", `The user/callee is not in the channel "attic".`)
	f.bob.Post(t, "/api/v1/channels.close", map[string]any{"roomId": id}).MustOK(t)
	if sub := f.bob.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": id}).MustOK(t)["subscription"].(map[string]any); sub["open"] != false {
		t.Fatalf("closed subscription %v", sub)
	}
	rmFail(t, f.bob.Post(t, "/api/v1/channels.close", map[string]any{"roomId": id}), 400, "-", "The channel, attic, is already closed to the sender")
	f.bob.Post(t, "/api/v1/channels.open", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.bob.Post(t, "/api/v1/channels.open", map[string]any{"roomId": id}), 400, "-", "The channel, attic, is already open to the sender")

	rmFail(t, f.bob.Post(t, "/api/v1/channels.archive", map[string]any{"roomId": id}), 403, "error-not-allowed", "")
	f.alice.Post(t, "/api/v1/channels.archive", map[string]any{"roomId": id}).MustOK(t)
	if info := rmInfo(t, f.bob, "channels", id); info["archived"] != true {
		t.Fatalf("archived room %v", info)
	}
	rmWantSystem(t, f.bob, "channels", id, "room-archived", "", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/channels.archive", map[string]any{"roomId": id}), 400, "error-room-archived", "The channel, attic, is archived [error-room-archived]")
	rmFail(t, f.alice.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id, "topic": "x"}), 400, "error-room-archived", "")
	rmFail(t, f.carol.Post(t, "/api/v1/channels.join", map[string]any{"roomId": id}), 400, "error-room-archived", "")
	f.admin.Post(t, "/api/v1/channels.unarchive", map[string]any{"roomId": id}).MustOK(t)
	rmWantSystem(t, f.bob, "channels", id, "room-unarchived", "", f.admin.UserID)
	rmFail(t, f.admin.Post(t, "/api/v1/channels.unarchive", map[string]any{"roomId": id}), 400, "-", "The channel, attic, is not archived")

	rmFail(t, f.bob.Post(t, "/api/v1/channels.delete", map[string]any{"roomId": id}), 403, "error-not-allowed", "")
	rmInfo(t, f.bob, "channels", id)
	f.alice.Post(t, "/api/v1/channels.delete", map[string]any{"roomName": "attic"}).MustOK(t)
	rmFail(t, f.bob.Get(t, "/api/v1/channels.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
}
