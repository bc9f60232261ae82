package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var subscriptionTests = []test{
	{"RoundTrip", testSubscriptionRoundTrip},
	{"CopiesFromRoom", testSubscriptionCopiesFromRoom},
	{"ConflictsAndNotFound", testSubscriptionErrors},
	{"Update", testSubscriptionUpdate},
	{"Delete", testSubscriptionDelete},
	{"OfUser", testSubscriptionsOfUser},
	{"WithRoles", testSubscriptionsWithRoles},
	{"RoomMembers", testRoomMembers},
	{"MemberIDs", testMemberIDs},
	{"Rename", testRenameSubscriptions},
	{"Touch", testTouchSubscriptions},
	{"RenameUser", testRenameUserInSubscriptions},
}

// fullSubscription sets every stored field; the computed and copied ones
// are left for the test to fill in.
func fullSubscription(roomID, userID string) *chat.Subscription {
	return &chat.Subscription{
		ID: "sub-" + roomID + "-" + userID, RoomID: roomID,
		User: chat.UserRef{ID: userID, Username: "user-" + userID, Name: "User " + userID},
		Name: "name", FName: "Full Name", Open: true, Favorite: true, Roles: []string{"owner", "moderator"},
		ReadSeq: 0, LastSeen: at(5), ForceAlert: false,
		Notifications: map[string]any{"desktopNotifications": "mentions", "disableNotifications": true,
			"muteGroupMentions": false, "audioNotificationValue": map[string]any{"sound": "chime", "volume": 0.5}},
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func testSubscriptionRoundTrip(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomGroup, "room")
	want := fullSubscription("r1", "u1")
	must(t, s.CreateSubscription(ctx(t), want))
	want.Type = chat.RoomGroup
	got, err := s.Subscription(ctx(t), "r1", "u1")
	must(t, err)
	equal(t, "subscription", got, want)

	min := &chat.Subscription{ID: "s2", RoomID: "r1", User: chat.UserRef{ID: "u2"}}
	must(t, s.CreateSubscription(ctx(t), min))
	min.Type = chat.RoomGroup
	got, err = s.Subscription(ctx(t), "r1", "u2")
	must(t, err)
	equal(t, "minimal subscription", got, min)
}

// testSubscriptionCopiesFromRoom: Type, Archived, ParentID, TeamID and
// TeamMain are read from the room, so they follow changes to it.
func testSubscriptionCopiesFromRoom(t *testing.T, s chat.Store) {
	r := &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "copied", Archived: true, ParentID: "p1", TeamID: "T1", TeamMain: true}
	must(t, s.CreateRoom(ctx(t), r))
	subscribe(t, s, "r1", "u1")
	got, err := s.Subscription(ctx(t), "r1", "u1")
	must(t, err)
	equal(t, "copied fields", []any{got.Type, got.Archived, got.ParentID, got.TeamID, got.TeamMain},
		[]any{chat.RoomChannel, true, "p1", "T1", true})

	r.Type, r.Archived, r.ParentID, r.TeamID, r.TeamMain = chat.RoomGroup, false, "", "", false
	must(t, s.UpdateRoom(ctx(t), r))
	got, err = s.Subscription(ctx(t), "r1", "u1")
	must(t, err)
	equal(t, "copied fields after room update", []any{got.Type, got.Archived, got.ParentID, got.TeamID, got.TeamMain},
		[]any{chat.RoomGroup, false, "", "", false})
	subs, err := s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{})
	must(t, err)
	equal(t, "SubscriptionsOfUser type", subs[0].Type, chat.RoomGroup)
}

func testSubscriptionErrors(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "u1")
	wantKind(t, s.CreateSubscription(ctx(t), &chat.Subscription{ID: "other", RoomID: "r1", User: chat.UserRef{ID: "u1"}}), chat.EConflict)
	wantKind(t, s.CreateSubscription(ctx(t), &chat.Subscription{ID: "s", RoomID: "nope", User: chat.UserRef{ID: "u1"}}), chat.ENotFound)
	_, err := s.Subscription(ctx(t), "r1", "u2")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateSubscription(ctx(t), &chat.Subscription{RoomID: "r1", User: chat.UserRef{ID: "u2"}}), chat.ENotFound)
	wantKind(t, s.DeleteSubscription(ctx(t), "r1", "u2", t0), chat.ENotFound)
}

