package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// System message types of team membership and team rooms, as Rocket.Chat
// names them.
const (
	msgUserJoinedDiscussion = "ut"
	msgRoomAddedToTeam      = "user-added-room-to-team"
	msgRoomDeletedFromTeam  = "user-deleted-room-from-team"
)

// RoomTargetUser finds the user an endpoint acts on, by id or username, as
// Rocket.Chat's getUserFromParams does (and with its errors).
func (s *Service) RoomTargetUser(ctx context.Context, userID, username string) (*chat.User, error) {
	userID, username = strings.TrimSpace(userID), strings.TrimSpace(username)
	var (
		u   *chat.User
		err error
	)
	switch {
	case userID != "":
		u, err = s.store.UserByID(ctx, userID)
	case username != "":
		u, err = s.store.UserByUsername(ctx, strings.TrimPrefix(username, "@"))
	default:
		return nil, chat.Errorf(chat.EInvalid, "error-user-param-not-provided", `The required "userId" or "username" param was not provided`)
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-user", `The required "userId" or "username" param provided does not match any users`)
	}
	return u, err
}

// JoinRoom makes actor a member of a public channel (channels.join,
// joinRoom), with a join message. Joining a room one is already in
// changes nothing.
func (s *Service) JoinRoom(ctx context.Context, actor *chat.User, ref RoomRef, joinCode string) (*chat.Room, error) {
	r, sub, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if sub != nil {
		return r, nil
	}
	if r.Type != chat.RoomChannel {
		return nil, chat.ErrNotAllowed("joinRoom")
	}
	if r.Archived {
		return nil, roomArchived(r)
	}
	if r.JoinCode != "" && joinCode != r.JoinCode && !s.Can(ctx, actor, "join-without-join-code", "") {
		return nil, chat.Errorf(chat.EInvalid, "error-code-invalid", "Invalid Room Password")
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if r, err = freshRoom(ctx, tx, r.ID); err != nil {
			return err
		}
		existing, err := s.subscription(ctx, tx, r.ID, actor.ID)
		if err != nil || existing != nil {
			return err
		}
		return s.addMember(ctx, tx, o, r, actor, nil)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// addMember subscribes u to r and writes the message Rocket.Chat writes
// for it: "au" (or added-user-to-team) when inviter adds them, otherwise
// the join message of the room's kind. A team's main room also records
// the team membership.
func (s *Service) addMember(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, u, inviter *chat.User) error {
	if _, err := s.subscribe(ctx, tx, o, r, u, nil, true); err != nil {
		return err
	}
	var err error
	switch {
	case inviter != nil && r.TeamMain:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserAddedToTeam, u.Username, inviter, nil)
	case inviter != nil:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserAdded, u.Username, inviter, nil)
	case r.IsDiscussion():
		err = s.systemMessage(ctx, tx, o, r, msgUserJoinedDiscussion, u.Username, u, nil)
	case r.TeamMain:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserJoinedTeam, u.Username, u, nil)
	default:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserJoined, u.Username, u, nil)
	}
	if err != nil {
		return err
	}
	if r.TeamMain && r.TeamID != "" {
		if err := s.addTeamMembership(ctx, tx, r.TeamID, u, inviter, nil); err != nil {
			return err
		}
	}
	return s.roomChanged(ctx, tx, o, r)
}

// removeMember unsubscribes u from r, after the message Rocket.Chat writes
// for it: "ru" (or removed-user-from-team) when by removes them, otherwise
// the leave message. A team's main room also ends the team membership.
func (s *Service) removeMember(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, u, by *chat.User) error {
	var err error
	switch {
	case by != nil && by.ID != u.ID && r.TeamMain:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserRemovedFromTeam, u.Username, by, nil)
	case by != nil && by.ID != u.ID:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserRemoved, u.Username, by, nil)
	case r.TeamMain:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserLeftTeam, u.Username, u, nil)
	default:
		err = s.systemMessage(ctx, tx, o, r, chat.MsgUserLeft, u.Username, u, nil)
	}
	if err != nil {
		return err
	}
	if err := s.unsubscribe(ctx, tx, o, r, u.ID); err != nil {
		return err
	}
	if r.TeamMain && r.TeamID != "" {
		if err := tx.RemoveTeamMember(ctx, r.TeamID, u.ID); err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
	}
	return s.roomChanged(ctx, tx, o, r)
}

// isLastOwner reports whether userID is the room's only owner.
func (s *Service) isLastOwner(ctx context.Context, st chat.Store, roomID, userID string) (bool, error) {
	subs, err := st.SubscriptionsWithRoles(ctx, roomID)
	if err != nil {
		return false, err
	}
	owners, isOwner := 0, false
	for _, sub := range subs {
		if sub.HasRole("owner") {
			owners++
			isOwner = isOwner || sub.User.ID == userID
		}
	}
	return isOwner && owners == 1, nil
}

