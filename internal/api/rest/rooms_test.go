package rest_test

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

func TestRoomsGetAndInfo(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "info-room", "bob")["_id"].(string)
	rmPost(t, f.alice, id, "latest words")

	res := f.bob.Get(t, "/api/v1/rooms.get", nil).MustOK(t)
	update := res["update"].([]any)
	if len(update) != 2 || len(res["remove"].([]any)) != 0 {
		t.Fatalf("rooms.get %v", res)
	}
	var room map[string]any
	for _, r := range update {
		if r.(map[string]any)["_id"] == id {
			room = r.(map[string]any)
		}
	}
	if room == nil {
		t.Fatalf("room missing from %v", update)
	}
	if lm, _ := room["lastMessage"].(map[string]any); lm["msg"] != "latest words" {
		t.Fatalf("lastMessage %v", room["lastMessage"])
	}
	wantISO(t, room, "lm")

	time.Sleep(5 * time.Millisecond)
	since := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	f.alice.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": id, "topic": "fresh"}).MustOK(t)
	gone := rmCreate(t, f.alice, "channels", "doomed", "bob")["_id"].(string)
	f.alice.Post(t, "/api/v1/channels.delete", map[string]any{"roomId": gone}).MustOK(t)
	res = f.bob.Get(t, "/api/v1/rooms.get", map[string]string{"updatedSince": wire.FormatISO(since)}).MustOK(t)
	update, remove := res["update"].([]any), res["remove"].([]any)
	if len(update) != 1 || update[0].(map[string]any)["topic"] != "fresh" || len(remove) != 1 || remove[0].(map[string]any)["_id"] != gone {
		t.Fatalf("rooms.get since: %v", res)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.get", map[string]string{"updatedSince": "soon"}), 400, "error-updatedSince-param-invalid", "")

	for _, q := range []map[string]string{{"roomId": id}, {"roomName": "info-room"}} {
		info := f.carol.Get(t, "/api/v1/rooms.info", q).MustOK(t)
		if info["room"].(map[string]any)["_id"] != id {
			t.Fatalf("rooms.info %v = %v", q, info)
		}
		if _, ok := info["parent"]; ok {
			t.Fatalf("plain room with a parent: %v", info)
		}
	}
	rmFail(t, f.carol.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": "nope"}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/rooms.info", nil), 400, "error-roomid-param-not-provided", "")
}

