package core

import (
	"context"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// errInvalidSubscription is Rocket.Chat's error for acting on a room one is
// not a member of.
func errInvalidSubscription() *chat.Error {
	return chat.Errorf(chat.EInvalid, "error-invalid-subscription", "Invalid subscription")
}

// SubscriptionsForSync returns actor's subscriptions changed after since
// (all when since is zero) and the ones removed since then
// (subscriptions.get, subscriptions/get).
func (s *Service) SubscriptionsForSync(ctx context.Context, actor *chat.User, since time.Time) ([]chat.Subscription, []chat.Removal, error) {
	subs, err := s.store.SubscriptionsOfUser(ctx, actor.ID, chat.SubscriptionFilter{UpdatedSince: since})
	if err != nil {
		return nil, nil, err
	}
	if since.IsZero() {
		return subs, nil, nil
	}
	removed, err := s.store.SubscriptionRemovals(ctx, actor.ID, since)
	return subs, removed, err
}

// SubscriptionOf returns actor's subscription to a room, or nil when they
// are not a member (subscriptions.getOne).
func (s *Service) SubscriptionOf(ctx context.Context, actor *chat.User, roomID string) (*chat.Subscription, error) {
	return s.withCounts(ctx, s.store, roomID, actor.ID)
}

// UnreadThreadsOf lists the threads of a room with replies actor has not
// read (the subscription's tunread).
func (s *Service) UnreadThreadsOf(ctx context.Context, actor *chat.User, roomID string) ([]string, error) {
	return s.store.UnreadThreads(ctx, roomID, actor.ID)
}

// memberSubscription resolves a room for actor and requires membership,
// returning the fresh subscription read inside tx.
func (s *Service) memberSubscription(ctx context.Context, tx chat.Store, actor *chat.User, roomID string) (*chat.Subscription, error) {
	sub, err := s.subscription(ctx, tx, roomID, actor.ID)
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return nil, errInvalidSubscription()
	}
	return sub, nil
}

// subscriptionChanged writes sub and sends it again, recomputed, to its
// user.
func (s *Service) subscriptionChanged(ctx context.Context, tx chat.Store, o *outbox, sub *chat.Subscription) error {
	sub.UpdatedAt = s.now()
	if err := tx.UpdateSubscription(ctx, sub); err != nil {
		return err
	}
	// Re-read so that the event carries the counts the store computes.
	fresh, err := tx.Subscription(ctx, sub.RoomID, sub.User.ID)
	if err != nil {
		return err
	}
	*sub = *fresh
	o.addData(chat.UserTopic(sub.User.ID), chat.Event{Kind: chat.EventSubscription, RoomID: sub.RoomID, UserID: sub.User.ID, At: sub.UpdatedAt}, sub)
	return nil
}

// ReadMessages marks a room read for actor (subscriptions.read,
// readMessages): the read mark moves to the room's newest message, the
// last-seen time to now, and a forced alert is cleared. With readThreads,
// the room's threads are marked read too. The room is told that messages
// were read, for read receipts.
//
// seenUpTo, when not empty, names the newest message the reader has seen.
// A read sent as the reader leaves a room can reach the server after a
// message posted meanwhile; without the mark, that message would count as
// read though it was never shown. With it, the read mark stops there and
// the last-seen time is that message's, so what came after stays unread.
// Rocket.Chat's clients do not send it and get Rocket.Chat's behaviour.
func (s *Service) ReadMessages(ctx context.Context, actor *chat.User, roomID string, readThreads bool, seenUpTo string) error {
	if roomID == "" {
		return chat.ErrInvalidParam("must have required property 'rid'")
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		sub, err := s.memberSubscription(ctx, tx, actor, roomID)
		if err != nil {
			return err
		}
		r, err := freshRoom(ctx, tx, roomID)
		if err != nil {
			return err
		}
		now := s.now()
		readSeq, lastSeen := r.Seq, now
		if seenUpTo != "" {
			m, err := tx.MessageByID(ctx, seenUpTo)
			if chat.IsKind(err, chat.ENotFound) || (err == nil && m.RoomID != roomID) {
				return chat.Errorf(chat.EInvalid, "error-invalid-message", "The message read up to is not in this room")
			}
			if err != nil {
				return err
			}
			if m.Seq < r.Seq {
				readSeq, lastSeen = max(m.Seq, sub.ReadSeq), m.TS
				if sub.LastSeen.After(lastSeen) {
					lastSeen = sub.LastSeen
				}
			}
		}
		if readThreads {
			tmids, err := tx.UnreadThreads(ctx, roomID, actor.ID)
			if err != nil {
				return err
			}
			for _, tmid := range tmids {
				if err := tx.SetThreadRead(ctx, tmid, actor.ID, now); err != nil {
					return err
				}
			}
		}
		sub.ReadSeq, sub.LastSeen, sub.ForceAlert = readSeq, lastSeen, false
		if err := s.subscriptionChanged(ctx, tx, o, sub); err != nil {
			return err
		}
		o.addData(chat.RoomTopic(roomID), chat.Event{Kind: chat.EventMessagesRead, RoomID: roomID, UserID: actor.ID, At: now},
			map[string]any{"until": lastSeen})
		return nil
	})
}