// LeaveRoom removes actor from a room (channels.leave, groups.leave,
// rooms.leave, leaveRoom). The last owner must name another owner first;
// direct messages cannot be left.
func (s *Service) LeaveRoom(ctx context.Context, actor *chat.User, ref RoomRef) (*chat.Room, error) {
	r, sub, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if r.Archived {
		return nil, roomArchived(r)
	}
	if r.Type == chat.RoomDirect ||
		(r.Type == chat.RoomChannel && !s.Can(ctx, actor, "leave-c", "")) ||
		(r.Type == chat.RoomGroup && !s.Can(ctx, actor, "leave-p", "")) {
		return nil, chat.ErrNotAllowed("leaveRoom")
	}
	if sub == nil {
		return nil, chat.Errorf(chat.EInvalid, "error-user-not-in-room", "You are not in this room")
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if r, err = freshRoom(ctx, tx, r.ID); err != nil {
			return err
		}
		last, err := s.isLastOwner(ctx, tx, r.ID, actor.ID)
		if err != nil {
			return err
		}
		if last {
			return chat.Errorf(chat.EInvalid, "error-you-are-last-owner", "You are the last owner. Please set new owner before leaving the room.")
		}
		return s.removeMember(ctx, tx, o, r, actor, nil)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// InviteToRoom adds users to a channel or group (channels.invite,
// groups.invite, addUsersToRoom). Members of the room may add others with
// add-user-to-joined-room; anyone with add-user-to-any-c-room or
// add-user-to-any-p-room may add to rooms of that type. Users already in
// the room are skipped.
func (s *Service) InviteToRoom(ctx context.Context, actor *chat.User, ref RoomRef, userIDs, usernames []string) (*chat.Room, error) {
	r, sub, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if r.Type == chat.RoomDirect {
		return nil, chat.Errorf(chat.EInvalid, "error-cant-invite-for-direct-room", "Can't invite user to direct rooms")
	}
	if r.Archived {
		return nil, roomArchived(r)
	}
	allowed := (sub != nil && s.canWithSub(actor, sub, "add-user-to-joined-room")) ||
		(r.Type == chat.RoomChannel && s.Can(ctx, actor, "add-user-to-any-c-room", "")) ||
		(r.Type == chat.RoomGroup && s.Can(ctx, actor, "add-user-to-any-p-room", ""))
	if !allowed {
		return nil, chat.ErrNotAllowed("addUsersToRoom")
	}
	users, err := s.usersByIDsOrNames(ctx, userIDs, usernames)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, chat.Errorf(chat.EInvalid, "error-empty-invite-list", "Cannot invite if no valid users are provided")
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if r, err = freshRoom(ctx, tx, r.ID); err != nil {
			return err
		}
		for i := range users {
			existing, err := s.subscription(ctx, tx, r.ID, users[i].ID)
			if err != nil {
				return err
			}
			if existing != nil {
				continue
			}
			if err := s.addMember(ctx, tx, o, r, &users[i], actor); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// usersByIDsOrNames returns the users named by id or username, once each,
// skipping unknown ones.
func (s *Service) usersByIDsOrNames(ctx context.Context, ids, usernames []string) ([]chat.User, error) {
	var out []chat.User
	seen := map[string]bool{}
	if ids = trimmedUnique(ids); len(ids) > 0 {
		us, err := s.store.UsersByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, u)
			}
		}
	}
	names := trimmedUnique(usernames)
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "@")
	}
	if len(names) > 0 {
		us, err := s.store.UsersByUsernames(ctx, names)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// KickFromRoom removes target from a room on actor's behalf
// (channels.kick, groups.kick, removeUserFromRoom); it needs remove-user
// in the room, and the last owner cannot be removed.
func (s *Service) KickFromRoom(ctx context.Context, actor *chat.User, ref RoomRef, target *chat.User) (*chat.Room, error) {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if r.Archived {
		return nil, roomArchived(r)
	}
	if r.Type == chat.RoomDirect || !s.Can(ctx, actor, "remove-user", r.ID) {
		return nil, chat.ErrNotAllowed("removeUserFromRoom")
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if r, err = freshRoom(ctx, tx, r.ID); err != nil {
			return err
		}
		sub, err := s.subscription(ctx, tx, r.ID, target.ID)
		if err != nil {
			return err
		}
		if sub == nil {
			return chat.Errorf(chat.EInvalid, "error-user-not-in-room", "User is not in this room")
		}
		last, err := s.isLastOwner(ctx, tx, r.ID, target.ID)
		if err != nil {
			return err
		}
		if last {
			return chat.Errorf(chat.EInvalid, "error-you-are-last-owner", "This is the last owner. Please set a new owner before removing this one.")
		}
		return s.removeMember(ctx, tx, o, r, target, actor)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