func TestRoomsLeaveFavoriteOpenHide(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "groups", "fav", "bob")["_id"].(string)

	rmFail(t, f.bob.Post(t, "/api/v1/rooms.favorite", map[string]any{"roomId": id}), 400, "-", "The 'favorite' param is required")
	f.bob.Post(t, "/api/v1/rooms.favorite", map[string]any{"roomId": id, "favorite": true}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["f"] != true {
		t.Fatalf("favorite %v", sub)
	}
	f.bob.Post(t, "/api/v1/rooms.favorite", map[string]any{"roomName": "fav", "favorite": false}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["f"] == true {
		t.Fatalf("unfavorite %v", sub)
	}
	rmFail(t, f.carol.Post(t, "/api/v1/rooms.favorite", map[string]any{"roomId": id, "favorite": true}), 400, "error-room-not-found", "")

	f.bob.Post(t, "/api/v1/rooms.hide", map[string]any{"roomId": id}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["open"] != false {
		t.Fatalf("hidden %v", sub)
	}
	f.bob.Post(t, "/api/v1/rooms.open", map[string]any{"roomId": id}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["open"] != true {
		t.Fatalf("opened %v", sub)
	}
	rmFail(t, f.carol.Post(t, "/api/v1/rooms.open", map[string]any{"roomId": id}), 400, "error-invalid-subscription", "")

	rmFail(t, f.alice.Post(t, "/api/v1/rooms.leave", map[string]any{"roomId": id}), 400, "error-you-are-last-owner", "")
	f.bob.Post(t, "/api/v1/rooms.leave", map[string]any{"roomId": id}).MustOK(t)
	if rmSub(t, f.bob, id) != nil {
		t.Fatal("bob still subscribed")
	}
	rmWantSystem(t, f.alice, "groups", id, "ul", "bob", f.bob.UserID)

	if res := f.bob.Get(t, "/api/v1/rooms.nameExists", map[string]string{"roomName": "fav"}).MustOK(t); res["exists"] != true {
		t.Fatalf("nameExists %v", res)
	}
	if res := f.bob.Get(t, "/api/v1/rooms.nameExists", map[string]string{"roomName": "nothing-here"}).MustOK(t); res["exists"] != false {
		t.Fatalf("nameExists %v", res)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.nameExists", nil), 400, "invalid-params", "")
}

func TestRoomsCreateDiscussion(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	pid := rmCreate(t, f.alice, "channels", "mainhall", "bob")["_id"].(string)
	parentMsgs := rmMsgs(t, f.admin, pid)

	d := f.alice.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{
		"prid": pid, "t_name": "Budget talk", "users": []string{"bob"}, "reply": "let's start",
	}).MustOK(t)["discussion"].(map[string]any)
	did, _ := d["_id"].(string)
	if did == "" || d["rid"] != did || d["prid"] != pid || d["fname"] != "Budget talk" || d["t"] != "c" {
		t.Fatalf("discussion %v", d)
	}
	if got := rmMsgs(t, f.admin, pid); got != parentMsgs+1 {
		t.Fatalf("parent msgs %d, want %d", got, parentMsgs+1)
	}
	created := rmLastMessage(t, f.bob, "channels", pid)
	if created["t"] != "discussion-created" || created["drid"] != did || created["msg"] != "Budget talk" {
		t.Fatalf("discussion-created message %v", created)
	}
	// chat.getDiscussions lists it in the parent.
	list := f.bob.Get(t, "/api/v1/chat.getDiscussions", map[string]string{"roomId": pid}).MustOK(t)
	if list["total"] != float64(1) {
		t.Fatalf("getDiscussions %v", list)
	}
	// rooms.info names the parent.
	info := f.bob.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": did}).MustOK(t)
	if p, _ := info["parent"].(map[string]any); p["_id"] != pid || p["name"] != "mainhall" {
		t.Fatalf("parent %v", info)
	}
	if sub := rmSub(t, f.bob, did); sub == nil || sub["prid"] != pid {
		t.Fatalf("bob's discussion subscription %v", sub)
	}

	// From a message: the message gets drid.
	m := rmPost(t, f.bob, pid, "worth a thread of its own")
	d2 := f.bob.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{
		"prid": pid, "pmid": m["_id"], "t_name": "Spin-off",
	}).MustOK(t)["discussion"].(map[string]any)
	got := f.bob.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": m["_id"].(string)}).MustOK(t)["message"].(map[string]any)
	if got["drid"] != d2["_id"] {
		t.Fatalf("starting message %v", got)
	}

	rmFail(t, f.alice.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{"t_name": "x"}), 400, "-", `Body parameter "prid" is required.`)
	rmFail(t, f.alice.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{"prid": pid}), 400, "-", `Body parameter "t_name" is required.`)
	rmFail(t, f.alice.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{"prid": pid, "t_name": "x", "users": "bob"}), 400, "-",
		`Body parameter "users" must be an array.`)
	rmFail(t, f.alice.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{"prid": did, "t_name": "nested"}), 400, "error-nested-discussion", "")
	priv := rmCreate(t, f.alice, "groups", "closed-door")["_id"].(string)
	rmFail(t, f.carol.Post(t, "/api/v1/rooms.createDiscussion", map[string]any{"prid": priv, "t_name": "sneaky"}), 400, "error-room-not-found", "")
	if got := rmMsgs(t, f.alice, priv); got != 0 {
		t.Fatalf("refused discussion wrote to the parent: msgs %d", got)
	}
}

func TestRoomsIsMember(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	pub := rmCreate(t, f.alice, "channels", "is-member-pub", "bob")["_id"].(string)
	priv := rmCreate(t, f.alice, "groups", "is-member-priv", "bob")["_id"].(string)

	isMember := func(c *testenv.Client, rid string, q map[string]string) any {
		t.Helper()
		q["roomId"] = rid
		return c.Get(t, "/api/v1/rooms.isMember", q).MustOK(t)["isMember"]
	}
	// Anyone who may read the channel may ask, by id or by username.
	if got := isMember(f.carol, pub, map[string]string{"userId": f.bob.UserID}); got != true {
		t.Errorf("bob in the channel, asked by carol: %v", got)
	}
	if got := isMember(f.carol, pub, map[string]string{"username": "carol"}); got != false {
		t.Errorf("carol in the channel: %v", got)
	}
	if got := isMember(f.bob, priv, map[string]string{"username": "alice"}); got != true {
		t.Errorf("alice in the group, asked by bob: %v", got)
	}

	// carol may not read the group: to her, it does not exist.
	rmFail(t, f.carol.Get(t, "/api/v1/rooms.isMember", map[string]string{"roomId": priv, "username": "bob"}), 400, "error-room-not-found", "")
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.isMember", map[string]string{"roomId": pub, "username": "nobody"}), 400, "-", "error-user-not-found")
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.isMember", map[string]string{"roomId": pub}), 400, "invalid-params", "")
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.isMember", map[string]string{"roomId": pub, "userId": f.bob.UserID, "username": "bob"}), 400, "invalid-params", "")
	rmFail(t, f.bob.Get(t, "/api/v1/rooms.isMember", map[string]string{"username": "bob"}), 400, "invalid-params", "")
}
