package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var messageTests = []test{
	{"RoundTrip", testMessageRoundTrip},
	{"Minimal", testMessageMinimal},
	{"SeqAndRoomCounters", testMessageSeq},
	{"LastMessage", testMessageLastMessage},
	{"InsertErrors", testMessageInsertErrors},
	{"Update", testMessageUpdate},
	{"UpdateRefreshesRoomLastMessage", testMessageUpdateLast},
	{"Delete", testMessageDelete},
	{"DeletedMessages", testDeletedMessages},
	{"Stars", testMessageStars},
}

// fullMessage sets every field of chat.Message but Seq.
func fullMessage(id, roomID string) *chat.Message {
	return &chat.Message{
		ID: id, RoomID: roomID, Type: "", Text: "Hello **world** @bob #general",
		User: chat.UserRef{ID: "u1", Username: "alice", Name: "Alice"},
		TS:   at(10), UpdatedAt: at(11), EditedAt: at(12), EditedBy: &chat.UserRef{ID: "u1", Username: "alice"},
		Mentions:     []chat.Mention{{ID: "u2", Username: "bob", Name: "Bob", Type: "user"}, {ID: "all", Username: "all"}},
		Channels:     []chat.ChannelRef{{ID: "GENERAL", Name: "general"}},
		GroupMention: true,
		MD:           json.RawMessage(`[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"Hello"}]}]`),
		Alias:        "alias", Emoji: ":smile:", Avatar: "https://example.com/a.png", Groupable: ptr(false),
		Bot: map[string]any{"i": "bot-1"},
		Reactions: map[string]*chat.Reaction{
			":+1:":   {Usernames: []string{"bob", "carol"}, Names: []string{"Bob", "Carol"}},
			":tada:": {Usernames: []string{"alice"}},
		},
		Pinned: true, PinnedAt: at(13), PinnedBy: &chat.UserRef{ID: "u2", Username: "bob", Name: "Bob"},
		Starred: []string{"u2", "u3"},
		TMID:    "root", TShow: true, TCount: 4, TLM: at(14), Replies: []string{"u1", "u2"},
		DRID: "disc", DCount: 2, DLM: at(15),
		Attachments: []map[string]any{{"title": "file", "fields": []any{map[string]any{"short": true, "value": "v"}}}},
		File:        &chat.FileRef{ID: "f1", Name: "a.png", Type: "image/png", Size: 1234, Format: "png"},
		Files:       []chat.FileRef{{ID: "f1", Name: "a.png", Type: "image/png", Size: 1234, Format: "png"}, {ID: "f2", Name: "thumb.png"}},
		URLs:        []map[string]any{{"url": "https://example.com", "meta": map[string]any{"title": "Example"}}},
		Role:        "moderator", Hidden: true,
		CustomFields: map[string]any{"priority": 2.0},
	}
}

func testMessageRoundTrip(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	want := fullMessage("m1", "r1")
	must(t, s.InsertMessage(ctx(t), want, true))
	equal(t, "assigned seq", want.Seq, int64(1))
	got, err := s.MessageByID(ctx(t), "m1")
	must(t, err)
	equal(t, "message", got, want)

	listed, _, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1"})
	must(t, err)
	equal(t, "listed message", listed, []chat.Message{*want})

	// Times are truncated to milliseconds and returned in UTC.
	m := &chat.Message{ID: "m2", RoomID: "r1", Text: "t", User: chat.UserRef{ID: "u1"},
		TS: time.Date(2025, 1, 2, 3, 4, 5, 678_901_234, time.FixedZone("X", -7*3600))}
	must(t, s.InsertMessage(ctx(t), m, false))
	got, err = s.MessageByID(ctx(t), "m2")
	must(t, err)
	equal(t, "ts", got.TS, time.Date(2025, 1, 2, 10, 4, 5, 678_000_000, time.UTC))
}

func testMessageMinimal(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	want := &chat.Message{ID: "m1", RoomID: "r1", User: chat.UserRef{ID: "u1"}, TS: at(1)}
	must(t, s.InsertMessage(ctx(t), want, false))
	got, err := s.MessageByID(ctx(t), "m1")
	must(t, err)
	equal(t, "minimal message", got, want)
}

