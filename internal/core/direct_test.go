package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestCreateDirectMessage(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	e.mk("carol")

	r, err := e.s.CreateDirectMessage(e.ctx, alice, []string{"bob"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != chat.DirectRoomID(alice.ID, bob.ID) || r.Type != chat.RoomDirect || len(r.UIDs) != 2 || r.UsersCount != 2 {
		t.Fatalf("dm %+v", r)
	}
	if sub := e.sub(r.ID, alice); !sub.Open || sub.Name != "bob" {
		t.Fatalf("creator's subscription %+v", sub)
	}
	if sub := e.sub(r.ID, bob); sub.Open || sub.Name != "alice" {
		t.Fatalf("other's subscription %+v", sub)
	}
	// Opening it again returns the same room.
	again, err := e.s.CreateDirectMessage(e.ctx, bob, []string{"alice"}, false)
	if err != nil || again.ID != r.ID {
		t.Fatalf("second create: %v %+v", err, again)
	}
	if !e.sub(r.ID, bob).Open {
		t.Fatal("opening an existing DM must show it")
	}
	group, err := e.s.CreateDirectMessage(e.ctx, alice, []string{"bob", "carol"}, false)
	if err != nil || len(group.UIDs) != 3 {
		t.Fatalf("group dm: %v %+v", err, group)
	}
	if sub := e.sub(group.ID, alice); sub.Name != "bob, carol" {
		t.Fatalf("group dm name %q", sub.Name)
	}

	_, err = e.s.CreateDirectMessage(e.ctx, alice, []string{"ghost"}, false)
	checkErr(t, err, chat.EInvalid, "error-invalid-user")

	// The members read it; others do not even see it.
	if _, _, err := e.s.Room(e.ctx, bob, RoomRef{Name: "alice", Type: chat.RoomDirect}); err != nil {
		t.Fatal(err)
	}
	carol, _ := e.st.UserByUsername(e.ctx, "carol")
	_, _, err = e.s.Room(e.ctx, carol, RoomRef{ID: r.ID, Type: chat.RoomDirect})
	checkErr(t, err, chat.ENotFound, "error-room-not-found")
	// DMs cannot be left, and only admins may delete them.
	_, err = e.s.LeaveRoom(e.ctx, alice, RoomRef{ID: r.ID})
	checkErr(t, err, chat.EForbidden, "error-not-allowed")
	checkErr(t, e.s.DeleteRoom(e.ctx, alice, RoomRef{ID: r.ID}), chat.EForbidden, "error-not-allowed")
}
