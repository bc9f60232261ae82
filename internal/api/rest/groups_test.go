package rest_test

import (
	"testing"
)

const groupNotFound = `The required "roomId" or "roomName" param provided does not match any group [error-room-not-found]`

func TestGroupsArePrivate(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	g := rmCreate(t, f.alice, "groups", "inner-circle", "bob")
	id := g["_id"].(string)
	if g["t"] != "p" || g["usersCount"] != float64(2) || g["msgs"] != float64(0) {
		t.Fatalf("group = %v", g)
	}

	// carol is not a member: every read and write says the group does not
	// exist, by id or by name.
	for _, q := range []map[string]string{{"roomId": id}, {"roomName": "inner-circle"}} {
		for _, ep := range []string{"info", "members", "counters", "roles", "moderators", "messages"} {
			rmFail(t, f.carol.Get(t, "/api/v1/groups."+ep, q), 400, "error-room-not-found", groupNotFound)
		}
	}
	for _, ep := range []string{"leave", "setTopic", "invite", "kick", "archive", "delete", "rename", "open", "close", "addOwner"} {
		body := map[string]any{"roomId": id, "topic": "x", "name": "y", "userId": f.carol.UserID}
		rmFail(t, f.carol.Post(t, "/api/v1/groups."+ep, body), 400, "error-room-not-found", groupNotFound)
	}
	rmFail(t, f.carol.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/channels.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	// A member sees it all.
	if info := rmInfo(t, f.bob, "groups", id); info["name"] != "inner-circle" {
		t.Fatalf("member info %v", info)
	}
	if m := f.bob.Get(t, "/api/v1/groups.members", map[string]string{"roomId": id}).MustOK(t); m["total"] != float64(2) {
		t.Fatalf("members %v", m)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/groups.info", nil), 400, "error-room-param-not-provided", "")
	// Nothing a refused call touched changed.
	if info := rmInfo(t, f.alice, "groups", id); info["msgs"] != float64(0) || info["usersCount"] != float64(2) || info["topic"] != nil {
		t.Fatalf("group after refused calls %v", info)
	}

	// Lists: each sees their own groups; listAll is for administrators.
	rmCreate(t, f.carol, "groups", "carols")
	if l := f.bob.Get(t, "/api/v1/groups.list", nil).MustOK(t); l["total"] != float64(1) || l["groups"].([]any)[0].(map[string]any)["_id"] != id {
		t.Fatalf("bob's groups %v", l)
	}
	if l := f.carol.Get(t, "/api/v1/groups.list", nil).MustOK(t); l["total"] != float64(1) {
		t.Fatalf("carol's groups %v", l)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/groups.listAll", nil), 403, "-", "")
	if l := f.admin.Get(t, "/api/v1/groups.listAll", nil).MustOK(t); l["total"] != float64(2) {
		t.Fatalf("groups.listAll %v", l)
	}
}

func TestGroupsMembership(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "groups", "crew")["_id"].(string)

	inv := f.alice.Post(t, "/api/v1/groups.invite", map[string]any{"roomId": id, "usernames": []string{"bob", "carol"}}).MustOK(t)["group"].(map[string]any)
	if inv["usersCount"] != float64(3) || inv["msgs"] != float64(2) {
		t.Fatalf("after invite %v", inv)
	}
	rmFail(t, f.bob.Post(t, "/api/v1/groups.kick", map[string]any{"roomId": id, "userId": f.carol.UserID}), 403, "error-not-allowed", "")
	f.alice.Post(t, "/api/v1/groups.kick", map[string]any{"roomId": id, "userId": f.carol.UserID}).MustOK(t)
	rmWantSystem(t, f.alice, "groups", id, "ru", "carol", f.alice.UserID)
	rmFail(t, f.carol.Get(t, "/api/v1/groups.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")

	f.bob.Post(t, "/api/v1/groups.leave", map[string]any{"roomId": id}).MustOK(t)
	rmWantSystem(t, f.alice, "groups", id, "ul", "bob", f.bob.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/groups.leave", map[string]any{"roomId": id}), 400, "error-you-are-last-owner", "")

	// Groups cannot be joined, only entered by invitation.
	rmFail(t, f.bob.Post(t, "/api/v1/channels.join", map[string]any{"roomId": id}), 400, "error-room-not-found", "")

	c := f.alice.Get(t, "/api/v1/groups.counters", map[string]string{"roomId": id}).MustOK(t)
	if c["joined"] != true || c["members"] != float64(1) || c["msgs"] != float64(4) {
		t.Fatalf("counters %v", c)
	}

	guest := f.guest(t, "gus")
	rmFail(t, guest.Post(t, "/api/v1/groups.create", map[string]any{"name": "g"}), 403, "-", "")
	rmFail(t, f.alice.Post(t, "/api/v1/groups.create", map[string]any{}), 400, "-", `Body param "name" is required`)

	ro := f.alice.Post(t, "/api/v1/groups.setReadOnly", map[string]any{"roomId": id, "readOnly": true}).MustOK(t)["group"].(map[string]any)
	if ro["ro"] != true {
		t.Fatalf("setReadOnly %v", ro)
	}
	rmFail(t, f.alice.Post(t, "/api/v1/groups.setReadOnly", map[string]any{"roomId": id, "readOnly": true}), 400, "-",
		"The private group read only setting is the same as what it would be changed to.")
	rmFail(t, f.alice.Post(t, "/api/v1/groups.setType", map[string]any{"roomId": id, "type": "p"}), 400, "-",
		"The private group type is the same as what it would be changed to.")
	f.alice.Post(t, "/api/v1/groups.close", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.alice.Post(t, "/api/v1/groups.close", map[string]any{"roomId": id}), 400, "-", "The private group, crew, is already closed to the sender")
	f.alice.Post(t, "/api/v1/groups.open", map[string]any{"roomId": id}).MustOK(t)
	f.alice.Post(t, "/api/v1/groups.archive", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.alice.Post(t, "/api/v1/groups.setTopic", map[string]any{"roomId": id, "topic": "t"}), 400, "error-room-archived",
		"The private group, crew, is archived [error-room-archived]")
	f.alice.Post(t, "/api/v1/groups.delete", map[string]any{"roomId": id}).MustOK(t)
	rmFail(t, f.alice.Get(t, "/api/v1/groups.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
}
