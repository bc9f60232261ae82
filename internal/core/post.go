package core

import (
	"context"
	"encoding/json"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// insertMessage stores a prepared message in room r inside tx and queues
// its events: the message on the room's topic, the thread root or the
// discussion's parent message when they change, and notifications for the
// users it mentions. Its cost does not depend on the room's member count.
func (s *Service) insertMessage(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, m *chat.Message) error {
	now := s.now()
	if m.ID == "" {
		m.ID = chat.NewID()
	}
	m.RoomID = r.ID
	if m.TS.IsZero() {
		m.TS = now
	}
	m.UpdatedAt = now
	if m.MD == nil && m.Type == "" && m.Text != "" {
		s.parseMarkdown(m)
	}
	updateLast := m.Type == "" && m.VisibleInRoom() && !m.Hidden
	if err := tx.InsertMessage(ctx, m, updateLast); err != nil {
		return err
	}
	r.Seq, r.Msgs = m.Seq, r.Msgs+1
	if updateLast {
		r.LastMessage, r.LastMsgAt = m, m.TS
	}
	o.addData(chat.RoomTopic(r.ID), chat.Event{Kind: chat.EventMessage, RoomID: r.ID, MessageID: m.ID, At: now}, m)
	s.messageSaved(ctx, o, r, m)

	if m.TMID != "" {
		if err := s.bumpThread(ctx, tx, o, m); err != nil {
			return err
		}
	}
	if r.ParentID != "" && r.ParentMessageID != "" && m.Type == "" {
		if err := s.bumpDiscussion(ctx, tx, o, r, m); err != nil {
			return err
		}
	}
	if m.Type == "" {
		if err := s.notifyRecipients(ctx, tx, o, r, m); err != nil {
			return err
		}
	}
	if s.OnMessageSent != nil {
		s.OnMessageSent(m, r)
	}
	return nil
}

// bumpThread counts a reply on its thread root and adds the sender to the
// root's followers.
func (s *Service) bumpThread(ctx context.Context, tx chat.Store, o *outbox, m *chat.Message) error {
	root, err := tx.MessageByID(ctx, m.TMID)
	if err != nil {
		return err
	}
	root.TCount++
	root.TLM = m.TS
	root.Replies = addUnique(addUnique(root.Replies, root.User.ID), m.User.ID)
	root.UpdatedAt = m.UpdatedAt
	if err := tx.UpdateMessage(ctx, root); err != nil {
		return err
	}
	o.addData(chat.RoomTopic(root.RoomID), chat.Event{Kind: chat.EventMessage, RoomID: root.RoomID, MessageID: root.ID, At: m.UpdatedAt}, root)
	return nil
}

// bumpDiscussion counts a message of a discussion on the message that
// started it.
func (s *Service) bumpDiscussion(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, m *chat.Message) error {
	pm, err := tx.MessageByID(ctx, r.ParentMessageID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil // the starting message was deleted; nothing to count on
	}
	if err != nil {
		return err
	}
	pm.DCount++
	pm.DLM = m.TS
	pm.UpdatedAt = m.UpdatedAt
	if err := tx.UpdateMessage(ctx, pm); err != nil {
		return err
	}
	o.addData(chat.RoomTopic(pm.RoomID), chat.Event{Kind: chat.EventMessage, RoomID: pm.RoomID, MessageID: pm.ID, At: m.UpdatedAt}, pm)
	return nil
}

// Notification is the payload of stream-notify-user's notification event.
type Notification struct {
	Title   string              `json:"title"`
	Text    string              `json:"text"`
	Payload NotificationPayload `json:"payload"`
}

// NotificationPayload says which message a notification is about.
type NotificationPayload struct {
	ID      string         `json:"_id"`
	RID     string         `json:"rid"`
	TMID    string         `json:"tmid,omitempty"`
	Sender  map[string]any `json:"sender"`
	Type    chat.RoomType  `json:"type"`
	Name    string         `json:"name,omitempty"`
	Message map[string]any `json:"message"`
}

// notifyRecipients queues a notification for each mentioned user and for
// the other members of a DM, and reopens hidden DM subscriptions so that the
// conversation shows again. Only these users get a per-user event.
func (s *Service) notifyRecipients(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, m *chat.Message) error {
	targets := map[string]bool{}
	for _, mn := range m.Mentions {
		if mn.ID != "all" && mn.ID != "here" && mn.ID != m.User.ID {
			targets[mn.ID] = true
		}
	}
	if r.Type == chat.RoomDirect {
		for _, uid := range r.UIDs {
			if uid == m.User.ID {
				continue
			}
			targets[uid] = true
			sub, err := s.subscription(ctx, tx, r.ID, uid)
			if err != nil {
				return err
			}
			if sub != nil && !sub.Open {
				sub.Open = true
				sub.UpdatedAt = m.UpdatedAt
				if err := tx.UpdateSubscription(ctx, sub); err != nil {
					return err
				}
				o.addData(chat.UserTopic(uid), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: uid, At: m.UpdatedAt}, sub)
			}
		}
	}
	if len(targets) == 0 {
		return nil
	}
	title := "@" + m.User.Username
	if r.Type != chat.RoomDirect {
		title = "#" + r.Name
	}
	n := Notification{
		Title: title,
		Text:  m.Text,
		Payload: NotificationPayload{
			ID: m.ID, RID: r.ID, TMID: m.TMID, Type: r.Type, Name: r.Name,
			Sender:  map[string]any{"_id": m.User.ID, "username": m.User.Username, "name": m.User.Name},
			Message: map[string]any{"msg": m.Text},
		},
	}
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	for uid := range targets {
		o.add(chat.UserTopic(uid), chat.Event{Kind: chat.EventNotification, RoomID: r.ID, UserID: uid, MessageID: m.ID, At: m.UpdatedAt, Data: data})
	}
	return nil
}

// systemMessage writes one of Rocket.Chat's system messages (t set, msg
// usually the affected username or new value) into room r.
func (s *Service) systemMessage(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, typ, text string, actor *chat.User, edit func(*chat.Message)) error {
	m := &chat.Message{Type: typ, Text: text, User: actor.Ref(), Groupable: boolPtr(false)}
	if edit != nil {
		edit(m)
	}
	return s.insertMessage(ctx, tx, o, r, m)
}

func boolPtr(b bool) *bool { return &b }

// addUnique appends v to xs unless present.
func addUnique(xs []string, v string) []string {
	for _, x := range xs {
		if x == v {
			return xs
		}
	}
	return append(xs, v)
}

// remove returns xs without v.
func remove(xs []string, v string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// contains reports whether xs holds v.
func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
