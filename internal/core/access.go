package core

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// findRoom looks a room up by id, then by name. Rocket.Chat accepts either
// wherever a room is addressed.
func (s *Service) findRoom(ctx context.Context, st chat.Store, idOrName string) (*chat.Room, error) {
	if idOrName == "" {
		return nil, chat.ErrRoomNotFound()
	}
	r, err := st.RoomByID(ctx, idOrName)
	if err == nil {
		return r, nil
	}
	if !chat.IsKind(err, chat.ENotFound) {
		return nil, err
	}
	r, err = st.RoomByName(ctx, idOrName)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.ErrRoomNotFound()
	}
	return r, err
}

// subscription returns the actor's membership in a room, or nil. Its
// unread counts are not computed (they are zero): membership checks run on
// every request and must not pay for counting; use withCounts where a
// client is shown the counts.
func (s *Service) subscription(ctx context.Context, st chat.Store, roomID, userID string) (*chat.Subscription, error) {
	sub, err := st.Membership(ctx, roomID, userID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil
	}
	return sub, err
}

// withCounts returns a membership with its unread counts, or nil.
func (s *Service) withCounts(ctx context.Context, st chat.Store, roomID, userID string) (*chat.Subscription, error) {
	sub, err := st.Subscription(ctx, roomID, userID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil
	}
	return sub, err
}

// mayRead reports whether actor may read a room: public channels are open
// to every logged-in user with view-c-room (and to anonymous readers when
// Accounts_AllowAnonymousRead is on); every other room only to members.
func (s *Service) mayRead(ctx context.Context, actor *chat.User, r *chat.Room, sub *chat.Subscription) bool {
	if sub != nil {
		return true
	}
	if r.Type != chat.RoomChannel {
		return false
	}
	if actor == nil {
		return s.SettingBool("Accounts_AllowAnonymousRead")
	}
	return s.Can(ctx, actor, "view-c-room", "")
}

// readableRoom returns the room and the actor's subscription (nil when not
// a member), or Rocket.Chat's room-not-found error when the actor may not
// read it: a private room's existence is not revealed to outsiders.
func (s *Service) readableRoom(ctx context.Context, actor *chat.User, idOrName string) (*chat.Room, *chat.Subscription, error) {
	r, err := s.findRoom(ctx, s.store, idOrName)
	if err != nil {
		return nil, nil, err
	}
	var sub *chat.Subscription
	if actor != nil {
		if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
			return nil, nil, err
		}
	}
	if !s.mayRead(ctx, actor, r, sub) {
		return nil, nil, chat.ErrRoomNotFound()
	}
	return r, sub, nil
}

// ReadableRoom is readableRoom for the adapters (stream subscriptions).
func (s *Service) ReadableRoom(ctx context.Context, actor *chat.User, idOrName string) (*chat.Room, *chat.Subscription, error) {
	return s.readableRoom(ctx, actor, idOrName)
}

// CanReadRoom reports whether actor may read the room with the given id.
func (s *Service) CanReadRoom(ctx context.Context, actor *chat.User, roomID string) bool {
	_, _, err := s.readableRoom(ctx, actor, roomID)
	return err == nil
}

// requireWritable refuses changes to archived rooms, and posts to
// read-only rooms from users without post-readonly.
func (s *Service) requireWritable(ctx context.Context, actor *chat.User, r *chat.Room, sub *chat.Subscription) error {
	if r.Archived {
		return chat.Errorf(chat.EInvalid, "error-room-archived", "You can't send messages to archived rooms")
	}
	if r.ReadOnly && !s.canWithSub(actor, sub, "post-readonly") {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "You can't send messages to read-only rooms")
	}
	for _, m := range r.Muted {
		if m == actor.Username {
			return chat.Errorf(chat.EForbidden, "error-user-muted", "You have been muted and cannot speak in this room")
		}
	}
	return nil
}
