package storetest

import (
	"fmt"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var unreadTests = []test{
	{"Counts", testUnreadCounts},
	{"ReadSeqMoves", testUnreadAfterRead},
	{"ForceAlert", testUnreadForceAlert},
	{"MentionsFollowEdits", testUnreadMentionsFollowEdits},
	{"DeletedMessagesDoNotCount", testUnreadDeleted},
	{"PerUserAndRoom", testUnreadPerUserAndRoom},
	{"MembershipSkipsCounts", testMembershipSkipsCounts},
}

type counts struct {
	Unread, UserMentions, GroupMentions int
	Alert                               bool
}

func countsOf(sub *chat.Subscription) counts {
	return counts{sub.Unread, sub.UserMentions, sub.GroupMentions, sub.Alert}
}

func wantCounts(t *testing.T, s chat.Store, roomID, userID string, want counts) {
	t.Helper()
	sub, err := s.Subscription(ctx(t), roomID, userID)
	must(t, err)
	equal(t, "counts of "+userID+" in "+roomID, countsOf(sub), want)
	// Every read path computes the same counts.
	subs, err := s.SubscriptionsOfUser(ctx(t), userID, chat.SubscriptionFilter{})
	must(t, err)
	for _, s := range subs {
		if s.RoomID == roomID {
			equal(t, "SubscriptionsOfUser counts of "+userID, countsOf(&s), want)
		}
	}
}

var (
	mentionA = []chat.Mention{{ID: "a", Username: "a", Type: "user"}}
	mentionB = []chat.Mention{{ID: "b", Username: "b", Type: "user"}}
)

// seedUnread fills room r1, where a reads and b talks. It returns the seq
// of each message by id.
func seedUnread(t *testing.T, s chat.Store) map[string]int64 {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "a")
	subscribe(t, s, "r1", "b")
	msgs := []*chat.Message{
		{ID: "m1", Text: "hi", User: chat.UserRef{ID: "b"}},                                                                                // counts
		{ID: "m2", Text: "@a look", User: chat.UserRef{ID: "b"}, Mentions: mentionA},                                                       // counts, mentions a
		{ID: "m3", Text: "@all hey", User: chat.UserRef{ID: "b"}, GroupMention: true},                                                      // counts, group
		{ID: "m4", Text: "mine", User: chat.UserRef{ID: "a"}},                                                                              // a's own
		{ID: "m5", Text: "@a me", User: chat.UserRef{ID: "a"}, Mentions: mentionA, GroupMention: true},                                     // a's own
		{ID: "m6", Type: chat.MsgUserJoined, Text: "c", User: chat.UserRef{ID: "c"}},                                                       // system
		{ID: "m7", Type: chat.MsgRoleAdded, User: chat.UserRef{ID: "b"}, Mentions: mentionA},                                               // system
		{ID: "m8", Text: "in thread", User: chat.UserRef{ID: "b"}, TMID: "m1", Mentions: mentionA},                                         // hidden reply
		{ID: "m9", Text: "@here thread", User: chat.UserRef{ID: "b"}, TMID: "m1", GroupMention: true},                                      // hidden reply
		{ID: "m10", Text: "shown", User: chat.UserRef{ID: "b"}, TMID: "m1", TShow: true, Mentions: mentionA},                               // counts, mentions a
		{ID: "m11", Text: "@b", User: chat.UserRef{ID: "b"}, Mentions: mentionB},                                                           // counts for a, not a mention
		{ID: "m12", Text: "@all", User: chat.UserRef{ID: "c"}, Mentions: []chat.Mention{{ID: "all", Username: "all"}}, GroupMention: true}, // counts, group
	}
	seqs := map[string]int64{}
	for i, m := range msgs {
		m.RoomID, m.TS = "r1", at(i+1)
		insert(t, s, m)
		seqs[m.ID] = m.Seq
	}
	return seqs
}

func testUnreadCounts(t *testing.T, s chat.Store) {
	seedUnread(t, s)
	// a: m1 m2 m3 m10 m11 m12 count; mentions m2 m10; group m3 m12.
	wantCounts(t, s, "r1", "a", counts{Unread: 6, UserMentions: 2, GroupMentions: 2, Alert: true})
	// b sent most: m4, m5 (a's), m12 (c's) count; m5 is a group mention.
	wantCounts(t, s, "r1", "b", counts{Unread: 3, UserMentions: 0, GroupMentions: 2, Alert: true})
}

func testUnreadAfterRead(t *testing.T, s chat.Store) {
	seqs := seedUnread(t, s)
	read := func(user string, seq int64) {
		t.Helper()
		sub, err := s.Subscription(ctx(t), "r1", user)
		must(t, err)
		sub.ReadSeq, sub.LastSeen = seq, at(100)
		must(t, s.UpdateSubscription(ctx(t), sub))
	}
	read("a", seqs["m3"])
	// After m3: m10 m11 m12 count; mention m10; group m12.
	wantCounts(t, s, "r1", "a", counts{Unread: 3, UserMentions: 1, GroupMentions: 1, Alert: true})
	read("a", seqs["m10"])
	wantCounts(t, s, "r1", "a", counts{Unread: 2, UserMentions: 0, GroupMentions: 1, Alert: true})

	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	read("a", r.Seq)
	wantCounts(t, s, "r1", "a", counts{})

	// New messages count again; reading backwards counts more.
	post(t, s, "r1", "m13", "b", 50, "more")
	wantCounts(t, s, "r1", "a", counts{Unread: 1, Alert: true})
	read("a", 0)
	wantCounts(t, s, "r1", "a", counts{Unread: 7, UserMentions: 2, GroupMentions: 2, Alert: true})
}