func testSubscriptionUpdate(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	orig := subscribe(t, s, "r1", "u1")

	upd := fullSubscription("r1", "u1")
	upd.ID = "ignored"
	upd.User = chat.UserRef{ID: "u1", Username: "ignored", Name: "ignored"}
	upd.CreatedAt = at(999)
	upd.ReadSeq, upd.LastSeen, upd.ForceAlert, upd.UpdatedAt = 4, at(40), true, at(41)
	must(t, s.UpdateSubscription(ctx(t), upd))

	got, err := s.Subscription(ctx(t), "r1", "u1")
	must(t, err)
	want := *upd
	// Only the user-settable fields changed.
	want.ID, want.User, want.CreatedAt = orig.ID, orig.User, orig.CreatedAt
	want.Type, want.Alert = chat.RoomChannel, true
	equal(t, "updated subscription", got, &want)
}

func testSubscriptionDelete(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r2", "u1")
	subscribe(t, s, "r1", "u2")
	must(t, s.DeleteSubscription(ctx(t), "r1", "u1", at(10)))
	must(t, s.DeleteSubscription(ctx(t), "r2", "u1", at(20)))

	_, err := s.Subscription(ctx(t), "r1", "u1")
	wantKind(t, err, chat.ENotFound)
	if _, err := s.Subscription(ctx(t), "r1", "u2"); err != nil {
		t.Fatalf("other member's subscription: %v", err)
	}
	got, err := s.SubscriptionRemovals(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "removals, oldest first", got, []chat.Removal{
		{ID: "r1-u1", RoomID: "r1", UserID: "u1", DeletedAt: at(10)},
		{ID: "r2-u1", RoomID: "r2", UserID: "u1", DeletedAt: at(20)},
	})
	got, err = s.SubscriptionRemovals(ctx(t), "u1", at(10))
	must(t, err)
	equal(t, "removals after since", removalIDs(got), []string{"r2-u1"})
	got, err = s.SubscriptionRemovals(ctx(t), "u2", time.Time{})
	must(t, err)
	equal(t, "removals of another user", len(got), 0)

	// The user can join again; a subscription created with the id of a
	// removed one is no longer reported removed.
	subscribe(t, s, "r1", "u1")
	got, err = s.SubscriptionRemovals(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "removals after rejoining", removalIDs(got), []string{"r2-u1"})
	// Leaving the room does not remove it.
	rr, err := s.RoomRemovalsForUser(ctx(t), "u1", time.Time{})
	must(t, err)
	equal(t, "room removals after leaving", len(rr), 0)
}

func testSubscriptionsOfUser(t *testing.T, s chat.Store) {
	addRoom(t, s, "c1", chat.RoomChannel, "c1")
	addRoom(t, s, "p1", chat.RoomGroup, "p1")
	must(t, s.CreateRoom(ctx(t), &chat.Room{ID: "d1", Type: chat.RoomDirect}))
	addRoom(t, s, "c2", chat.RoomChannel, "c2")
	for _, r := range []string{"c1", "p1", "d1"} {
		subscribe(t, s, r, "u1")
	}
	subscribe(t, s, "c2", "u2")

	subIDs := func(ss []chat.Subscription) []string {
		return sorted(ids(ss, func(s chat.Subscription) string { return s.RoomID }))
	}
	got, err := s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{})
	must(t, err)
	equal(t, "all", subIDs(got), []string{"c1", "d1", "p1"})
	one, err := s.Subscription(ctx(t), "p1", "u1")
	must(t, err)
	for _, sub := range got {
		if sub.RoomID == "p1" {
			equal(t, "listed subscription", &sub, one)
		}
	}

	got, err = s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{Types: []chat.RoomType{chat.RoomDirect, chat.RoomGroup}})
	must(t, err)
	equal(t, "types", subIDs(got), []string{"d1", "p1"})

	got, err = s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{UpdatedSince: at(10)})
	must(t, err)
	equal(t, "nothing changed since", len(got), 0)

	sub, err := s.Subscription(ctx(t), "c1", "u1")
	must(t, err)
	sub.Favorite, sub.UpdatedAt = true, at(20)
	must(t, s.UpdateSubscription(ctx(t), sub))
	got, err = s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{UpdatedSince: at(10)})
	must(t, err)
	equal(t, "changed since", subIDs(got), []string{"c1"})

	// A new last message changes the computed counts, so the membership
	// counts as changed although its row was not written.
	post(t, s, "p1", "m1", "u2", 30, "news")
	got, err = s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{UpdatedSince: at(25)})
	must(t, err)
	equal(t, "changed by a new message", subIDs(got), []string{"p1"})
	equal(t, "its unread count", got[0].Unread, 1)
}

