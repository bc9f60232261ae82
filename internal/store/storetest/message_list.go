package storetest

import (
	"fmt"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var messageListTests = []test{
	{"Filters", testListMessagesFilters},
	{"PagingAndTotal", testListMessagesPaging},
	{"SameTimestamp", testListMessagesSameTS},
}

// seedList fills room r1 with one message of each kind (ts = t0 + n s for
// message mNN) and room r2 with one message.
func seedList(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "other")
	u := func(id string) chat.UserRef { return chat.UserRef{ID: id, Username: "user-" + id} }
	msgs := []*chat.Message{
		{ID: "m01", Text: "plain", User: u("u1")},
		{ID: "m02", Type: chat.MsgUserJoined, User: u("u2")},
		{ID: "m03", Text: "root", User: u("u1"), TCount: 2, TLM: at(9), Replies: []string{"u1", "u2"}},
		{ID: "m04", Text: "hidden reply", User: u("u2"), TMID: "m03"},
		{ID: "m05", Text: "shown reply", User: u("u2"), TMID: "m03", TShow: true},
		{ID: "m06", Text: "pinned", User: u("u2"), Pinned: true, PinnedAt: at(6), PinnedBy: ptr(u("u1"))},
		{ID: "m07", Text: "hi @u3", User: u("u1"), Mentions: []chat.Mention{{ID: "u3", Username: "user-u3", Type: "user"}}},
		{ID: "m08", Type: chat.MsgDiscussionCreated, Text: "a discussion", User: u("u1"), DRID: "d1", DCount: 1, DLM: at(8)},
		{ID: "m09", Text: "other root", User: u("u2"), TCount: 1, TLM: at(20), Replies: []string{"u3"}},
		{ID: "m10", Type: chat.MsgUserRemoved, User: u("u1"), UpdatedAt: at(50)},
	}
	for i, m := range msgs {
		m.RoomID, m.TS = "r1", at(i+1)
		insert(t, s, m)
	}
	insert(t, s, &chat.Message{ID: "n01", RoomID: "r2", Text: "elsewhere", User: u("u1"), TS: at(100)})
	must(t, s.StarMessage(ctx(t), "m06", "u4"))
	must(t, s.StarMessage(ctx(t), "m01", "u4"))
	must(t, s.StarMessage(ctx(t), "n01", "u5"))
}

