package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestCreateDiscussion(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	parent := e.create(alice, chat.RoomChannel, "parent", "bob")

	d, err := e.s.CreateDiscussion(e.ctx, alice, NewDiscussion{ParentID: parent.ID, Name: "Side talk", Users: []string{"bob"}, Reply: "first"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ParentID != parent.ID || d.FName != "Side talk" || d.Type != chat.RoomChannel || d.ParentMessageID == "" {
		t.Fatalf("discussion %+v", d)
	}
	created, err := e.st.MessageByID(e.ctx, d.ParentMessageID)
	if err != nil {
		t.Fatal(err)
	}
	if created.Type != chat.MsgDiscussionCreated || created.DRID != d.ID || created.RoomID != parent.ID || created.Text != "Side talk" {
		t.Fatalf("discussion-created message %+v", created)
	}
	// The reply counts on the message that started the discussion.
	if created.DCount != 1 {
		t.Fatalf("dcount %d after the reply", created.DCount)
	}
	if e.sub(d.ID, bob) == nil {
		t.Fatal("invited user is not in the discussion")
	}
	listed, _, err := e.st.ListMessages(e.ctx, chat.MessageFilter{RoomID: parent.ID, Discussions: true})
	if err != nil || len(listed) != 1 {
		t.Fatalf("discussions of the parent: %v %d", err, len(listed))
	}

	// From a message: the message gets the discussion's id, and its author
	// is invited.
	m := e.post(bob, parent.ID, "let us discuss")
	d2, err := e.s.CreateDiscussion(e.ctx, alice, NewDiscussion{ParentMessageID: m.ID, Name: "From a message"})
	if err != nil {
		t.Fatal(err)
	}
	if d2.ParentMessageID != m.ID {
		t.Fatalf("pmid %s", d2.ParentMessageID)
	}
	if got, _ := e.st.MessageByID(e.ctx, m.ID); got.DRID != d2.ID || got.DCount != 0 {
		t.Fatalf("starting message %+v", got)
	}
	e.post(bob, d2.ID, "reply")
	if got, _ := e.st.MessageByID(e.ctx, m.ID); got.DCount != 1 {
		t.Fatalf("dcount after a post: %d", got.DCount)
	}
	// A second discussion from the same message is the same one.
	again, err := e.s.CreateDiscussion(e.ctx, bob, NewDiscussion{ParentMessageID: m.ID, Name: "dup"})
	if err != nil || again.ID != d2.ID {
		t.Fatalf("second discussion from a message: %v %+v", err, again)
	}

	_, err = e.s.CreateDiscussion(e.ctx, alice, NewDiscussion{ParentID: d.ID, Name: "nested"})
	checkErr(t, err, chat.EInvalid, "error-nested-discussion")
	carol := e.mk("carol")
	g := e.create(alice, chat.RoomGroup, "closed")
	_, err = e.s.CreateDiscussion(e.ctx, carol, NewDiscussion{ParentID: g.ID, Name: "sneaky"})
	checkErr(t, err, chat.ENotFound, "error-room-not-found")
}