func testSubscriptionsWithRoles(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	for i, roles := range [][]string{{"owner"}, nil, {"moderator", "leader"}, {}} {
		sub := &chat.Subscription{ID: fmt.Sprint("s", i), RoomID: "r1", User: chat.UserRef{ID: fmt.Sprint("u", i)}, Roles: roles}
		must(t, s.CreateSubscription(ctx(t), sub))
	}
	must(t, s.CreateSubscription(ctx(t), &chat.Subscription{ID: "x", RoomID: "r2", User: chat.UserRef{ID: "u0"}, Roles: []string{"owner"}}))
	got, err := s.SubscriptionsWithRoles(ctx(t), "r1")
	must(t, err)
	users := sorted(ids(got, func(s chat.Subscription) string { return s.User.ID }))
	equal(t, "subscriptions with roles", users, []string{"u0", "u2"})
	for _, sub := range got {
		if sub.User.ID == "u2" {
			equal(t, "roles", sub.Roles, []string{"moderator", "leader"})
		}
	}
}

func testRoomMembers(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "other")
	type member struct{ id, username, name, status string }
	members := []member{
		{"u1", "alice", "Zoë Alice", chat.StatusOnline},
		{"u2", "bob", "Yann Bob", chat.StatusAway},
		{"u3", "carol", "Xavier Carol", chat.StatusOffline},
		{"u4", "dave", "Wanda Dave", chat.StatusOnline},
		{"u5", "erin", "Vera Erin", chat.StatusBusy},
	}
	for _, m := range members {
		must(t, s.CreateUser(ctx(t), &chat.User{ID: m.id, Username: m.username, Name: m.name, Status: m.status, Active: true}))
		sub := &chat.Subscription{ID: "s-" + m.id, RoomID: "r1", User: chat.UserRef{ID: m.id, Username: m.username}}
		if m.id == "u2" {
			sub.Roles = []string{"owner"}
		}
		must(t, s.CreateSubscription(ctx(t), sub))
	}
	addUser(t, s, "u9", "outsider")
	subscribe(t, s, "r2", "u9")
	// A member whose user is gone is left out.
	must(t, s.CreateSubscription(ctx(t), &chat.Subscription{ID: "ghost", RoomID: "r1", User: chat.UserRef{ID: "ghost"}}))

	memberIDs := func(ms []chat.Member) []string { return ids(ms, func(m chat.Member) string { return m.User.ID }) }
	got, total, err := s.RoomMembers(ctx(t), "r1", chat.MemberFilter{})
	must(t, err)
	equal(t, "members by username", memberIDs(got), []string{"u1", "u2", "u3", "u4", "u5"})
	equal(t, "total", total, 5)
	bob, err := s.UserByID(ctx(t), "u2")
	must(t, err)
	equal(t, "member document", got[1], chat.Member{User: *bob, Roles: []string{"owner"}})

	got, _, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Sort: []chat.SortField{{Field: "name"}}})
	must(t, err)
	equal(t, "by name", memberIDs(got), []string{"u5", "u4", "u3", "u2", "u1"})
	got, _, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Sort: []chat.SortField{{Field: "username", Desc: true}}})
	must(t, err)
	equal(t, "by username desc", memberIDs(got), []string{"u5", "u4", "u3", "u2", "u1"})
	got, _, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Sort: []chat.SortField{{Field: "status"}, {Field: "username", Desc: true}}})
	must(t, err)
	equal(t, "by status then username desc", memberIDs(got), []string{"u2", "u5", "u3", "u4", "u1"})

	got, total, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Offset: 1, Limit: 2})
	must(t, err)
	equal(t, "page", memberIDs(got), []string{"u2", "u3"})
	equal(t, "page total", total, 5)

	got, total, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Text: "ZOË"})
	must(t, err)
	equal(t, "text in name", memberIDs(got), []string{"u1"})
	equal(t, "text total", total, 1)
	got, _, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Text: "AR"})
	must(t, err)
	equal(t, "text in username or name", memberIDs(got), []string{"u3"})
	got, total, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Statuses: []string{chat.StatusOnline, chat.StatusBusy}})
	must(t, err)
	equal(t, "statuses", memberIDs(got), []string{"u1", "u4", "u5"})
	equal(t, "statuses total", total, 3)

	_, _, err = s.RoomMembers(ctx(t), "r1", chat.MemberFilter{Sort: []chat.SortField{{Field: "emails"}}})
	wantKind(t, err, chat.EInvalid)
}