// MarkUnread marks a room unread for actor (subscriptions.unread,
// unreadMessages). With a message id, the read mark moves back to just
// before that message (others' messages only); with only a room id, the
// room is flagged with an alert, which needs a message to point at.
func (s *Service) MarkUnread(ctx context.Context, actor *chat.User, roomID, firstUnreadID string) error {
	notAllowed := func() error {
		e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Not allowed")
		e.Details = map[string]any{"method": "unreadMessages", "action": "Unread_messages"}
		return e
	}
	if roomID == "" && firstUnreadID == "" {
		return notAllowed()
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if roomID != "" && firstUnreadID == "" {
			msgs, _, err := tx.ListMessages(ctx, chat.MessageFilter{RoomID: roomID, Limit: 1})
			if err != nil {
				return err
			}
			if len(msgs) == 0 {
				e := chat.Errorf(chat.EInvalid, "error-no-message-for-unread", "There are no messages to mark unread")
				e.Details = map[string]any{"method": "unreadMessages", "action": "Unread_messages"}
				return e
			}
			sub, err := s.memberSubscription(ctx, tx, actor, roomID)
			if err != nil {
				return err
			}
			sub.ForceAlert, sub.Open = true, true
			return s.subscriptionChanged(ctx, tx, o, sub)
		}
		m, err := tx.MessageByID(ctx, firstUnreadID)
		if chat.IsKind(err, chat.ENotFound) {
			return notAllowed()
		}
		if err != nil {
			return err
		}
		if m.User.ID == actor.ID || (roomID != "" && m.RoomID != roomID) {
			return notAllowed()
		}
		sub, err := s.memberSubscription(ctx, tx, actor, m.RoomID)
		if err != nil {
			return err
		}
		if m.Seq > sub.ReadSeq {
			return nil // already unread
		}
		sub.ReadSeq, sub.Open = m.Seq-1, true
		return s.subscriptionChanged(ctx, tx, o, sub)
	})
}

// ToggleFavorite stars or unstars a room in actor's sidebar
// (rooms.favorite, toggleFavorite).
func (s *Service) ToggleFavorite(ctx context.Context, actor *chat.User, ref RoomRef, favorite bool) error {
	r, sub, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return err
	}
	if r.Archived {
		return roomArchived(r)
	}
	if sub == nil {
		return chat.Errorf(chat.EInvalid, "error-invalid-subscription", "You must be part of a room to favorite it")
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		sub, err := s.memberSubscription(ctx, tx, actor, r.ID)
		if err != nil {
			return err
		}
		if sub.Favorite == favorite {
			return nil
		}
		sub.Favorite = favorite
		return s.subscriptionChanged(ctx, tx, o, sub)
	})
}

// OpenRoom shows a room in actor's sidebar again (rooms.open, openRoom,
// channels.open, im.open).
func (s *Service) OpenRoom(ctx context.Context, actor *chat.User, roomID string) error {
	return s.setRoomOpen(ctx, actor, roomID, true)
}

// HideRoom hides a room from actor's sidebar without leaving it
// (rooms.hide, hideRoom, channels.close, im.close).
func (s *Service) HideRoom(ctx context.Context, actor *chat.User, roomID string) error {
	return s.setRoomOpen(ctx, actor, roomID, false)
}

func (s *Service) setRoomOpen(ctx context.Context, actor *chat.User, roomID string, open bool) error {
	if roomID == "" {
		return chat.ErrInvalidParam("must have required property 'roomId'")
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		sub, err := s.memberSubscription(ctx, tx, actor, roomID)
		if err != nil {
			return err
		}
		if sub.Open == open {
			return nil
		}
		return s.setOpen(ctx, tx, o, sub, open)
	})
}

// setOpen writes a subscription's open flag and announces it.
func (s *Service) setOpen(ctx context.Context, tx chat.Store, o *outbox, sub *chat.Subscription, open bool) error {
	sub.Open = open
	return s.subscriptionChanged(ctx, tx, o, sub)
}
