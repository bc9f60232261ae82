package storetest

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var roomTests = []test{
	{"RoundTrip", testRoomRoundTrip},
	{"DirectMessages", testRoomDirect},
	{"Conflicts", testRoomConflicts},
	{"NotFound", testRoomNotFound},
	{"UpdateKeepsSeqAndMsgs", testRoomUpdate},
	{"Delete", testRoomDelete},
	{"DeleteThenRecreate", testRoomRecreate},
	{"ListFilters", testListRoomsFilters},
	{"ListPagingAndSort", testListRoomsPagingAndSort},
	{"RoomsOfUser", testRoomsOfUser},
	{"IncrementUsers", testIncrementRoomUsers},
}

// fullRoom sets every field of chat.Room.
func fullRoom(id, name string) *chat.Room {
	last := fullMessage("last-"+id, id)
	last.Seq = 7
	return &chat.Room{
		ID: id, Type: chat.RoomGroup, Name: name, FName: "Full " + name,
		Creator: chat.UserRef{ID: "u1", Username: "alice", Name: "Alice"},
		Topic:   "topic", Description: "description", Announcement: "announcement",
		ReadOnly: true, Archived: true, Default: true, Featured: true, Broadcast: true, Encrypted: true,
		ReactWhenReadOnly: true, SysMes: []string{chat.MsgUserJoined, chat.MsgUserLeft}, Muted: []string{"bob"},
		JoinCode: "secret", Msgs: 5, Seq: 7, UsersCount: 3, LastMessage: last, LastMsgAt: at(30),
		UIDs: []string{"u1", "u2"}, Usernames: []string{"alice", "bob"},
		ParentID: "parent", ParentMessageID: "pmid", TeamID: "team1", TeamMain: true, TeamDefault: true,
		AvatarETag: "etag", CustomFields: map[string]any{"cost-center": 42.0, "tags": []any{"a", "b"}},
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func testRoomRoundTrip(t *testing.T, s chat.Store) {
	want := fullRoom("r1", "full-room")
	must(t, s.CreateRoom(ctx(t), want))
	got, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "RoomByID", got, want)
	got, err = s.RoomByName(ctx(t), "full-room")
	must(t, err)
	equal(t, "RoomByName", got, want)

	min := &chat.Room{ID: "r2", Type: chat.RoomChannel, Name: "min"}
	must(t, s.CreateRoom(ctx(t), min))
	got, err = s.RoomByID(ctx(t), "r2")
	must(t, err)
	equal(t, "minimal room", got, min)
}

// testRoomDirect: direct-message rooms have no name and never collide on it.
func testRoomDirect(t *testing.T, s chat.Store) {
	dm1 := &chat.Room{ID: chat.DirectRoomID("u1", "u2"), Type: chat.RoomDirect, UIDs: []string{"u1", "u2"}, Usernames: []string{"a", "b"}}
	dm2 := &chat.Room{ID: chat.DirectRoomID("u1", "u3"), Type: chat.RoomDirect, UIDs: []string{"u1", "u3"}, Usernames: []string{"a", "c"}}
	must(t, s.CreateRoom(ctx(t), dm1))
	must(t, s.CreateRoom(ctx(t), dm2))
	got, err := s.RoomByID(ctx(t), dm2.ID)
	must(t, err)
	equal(t, "direct room", got, dm2)
	_, err = s.RoomByName(ctx(t), "")
	wantKind(t, err, chat.ENotFound)
}

func testRoomConflicts(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "general")
	addRoom(t, s, "r2", chat.RoomGroup, "secret")
	wantKind(t, s.CreateRoom(ctx(t), &chat.Room{ID: "r3", Type: chat.RoomChannel, Name: "general"}), chat.EConflict)
	wantKind(t, s.CreateRoom(ctx(t), &chat.Room{ID: "r3", Type: chat.RoomGroup, Name: "general"}), chat.EConflict)
	wantKind(t, s.CreateRoom(ctx(t), &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "other"}), chat.EConflict)
	_, err := s.RoomByID(ctx(t), "r3")
	wantKind(t, err, chat.ENotFound)

	r2, err := s.RoomByID(ctx(t), "r2")
	must(t, err)
	r2.Name = "general"
	wantKind(t, s.UpdateRoom(ctx(t), r2), chat.EConflict)
	got, err := s.RoomByName(ctx(t), "secret")
	must(t, err)
	equal(t, "room after failed rename", got.ID, "r2")
}

