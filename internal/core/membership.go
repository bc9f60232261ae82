package core

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// subscribe makes u a member of r with the given room roles, and queues the
// events that tell u's clients about the new room. It does not write a
// system message; callers choose which (uj, au, none).
func (s *Service) subscribe(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, u *chat.User, roles []string, open bool) (*chat.Subscription, error) {
	now := s.now()
	sub := &chat.Subscription{
		ID:       chat.NewID(),
		RoomID:   r.ID,
		User:     u.Ref(),
		Type:     r.Type,
		Name:     r.Name,
		FName:    r.FName,
		Open:     open,
		Roles:    roles,
		ReadSeq:  r.Seq,
		LastSeen: now,
		Archived: r.Archived,
		ParentID: r.ParentID,
		TeamID:   r.TeamID,
		TeamMain: r.TeamMain,

		CreatedAt: now,
		UpdatedAt: now,
	}
	if sub.FName == "" {
		sub.FName = r.Name
	}
	if r.Type == chat.RoomDirect {
		s.nameDirectSubscription(ctx, tx, r, u, sub)
	}
	if err := tx.CreateSubscription(ctx, sub); err != nil {
		if chat.IsKind(err, chat.EConflict) {
			return nil, chat.Errorf(chat.EConflict, "error-user-already-in-room", "User is already in the room")
		}
		return nil, err
	}
	if err := tx.IncrementRoomUsers(ctx, r.ID, 1); err != nil {
		return nil, err
	}
	r.UsersCount++
	o.addData(chat.UserTopic(u.ID), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: u.ID, At: now}, sub)
	o.addData(chat.UserTopic(u.ID), chat.Event{Kind: chat.EventRoomChanged, RoomID: r.ID, UserID: u.ID, At: now}, r)
	return sub, nil
}

// nameDirectSubscription names a DM subscription after the other member,
// as clients show it.
func (s *Service) nameDirectSubscription(ctx context.Context, tx chat.Store, r *chat.Room, u *chat.User, sub *chat.Subscription) {
	sub.Name, sub.FName = u.Username, u.Name
	for i, uid := range r.UIDs {
		if uid == u.ID || i >= len(r.Usernames) {
			continue
		}
		sub.Name = r.Usernames[i]
		if other, err := tx.UserByID(ctx, uid); err == nil {
			sub.FName = other.Name
		}
		break
	}
}

// unsubscribe removes u from r and queues the events that drop the room from
// u's clients.
func (s *Service) unsubscribe(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, userID string) error {
	now := s.now()
	if err := tx.DeleteSubscription(ctx, r.ID, userID, now); err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return chat.Errorf(chat.EInvalid, "error-user-not-in-room", "User is not in this room")
		}
		return err
	}
	if err := tx.IncrementRoomUsers(ctx, r.ID, -1); err != nil {
		return err
	}
	r.UsersCount--
	o.add(chat.UserTopic(userID), chat.Event{Kind: chat.EventSubscriptionGone, RoomID: r.ID, UserID: userID, At: now})
	return nil
}

// roomChanged stamps r as updated, writes it and queues its event for the
// room's members.
func (s *Service) roomChanged(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room) error {
	r.UpdatedAt = s.now()
	if err := tx.UpdateRoom(ctx, r); err != nil {
		return err
	}
	o.addData(chat.RoomTopic(r.ID), chat.Event{Kind: chat.EventRoomChanged, RoomID: r.ID, At: r.UpdatedAt}, r)
	return nil
}
