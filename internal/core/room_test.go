package core

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// roomEnv is a Service on a temporary SQLite store and an in-process bus,
// with an administrator, for the room, subscription and team use cases.
type roomEnv struct {
	t     *testing.T
	ctx   context.Context
	s     *Service
	st    chat.Store
	bus   chat.Bus
	admin *chat.User
}

func newRoomEnv(t *testing.T) *roomEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "liftoff.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := memory.New(log)
	t.Cleanup(func() { bus.Close() })
	s := New(Config{Store: st, Bus: bus, Logger: log})
	if err := s.Init(ctx, InitOptions{}); err != nil {
		t.Fatal(err)
	}
	e := &roomEnv{t: t, ctx: ctx, s: s, st: st, bus: bus}
	e.admin = e.mk("boss", "admin", "user")
	return e
}

// mk creates a user without a password (no bcrypt: tests stay fast).
func (e *roomEnv) mk(name string, roles ...string) *chat.User {
	e.t.Helper()
	u, err := e.s.AdminCreateUser(e.ctx, NewUser{Username: name, Name: name + " N", Roles: roles})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *roomEnv) create(owner *chat.User, t chat.RoomType, name string, members ...string) *chat.Room {
	e.t.Helper()
	r, err := e.s.CreateRoom(e.ctx, owner, NewRoom{Type: t, Name: name, Members: members})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *roomEnv) room(id string) *chat.Room {
	e.t.Helper()
	r, err := e.st.RoomByID(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *roomEnv) sub(rid string, u *chat.User) *chat.Subscription {
	e.t.Helper()
	sub, err := e.s.SubscriptionOf(e.ctx, u, rid)
	if err != nil {
		e.t.Fatal(err)
	}
	return sub
}

func (e *roomEnv) post(u *chat.User, rid, text string) *chat.Message {
	e.t.Helper()
	m, err := e.s.SendMessage(e.ctx, u, NewMessage{RoomID: rid, Text: text})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// lastSystem returns the newest message of a room, which the tests expect
// to be a given system message.
func (e *roomEnv) lastMessage(rid string) chat.Message {
	e.t.Helper()
	ms, _, err := e.st.ListMessages(e.ctx, chat.MessageFilter{RoomID: rid, Limit: 1})
	if err != nil || len(ms) == 0 {
		e.t.Fatalf("no message in %s: %v", rid, err)
	}
	return ms[0]
}

// checkErr fails unless err is a domain error of that kind and type.
func checkErr(t *testing.T, err error, kind chat.Kind, typ string) {
	t.Helper()
	ce, ok := err.(*chat.Error)
	if !ok {
		t.Fatalf("want %s/%s, got %v", kind, typ, err)
	}
	if ce.Kind != kind || ce.Type != typ {
		t.Fatalf("want %s/%s, got %s/%s: %v", kind, typ, ce.Kind, ce.Type, err)
	}
}

func TestCreateRoom(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "town-square", "bob", "nobody")
	if r.UsersCount != 2 || r.Msgs != 0 || r.FName != "town-square" || r.Creator.ID != alice.ID {
		t.Fatalf("room = %+v", r)
	}
	if got := e.room(r.ID); got.UsersCount != 2 || got.Msgs != 0 {
		t.Fatalf("stored usersCount %d msgs %d", got.UsersCount, got.Msgs)
	}
	if sub := e.sub(r.ID, alice); sub == nil || !sub.HasRole("owner") || !sub.Open {
		t.Fatalf("creator subscription %+v", sub)
	}
	if sub := e.sub(r.ID, bob); sub == nil || len(sub.Roles) != 0 {
		t.Fatalf("member subscription %+v", sub)
	}

	for _, tt := range []struct {
		name, room string
		kind       chat.Kind
		typ        string
	}{
		{"duplicate", "town-square", chat.EConflict, "error-duplicate-channel-name"},
		{"invalid characters", "bad name!", chat.EInvalid, "error-invalid-room-name"},
		{"reserved", "all", chat.EInvalid, "error-invalid-room-name"},
		{"empty", "  ", chat.EInvalid, "error-invalid-name"},
	} {
		_, err := e.s.CreateRoom(e.ctx, alice, NewRoom{Type: chat.RoomChannel, Name: tt.room})
		checkErr(t, err, tt.kind, tt.typ)
	}

	guest := e.mk("gus", "guest")
	_, err := e.s.CreateRoom(e.ctx, guest, NewRoom{Type: chat.RoomGroup, Name: "secret"})
	checkErr(t, err, chat.EForbidden, "error-unauthorized")
	if exists, _ := e.s.RoomNameExists(e.ctx, "secret"); exists {
		t.Fatal("a refused creation left a room")
	}
}

func TestJoinLeaveInviteKick(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob, carol := e.mk("alice"), e.mk("bob"), e.mk("carol")
	r := e.create(alice, chat.RoomChannel, "lobby")
	ref := RoomRef{ID: r.ID, Type: chat.RoomChannel}

	if _, err := e.s.JoinRoom(e.ctx, bob, ref, ""); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgUserJoined || m.Text != "bob" || m.User.ID != bob.ID {
		t.Fatalf("join message %+v", m)
	}
	if got := e.room(r.ID); got.Msgs != 1 || got.UsersCount != 2 {
		t.Fatalf("after join msgs %d users %d", got.Msgs, got.UsersCount)
	}
	// Joining again changes nothing.
	if _, err := e.s.JoinRoom(e.ctx, bob, ref, ""); err != nil {
		t.Fatal(err)
	}
	if got := e.room(r.ID); got.Msgs != 1 {
		t.Fatalf("second join wrote a message: msgs %d", got.Msgs)
	}

	// A plain member may invite (add-user-to-joined-room is for owners and
	// moderators), the owner may.
	_, err := e.s.InviteToRoom(e.ctx, bob, ref, nil, []string{"carol"})
	checkErr(t, err, chat.EForbidden, "error-not-allowed")
	if _, err := e.s.InviteToRoom(e.ctx, alice, ref, nil, []string{"carol", "ghost"}); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgUserAdded || m.Text != "carol" || m.User.ID != alice.ID {
		t.Fatalf("invite message %+v", m)
	}
	_, err = e.s.InviteToRoom(e.ctx, alice, ref, nil, []string{"ghost"})
	checkErr(t, err, chat.EInvalid, "error-empty-invite-list")

	_, err = e.s.KickFromRoom(e.ctx, bob, ref, carol)
	checkErr(t, err, chat.EForbidden, "error-not-allowed")
	if _, err := e.s.KickFromRoom(e.ctx, alice, ref, carol); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgUserRemoved || m.Text != "carol" || m.User.ID != alice.ID {
		t.Fatalf("kick message %+v", m)
	}
	if e.sub(r.ID, carol) != nil {
		t.Fatal("carol is still a member")
	}
	_, err = e.s.KickFromRoom(e.ctx, alice, ref, carol)
	checkErr(t, err, chat.EInvalid, "error-user-not-in-room")

	// The last owner may not leave; bob may.
	_, err = e.s.LeaveRoom(e.ctx, alice, ref)
	checkErr(t, err, chat.EInvalid, "error-you-are-last-owner")
	if _, err := e.s.LeaveRoom(e.ctx, bob, ref); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(r.ID); m.Type != chat.MsgUserLeft || m.Text != "bob" {
		t.Fatalf("leave message %+v", m)
	}
	_, err = e.s.LeaveRoom(e.ctx, bob, ref)
	checkErr(t, err, chat.EInvalid, "error-user-not-in-room")
	if got := e.room(r.ID); got.UsersCount != 1 || got.Msgs != 4 {
		t.Fatalf("final users %d msgs %d", got.UsersCount, got.Msgs)
	}
}

func TestPrivateGroupsAreInvisible(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	g := e.create(alice, chat.RoomGroup, "hidden")
	for _, ref := range []RoomRef{{ID: g.ID, Type: chat.RoomGroup}, {Name: "hidden", Type: chat.RoomGroup}, {ID: g.ID}} {
		_, _, err := e.s.Room(e.ctx, bob, ref)
		checkErr(t, err, chat.ENotFound, "error-room-not-found")
		_, _, err = e.s.RoomMembers(e.ctx, bob, ref, chat.MemberFilter{})
		checkErr(t, err, chat.ENotFound, "error-room-not-found")
		_, err = e.s.Counters(e.ctx, bob, ref, "")
		checkErr(t, err, chat.ENotFound, "error-room-not-found")
		_, err = e.s.JoinRoom(e.ctx, bob, ref, "")
		checkErr(t, err, chat.ENotFound, "error-room-not-found")
	}
	// A channel endpoint does not find a group, and the other way round.
	_, _, err := e.s.Room(e.ctx, alice, RoomRef{ID: g.ID, Type: chat.RoomChannel})
	checkErr(t, err, chat.ENotFound, "error-room-not-found")
	_, _, err = e.s.Room(e.ctx, alice, RoomRef{Type: chat.RoomChannel})
	checkErr(t, err, chat.EInvalid, "error-roomid-param-not-provided")
	_, _, err = e.s.Room(e.ctx, alice, RoomRef{Type: chat.RoomGroup})
	checkErr(t, err, chat.EInvalid, "error-room-param-not-provided")

	res, err := e.s.Directory(e.ctx, bob, DirectoryQuery{Text: "hid"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Fatalf("directory shows %d rooms to an outsider", res.Total)
	}
	res, err = e.s.Directory(e.ctx, alice, DirectoryQuery{Text: "hid"})
	if err != nil || res.Total != 1 {
		t.Fatalf("directory for the member: %v %+v", err, res)
	}
}

func TestCounters(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob, carol := e.mk("alice"), e.mk("bob"), e.mk("carol")
	r := e.create(alice, chat.RoomChannel, "count", "bob")
	ref := RoomRef{ID: r.ID, Type: chat.RoomChannel}
	e.post(alice, r.ID, "one")
	e.post(alice, r.ID, "hey @bob")

	c, err := e.s.Counters(e.ctx, bob, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Joined || *c.Unreads != 2 || *c.UserMentions != 1 || *c.Msgs != 2 || *c.Members != 2 || c.Latest.IsZero() || c.UnreadsFrom.IsZero() {
		t.Fatalf("member counters %+v", c)
	}
	// An outsider of a public channel learns only that they are not in it.
	c, err = e.s.Counters(e.ctx, carol, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Joined || c.Unreads != nil || c.Msgs != nil || c.Members != nil {
		t.Fatalf("outsider counters %+v", c)
	}
	// Asking for someone else needs view-room-administration.
	_, err = e.s.Counters(e.ctx, carol, ref, bob.ID)
	checkErr(t, err, chat.EForbidden, "error-unauthorized")
	c, err = e.s.Counters(e.ctx, e.admin, ref, bob.ID)
	if err != nil || !c.Joined || *c.Unreads != 2 {
		t.Fatalf("admin view of bob: %v %+v", err, c)
	}
}

func TestListRooms(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	e.create(alice, chat.RoomChannel, "c-one")
	e.create(bob, chat.RoomChannel, "c-two")
	e.create(alice, chat.RoomGroup, "g-one")

	chans, total, err := e.s.ListChannels(e.ctx, alice, RoomListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// #general is seeded.
	if total != 3 || len(chans) != 3 {
		t.Fatalf("channels.list total %d", total)
	}
	joined, total, err := e.s.JoinedRooms(e.ctx, alice, chat.RoomChannel, RoomListOptions{})
	if err != nil || total != 1 || joined[0].Name != "c-one" {
		t.Fatalf("list.joined: %v %d %+v", err, total, joined)
	}
	groups, total, err := e.s.JoinedRooms(e.ctx, bob, chat.RoomGroup, RoomListOptions{})
	if err != nil || total != 0 || len(groups) != 0 {
		t.Fatalf("bob's groups: %v %d", err, total)
	}
	_, _, err = e.s.AllRooms(e.ctx, bob, chat.RoomGroup, RoomListOptions{})
	checkErr(t, err, chat.EForbidden, "error-unauthorized")
	all, total, err := e.s.AllRooms(e.ctx, e.admin, chat.RoomGroup, RoomListOptions{})
	if err != nil || total != 1 || all[0].Name != "g-one" {
		t.Fatalf("groups.listAll: %v %d", err, total)
	}
}
