package core

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestUnreadCountsAndRead(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "reads", "bob")

	const n = 3
	for i := 0; i < n; i++ {
		e.post(alice, r.ID, "plain")
	}
	sub := e.sub(r.ID, bob)
	if sub.Unread != n || !sub.Alert || sub.UserMentions != 0 || sub.GroupMentions != 0 {
		t.Fatalf("after %d posts: unread %d alert %v mentions %d/%d", n, sub.Unread, sub.Alert, sub.UserMentions, sub.GroupMentions)
	}
	// The sender's own messages never count for them.
	if own := e.sub(r.ID, alice); own.Unread != 0 || own.Alert {
		t.Fatalf("sender unread %d alert %v", own.Unread, own.Alert)
	}
	e.post(alice, r.ID, "ping @bob")
	e.post(alice, r.ID, "ping @all")
	sub = e.sub(r.ID, bob)
	if sub.Unread != n+2 || sub.UserMentions != 1 || sub.GroupMentions != 1 {
		t.Fatalf("after mentions: unread %d user %d group %d", sub.Unread, sub.UserMentions, sub.GroupMentions)
	}

	evs, err := e.bus.Subscribe(e.ctx, chat.UserTopic(bob.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer evs.Close()
	roomEvs, err := e.bus.Subscribe(e.ctx, chat.RoomTopic(r.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer roomEvs.Close()

	before := time.Now().Add(-time.Second)
	if err := e.s.ReadMessages(e.ctx, bob, r.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	sub = e.sub(r.ID, bob)
	if sub.Unread != 0 || sub.Alert || sub.UserMentions != 0 || sub.GroupMentions != 0 || sub.LastSeen.Before(before) {
		t.Fatalf("after read: %+v", sub)
	}
	if ev := awaitRoomEvent(t, evs); ev.Kind != chat.EventSubscription || ev.RoomID != r.ID {
		t.Fatalf("user event %+v", ev)
	}
	if ev := awaitRoomEvent(t, roomEvs); ev.Kind != chat.EventMessagesRead || ev.UserID != bob.ID {
		t.Fatalf("room event %+v", ev)
	}

	// Outsiders have nothing to read.
	carol := e.mk("carol")
	checkErr(t, e.s.ReadMessages(e.ctx, carol, r.ID, false, ""), chat.EInvalid, "error-invalid-subscription")
}

// A read that names the newest message its reader saw leaves what came
// after it unread: the read a client sends as it leaves a room can arrive
// after a message posted meanwhile.
func TestReadUpToSeenMessage(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "late-read", "bob")
	other := e.create(alice, chat.RoomChannel, "elsewhere", "bob")

	seen := e.post(alice, r.ID, "seen by bob")
	e.post(alice, r.ID, "posted as bob leaves, @bob")
	if err := e.s.ReadMessages(e.ctx, bob, r.ID, false, seen.ID); err != nil {
		t.Fatal(err)
	}
	sub := e.sub(r.ID, bob)
	if sub.Unread != 1 || sub.UserMentions != 1 || !sub.Alert {
		t.Fatalf("after a read up to the seen message: unread %d mentions %d alert %v", sub.Unread, sub.UserMentions, sub.Alert)
	}
	// Rocket.Chat's clients mark what follows ls as new.
	if !sub.LastSeen.Equal(seen.TS) {
		t.Fatalf("ls %v, want the seen message's time %v", sub.LastSeen, seen.TS)
	}

	// A read up to an older message never moves the mark back.
	last := e.post(alice, r.ID, "newest")
	if err := e.s.ReadMessages(e.ctx, bob, r.ID, false, last.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.s.ReadMessages(e.ctx, bob, r.ID, false, seen.ID); err != nil {
		t.Fatal(err)
	}
	if sub := e.sub(r.ID, bob); sub.Unread != 0 || sub.ReadSeq != last.Seq {
		t.Fatalf("after reading the newest, then an older one: unread %d read mark %d, want 0 and %d", sub.Unread, sub.ReadSeq, last.Seq)
	}

	// An unknown message, or one of another room, is refused and changes nothing.
	e.post(alice, r.ID, "unread again")
	elsewhere := e.post(alice, other.ID, "in another room")
	checkErr(t, e.s.ReadMessages(e.ctx, bob, r.ID, false, "no-such-message"), chat.EInvalid, "error-invalid-message")
	checkErr(t, e.s.ReadMessages(e.ctx, bob, r.ID, false, elsewhere.ID), chat.EInvalid, "error-invalid-message")
	if sub := e.sub(r.ID, bob); sub.Unread != 1 {
		t.Fatalf("a refused read changed the room: unread %d", sub.Unread)
	}
}

func awaitRoomEvent(t *testing.T, s chat.BusSubscription) chat.Event {
	t.Helper()
	select {
	case ev := <-s.C():
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return chat.Event{}
	}
}

func TestMarkUnread(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "unreads", "bob")

	checkErr(t, e.s.MarkUnread(e.ctx, bob, r.ID, ""), chat.EInvalid, "error-no-message-for-unread")

	m1 := e.post(alice, r.ID, "one")
	e.post(alice, r.ID, "two")
	e.post(alice, r.ID, "three")
	if err := e.s.ReadMessages(e.ctx, bob, r.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.MarkUnread(e.ctx, bob, r.ID, ""); err != nil {
		t.Fatal(err)
	}
	if sub := e.sub(r.ID, bob); !sub.Alert || sub.Unread != 0 {
		t.Fatalf("room marked unread: alert %v unread %d", sub.Alert, sub.Unread)
	}
	if err := e.s.MarkUnread(e.ctx, bob, "", m1.ID); err != nil {
		t.Fatal(err)
	}
	if sub := e.sub(r.ID, bob); sub.Unread != 3 {
		t.Fatalf("unread from the first message: %d", sub.Unread)
	}
	// One's own message cannot be the first unread.
	own := e.post(bob, r.ID, "mine")
	checkErr(t, e.s.MarkUnread(e.ctx, bob, "", own.ID), chat.EForbidden, "error-action-not-allowed")
}

func TestFavoriteOpenHide(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "favs")
	ref := RoomRef{ID: r.ID}
	if err := e.s.ToggleFavorite(e.ctx, alice, ref, true); err != nil {
		t.Fatal(err)
	}
	if !e.sub(r.ID, alice).Favorite {
		t.Fatal("not favorite")
	}
	checkErr(t, e.s.ToggleFavorite(e.ctx, bob, ref, true), chat.EInvalid, "error-invalid-subscription")

	if err := e.s.HideRoom(e.ctx, alice, r.ID); err != nil {
		t.Fatal(err)
	}
	if e.sub(r.ID, alice).Open {
		t.Fatal("still open")
	}
	if err := e.s.OpenRoom(e.ctx, alice, r.ID); err != nil {
		t.Fatal(err)
	}
	if !e.sub(r.ID, alice).Open {
		t.Fatal("not reopened")
	}

	since := time.Now().Add(-time.Minute)
	subs, removed, err := e.s.SubscriptionsForSync(e.ctx, alice, since)
	if err != nil || len(subs) == 0 || len(removed) != 0 {
		t.Fatalf("sync: %v %d %d", err, len(subs), len(removed))
	}
}