func testUnreadForceAlert(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	sub := subscribe(t, s, "r1", "a")
	wantCounts(t, s, "r1", "a", counts{})
	sub.ForceAlert = true
	must(t, s.UpdateSubscription(ctx(t), sub))
	wantCounts(t, s, "r1", "a", counts{Alert: true})
	// System messages alone raise no alert.
	insert(t, s, &chat.Message{ID: "sys", RoomID: "r1", Type: chat.MsgUserJoined, User: chat.UserRef{ID: "b"}, TS: at(1)})
	sub.ForceAlert = false
	must(t, s.UpdateSubscription(ctx(t), sub))
	wantCounts(t, s, "r1", "a", counts{})
}

func testUnreadMentionsFollowEdits(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "a")
	subscribe(t, s, "r1", "b")
	m := post(t, s, "r1", "m1", "b", 1, "hello")
	wantCounts(t, s, "r1", "a", counts{Unread: 1, Alert: true})

	m.Text, m.Mentions = "hello @a", mentionA
	must(t, s.UpdateMessage(ctx(t), m))
	wantCounts(t, s, "r1", "a", counts{Unread: 1, UserMentions: 1, Alert: true})

	m.Text, m.Mentions, m.GroupMention = "hello @b and @all", mentionB, true
	must(t, s.UpdateMessage(ctx(t), m))
	wantCounts(t, s, "r1", "a", counts{Unread: 1, GroupMentions: 1, Alert: true})

	// Duplicate mentions count once.
	m.Mentions, m.GroupMention = append(append([]chat.Mention{}, mentionA...), mentionA...), false
	must(t, s.UpdateMessage(ctx(t), m))
	wantCounts(t, s, "r1", "a", counts{Unread: 1, UserMentions: 1, Alert: true})
}

func testUnreadDeleted(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "a")
	post(t, s, "r1", "m1", "b", 1, "one")
	insert(t, s, &chat.Message{ID: "m2", RoomID: "r1", Text: "@a", User: chat.UserRef{ID: "b"}, Mentions: mentionA, TS: at(2)})
	wantCounts(t, s, "r1", "a", counts{Unread: 2, UserMentions: 1, Alert: true})
	must(t, s.DeleteMessage(ctx(t), "m2", at(3)))
	wantCounts(t, s, "r1", "a", counts{Unread: 1, Alert: true})
}

func testUnreadPerUserAndRoom(t *testing.T, s chat.Store) {
	for r := range 3 {
		room := fmt.Sprint("r", r)
		addRoom(t, s, room, chat.RoomChannel, room)
		subscribe(t, s, room, "a")
		subscribe(t, s, room, "b")
		for i := range r + 1 {
			insert(t, s, &chat.Message{ID: fmt.Sprintf("%s-m%d", room, i), RoomID: room, Text: "@a",
				User: chat.UserRef{ID: "b"}, Mentions: mentionA, TS: at(i)})
		}
	}
	subs, err := s.SubscriptionsOfUser(ctx(t), "a", chat.SubscriptionFilter{})
	must(t, err)
	got := map[string]counts{}
	for _, sub := range subs {
		got[sub.RoomID] = countsOf(&sub)
	}
	equal(t, "counts per room", got, map[string]counts{
		"r0": {Unread: 1, UserMentions: 1, Alert: true},
		"r1": {Unread: 2, UserMentions: 2, Alert: true},
		"r2": {Unread: 3, UserMentions: 3, Alert: true},
	})
	wantCounts(t, s, "r2", "b", counts{})
}

// testMembershipSkipsCounts checks the cheap membership read: the same
// document as Subscription, with the counts left at zero.
func testMembershipSkipsCounts(t *testing.T, s chat.Store) {
	seedUnread(t, s)
	full, err := s.Subscription(ctx(t), "r1", "a")
	must(t, err)
	m, err := s.Membership(ctx(t), "r1", "a")
	must(t, err)
	if countsOf(m) != (counts{}) {
		t.Errorf("Membership counts = %+v, want none computed", countsOf(m))
	}
	full.Unread, full.UserMentions, full.GroupMentions, full.Alert = 0, 0, 0, false
	if fmt.Sprintf("%+v", *m) != fmt.Sprintf("%+v", *full) {
		t.Errorf("Membership differs from Subscription beyond the counts:\n got %+v\nwant %+v", *m, *full)
	}
	if _, err := s.Membership(ctx(t), "r1", "nobody"); !chat.IsKind(err, chat.ENotFound) {
		t.Errorf("Membership of a non-member: err = %v, want not found", err)
	}
}
