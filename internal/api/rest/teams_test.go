package rest_test

import (
	"testing"
)

func TestTeams(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	team := f.alice.Post(t, "/api/v1/teams.create", map[string]any{
		"name": "engineering", "type": 0, "members": []string{f.bob.UserID},
	}).MustOK(t)["team"].(map[string]any)
	tid, _ := team["_id"].(string)
	rid, _ := team["roomId"].(string)
	if tid == "" || rid == "" || team["name"] != "engineering" || team["type"] != float64(0) {
		t.Fatalf("team %v", team)
	}
	if cb, _ := team["createdBy"].(map[string]any); cb["_id"] != f.alice.UserID || cb["username"] != "alice" {
		t.Fatalf("createdBy %v", team["createdBy"])
	}
	wantISO(t, team, "createdAt")
	wantISO(t, team, "_updatedAt")
	main := f.bob.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": rid}).MustOK(t)
	room := main["room"].(map[string]any)
	if room["teamMain"] != true || room["teamId"] != tid || room["t"] != "c" || room["usersCount"] != float64(2) {
		t.Fatalf("main room %v", room)
	}
	if tm, _ := main["team"].(map[string]any); tm["_id"] != tid || tm["name"] != "engineering" {
		t.Fatalf("rooms.info team %v", main["team"])
	}

	rmFail(t, f.alice.Post(t, "/api/v1/teams.create", map[string]any{"name": "engineering", "type": 0}), 400, "-", "team-name-already-exists")
	rmFail(t, f.alice.Post(t, "/api/v1/teams.create", map[string]any{"type": 0}), 400, "invalid-params", "")
	guest := f.guest(t, "gus")
	rmFail(t, guest.Post(t, "/api/v1/teams.create", map[string]any{"name": "guests", "type": 0}), 403, "-", "")

	info := f.carol.Get(t, "/api/v1/teams.info", map[string]string{"teamName": "engineering"}).MustOK(t)["teamInfo"].(map[string]any)
	if info["_id"] != tid {
		t.Fatalf("teams.info %v", info)
	}
	rmFail(t, f.carol.Get(t, "/api/v1/teams.info", map[string]string{"teamId": "nope"}), 400, "-", "Team not found")

	// Members.
	members := f.bob.Get(t, "/api/v1/teams.members", map[string]string{"teamId": tid}).MustOK(t)
	list := members["members"].([]any)
	if members["total"] != float64(2) || len(list) != 2 {
		t.Fatalf("members %v", members)
	}
	for _, m := range list {
		m := m.(map[string]any)
		u := m["user"].(map[string]any)
		if u["username"] == "alice" && (m["roles"] == nil || m["roles"].([]any)[0] != "owner") {
			t.Fatalf("owner entry %v", m)
		}
		wantISO(t, m, "createdAt")
	}
	if out := f.carol.Get(t, "/api/v1/teams.members", map[string]string{"teamId": tid}).MustOK(t); out["total"] != float64(0) {
		t.Fatalf("outsider sees members %v", out)
	}
	rmFail(t, f.bob.Post(t, "/api/v1/teams.addMembers", map[string]any{"teamId": tid, "members": []any{map[string]any{"userId": f.carol.UserID}}}), 403, "-", "")
	msgs := rmMsgs(t, f.alice, rid)
	f.alice.Post(t, "/api/v1/teams.addMembers", map[string]any{"teamName": "engineering", "members": []any{
		map[string]any{"userId": f.carol.UserID, "roles": []string{"member"}},
	}}).MustOK(t)
	if got := rmMsgs(t, f.alice, rid); got != msgs+1 {
		t.Fatalf("main room msgs %d, want %d", got, msgs+1)
	}
	rmWantSystem(t, f.alice, "channels", rid, "added-user-to-team", "carol", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/teams.addMembers", map[string]any{"teamId": tid}), 400, "invalid-params", "")
	rmFail(t, f.alice.Post(t, "/api/v1/teams.addMembers", map[string]any{"teamId": "nope", "members": []any{}}), 400, "-", "team-does-not-exist")

	// Lists.
	l := f.carol.Get(t, "/api/v1/teams.list", nil).MustOK(t)
	teams := l["teams"].([]any)
	if l["total"] != float64(1) || teams[0].(map[string]any)["numberOfUsers"] != float64(3) {
		t.Fatalf("teams.list %v", l)
	}
	rmFail(t, f.carol.Get(t, "/api/v1/teams.listAll", nil), 403, "-", "")
	if all := f.admin.Get(t, "/api/v1/teams.listAll", nil).MustOK(t); all["total"] != float64(1) {
		t.Fatalf("teams.listAll %v", all)
	}

	// Rooms.
	side := rmCreate(t, f.alice, "channels", "eng-random")["_id"].(string)
	rmFail(t, f.bob.Post(t, "/api/v1/teams.addRooms", map[string]any{"teamId": tid, "rooms": []string{side}}), 403, "-", "")
	added := f.alice.Post(t, "/api/v1/teams.addRooms", map[string]any{"teamId": tid, "rooms": []string{side}}).MustOK(t)["rooms"].([]any)
	if len(added) != 1 || added[0].(map[string]any)["teamId"] != tid {
		t.Fatalf("addRooms %v", added)
	}
	rmWantSystem(t, f.alice, "channels", rid, "user-added-room-to-team", "eng-random", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/teams.addRooms", map[string]any{"teamId": tid, "rooms": []string{side}}), 400, "-", "room-already-on-team")
	rooms := f.bob.Get(t, "/api/v1/teams.listRooms", map[string]string{"teamId": tid}).MustOK(t)
	if rooms["total"] != float64(1) || rooms["rooms"].([]any)[0].(map[string]any)["_id"] != side {
		t.Fatalf("listRooms %v", rooms)
	}

	// Removing members.
	rmFail(t, f.bob.Post(t, "/api/v1/teams.removeMember", map[string]any{"teamId": tid, "userId": f.carol.UserID}), 403, "-", "")
	f.alice.Post(t, "/api/v1/teams.removeMember", map[string]any{"teamId": tid, "userId": f.carol.UserID}).MustOK(t)
	rmWantSystem(t, f.alice, "channels", rid, "removed-user-from-team", "carol", f.alice.UserID)
	rmFail(t, f.alice.Post(t, "/api/v1/teams.removeMember", map[string]any{"teamId": tid, "userId": f.carol.UserID}), 400, "-", "member-does-not-exist")
	rmFail(t, f.alice.Post(t, "/api/v1/teams.removeMember", map[string]any{"teamId": tid, "userId": f.alice.UserID}), 400, "-", "last-owner-can-not-be-removed")

	// Deleting.
	rmFail(t, f.bob.Post(t, "/api/v1/teams.delete", map[string]any{"teamId": tid}), 403, "-", "")
	f.alice.Post(t, "/api/v1/teams.delete", map[string]any{"teamName": "engineering"}).MustOK(t)
	rmFail(t, f.alice.Get(t, "/api/v1/teams.info", map[string]string{"teamId": tid}), 400, "-", "Team not found")
	rmFail(t, f.alice.Get(t, "/api/v1/rooms.info", map[string]string{"roomId": rid}), 400, "error-room-not-found", "")
	if r := rmInfo(t, f.alice, "channels", side); r["teamId"] != nil {
		t.Fatalf("room still in a deleted team %v", r)
	}
}

func TestPrivateTeams(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	team := f.alice.Post(t, "/api/v1/teams.create", map[string]any{"name": "board", "type": 1}).MustOK(t)["team"].(map[string]any)
	rid := team["roomId"].(string)
	if r := rmInfo(t, f.alice, "groups", rid); r["t"] != "p" || r["teamMain"] != true {
		t.Fatalf("main room %v", r)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/teams.info", map[string]string{"teamId": team["_id"].(string)}), 403, "-", "")
	rmFail(t, f.bob.Get(t, "/api/v1/teams.listRooms", map[string]string{"teamName": "board"}), 400, "-", "user-not-on-private-team")
	rmFail(t, f.bob.Get(t, "/api/v1/teams.listRooms", nil), 400, "invalid-params", "")
}
