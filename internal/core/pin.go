package core

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// isoMillis is JavaScript's Date.toISOString layout, for dates inside
// attachments, which are stored and sent as they are.
const isoMillis = "2006-01-02T15:04:05.000Z"

func errPinningNotAllowed() error {
	e := chat.Errorf(chat.EInvalid, "error-action-not-allowed", "Message pinning not allowed")
	e.Details = map[string]any{"action": "Message_pinning"}
	return e
}

func errNotAuthorized() error {
	return chat.Errorf(chat.EForbidden, "not-authorized", "Not Authorized")
}

// Pin pins a message (chat.pinMessage, DDP pinMessage) and returns the
// message_pinned system message that announces it, which quotes the pinned
// message as an attachment, as Rocket.Chat does. Pinning a pinned message
// returns it unchanged.
func (s *Service) Pin(ctx context.Context, actor *chat.User, messageID string) (*chat.Message, error) {
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	if _, err := s.store.MessageByID(ctx, messageID); chat.IsKind(err, chat.ENotFound) {
		return nil, errMessageNotFound()
	} else if err != nil {
		return nil, err
	}
	if !s.SettingBool("Message_AllowPinning") {
		return nil, errPinningNotAllowed()
	}
	m, _, sub, err := s.messageForActor(ctx, s.store, actor, messageID, errMessageNotFound)
	if chat.IsKind(err, chat.EForbidden) {
		return nil, errNotAuthorized()
	}
	if err != nil {
		return nil, err
	}
	if sub == nil {
		// Owners and moderators pin by their room role.
		if sub, err = s.subscription(ctx, s.store, m.RoomID, actor.ID); err != nil {
			return nil, err
		}
	}
	if !s.canWithSub(actor, sub, "pin-message") {
		return nil, errNotAuthorized()
	}
	if m.Pinned {
		return m, nil
	}
	var out *chat.Message
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		m, err := tx.MessageByID(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Pinned {
			out = m
			return nil
		}
		r, err := tx.RoomByID(ctx, m.RoomID)
		if err != nil {
			return err
		}
		m.Pinned, m.PinnedAt = true, s.now()
		by := actor.Ref()
		by.Name = ""
		m.PinnedBy = &by
		if err := s.messageChanged(ctx, tx, o, m); err != nil {
			return err
		}
		quote := map[string]any{
			"text":        m.Text,
			"author_name": m.User.Username,
			"author_icon": "/avatar/" + m.User.Username,
			"ts":          m.TS.UTC().Format(isoMillis),
		}
		if len(m.Attachments) > 0 {
			quote["attachments"] = m.Attachments
		}
		return s.systemMessage(ctx, tx, o, r, chat.MsgPinned, "", actor, func(sm *chat.Message) {
			sm.Attachments = []map[string]any{quote}
			out = sm
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Unpin unpins a message (chat.unPinMessage, DDP unpinMessage). Only
// members of the message's room with pin-message may.
func (s *Service) Unpin(ctx context.Context, actor *chat.User, messageID string) error {
	if actor == nil {
		return chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	if !s.SettingBool("Message_AllowPinning") {
		return errPinningNotAllowed()
	}
	m, err := s.store.MessageByID(ctx, messageID)
	if chat.IsKind(err, chat.ENotFound) {
		return errMessageNotFound()
	}
	if err != nil {
		return err
	}
	sub, err := s.subscription(ctx, s.store, m.RoomID, actor.ID)
	if err != nil {
		return err
	}
	if sub == nil {
		// Not revealing messages of rooms the actor is not in.
		return chat.Errorf(chat.EInvalid, "error-invalid-message", "Message you are unpinning was not found")
	}
	if !s.canWithSub(actor, sub, "pin-message") {
		return errNotAuthorized()
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		m, err := tx.MessageByID(ctx, messageID)
		if err != nil {
			return err
		}
		if !m.Pinned {
			return nil
		}
		m.Pinned, m.PinnedAt = false, s.now()
		by := actor.Ref()
		by.Name = ""
		m.PinnedBy = &by
		return s.messageChanged(ctx, tx, o, m)
	})
}

// Star adds (starred) or removes actor's star on a message
// (chat.starMessage / chat.unStarMessage, DDP starMessage). As in
// Rocket.Chat, only members of the message's room can star; for anyone
// else it changes nothing and reports false.
func (s *Service) Star(ctx context.Context, actor *chat.User, messageID string, starred bool) (bool, error) {
	if actor == nil {
		return false, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	m, err := s.store.MessageByID(ctx, messageID)
	if chat.IsKind(err, chat.ENotFound) {
		return false, errMessageNotFound()
	}
	if err != nil {
		return false, err
	}
	if !s.SettingBool("Message_AllowStarring") {
		e := chat.Errorf(chat.EInvalid, "error-action-not-allowed", "Message starring not allowed")
		e.Details = map[string]any{"action": "Message_starring"}
		return false, e
	}
	sub, err := s.subscription(ctx, s.store, m.RoomID, actor.ID)
	if err != nil || sub == nil {
		return false, err
	}
	if contains(m.Starred, actor.ID) == starred {
		return true, nil
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		var err error
		if starred {
			err = tx.StarMessage(ctx, messageID, actor.ID)
		} else {
			err = tx.UnstarMessage(ctx, messageID, actor.ID)
		}
		if err != nil {
			return err
		}
		m, err := tx.MessageByID(ctx, messageID)
		if err != nil {
			return err
		}
		return s.messageChanged(ctx, tx, o, m)
	})
	return err == nil, err
}
