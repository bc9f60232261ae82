package core

import (
	"context"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// EditMessage is a change to a message's text (chat.update, DDP
// updateMessage).
type EditMessage struct {
	ID string
	// RoomID, when set, must be the message's room.
	RoomID       string
	Text         string
	CustomFields map[string]any
}

// errNoMessage is chat.update's and chat.delete's answer to an unknown id.
func errNoMessage(id string) error {
	return &chat.Error{Kind: chat.EInvalid, Message: fmt.Sprintf("No message found with the id of %q.", id)}
}

// errWrongRoom is their answer when roomId is not the message's room.
func errWrongRoom() error {
	return &chat.Error{Kind: chat.EInvalid, Message: "The room id provided does not match where the message is from."}
}

// UpdateMessage changes a message's text and marks it edited. Users may
// edit their own messages when Message_AllowEditing is on (within
// Message_AllowEditing_BlockEditInMinutes), and anyone's with edit-message.
// Editing to the same text changes nothing.
func (s *Service) UpdateMessage(ctx context.Context, actor *chat.User, em EditMessage) (*chat.Message, error) {
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	orig, err := s.store.MessageByID(ctx, em.ID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errNoMessage(em.ID)
	}
	if err != nil {
		return nil, err
	}
	if em.RoomID != "" && em.RoomID != orig.RoomID {
		return nil, errWrongRoom()
	}
	r, err := s.store.RoomByID(ctx, orig.RoomID)
	if err != nil {
		return nil, err
	}
	sub, err := s.subscription(ctx, s.store, r.ID, actor.ID)
	if err != nil {
		return nil, err
	}
	own := orig.User.ID == actor.ID
	if orig.IsSystem() || (!s.canWithSub(actor, sub, "edit-message") && !(s.SettingBool("Message_AllowEditing") && own)) {
		e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Message editing not allowed")
		e.Details = map[string]any{"method": "updateMessage", "action": "Message_editing"}
		return nil, e
	}
	if editableText(orig) == em.Text && em.CustomFields == nil {
		// Rocket.Chat answers an edit that changes nothing with the message
		// as it is (after the permission check, so that it reveals nothing).
		return orig, nil
	}
	if block := s.SettingInt("Message_AllowEditing_BlockEditInMinutes", 0); block > 0 &&
		!s.canWithSub(actor, sub, "bypass-time-limit-edit-and-delete") &&
		s.now().Sub(orig.TS) >= time.Duration(block)*time.Minute {
		return nil, chat.Errorf(chat.EInvalid, "error-message-editing-blocked", "Message editing is blocked")
	}
	if err := s.canSend(ctx, actor, r, sub); err != nil {
		return nil, err
	}
	if err := s.checkSize(em.Text); err != nil {
		return nil, err
	}
	// Mentions are resolved against the read pool, before the transaction.
	probe := &chat.Message{Text: em.Text}
	if err := s.resolveMentions(ctx, s.store, probe); err != nil {
		return nil, err
	}
	var out *chat.Message
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		m, err := tx.MessageByID(ctx, em.ID)
		if chat.IsKind(err, chat.ENotFound) {
			return errNoMessage(em.ID)
		}
		if err != nil {
			return err
		}
		if len(m.Attachments) > 0 && hasKey(m.Attachments[0], "description") {
			// A file's message is its description: that is what gets edited.
			m.Attachments[0]["description"] = em.Text
		} else {
			m.Text = em.Text
			m.Mentions, m.Channels, m.GroupMention = probe.Mentions, probe.Channels, probe.GroupMention
		}
		s.parseMarkdown(m)
		if em.CustomFields != nil {
			m.CustomFields = em.CustomFields
		}
		m.EditedAt = s.now()
		by := actor.Ref()
		by.Name = ""
		m.EditedBy = &by
		if err := s.messageChanged(ctx, tx, o, m); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.messageEdited(ctx, r, out)
	return out, nil
}

// editableText is the text an edit replaces: a file's description, or the
// message text.
func editableText(m *chat.Message) string {
	if len(m.Attachments) > 0 {
		if d, ok := m.Attachments[0]["description"].(string); ok {
			return d
		}
	}
	return m.Text
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// DeletedMessage is what DeleteMessage removed.
type DeletedMessage struct {
	Message *chat.Message // as it was
	At      time.Time
}

// DeleteMessage deletes a message as Rocket.Chat's chat.delete does. With
// asUser, the permission checked is the author's own (deleting "as them"),
// which needs force-delete-message unless the actor is the author. A
// thread root with replies is not removed but replaced by a "message
// removed" placeholder, so that its thread stays readable; deleting a reply
// uncounts it on its root.
func (s *Service) DeleteMessage(ctx context.Context, actor *chat.User, id, roomID string, asUser bool) (*DeletedMessage, error) {
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	m, err := s.store.MessageByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errNoMessage(id)
	}
	if err != nil {
		return nil, err
	}
	if roomID != "" && roomID != m.RoomID {
		return nil, errWrongRoom()
	}
	deleter := actor
	if asUser && m.User.ID != actor.ID {
		if !s.Can(ctx, actor, "force-delete-message", m.RoomID) {
			return nil, &chat.Error{Kind: chat.EForbidden, Message: `Unauthorized. You must have the permission "force-delete-message" to delete other's message as them.`}
		}
		if deleter, err = s.store.UserByID(ctx, m.User.ID); chat.IsKind(err, chat.ENotFound) {
			return nil, &chat.Error{Kind: chat.EInvalid, Message: "User not found"}
		} else if err != nil {
			return nil, err
		}
	}
	if err := s.canDelete(ctx, deleter, m); err != nil {
		return nil, err
	}
	var out *DeletedMessage
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		var err error
		out, err = s.deleteMessage(ctx, tx, o, id, deleter)
		return err
	})
	return out, err
}

