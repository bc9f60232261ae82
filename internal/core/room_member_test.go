package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// TestMembershipEvents checks the events the realtime layer turns into
// subscriptions-changed and rooms-changed: a new member hears of the room
// on their own topic, a removed one hears that it is gone.
func TestMembershipEvents(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	r := e.create(alice, chat.RoomChannel, "evented")
	ref := RoomRef{ID: r.ID}

	bobs, err := e.bus.Subscribe(e.ctx, chat.UserTopic(bob.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer bobs.Close()
	roomEvs, err := e.bus.Subscribe(e.ctx, chat.RoomTopic(r.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer roomEvs.Close()

	if _, err := e.s.InviteToRoom(e.ctx, alice, ref, []string{bob.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if ev := awaitRoomEvent(t, bobs); ev.Kind != chat.EventSubscription || ev.RoomID != r.ID {
		t.Fatalf("first event to bob %+v", ev)
	}
	if ev := awaitRoomEvent(t, bobs); ev.Kind != chat.EventRoomChanged || ev.RoomID != r.ID {
		t.Fatalf("second event to bob %+v", ev)
	}
	// The room's topic carries the "au" message, then the changed room.
	if ev := awaitRoomEvent(t, roomEvs); ev.Kind != chat.EventMessage {
		t.Fatalf("room event %+v", ev)
	}
	if ev := awaitRoomEvent(t, roomEvs); ev.Kind != chat.EventRoomChanged {
		t.Fatalf("room event %+v", ev)
	}

	if _, err := e.s.KickFromRoom(e.ctx, alice, ref, bob); err != nil {
		t.Fatal(err)
	}
	if ev := awaitRoomEvent(t, bobs); ev.Kind != chat.EventSubscriptionGone || ev.RoomID != r.ID || ev.UserID != bob.ID {
		t.Fatalf("kick event to bob %+v", ev)
	}

	if _, err := e.s.JoinRoom(e.ctx, bob, ref, ""); err != nil {
		t.Fatal(err)
	}
	awaitRoomEvent(t, bobs) // subscription
	awaitRoomEvent(t, bobs) // room
	if err := e.s.DeleteRoom(e.ctx, alice, ref); err != nil {
		t.Fatal(err)
	}
	if ev := awaitRoomEvent(t, bobs); ev.Kind != chat.EventRoomRemoved || ev.RoomID != r.ID {
		t.Fatalf("delete event to bob %+v", ev)
	}
	if ev := awaitRoomEvent(t, bobs); ev.Kind != chat.EventSubscriptionGone {
		t.Fatalf("delete event to bob %+v", ev)
	}
}