func testRoomNotFound(t *testing.T, s chat.Store) {
	_, err := s.RoomByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	_, err = s.RoomByName(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateRoom(ctx(t), &chat.Room{ID: "nope", Type: chat.RoomChannel, Name: "nope"}), chat.ENotFound)
	wantKind(t, s.DeleteRoom(ctx(t), "nope", t0), chat.ENotFound)
	wantKind(t, s.IncrementRoomUsers(ctx(t), "nope", 1), chat.ENotFound)
}

func testRoomUpdate(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "before")
	post(t, s, "r1", "m1", "u1", 1, "one")
	post(t, s, "r1", "m2", "u1", 2, "two")

	want := fullRoom("r1", "after")
	want.Msgs, want.Seq = 0, 0 // UpdateRoom must ignore these
	must(t, s.UpdateRoom(ctx(t), want))
	got, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	want.Msgs, want.Seq = 2, 2
	equal(t, "updated room", got, want)
	_, err = s.RoomByName(ctx(t), "before")
	wantKind(t, err, chat.ENotFound)
}

func testRoomDelete(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "doomed")
	addRoom(t, s, "r2", chat.RoomChannel, "survivor")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r1", "u2")
	subscribe(t, s, "r2", "u1")
	post(t, s, "r1", "m1", "u1", 1, "hello")
	post(t, s, "r2", "m2", "u1", 1, "hello")
	must(t, s.SetThreadRead(ctx(t), "m1", "u1", at(1)))
	must(t, s.StarMessage(ctx(t), "m1", "u2"))

	must(t, s.DeleteRoom(ctx(t), "r1", at(100)))

	_, err := s.RoomByID(ctx(t), "r1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.RoomByName(ctx(t), "doomed")
	wantKind(t, err, chat.ENotFound)
	_, err = s.Subscription(ctx(t), "r1", "u1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.MessageByID(ctx(t), "m1")
	wantKind(t, err, chat.ENotFound)
	n, err := s.CountMessages(ctx(t), chat.MessageFilter{RoomID: "r1"})
	must(t, err)
	equal(t, "messages left in deleted room", n, 0)
	starred, _, err := s.ListMessages(ctx(t), chat.MessageFilter{StarredBy: "u2"})
	must(t, err)
	equal(t, "stars left", len(starred), 0)
	members, err := s.MemberIDs(ctx(t), "r1")
	must(t, err)
	equal(t, "members left", len(members), 0)

	// The other room is untouched.
	if _, err := s.MessageByID(ctx(t), "m2"); err != nil {
		t.Fatalf("message of another room: %v", err)
	}
	if _, err := s.Subscription(ctx(t), "r2", "u1"); err != nil {
		t.Fatalf("subscription to another room: %v", err)
	}

	// Each member gets a room removal and a subscription removal.
	for _, u := range []string{"u1", "u2"} {
		rr, err := s.RoomRemovalsForUser(ctx(t), u, time.Time{})
		must(t, err)
		equal(t, "room removals of "+u, rr, []chat.Removal{{ID: "r1", RoomID: "r1", UserID: u, DeletedAt: at(100)}})
		sr, err := s.SubscriptionRemovals(ctx(t), u, at(99))
		must(t, err)
		equal(t, "subscription removals of "+u, sr, []chat.Removal{{ID: "r1-" + u, RoomID: "r1", UserID: u, DeletedAt: at(100)}})
		// Removals at or before since are not reported.
		rr, err = s.RoomRemovalsForUser(ctx(t), u, at(100))
		must(t, err)
		equal(t, "room removals after deletion time", len(rr), 0)
		sr, err = s.SubscriptionRemovals(ctx(t), u, at(100))
		must(t, err)
		equal(t, "subscription removals after deletion time", len(sr), 0)
	}
	rr, err := s.RoomRemovalsForUser(ctx(t), "u3", time.Time{})
	must(t, err)
	equal(t, "room removals of a non-member", len(rr), 0)

	// The name is free again.
	addRoom(t, s, "r3", chat.RoomChannel, "doomed")
}

// testRoomRecreate: a room created again with the id of a deleted one (a
// direct-message room has a fixed id) is no longer reported as removed, so
// that syncing clients do not drop it.
func testRoomRecreate(t *testing.T, s chat.Store) {
	id := chat.DirectRoomID("u1", "u2")
	must(t, s.CreateRoom(ctx(t), &chat.Room{ID: id, Type: chat.RoomDirect}))
	subscribe(t, s, id, "u1")
	must(t, s.DeleteRoom(ctx(t), id, at(10)))
	rr, err := s.RoomRemovalsForUser(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "removed", removalIDs(rr), []string{id})

	must(t, s.CreateRoom(ctx(t), &chat.Room{ID: id, Type: chat.RoomDirect}))
	rr, err = s.RoomRemovalsForUser(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "removals after re-creation", len(rr), 0)
}

func testListRoomsFilters(t *testing.T, s chat.Store) {
	mk := func(r chat.Room) { must(t, s.CreateRoom(ctx(t), &r)) }
	mk(chat.Room{ID: "c1", Type: chat.RoomChannel, Name: "general", FName: "General", Default: true})
	mk(chat.Room{ID: "c2", Type: chat.RoomChannel, Name: "random", FName: "Ränd Öm"})
	mk(chat.Room{ID: "p1", Type: chat.RoomGroup, Name: "secret-plans", FName: "Secret Plans"})
	mk(chat.Room{ID: "d1", Type: chat.RoomDirect})
	mk(chat.Room{ID: "t1", Type: chat.RoomChannel, Name: "team-alpha", FName: "Team Alpha", TeamMain: true, TeamID: "T1"})
	mk(chat.Room{ID: "t2", Type: chat.RoomGroup, Name: "alpha-ops", FName: "Ops", TeamID: "T1", TeamDefault: true})
	mk(chat.Room{ID: "x1", Type: chat.RoomGroup, Name: "disc-1", FName: "A discussion", ParentID: "c1", ParentMessageID: "m1"})

	cases := []struct {
		name string
		f    chat.RoomFilter
		want []string
	}{
		{"all", chat.RoomFilter{}, []string{"c1", "c2", "p1", "d1", "t1", "t2", "x1"}},
		{"types", chat.RoomFilter{Types: []chat.RoomType{chat.RoomChannel}}, []string{"c1", "c2", "t1"}},
		{"types c+d", chat.RoomFilter{Types: []chat.RoomType{chat.RoomDirect, chat.RoomGroup}}, []string{"p1", "d1", "t2", "x1"}},
		{"text in name", chat.RoomFilter{Text: "ALPHA"}, []string{"t1", "t2"}},
		{"text in fname", chat.RoomFilter{Text: "plans"}, []string{"p1"}},
		{"text non-ascii", chat.RoomFilter{Text: "ÄND ö"}, []string{"c2"}},
		{"text literal %", chat.RoomFilter{Text: "%"}, nil},
		{"ids", chat.RoomFilter{IDs: []string{"c1", "d1", "nope"}}, []string{"c1", "d1"}},
		{"team", chat.RoomFilter{TeamID: "T1"}, []string{"t1", "t2"}},
		{"only teams", chat.RoomFilter{OnlyTeams: true}, []string{"t1"}},
		{"default", chat.RoomFilter{Default: ptr(true)}, []string{"c1"}},
		{"not default", chat.RoomFilter{Default: ptr(false), Types: []chat.RoomType{chat.RoomChannel}}, []string{"c2", "t1"}},
		{"discussions", chat.RoomFilter{Discussion: ptr(true)}, []string{"x1"}},
		{"no discussions", chat.RoomFilter{Discussion: ptr(false), Types: []chat.RoomType{chat.RoomGroup}}, []string{"p1", "t2"}},
	}
	for _, c := range cases {
		got, total, err := s.ListRooms(ctx(t), c.f)
		must(t, err)
		equal(t, c.name, sorted(roomIDs(got)), sorted(c.want))
		equal(t, c.name+" total", total, len(c.want))
	}
}

func testListRoomsPagingAndSort(t *testing.T, s chat.Store) {
	var all []*chat.Room
	for i := range 11 {
		r := &chat.Room{
			ID: fmt.Sprintf("r%02d", i), Type: chat.RoomChannel,
			Name: fmt.Sprintf("room-%02d", (i*3)%11), FName: fmt.Sprintf("Room %02d", (i*4)%11),
			CreatedAt: at((i * 5) % 11), UpdatedAt: at((i * 2) % 11),
		}
		must(t, s.CreateRoom(ctx(t), r))
		all = append(all, r)
	}
	// msgs, usersCount and lm come from their own operations.
	for i, r := range all {
		for j := range (i * 7) % 11 {
			post(t, s, r.ID, fmt.Sprintf("m-%s-%d", r.ID, j), "u1", (i*6)%11, "hi")
		}
		must(t, s.IncrementRoomUsers(ctx(t), r.ID, (i*9)%11))
	}
	fresh := func(id string) *chat.Room {
		r, err := s.RoomByID(ctx(t), id)
		must(t, err)
		return r
	}
	for i := range all {
		all[i] = fresh(all[i].ID)
	}
	keys := map[string]func(r *chat.Room) string{
		"name":       func(r *chat.Room) string { return r.Name },
		"fname":      func(r *chat.Room) string { return r.FName },
		"ts":         func(r *chat.Room) string { return r.CreatedAt.Format(time.RFC3339Nano) },
		"msgs":       func(r *chat.Room) string { return fmt.Sprintf("%04d", r.Msgs) },
		"usersCount": func(r *chat.Room) string { return fmt.Sprintf("%04d", r.UsersCount) },
	}
	for field, key := range keys {
		for _, desc := range []bool{false, true} {
			want := append([]*chat.Room{}, all...)
			sort.SliceStable(want, func(i, j int) bool {
				if desc {
					return key(want[i]) > key(want[j])
				}
				return key(want[i]) < key(want[j])
			})
			var got []string
			for off := 0; off < 11; off += 4 {
				page, total, err := s.ListRooms(ctx(t), chat.RoomFilter{Offset: off, Limit: 4, Sort: []chat.SortField{{Field: field, Desc: desc}}})
				must(t, err)
				equal(t, "total", total, 11)
				got = append(got, roomIDs(page)...)
			}
			equal(t, fmt.Sprintf("pages sorted by %s desc=%v", field, desc), got, ids(want, func(r *chat.Room) string { return r.ID }))
		}
	}
	// _updatedAt and lm have ties (rooms that got no message, several
	// posts at one time): check the order and that pages cover all.
	for _, field := range []string{"_updatedAt", "lm"} {
		var got []chat.Room
		for off := 0; off < 11; off += 4 {
			page, _, err := s.ListRooms(ctx(t), chat.RoomFilter{Offset: off, Limit: 4, Sort: []chat.SortField{{Field: field, Desc: true}}})
			must(t, err)
			got = append(got, page...)
		}
		equal(t, field+" pages cover all", sorted(roomIDs(got)), sorted(ids(all, func(r *chat.Room) string { return r.ID })))
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			ka, kb := a.UpdatedAt, b.UpdatedAt
			if field == "lm" {
				ka, kb = a.LastMsgAt, b.LastMsgAt
			}
			if ka.Before(kb) {
				t.Fatalf("%s desc order broken at %d: %s before %s", field, i, ka, kb)
			}
		}
	}
	_, _, err := s.ListRooms(ctx(t), chat.RoomFilter{Sort: []chat.SortField{{Field: "joinCode"}}})
	wantKind(t, err, chat.EInvalid)
}

func testRoomsOfUser(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "one")
	addRoom(t, s, "r2", chat.RoomChannel, "two")
	addRoom(t, s, "r3", chat.RoomChannel, "three")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r2", "u1")
	subscribe(t, s, "r3", "u2")

	got, err := s.RoomsOfUser(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "all rooms of u1", sorted(roomIDs(got)), []string{"r1", "r2"})

	r2, err := s.RoomByID(ctx(t), "r2")
	must(t, err)
	r2.Topic, r2.UpdatedAt = "changed", at(50)
	must(t, s.UpdateRoom(ctx(t), r2))
	got, err = s.RoomsOfUser(ctx(t), "u1", at(10))
	must(t, err)
	equal(t, "rooms of u1 changed after since", roomIDs(got), []string{"r2"})
	equal(t, "room document", got[0].Topic, "changed")

	got, err = s.RoomsOfUser(ctx(t), "nobody", time.Time{})
	must(t, err)
	equal(t, "rooms of nobody", len(got), 0)
}

func testIncrementRoomUsers(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "counted")
	must(t, s.IncrementRoomUsers(ctx(t), "r1", 3))
	must(t, s.IncrementRoomUsers(ctx(t), "r1", -1))
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "usersCount", r.UsersCount, 2)
}
