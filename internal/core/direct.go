package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// directRoomByUsername finds the direct conversation between actor and the
// user with that username.
func (s *Service) directRoomByUsername(ctx context.Context, st chat.Store, actor *chat.User, username string) (*chat.Room, error) {
	if actor == nil {
		return nil, chat.ErrNotFound("room")
	}
	other, err := st.UserByUsername(ctx, strings.TrimPrefix(username, "@"))
	if err != nil {
		return nil, err
	}
	return st.RoomByID(ctx, chat.DirectRoomID(actor.ID, other.ID))
}

// CreateDirectMessage opens the direct conversation between actor and the
// users named (im.create, createDirectMessage): a one-to-one DM with one
// name, a group DM with several. An existing conversation is returned (and
// shown again in actor's sidebar). Without create-d, users with view-d-room
// may still open conversations that exist.
func (s *Service) CreateDirectMessage(ctx context.Context, actor *chat.User, usernames []string, excludeSelf bool) (*chat.Room, error) {
	names := trimmedUnique(usernames)
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "@")
	}
	if len(names) == 0 {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-user", "Invalid user")
	}
	if len(names) == 1 && strings.EqualFold(names[0], actor.Username) && !s.SettingBool("Message_AllowDirectMessagesToYourself") {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-user", "Invalid user")
	}
	members := []chat.User{}
	if !excludeSelf {
		members = append(members, *actor)
	}
	for _, n := range names {
		if strings.EqualFold(n, actor.Username) {
			continue
		}
		u, err := s.store.UserByUsername(ctx, n)
		if chat.IsKind(err, chat.ENotFound) {
			return nil, chat.Errorf(chat.EInvalid, "error-invalid-user", "Invalid user")
		}
		if err != nil {
			return nil, err
		}
		members = append(members, *u)
	}
	if len(members) == 0 {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-user", "Invalid user")
	}
	uids := make([]string, len(members))
	for i := range members {
		uids[i] = members[i].ID
	}
	id := chat.DirectRoomID(uids...)
	if !s.Can(ctx, actor, "create-d", "") {
		if s.Can(ctx, actor, "view-d-room", "") {
			if r, err := s.store.RoomByID(ctx, id); err == nil {
				return r, nil
			}
		}
		return nil, chat.ErrNotAllowed("createDirectMessage")
	}
	var room *chat.Room
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		r, err := tx.RoomByID(ctx, id)
		switch {
		case err == nil:
			room = r
			return s.reopenDirect(ctx, tx, o, r, actor)
		case !chat.IsKind(err, chat.ENotFound):
			return err
		}
		now := s.now()
		r = &chat.Room{ID: id, Type: chat.RoomDirect, Creator: actor.Ref(), CreatedAt: now, UpdatedAt: now}
		for i := range members {
			r.UIDs = append(r.UIDs, members[i].ID)
			r.Usernames = append(r.Usernames, members[i].Username)
		}
		if err := tx.CreateRoom(ctx, r); err != nil {
			return err
		}
		for i := range members {
			u := &members[i]
			// Rocket.Chat shows a new one-to-one conversation only to its
			// creator until the first message; group DMs show to all.
			open := u.ID == actor.ID || len(members) > 2
			sub, err := s.subscribe(ctx, tx, o, r, u, nil, open)
			if err != nil {
				return err
			}
			if len(members) > 2 {
				if err := s.nameGroupDirect(ctx, tx, o, r, u, sub); err != nil {
					return err
				}
			}
		}
		room = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return room, nil
}

// nameGroupDirect names a group DM's subscription after the other
// members, as Rocket.Chat lists them.
func (s *Service) nameGroupDirect(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, u *chat.User, sub *chat.Subscription) error {
	var others []string
	for i, uid := range r.UIDs {
		if uid != u.ID && i < len(r.Usernames) {
			others = append(others, r.Usernames[i])
		}
	}
	sub.Name = strings.Join(others, ", ")
	sub.FName = sub.Name
	if err := tx.UpdateSubscription(ctx, sub); err != nil {
		return err
	}
	o.addData(chat.UserTopic(u.ID), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: u.ID, At: sub.UpdatedAt}, sub)
	return nil
}

// reopenDirect shows an existing DM again in actor's sidebar.
func (s *Service) reopenDirect(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, actor *chat.User) error {
	sub, err := s.subscription(ctx, tx, r.ID, actor.ID)
	if err != nil || sub == nil || sub.Open {
		return err
	}
	return s.setOpen(ctx, tx, o, sub, true)
}