func testMemberIDs(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	for _, u := range []string{"u3", "u1", "u2"} {
		subscribe(t, s, "r1", u)
	}
	got, err := s.MemberIDs(ctx(t), "r1")
	must(t, err)
	equal(t, "member ids", sorted(got), []string{"u1", "u2", "u3"})
	got, err = s.MemberIDs(ctx(t), "nope")
	must(t, err)
	equal(t, "member ids of unknown room", len(got), 0)
}

func testRenameSubscriptions(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r1", "u2")
	subscribe(t, s, "r2", "u1")
	must(t, s.RenameSubscriptions(ctx(t), "r1", "new-name", "New Name", at(50)))
	for _, u := range []string{"u1", "u2"} {
		got, err := s.Subscription(ctx(t), "r1", u)
		must(t, err)
		equal(t, "renamed", []any{got.Name, got.FName, got.UpdatedAt}, []any{"new-name", "New Name", at(50)})
	}
	got, err := s.Subscription(ctx(t), "r2", "u1")
	must(t, err)
	equal(t, "other room untouched", []any{got.Name, got.UpdatedAt}, []any{"", t0})
}

func testTouchSubscriptions(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r2", "u1")
	must(t, s.TouchSubscriptions(ctx(t), "r1", at(60)))
	got, err := s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{UpdatedSince: at(30)})
	must(t, err)
	equal(t, "touched", ids(got, func(s chat.Subscription) string { return s.RoomID }), []string{"r1"})
	equal(t, "touched time", got[0].UpdatedAt, at(60))
}

func testRenameUserInSubscriptions(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	addRoom(t, s, "r2", chat.RoomChannel, "room2")
	subscribe(t, s, "r1", "u1")
	subscribe(t, s, "r2", "u1")
	subscribe(t, s, "r1", "u2")
	must(t, s.RenameUserInSubscriptions(ctx(t), "u1", "renamed", "Re Named", at(70)))
	subs, err := s.SubscriptionsOfUser(ctx(t), "u1", chat.SubscriptionFilter{})
	must(t, err)
	equal(t, "subscriptions", len(subs), 2)
	for _, sub := range subs {
		equal(t, "user reference", sub.User, chat.UserRef{ID: "u1", Username: "renamed", Name: "Re Named"})
		equal(t, "update time", sub.UpdatedAt, at(70))
	}
	other, err := s.Subscription(ctx(t), "r1", "u2")
	must(t, err)
	equal(t, "other user untouched", other.User.Username, "user-u2")
}