// canDelete is Rocket.Chat's canDeleteMessage for user u.
func (s *Service) canDelete(ctx context.Context, u *chat.User, m *chat.Message) error {
	notAllowed := func() error {
		e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Not allowed")
		e.Details = map[string]any{"method": "deleteMessage", "action": "Delete_message"}
		return e
	}
	sub, err := s.subscription(ctx, s.store, m.RoomID, u.ID)
	if err != nil {
		return err
	}
	if s.canWithSub(u, sub, "force-delete-message") {
		return nil
	}
	if !s.SettingBool("Message_AllowDeleting") {
		return notAllowed()
	}
	if !s.canWithSub(u, sub, "delete-message") && !(m.User.ID == u.ID && s.canWithSub(u, sub, "delete-own-message")) {
		return notAllowed()
	}
	if block := s.SettingInt("Message_AllowDeleting_BlockDeleteInMinutes", 0); block > 0 &&
		!s.canWithSub(u, sub, "bypass-time-limit-edit-and-delete") &&
		s.now().Sub(m.TS) > time.Duration(block)*time.Minute {
		return notAllowed()
	}
	r, err := s.store.RoomByID(ctx, m.RoomID)
	if err != nil {
		return err
	}
	if r.ReadOnly && !s.canWithSub(u, sub, "post-readonly") {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "You can't delete messages because the room is readonly.")
	}
	return nil
}

// deleteMessage removes message id inside tx and queues the events.
func (s *Service) deleteMessage(ctx context.Context, tx chat.Store, o *outbox, id string, by *chat.User) (*DeletedMessage, error) {
	m, err := tx.MessageByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errNoMessage(id)
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	before := *m
	if m.TMID != "" {
		root, err := tx.MessageByID(ctx, m.TMID)
		switch {
		case err == nil:
			if root.TCount > 0 {
				root.TCount--
			}
			if err := s.messageChanged(ctx, tx, o, root); err != nil {
				return nil, err
			}
		case !chat.IsKind(err, chat.ENotFound):
			return nil, err
		}
	}
	if m.TCount > 0 || s.SettingBool("Message_ShowDeletedStatus") {
		// Keep a placeholder: a thread root's replies still hang off it.
		m.Type, m.Text, m.MD = "rm", "", nil
		m.URLs, m.Mentions, m.Channels, m.Attachments, m.Reactions = nil, nil, nil, nil, nil
		m.File, m.Files, m.TShow, m.GroupMention = nil, nil, false, false
		m.EditedAt = now
		ref := by.Ref()
		ref.Name = ""
		m.EditedBy = &ref
		if err := s.messageChanged(ctx, tx, o, m); err != nil {
			return nil, err
		}
	} else {
		if err := tx.DeleteMessage(ctx, id, now); err != nil {
			return nil, err
		}
		o.add(chat.RoomTopic(m.RoomID), chat.Event{Kind: chat.EventMessageDeleted, RoomID: m.RoomID, MessageID: id, At: now})
	}
	if err := s.refreshLastMessage(ctx, tx, o, m.RoomID, id); err != nil {
		return nil, err
	}
	return &DeletedMessage{Message: &before, At: now}, nil
}

// refreshLastMessage points the room's last message at the newest visible
// user message when the removed message was the last one.
func (s *Service) refreshLastMessage(ctx context.Context, tx chat.Store, o *outbox, roomID, removedID string) error {
	if !s.SettingBool("Store_Last_Message") {
		return nil
	}
	r, err := tx.RoomByID(ctx, roomID)
	if err != nil {
		return err
	}
	if r.LastMessage == nil || r.LastMessage.ID != removedID {
		return nil
	}
	last, _, err := tx.ListMessages(ctx, chat.MessageFilter{RoomID: roomID, HideThreads: true, HideSystem: true, Limit: 1})
	if err != nil {
		return err
	}
	r.LastMessage = nil
	if len(last) > 0 {
		r.LastMessage, r.LastMsgAt = &last[0], last[0].TS
	}
	return s.roomChanged(ctx, tx, o, r)
}
