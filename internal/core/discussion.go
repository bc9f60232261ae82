package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// NewDiscussion describes a discussion to start (rooms.createDiscussion,
// createDiscussion).
type NewDiscussion struct {
	ParentID        string // prid: the room the discussion belongs to
	ParentMessageID string // pmid: the message it starts from, optional
	Name            string // t_name: the discussion's display name
	Reply           string // first message, optional
	Users           []string
	Encrypted       *bool
	Topic           string
}

// errDiscussionNotAllowed is Rocket.Chat's refusal to start a discussion.
func errDiscussionNotAllowed() *chat.Error {
	e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "You are not allowed to create a discussion")
	e.Details = map[string]any{"method": "createDiscussion"}
	return e
}

// CreateDiscussion starts a discussion: a room of the parent's kind (a
// private one under a DM) whose ParentID is the parent room and whose
// ParentMessageID is the message it started from, or else the
// discussion-created message written in the parent. That message, and the
// starting message, carry the discussion's id (drid), so that
// chat.getDiscussions lists it and posts in the discussion count on it.
// Starting one from a message that already has a discussion joins it.
func (s *Service) CreateDiscussion(ctx context.Context, actor *chat.User, nd NewDiscussion) (*chat.Room, error) {
	if !s.SettingBool("Discussion_enabled") {
		return nil, errDiscussionNotAllowed()
	}
	nd.Name = strings.TrimSpace(nd.Name)
	if nd.Name == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-arguments", "Missing discussion name")
	}
	var pm *chat.Message
	if nd.ParentMessageID != "" {
		m, err := s.store.MessageByID(ctx, nd.ParentMessageID)
		if chat.IsKind(err, chat.ENotFound) {
			return nil, chat.Errorf(chat.EInvalid, "error-invalid-message", "Invalid message")
		}
		if err != nil {
			return nil, err
		}
		pm = m
		if nd.ParentID == "" {
			nd.ParentID = m.RoomID
		}
	}
	if nd.ParentID == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-arguments", "Missing parent room ID")
	}
	if !s.Can(ctx, actor, "start-discussion", nd.ParentID) && !s.Can(ctx, actor, "start-discussion-other-user", nd.ParentID) {
		return nil, errDiscussionNotAllowed()
	}
	parent, psub, err := s.lookupRoom(ctx, actor, RoomRef{ID: nd.ParentID})
	if err != nil {
		return nil, err
	}
	if pm != nil && pm.RoomID != parent.ID {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-arguments", "Root message room ID does not match parent room ID ")
	}
	if err := s.canSend(ctx, actor, parent, psub); err != nil {
		return nil, err
	}
	if parent.IsDiscussion() {
		return nil, chat.Errorf(chat.EInvalid, "error-nested-discussion", "Cannot create nested discussions")
	}
	encrypted := parent.Encrypted
	if nd.Encrypted != nil {
		encrypted = *nd.Encrypted
	}
	if encrypted && nd.Reply != "" {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-arguments", "Encrypted discussions must not receive an initial reply.")
	}
	if pm != nil && pm.DRID != "" {
		return s.joinExistingDiscussion(ctx, actor, pm.DRID)
	}
	var reply *chat.Message
	if nd.Reply != "" {
		if reply, err = s.prepareMessage(ctx, actor, NewMessage{Text: nd.Reply}); err != nil {
			return nil, err
		}
	}
	return s.insertDiscussion(ctx, actor, parent, pm, nd, encrypted, reply)
}

// joinExistingDiscussion adds actor to a discussion started earlier from
// the same message, and returns it.
func (s *Service) joinExistingDiscussion(ctx context.Context, actor *chat.User, drid string) (*chat.Room, error) {
	var room *chat.Room
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		r, err := freshRoom(ctx, tx, drid)
		if err != nil {
			return err
		}
		room = r
		sub, err := s.subscription(ctx, tx, r.ID, actor.ID)
		if err != nil || sub != nil {
			return err
		}
		return s.addMember(ctx, tx, o, r, actor, nil)
	})
	return room, err
}

func (s *Service) insertDiscussion(ctx context.Context, actor *chat.User, parent *chat.Room, pm *chat.Message, nd NewDiscussion, encrypted bool, reply *chat.Message) (*chat.Room, error) {
	t := parent.Type
	if t == chat.RoomDirect {
		t = chat.RoomGroup
	}
	topic := nd.Topic
	if topic == "" {
		topic = parent.Name
	}
	now := s.now()
	created := &chat.Message{ID: chat.NewID(), Type: chat.MsgDiscussionCreated, Text: nd.Name, User: actor.Ref(), Groupable: boolPtr(false)}
	r := &chat.Room{
		ID: chat.NewID(), Type: t, FName: nd.Name, Creator: actor.Ref(), Topic: topic,
		ParentID: parent.ID, ParentMessageID: created.ID, Encrypted: encrypted,
		CreatedAt: now, UpdatedAt: now,
	}
	// Discussions get a random unique name; clients show fname.
	r.Name = r.ID
	created.DRID = r.ID
	users := append([]string(nil), nd.Users...)
	if pm != nil {
		r.ParentMessageID = pm.ID
		if !parent.Encrypted {
			r.Description = pm.Text
		}
		users = append([]string{pm.User.Username}, users...)
		created.Attachments = []map[string]any{quoteAttachment(pm, parent)}
	}
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := s.insertRoomWithMembers(ctx, tx, o, r, actor, users, false); err != nil {
			return err
		}
		p, err := freshRoom(ctx, tx, parent.ID)
		if err != nil {
			return err
		}
		if pm != nil {
			// The quote opens the discussion; it is not a reply to count on
			// the starting message, so it goes in without the parent link.
			quote := &chat.Message{Text: "", User: actor.Ref(), Attachments: created.Attachments}
			unlinked := *r
			unlinked.ParentMessageID = ""
			if err := s.insertMessage(ctx, tx, o, &unlinked, quote); err != nil {
				return err
			}
			r.Seq, r.Msgs, r.LastMessage, r.LastMsgAt = unlinked.Seq, unlinked.Msgs, unlinked.LastMessage, unlinked.LastMsgAt
			m, err := tx.MessageByID(ctx, pm.ID)
			if err != nil {
				return err
			}
			m.DRID, m.DLM = r.ID, now
			if err := s.messageChanged(ctx, tx, o, m); err != nil {
				return err
			}
		}
		if err := s.insertMessage(ctx, tx, o, p, created); err != nil {
			return err
		}
		if reply != nil {
			reply.RoomID = r.ID
			sub, err := s.subscription(ctx, tx, r.ID, actor.ID)
			if err != nil {
				return err
			}
			if err := s.postInto(ctx, tx, o, actor, r, reply, sub); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("discussion created", "room_id", r.ID, "parent_id", parent.ID, "user_id", actor.ID)
	return r, nil
}

// quoteAttachment embeds a message in another, as Rocket.Chat quotes the
// message a discussion starts from.
func quoteAttachment(m *chat.Message, r *chat.Room) map[string]any {
	a := map[string]any{
		"text":        m.Text,
		"author_name": m.User.Username,
		"author_icon": "/avatar/" + m.User.Username,
	}
	if r.Encrypted {
		a["text"] = "Encrypted message"
	}
	if len(m.Attachments) > 0 {
		a["attachments"] = m.Attachments
	}
	return a
}