func testListMessagesFilters(t *testing.T, s chat.Store) {
	seedList(t, s)
	r1 := func(f chat.MessageFilter) chat.MessageFilter { f.RoomID = "r1"; return f }
	cases := []struct {
		name string
		f    chat.MessageFilter
		want []string
	}{
		{"room, newest first", r1(chat.MessageFilter{}), []string{"m10", "m09", "m08", "m07", "m06", "m05", "m04", "m03", "m02", "m01"}},
		{"ascending", r1(chat.MessageFilter{Ascending: true}), []string{"m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10"}},
		{"before, exclusive", r1(chat.MessageFilter{Before: at(5)}), []string{"m04", "m03", "m02", "m01"}},
		{"before, inclusive", r1(chat.MessageFilter{Before: at(5), Inclusive: true}), []string{"m05", "m04", "m03", "m02", "m01"}},
		{"after, exclusive", r1(chat.MessageFilter{After: at(7)}), []string{"m10", "m09", "m08"}},
		{"after, inclusive", r1(chat.MessageFilter{After: at(7), Inclusive: true}), []string{"m10", "m09", "m08", "m07"}},
		{"between", r1(chat.MessageFilter{After: at(3), Before: at(6), Ascending: true}), []string{"m04", "m05"}},
		{"between, inclusive", r1(chat.MessageFilter{After: at(3), Before: at(6), Inclusive: true, Ascending: true}), []string{"m03", "m04", "m05", "m06"}},
		{"updated since", r1(chat.MessageFilter{UpdatedSince: at(30)}), []string{"m10"}},
		{"thread replies", chat.MessageFilter{TMID: "m03"}, []string{"m05", "m04"}},
		{"thread replies, ascending", chat.MessageFilter{TMID: "m03", Ascending: true}, []string{"m04", "m05"}},
		{"thread roots", r1(chat.MessageFilter{ThreadRoots: true}), []string{"m09", "m03"}},
		{"thread roots by last reply", r1(chat.MessageFilter{ThreadRoots: true, SortByTLM: true}), []string{"m09", "m03"}},
		{"thread roots by last reply, ascending", r1(chat.MessageFilter{ThreadRoots: true, SortByTLM: true, Ascending: true}), []string{"m03", "m09"}},
		{"hide threads", r1(chat.MessageFilter{HideThreads: true}), []string{"m10", "m09", "m08", "m07", "m06", "m05", "m03", "m02", "m01"}},
		{"hide system", r1(chat.MessageFilter{HideSystem: true}), []string{"m09", "m07", "m06", "m05", "m04", "m03", "m01"}},
		{"types", r1(chat.MessageFilter{Types: []string{chat.MsgUserJoined, chat.MsgUserRemoved}}), []string{"m10", "m02"}},
		{"pinned", r1(chat.MessageFilter{Pinned: true}), []string{"m06"}},
		{"starred by", r1(chat.MessageFilter{StarredBy: "u4"}), []string{"m06", "m01"}},
		{"starred by, any room", chat.MessageFilter{StarredBy: "u5"}, []string{"n01"}},
		{"mentioned user", r1(chat.MessageFilter{MentionedUser: "u3"}), []string{"m07"}},
		{"followed by u2", r1(chat.MessageFilter{FollowedBy: "u2"}), []string{"m03"}},
		{"followed by u3", r1(chat.MessageFilter{FollowedBy: "u3"}), []string{"m09"}},
		{"followed by nobody", r1(chat.MessageFilter{FollowedBy: "u9"}), nil},
		{"discussions", r1(chat.MessageFilter{Discussions: true}), []string{"m08"}},
		{"ids", r1(chat.MessageFilter{IDs: []string{"m01", "m05", "n01", "nope"}}), []string{"m05", "m01"}},
		{"ids, any room", chat.MessageFilter{IDs: []string{"m01", "n01"}}, []string{"n01", "m01"}},
		{"from user", r1(chat.MessageFilter{FromUserID: "u2"}), []string{"m09", "m06", "m05", "m04", "m02"}},
		{"combined", r1(chat.MessageFilter{HideThreads: true, HideSystem: true, Before: at(9), FromUserID: "u2"}), []string{"m06", "m05"}},
		{"no match", r1(chat.MessageFilter{Pinned: true, HideSystem: true, FromUserID: "u1"}), nil},
		{"unknown room", chat.MessageFilter{RoomID: "nope"}, nil},
	}
	for _, c := range cases {
		got, total, err := s.ListMessages(ctx(t), withTotal(c.f))
		must(t, err)
		equal(t, c.name, msgIDs(got), c.want)
		equal(t, c.name+" total", total, len(c.want))
		n, err := s.CountMessages(ctx(t), c.f)
		must(t, err)
		equal(t, c.name+" count", n, len(c.want))
	}
}

func withTotal(f chat.MessageFilter) chat.MessageFilter { f.WithTotal = true; return f }

func testListMessagesPaging(t *testing.T, s chat.Store) {
	seedList(t, s)
	got, total, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Offset: 2, Limit: 3, WithTotal: true})
	must(t, err)
	equal(t, "page", msgIDs(got), []string{"m08", "m07", "m06"})
	equal(t, "total ignores paging", total, 10)

	got, total, err = s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", HideSystem: true, Limit: 2, Ascending: true, WithTotal: true})
	must(t, err)
	equal(t, "filtered page", msgIDs(got), []string{"m01", "m03"})
	equal(t, "filtered total", total, 7)

	got, _, err = s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Offset: 9, Limit: 5})
	must(t, err)
	equal(t, "last page", msgIDs(got), []string{"m01"})
	got, _, err = s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Offset: 20, Limit: 5})
	must(t, err)
	equal(t, "past the end", len(got), 0)

	// Walking history with Before, as loadHistory does, visits every
	// message once.
	var walked []string
	f := chat.MessageFilter{RoomID: "r1", Limit: 3}
	for {
		page, _, err := s.ListMessages(ctx(t), f)
		must(t, err)
		if len(page) == 0 {
			break
		}
		walked = append(walked, msgIDs(page)...)
		f.Before = page[len(page)-1].TS
	}
	equal(t, "history walk", walked, []string{"m10", "m09", "m08", "m07", "m06", "m05", "m04", "m03", "m02", "m01"})
}

// testListMessagesSameTS: messages sent in the same millisecond keep their
// posting order (by seq).
func testListMessagesSameTS(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	var want []string
	for i := range 5 {
		id := fmt.Sprintf("z%d", 4-i) // ids against the posting order
		post(t, s, "r1", id, "u1", 1, "same time")
		want = append([]string{id}, want...)
	}
	got, _, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1"})
	must(t, err)
	equal(t, "newest first by seq", msgIDs(got), want)
	got, _, err = s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Ascending: true, Limit: 2, Offset: 1})
	must(t, err)
	equal(t, "ascending page by seq", msgIDs(got), []string{"z3", "z2"})
}
