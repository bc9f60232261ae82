package storetest

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var threadTests = []test{
	{"UnreadThreads", testUnreadThreads},
	{"ReadMarkErrors", testThreadReadErrors},
}

// testUnreadThreads pins the agreed reading of "unread": a thread root the
// user follows (is among its Replies, Rocket.Chat's followers) whose last
// reply (TLM) is newer than the user's read mark on it; no mark counts as
// never read. ListMessages with UnreadBy selects the same roots.
func testUnreadThreads(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "other")
	root := insert(t, s, &chat.Message{ID: "t1", RoomID: "r1", Text: "root", User: chat.UserRef{ID: "u1"}, TS: at(1),
		TCount: 1, TLM: at(10), Replies: []string{"u1", "u2"}})
	insert(t, s, &chat.Message{ID: "t1r1", RoomID: "r1", TMID: "t1", Text: "reply", User: chat.UserRef{ID: "u1"}, TS: at(10)})
	insert(t, s, &chat.Message{ID: "plain", RoomID: "r1", Text: "no thread", User: chat.UserRef{ID: "u1"}, TS: at(11)})
	insert(t, s, &chat.Message{ID: "x1", RoomID: "r2", Text: "elsewhere", User: chat.UserRef{ID: "u1"}, TS: at(1),
		TCount: 1, TLM: at(50), Replies: []string{"u2"}})

	unread := func(user string, want ...string) {
		t.Helper()
		got, err := s.UnreadThreads(ctx(t), "r1", user)
		must(t, err)
		equal(t, "unread threads of "+user, got, append([]string(nil), want...))
		listed, _, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", UnreadBy: user, SortByTLM: true})
		must(t, err)
		equal(t, "ListMessages UnreadBy "+user, msgIDs(listed), append([]string(nil), want...))
	}
	unread("u2", "t1")
	unread("u3") // not a follower

	must(t, s.SetThreadRead(ctx(t), "t1", "u2", at(10)))
	unread("u2")

	// A new reply makes it unread again.
	root.TCount, root.TLM = 2, at(20)
	must(t, s.UpdateMessage(ctx(t), root))
	unread("u2", "t1")
	must(t, s.SetThreadRead(ctx(t), "t1", "u2", at(25)))
	unread("u2")

	// Several unread threads come most recent reply first.
	insert(t, s, &chat.Message{ID: "t2", RoomID: "r1", Text: "second root", User: chat.UserRef{ID: "u3"}, TS: at(12),
		TCount: 1, TLM: at(30), Replies: []string{"u3", "u2"}})
	root.TCount, root.TLM = 3, at(40)
	must(t, s.UpdateMessage(ctx(t), root))
	unread("u2", "t1", "t2")
	unread("u3", "t2")
}

func testThreadReadErrors(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	wantKind(t, s.SetThreadRead(ctx(t), "nope", "u1", t0), chat.ENotFound)
	got, err := s.UnreadThreads(ctx(t), "nope", "u1")
	must(t, err)
	equal(t, "unread threads of an unknown room", len(got), 0)
}
