package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestRoomSettersWriteSystemMessages(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "settings", "bob")
	ref := RoomRef{ID: r.ID, Type: chat.RoomChannel}

	for _, tt := range []struct {
		name, typ, text string
		set             func() (*chat.Room, error)
		check           func(*chat.Room) bool
	}{
		{"topic", chat.MsgTopicChanged, "new topic", func() (*chat.Room, error) { return e.s.SetRoomTopic(e.ctx, alice, ref, "new topic") },
			func(r *chat.Room) bool { return r.Topic == "new topic" }},
		{"description", chat.MsgDescriptionChanged, "about", func() (*chat.Room, error) { return e.s.SetRoomDescription(e.ctx, alice, ref, "about") },
			func(r *chat.Room) bool { return r.Description == "about" }},
		{"announcement", chat.MsgAnnouncementChanged, "hear ye", func() (*chat.Room, error) { return e.s.SetRoomAnnouncement(e.ctx, alice, ref, "hear ye") },
			func(r *chat.Room) bool { return r.Announcement == "hear ye" }},
		{"read-only", chat.MsgReadOnlySet, "", func() (*chat.Room, error) { return e.s.SetRoomReadOnly(e.ctx, alice, ref, true) },
			func(r *chat.Room) bool { return r.ReadOnly }},
		{"writable", chat.MsgReadOnlyRemoved, "", func() (*chat.Room, error) { return e.s.SetRoomReadOnly(e.ctx, alice, ref, false) },
			func(r *chat.Room) bool { return !r.ReadOnly }},
		{"rename", chat.MsgRoomRenamed, "renamed", func() (*chat.Room, error) { return e.s.RenameRoom(e.ctx, alice, ref, "renamed") },
			func(r *chat.Room) bool { return r.Name == "renamed" && r.FName == "renamed" }},
		{"privacy", chat.MsgPrivacyChanged, "private", func() (*chat.Room, error) { return e.s.SetRoomType(e.ctx, alice, RoomRef{ID: r.ID}, chat.RoomGroup) },
			func(r *chat.Room) bool { return r.Type == chat.RoomGroup }},
	} {
		before := e.room(r.ID).Msgs
		if _, err := tt.set(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		after := e.room(r.ID)
		if after.Msgs != before+1 || !tt.check(after) {
			t.Fatalf("%s: msgs %d→%d, room %+v", tt.name, before, after.Msgs, after)
		}
		if m := e.lastMessage(r.ID); m.Type != tt.typ || m.Text != tt.text || m.User.ID != alice.ID {
			t.Fatalf("%s: message %+v", tt.name, m)
		}
	}
	if sub := e.sub(r.ID, bob); sub.Name != "renamed" || sub.Type != chat.RoomGroup {
		t.Fatalf("bob's subscription after rename and type change: %+v", sub)
	}
	// Without edit-room nothing changes.
	_, err := e.s.SetRoomTopic(e.ctx, bob, RoomRef{ID: r.ID}, "vandal")
	checkErr(t, err, chat.EForbidden, "error-action-not-allowed")
	if e.room(r.ID).Topic != "new topic" {
		t.Fatal("refused change was written")
	}
	// Setting the same value writes no message.
	before := e.room(r.ID).Msgs
	if _, err := e.s.SetRoomTopic(e.ctx, alice, RoomRef{ID: r.ID}, "new topic"); err != nil {
		t.Fatal(err)
	}
	if e.room(r.ID).Msgs != before {
		t.Fatal("unchanged topic wrote a message")
	}
	e.create(alice, chat.RoomChannel, "taken")
	_, err = e.s.RenameRoom(e.ctx, alice, RoomRef{ID: r.ID}, "taken")
	checkErr(t, err, chat.EConflict, "error-duplicate-channel-name")
}

func TestRoomRoles(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob, carol := e.mk("alice"), e.mk("bob"), e.mk("carol")
	r := e.create(alice, chat.RoomGroup, "roles", "bob")
	ref := RoomRef{ID: r.ID, Type: chat.RoomGroup}

	checkErr(t, e.s.SetRoomRole(e.ctx, bob, ref, alice, "moderator", true), chat.EForbidden, "error-not-allowed")
	if err := e.s.SetRoomRole(e.ctx, alice, ref, bob, "moderator", true); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgRoleAdded || m.Role != "moderator" || m.Text != "bob" {
		t.Fatalf("role message %+v", m)
	}
	checkErr(t, e.s.SetRoomRole(e.ctx, alice, ref, bob, "moderator", true), chat.EInvalid, "error-user-already-moderator")
	checkErr(t, e.s.SetRoomRole(e.ctx, alice, ref, carol, "owner", true), chat.EInvalid, "error-user-not-in-room")
	checkErr(t, e.s.SetRoomRole(e.ctx, alice, ref, alice, "owner", false), chat.EInvalid, "error-remove-last-owner")
	checkErr(t, e.s.SetRoomRole(e.ctx, alice, ref, bob, "leader", false), chat.EInvalid, "error-user-not-leader")

	if err := e.s.SetRoomRole(e.ctx, alice, ref, bob, "owner", true); err != nil {
		t.Fatal(err)
	}
	roles, err := e.s.RoomRoles(e.ctx, alice, ref)
	if err != nil || len(roles) != 2 {
		t.Fatalf("roles: %v %+v", err, roles)
	}
	// With a second owner, the first may leave.
	if _, err := e.s.LeaveRoom(e.ctx, alice, ref); err != nil {
		t.Fatal(err)
	}
}

func TestArchiveAndDelete(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "old", "bob")
	ref := RoomRef{ID: r.ID, Type: chat.RoomChannel}

	checkErr(t, e.s.ArchiveRoom(e.ctx, bob, ref), chat.EForbidden, "error-not-allowed")
	if err := e.s.ArchiveRoom(e.ctx, alice, ref); err != nil {
		t.Fatal(err)
	}
	if got := e.room(r.ID); !got.Archived || got.Msgs != 1 {
		t.Fatalf("archived room %+v", got)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgArchived {
		t.Fatalf("archive message %+v", m)
	}
	if !e.sub(r.ID, bob).Archived {
		t.Fatal("subscription not archived")
	}
	checkErr(t, e.s.ArchiveRoom(e.ctx, alice, ref), chat.EInvalid, "error-room-archived")
	_, err := e.s.SetRoomTopic(e.ctx, alice, ref, "x")
	checkErr(t, err, chat.EInvalid, "error-room-archived")
	// Owners may archive but only admins may unarchive.
	checkErr(t, e.s.UnarchiveRoom(e.ctx, alice, ref), chat.EForbidden, "error-not-allowed")
	if err := e.s.UnarchiveRoom(e.ctx, e.admin, ref); err != nil {
		t.Fatal(err)
	}
	if e.room(r.ID).Archived {
		t.Fatal("still archived")
	}

	checkErr(t, e.s.DeleteRoom(e.ctx, bob, ref), chat.EForbidden, "error-not-allowed")
	if err := e.s.DeleteRoom(e.ctx, alice, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.RoomByID(e.ctx, r.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("room still there: %v", err)
	}
	if e.sub(r.ID, bob) != nil {
		t.Fatal("subscription survived")
	}
}
