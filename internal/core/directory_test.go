package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestDirectoryAndSpotlight(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	e.create(alice, chat.RoomChannel, "apples")
	e.create(alice, chat.RoomChannel, "apricots")
	e.create(alice, chat.RoomGroup, "ap-secret")
	if _, err := e.s.CreateTeam(e.ctx, alice, NewTeam{Name: "ap-team", Type: TeamPublic}); err != nil {
		t.Fatal(err)
	}

	res, err := e.s.Directory(e.ctx, bob, DirectoryQuery{Text: "ap", SortBy: "name"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || res.Rooms[0].Room.Name != "apples" || res.Rooms[1].Room.Name != "apricots" {
		t.Fatalf("channels for bob: %+v", res)
	}
	res, err = e.s.Directory(e.ctx, bob, DirectoryQuery{Type: "teams", Text: "ap"})
	if err != nil || res.Total != 1 || !res.Rooms[0].Room.TeamMain || res.Rooms[0].RoomsCount != 1 {
		t.Fatalf("teams: %v %+v", err, res)
	}
	res, err = e.s.Directory(e.ctx, bob, DirectoryQuery{Type: "users", Text: "ali"})
	if err != nil || res.Total != 1 || res.Users[0].ID != alice.ID {
		t.Fatalf("users: %v %+v", err, res)
	}
	// Email addresses are not searchable by those who cannot see them.
	res, err = e.s.Directory(e.ctx, bob, DirectoryQuery{Type: "users", Text: "example.com"})
	if err != nil || res.Total != 0 {
		t.Fatalf("email search: %v %+v", err, res)
	}
	if _, err := e.s.Directory(e.ctx, bob, DirectoryQuery{Type: "planets"}); err == nil {
		t.Fatal("unknown type accepted")
	}
	if _, err := e.s.Directory(e.ctx, bob, DirectoryQuery{SortBy: "height"}); err == nil {
		t.Fatal("unknown sort accepted")
	}

	users, rooms, err := e.s.Spotlight(e.ctx, bob, "ap")
	if err != nil || len(rooms) != 2 || len(users) != 0 {
		t.Fatalf("spotlight: %v %d users %d rooms", err, len(users), len(rooms))
	}
	users, rooms, err = e.s.Spotlight(e.ctx, bob, "@ali")
	if err != nil || len(users) != 1 || len(rooms) != 0 {
		t.Fatalf("@spotlight: %v %d users %d rooms", err, len(users), len(rooms))
	}
	_, rooms, err = e.s.Spotlight(e.ctx, alice, "#ap")
	if err != nil || len(rooms) != 4 {
		t.Fatalf("#spotlight for the member: %v %d rooms", err, len(rooms))
	}
}