func testMessageSeq(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "one")
	addRoom(t, s, "r2", chat.RoomChannel, "two")
	for i := 1; i <= 5; i++ {
		m := post(t, s, "r1", fmt.Sprint("a", i), "u1", i, "x")
		equal(t, "seq in r1", m.Seq, int64(i))
	}
	// Sequences are per room; system messages and hidden replies advance
	// them too.
	m := insert(t, s, &chat.Message{ID: "b1", RoomID: "r2", Type: chat.MsgUserJoined, User: chat.UserRef{ID: "u1"}, TS: at(1)})
	equal(t, "first seq in r2", m.Seq, int64(1))
	m = insert(t, s, &chat.Message{ID: "b2", RoomID: "r2", TMID: "b1", User: chat.UserRef{ID: "u1"}, TS: at(2)})
	equal(t, "second seq in r2", m.Seq, int64(2))

	r1, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "r1 counters", []any{r1.Seq, r1.Msgs}, []any{int64(5), 5})
	r2, err := s.RoomByID(ctx(t), "r2")
	must(t, err)
	equal(t, "r2 counters", []any{r2.Seq, r2.Msgs}, []any{int64(2), 2})

	// A deleted message's seq is never reused.
	must(t, s.DeleteMessage(ctx(t), "a5", at(9)))
	m = post(t, s, "r1", "a6", "u1", 6, "x")
	equal(t, "seq after delete", m.Seq, int64(6))
}

func testMessageLastMessage(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	m1 := fullMessage("m1", "r1")
	m1.TMID, m1.TShow = "", false
	m1.TS = at(20)
	must(t, s.InsertMessage(ctx(t), m1, true))
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "last message", r.LastMessage, m1)
	equal(t, "lm", r.LastMsgAt, at(20))
	equal(t, "room updated with the message", r.UpdatedAt, at(20))

	// Without updateLast the last message stays, the counters move.
	reply := &chat.Message{ID: "m2", RoomID: "r1", TMID: "m1", Text: "reply", User: chat.UserRef{ID: "u2"}, TS: at(30)}
	must(t, s.InsertMessage(ctx(t), reply, false))
	r, err = s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "last message kept", r.LastMessage.ID, "m1")
	equal(t, "lm kept", r.LastMsgAt, at(20))
	equal(t, "counters", []any{r.Seq, r.Msgs}, []any{int64(2), 2})

	m3 := post(t, s, "r1", "m3", "u2", 40, "latest")
	r, err = s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "new last message", r.LastMessage, m3)
	equal(t, "new lm", r.LastMsgAt, at(40))
}

func testMessageInsertErrors(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	wantKind(t, s.InsertMessage(ctx(t), &chat.Message{ID: "m0", RoomID: "nope", TS: t0}, true), chat.ENotFound)
	post(t, s, "r1", "m1", "u1", 1, "x")
	wantKind(t, s.InsertMessage(ctx(t), &chat.Message{ID: "m1", RoomID: "r1", TS: at(2)}, true), chat.EConflict)
	// The failed insert left the room as it was.
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "room after failed insert", []any{r.Seq, r.Msgs, r.LastMessage.ID}, []any{int64(1), 1, "m1"})
	_, err = s.MessageByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
}

func testMessageUpdate(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m0", "u1", 1, "before")
	orig := post(t, s, "r1", "m1", "u1", 2, "original")
	must(t, s.StarMessage(ctx(t), "m1", "u9"))

	upd := fullMessage("m1", "r1")
	upd.Seq = 99                // ignored: the seq never changes
	upd.RoomID = "elsewhere"    // ignored: nor does the room
	upd.Starred = []string{"x"} // ignored: stars belong to StarMessage
	must(t, s.UpdateMessage(ctx(t), upd))
	got, err := s.MessageByID(ctx(t), "m1")
	must(t, err)
	want := *upd
	want.Seq, want.RoomID, want.Starred = orig.Seq, "r1", []string{"u9"}
	equal(t, "updated message", got, &want)

	wantKind(t, s.UpdateMessage(ctx(t), &chat.Message{ID: "nope", RoomID: "r1"}), chat.ENotFound)
}

