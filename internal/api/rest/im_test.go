package rest_test

import (
	"testing"
)

func TestIMCreateAndList(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	room := f.alice.Post(t, "/api/v1/im.create", map[string]any{"username": "bob"}).MustOK(t)["room"].(map[string]any)
	id, _ := room["_id"].(string)
	if id == "" || room["rid"] != id || room["t"] != "d" || len(id) != 34 {
		t.Fatalf("im.create room = %v", room)
	}
	names, _ := room["usernames"].([]any)
	if len(names) != 2 {
		t.Fatalf("usernames %v", room["usernames"])
	}
	// The dm.* alias and the other member reach the same room.
	again := f.bob.Post(t, "/api/v1/dm.create", map[string]any{"username": "alice"}).MustOK(t)["room"].(map[string]any)
	if again["_id"] != id {
		t.Fatalf("dm.create from bob = %v", again)
	}
	group := f.alice.Post(t, "/api/v1/im.create", map[string]any{"usernames": "bob,carol"}).MustOK(t)["room"].(map[string]any)
	if gn, _ := group["usernames"].([]any); len(gn) != 3 || group["_id"] == id {
		t.Fatalf("group dm %v", group)
	}
	rmFail(t, f.alice.Post(t, "/api/v1/im.create", map[string]any{"username": "ghost"}), 400, "error-invalid-user", "")
	rmFail(t, f.alice.Post(t, "/api/v1/im.create", map[string]any{}), 400, "invalid-params", "")

	for _, p := range []string{"/api/v1/im.list", "/api/v1/dm.list"} {
		l := f.alice.Get(t, p, nil).MustOK(t)
		if l["total"] != float64(2) || l["count"] != float64(2) || l["offset"] != float64(0) {
			t.Fatalf("%s = %v", p, l)
		}
	}
	if l := f.carol.Get(t, "/api/v1/im.list", nil).MustOK(t); l["total"] != float64(1) {
		t.Fatalf("carol's ims %v", l)
	}
	rmFail(t, f.alice.Get(t, "/api/v1/im.list.everyone", nil), 403, "-", "")
	if l := f.admin.Get(t, "/api/v1/dm.list.everyone", nil).MustOK(t); l["total"] != float64(2) {
		t.Fatalf("list.everyone %v", l)
	}
}

func TestIMReadAndManage(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := f.alice.Post(t, "/api/v1/im.create", map[string]any{"username": "bob"}).MustOK(t)["room"].(map[string]any)["_id"].(string)
	f.alice.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": id, "text": "hello bob"}).MustOK(t)

	c := f.bob.Get(t, "/api/v1/im.counters", map[string]string{"roomId": id}).MustOK(t)
	if c["joined"] != true || c["unreads"] != float64(1) || c["msgs"] != float64(1) || c["members"] != float64(2) {
		t.Fatalf("counters %v", c)
	}
	rmFail(t, f.carol.Get(t, "/api/v1/im.counters", map[string]string{"roomId": id}), 400, "error-room-not-found",
		`The required "roomId" param provided does not match any direct message [error-room-not-found]`)
	rmFail(t, f.carol.Get(t, "/api/v1/dm.members", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.bob.Get(t, "/api/v1/im.counters", nil), 400, "error-room-param-not-provided", "")

	for _, q := range []map[string]string{{"roomId": id}, {"username": "alice"}} {
		m := f.bob.Get(t, "/api/v1/im.members", q).MustOK(t)
		list := m["members"].([]any)
		if m["total"] != float64(2) || len(list) != 2 {
			t.Fatalf("members %v: %v", q, m)
		}
		if _, ok := list[0].(map[string]any)["subscription"]; !ok {
			t.Fatalf("member without subscription %v", list[0])
		}
	}

	// A new message shows the DM again to bob; he may close and reopen it.
	sub := f.bob.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": id}).MustOK(t)["subscription"].(map[string]any)
	if sub["open"] != true || sub["name"] != "alice" {
		t.Fatalf("bob's subscription %v", sub)
	}
	f.bob.Post(t, "/api/v1/im.close", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.bob.Post(t, "/api/v1/dm.close", map[string]any{"roomId": id}), 400, "-", "The direct message room, is already closed to the sender")
	rmFail(t, f.carol.Post(t, "/api/v1/im.close", map[string]any{"roomId": id}), 400, "error-room-not-found", "")
	f.bob.Post(t, "/api/v1/dm.open", map[string]any{"roomId": id}).MustOK(t)
	if sub := f.bob.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": id}).MustOK(t)["subscription"].(map[string]any); sub["open"] != true {
		t.Fatalf("reopened %v", sub)
	}

	// Only administrators (delete-d) may delete a DM.
	rmFail(t, f.bob.Post(t, "/api/v1/im.delete", map[string]any{"roomId": id}), 403, "error-not-allowed", "")
	f.admin.Post(t, "/api/v1/dm.delete", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.bob.Get(t, "/api/v1/im.counters", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	if l := f.bob.Get(t, "/api/v1/im.list", nil).MustOK(t); l["total"] != float64(0) {
		t.Fatalf("deleted dm still listed %v", l)
	}
}