// testMessageUpdateLast: the room keeps a copy of its last message; editing
// that message edits the copy.
func testMessageUpdateLast(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	m1 := post(t, s, "r1", "m1", "u1", 1, "first")
	m2 := post(t, s, "r1", "m2", "u1", 2, "second")

	m2.Text, m2.EditedAt = "second, edited", at(5)
	must(t, s.UpdateMessage(ctx(t), m2))
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "room's last message after edit", r.LastMessage, m2)
	equal(t, "lm unchanged", r.LastMsgAt, at(2))

	m1.Text = "first, edited"
	must(t, s.UpdateMessage(ctx(t), m1))
	r, err = s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "last message untouched by editing another", r.LastMessage, m2)
}

func testMessageDelete(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "u2")
	insert(t, s, &chat.Message{ID: "m1", RoomID: "r1", Text: "bye", User: chat.UserRef{ID: "u1"}, TS: at(1), Mentions: mentionB})
	must(t, s.StarMessage(ctx(t), "m1", "u2"))
	must(t, s.SetThreadRead(ctx(t), "m1", "u2", at(1)))
	must(t, s.DeleteMessage(ctx(t), "m1", at(10)))

	_, err := s.MessageByID(ctx(t), "m1")
	wantKind(t, err, chat.ENotFound)
	for name, f := range map[string]chat.MessageFilter{
		"starred":   {StarredBy: "u2"},
		"mentioned": {MentionedUser: "b"},
		"room":      {RoomID: "r1"},
	} {
		n, err := s.CountMessages(ctx(t), f)
		must(t, err)
		equal(t, name+" after delete", n, 0)
	}
	wantKind(t, s.DeleteMessage(ctx(t), "m1", at(11)), chat.ENotFound)
	// The id is free again.
	post(t, s, "r1", "m1", "u1", 12, "again")
}

func testDeletedMessages(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	for i := 1; i <= 5; i++ {
		post(t, s, "r1", fmt.Sprint("m", i), "u1", i, "x")
		must(t, s.DeleteMessage(ctx(t), fmt.Sprint("m", i), at(100+i)))
	}
	post(t, s, "r2", "o1", "u1", 1, "x")
	must(t, s.DeleteMessage(ctx(t), "o1", at(100)))

	got, total, err := s.DeletedMessages(ctx(t), "r1", time.Time{}, 0, 0)
	must(t, err)
	equal(t, "all removals, oldest first", removalIDs(got), []string{"m1", "m2", "m3", "m4", "m5"})
	equal(t, "total", total, 5)
	equal(t, "removal", got[0], chat.Removal{ID: "m1", RoomID: "r1", DeletedAt: at(101)})

	got, total, err = s.DeletedMessages(ctx(t), "r1", at(102), 1, 2)
	must(t, err)
	equal(t, "page after since", removalIDs(got), []string{"m4", "m5"})
	equal(t, "total after since", total, 3)

	got, total, err = s.DeletedMessages(ctx(t), "nope", time.Time{}, 0, 10)
	must(t, err)
	equal(t, "unknown room", []any{len(got), total}, []any{0, 0})
}

func testMessageStars(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m1", "u1", 1, "star me")
	post(t, s, "r1", "m2", "u1", 2, "me too")
	must(t, s.StarMessage(ctx(t), "m1", "u3"))
	must(t, s.StarMessage(ctx(t), "m1", "u2"))
	must(t, s.StarMessage(ctx(t), "m1", "u2")) // twice is fine
	must(t, s.StarMessage(ctx(t), "m2", "u2"))

	got, err := s.MessageByID(ctx(t), "m1")
	must(t, err)
	equal(t, "starred by", sorted(got.Starred), []string{"u2", "u3"})

	starred, _, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", StarredBy: "u2"})
	must(t, err)
	equal(t, "starred by u2", msgIDs(starred), []string{"m2", "m1"})

	must(t, s.UnstarMessage(ctx(t), "m1", "u2"))
	must(t, s.UnstarMessage(ctx(t), "m1", "u2")) // twice is fine
	got, err = s.MessageByID(ctx(t), "m1")
	must(t, err)
	equal(t, "after unstar", got.Starred, []string{"u3"})
	must(t, s.UnstarMessage(ctx(t), "m1", "u3"))
	got, err = s.MessageByID(ctx(t), "m1")
	must(t, err)
	equal(t, "no stars left", got.Starred, []string(nil))

	wantKind(t, s.StarMessage(ctx(t), "nope", "u2"), chat.ENotFound)
	wantKind(t, s.UnstarMessage(ctx(t), "nope", "u2"), chat.ENotFound)
}
