package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// errEditNotAllowed is saveRoomSettings' error for a caller without
// edit-room.
func errEditNotAllowed() *chat.Error {
	e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Editing room is not allowed")
	e.Details = map[string]any{"method": "saveRoomSettings", "action": "Editing_room"}
	return e
}

// editRoom runs a room setting change: the room must be readable and not
// archived, actor needs edit-room in it, and edit runs in one transaction
// on the room's current state. edit reports whether it changed anything;
// the room is then written and announced.
func (s *Service) editRoom(ctx context.Context, actor *chat.User, ref RoomRef, edit func(tx chat.Store, o *outbox, r *chat.Room) (bool, error)) (*chat.Room, error) {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if r.Archived {
		return nil, roomArchived(r)
	}
	if !s.Can(ctx, actor, "edit-room", r.ID) {
		return nil, errEditNotAllowed()
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if r, err = freshRoom(ctx, tx, r.ID); err != nil {
			return err
		}
		changed, err := edit(tx, o, r)
		if err != nil || !changed {
			return err
		}
		return s.roomChanged(ctx, tx, o, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SetRoomTopic changes a room's topic, with a room_changed_topic message.
func (s *Service) SetRoomTopic(ctx context.Context, actor *chat.User, ref RoomRef, topic string) (*chat.Room, error) {
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Topic == topic {
			return false, nil
		}
		r.Topic = topic
		return true, s.systemMessage(ctx, tx, o, r, chat.MsgTopicChanged, topic, actor, nil)
	})
}

// SetRoomDescription changes a room's description, with a
// room_changed_description message.
func (s *Service) SetRoomDescription(ctx context.Context, actor *chat.User, ref RoomRef, description string) (*chat.Room, error) {
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Description == description {
			return false, nil
		}
		r.Description = description
		return true, s.systemMessage(ctx, tx, o, r, chat.MsgDescriptionChanged, description, actor, nil)
	})
}

// SetRoomAnnouncement changes a room's announcement, with a
// room_changed_announcement message.
func (s *Service) SetRoomAnnouncement(ctx context.Context, actor *chat.User, ref RoomRef, announcement string) (*chat.Room, error) {
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Announcement == announcement {
			return false, nil
		}
		r.Announcement = announcement
		return true, s.systemMessage(ctx, tx, o, r, chat.MsgAnnouncementChanged, announcement, actor, nil)
	})
}

// SetRoomReadOnly makes a room read-only or writable again, with a
// room-set-read-only or room-removed-read-only message. Broadcast rooms
// stay read-only.
func (s *Service) SetRoomReadOnly(ctx context.Context, actor *chat.User, ref RoomRef, readOnly bool) (*chat.Room, error) {
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Broadcast {
			return false, chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Editing readOnly/reactWhenReadOnly are not allowed for broadcast rooms")
		}
		if r.ReadOnly == readOnly {
			return false, nil
		}
		r.ReadOnly = readOnly
		typ := chat.MsgReadOnlyRemoved
		if readOnly {
			typ = chat.MsgReadOnlySet
		}
		return true, s.systemMessage(ctx, tx, o, r, typ, "", actor, nil)
	})
}

// SetRoomType turns a channel into a private group or back, with a
// room_changed_privacy message. The caller needs the permission to create
// rooms of the new type; a team's main room changes the team's type too.
func (s *Service) SetRoomType(ctx context.Context, actor *chat.User, ref RoomRef, t chat.RoomType) (*chat.Room, error) {
	if t != chat.RoomChannel && t != chat.RoomGroup {
		e := chat.Errorf(chat.EInvalid, "error-invalid-room-type", "error-invalid-room-type")
		e.Details = map[string]any{"type": string(t)}
		return nil, e
	}
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Type == chat.RoomDirect {
			return false, chat.Errorf(chat.EInvalid, "error-direct-room", "Can't change type of direct rooms")
		}
		if r.Type == t {
			return false, nil
		}
		if t == chat.RoomChannel && !s.Can(ctx, actor, "create-c", "") {
			return false, chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Changing a private group to a public channel is not allowed")
		}
		if t == chat.RoomGroup && !s.Can(ctx, actor, "create-p", "") {
			return false, chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Changing a public channel to a private room is not allowed")
		}
		r.Type = t
		word := "private"
		if t == chat.RoomChannel {
			word = "public"
		}
		if err := s.systemMessage(ctx, tx, o, r, chat.MsgPrivacyChanged, word, actor, nil); err != nil {
			return false, err
		}
		if r.TeamMain && r.TeamID != "" {
			if err := s.setTeamFromRoom(ctx, tx, r); err != nil {
				return false, err
			}
		}
		return true, s.membersChanged(ctx, tx, o, r)
	})
}

// RenameRoom renames a room, with an "r" message holding the new name.
// Discussions keep their generated name and change only their display
// name; a team's main room renames the team.
func (s *Service) RenameRoom(ctx context.Context, actor *chat.User, ref RoomRef, name string) (*chat.Room, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-room-name", "Invalid room name")
	}
	return s.editRoom(ctx, actor, ref, func(tx chat.Store, o *outbox, r *chat.Room) (bool, error) {
		if r.Type == chat.RoomDirect {
			return false, chat.ErrNotAllowed("saveRoomSettings")
		}
		if r.IsDiscussion() {
			if r.FName == name {
				return false, nil
			}
			r.FName = name
		} else {
			if r.Name == name {
				return false, nil
			}
			valid, err := s.validRoomName(ctx, name, r.ID)
			if err != nil {
				return false, err
			}
			r.Name, r.FName = valid, valid
		}
		if err := tx.RenameSubscriptions(ctx, r.ID, r.Name, r.FName, s.now()); err != nil {
			return false, err
		}
		if err := s.systemMessage(ctx, tx, o, r, chat.MsgRoomRenamed, roomDisplayName(r), actor, nil); err != nil {
			return false, err
		}
		if r.TeamMain && r.TeamID != "" {
			if err := s.setTeamFromRoom(ctx, tx, r); err != nil {
				return false, err
			}
		}
		return true, s.membersChanged(ctx, tx, o, r)
	})
}

// membersChanged stamps every membership of r as updated and sends each
// member their subscription again, after a change that members see in
// their subscriptions (name, type, archived). It costs one write per
// member, which these rare administrative changes can afford.
func (s *Service) membersChanged(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room) error {
	now := s.now()
	if err := tx.TouchSubscriptions(ctx, r.ID, now); err != nil {
		return err
	}
	ids, err := tx.MemberIDs(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, uid := range ids {
		sub, err := s.subscription(ctx, tx, r.ID, uid)
		if err != nil {
			return err
		}
		if sub == nil {
			continue
		}
		// The store copies these from the room on read; the room row is
		// written after this, so the copy is set here.
		sub.Type, sub.Archived, sub.Name, sub.FName = r.Type, r.Archived, r.Name, r.FName
		o.addData(chat.UserTopic(uid), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: uid, At: now}, sub)
	}
	return nil
}

// roomRoles maps the room roles to their permission and error texts.
var roomRoles = map[string]struct {
	perm, already, not, article string
}{
	"owner":     {"set-owner", "error-user-already-owner", "error-user-not-owner", "an owner"},
	"moderator": {"set-moderator", "error-user-already-moderator", "error-user-not-moderator", "a moderator"},
	"leader":    {"set-leader", "error-user-already-leader", "error-user-not-leader", "a leader"},
}

// SetRoomRole gives target a room role (owner, moderator, leader) or takes
// it away, with a subscription-role-added or -removed message. The last
// owner cannot lose the role.
func (s *Service) SetRoomRole(ctx context.Context, actor *chat.User, ref RoomRef, target *chat.User, role string, add bool) error {
	spec, ok := roomRoles[role]
	if !ok {
		return chat.Errorf(chat.EInvalid, "error-invalid-role", "Invalid role")
	}
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return err
	}
	if r.Archived {
		return roomArchived(r)
	}
	if r.Type == chat.RoomDirect || !s.Can(ctx, actor, spec.perm, r.ID) {
		return chat.ErrNotAllowed(map[bool]string{true: "addRoom", false: "removeRoom"}[add] + strings.ToUpper(role[:1]) + role[1:])
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
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
		typ := chat.MsgRoleAdded
		if add {
			if sub.HasRole(role) {
				return chat.Errorf(chat.EInvalid, spec.already, "User is already %s", spec.article)
			}
			sub.Roles = append(sub.Roles, role)
		} else {
			if !sub.HasRole(role) {
				return chat.Errorf(chat.EInvalid, spec.not, "User is not %s", spec.article)
			}
			if role == "owner" {
				last, err := s.isLastOwner(ctx, tx, r.ID, target.ID)
				if err != nil {
					return err
				}
				if last {
					return chat.Errorf(chat.EInvalid, "error-remove-last-owner", "This is the last owner. Please set a new owner before removing this one.")
				}
			}
			sub.Roles = remove(sub.Roles, role)
			typ = chat.MsgRoleRemoved
		}
		sub.UpdatedAt = s.now()
		if err := tx.UpdateSubscription(ctx, sub); err != nil {
			return err
		}
		o.addData(chat.UserTopic(target.ID), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: target.ID, At: sub.UpdatedAt}, sub)
		if err := s.systemMessage(ctx, tx, o, r, typ, target.Username, actor, func(m *chat.Message) { m.Role = role }); err != nil {
			return err
		}
		if r.TeamMain && r.TeamID != "" {
			if err := s.setTeamMemberRoles(ctx, tx, r.TeamID, target, sub.Roles); err != nil {
				return err
			}
		}
		change := "removed"
		if add {
			change = "added"
		}
		o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventRoles, RoomID: r.ID, UserID: target.ID, At: sub.UpdatedAt}, map[string]any{
			"type": change, "_id": role, "scope": r.ID,
			"u": map[string]any{"_id": target.ID, "username": target.Username, "name": target.Name},
		})
		return nil
	})
}

// ArchiveRoom archives a room (it becomes read-only history), with a
// room-archived message; it needs archive-room in the room.
func (s *Service) ArchiveRoom(ctx context.Context, actor *chat.User, ref RoomRef) error {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return err
	}
	if r.Type == chat.RoomDirect {
		return chat.Errorf(chat.EInvalid, "error-direct-message-room", "Direct Messages can not be archived")
	}
	if !s.Can(ctx, actor, "archive-room", r.ID) {
		return chat.ErrNotAllowed("archiveRoom")
	}
	if r.Archived {
		return roomArchived(r)
	}
	return s.setArchived(ctx, actor, r.ID, true)
}

// UnarchiveRoom brings an archived room back, with a room-unarchived
// message; it needs unarchive-room.
func (s *Service) UnarchiveRoom(ctx context.Context, actor *chat.User, ref RoomRef) error {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return err
	}
	if r.Type == chat.RoomDirect {
		return chat.Errorf(chat.EInvalid, "error-direct-message-room", "Direct Messages can not be archived")
	}
	if !s.Can(ctx, actor, "unarchive-room", r.ID) {
		return chat.ErrNotAllowed("unarchiveRoom")
	}
	if !r.Archived {
		if r.Type == chat.RoomGroup {
			return rcFailure(chat.EInvalid, "The private group, "+roomDisplayName(r)+", is not archived")
		}
		return rcFailure(chat.EInvalid, "The channel, "+roomDisplayName(r)+", is not archived")
	}
	return s.setArchived(ctx, actor, r.ID, false)
}

func (s *Service) setArchived(ctx context.Context, actor *chat.User, roomID string, archived bool) error {
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		r, err := freshRoom(ctx, tx, roomID)
		if err != nil {
			return err
		}
		typ := chat.MsgUnarchived
		if archived {
			typ = chat.MsgArchived
		}
		if err := s.systemMessage(ctx, tx, o, r, typ, "", actor, nil); err != nil {
			return err
		}
		r.Archived = archived
		if err := s.roomChanged(ctx, tx, o, r); err != nil {
			return err
		}
		return s.membersChanged(ctx, tx, o, r)
	})
}

// DeleteRoom erases a room with its messages and memberships
// (channels.delete, groups.delete, im.delete, eraseRoom). It needs
// delete-c, delete-p or delete-d in the room. Deleting a team's main room
// dissolves the team, leaving its other rooms in place.
func (s *Service) DeleteRoom(ctx context.Context, actor *chat.User, ref RoomRef) error {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if chat.IsKind(err, chat.ENotFound) && s.Can(ctx, actor, "view-room-administration", "") {
		// Administrators manage rooms they are not in.
		r, err = s.findRoomByRef(ctx, s.store, actor, ref)
	}
	if err != nil {
		return err
	}
	if !s.Can(ctx, actor, deletePermission(r.Type), r.ID) {
		return chat.ErrNotAllowed("eraseRoom")
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		r, err := freshRoom(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		return s.eraseRoom(ctx, tx, o, r, actor)
	})
}

// deletePermission is the permission that deleting a room of type t needs.
func deletePermission(t chat.RoomType) string {
	switch t {
	case chat.RoomGroup:
		return "delete-p"
	case chat.RoomDirect:
		return "delete-d"
	}
	return "delete-c"
}

// eraseRoom deletes r inside tx and queues the events that drop it from
// its members' clients. A room of a team leaves a message in the team's
// main room; a team's main room takes the team with it.
func (s *Service) eraseRoom(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, actor *chat.User) error {
	members, err := tx.MemberIDs(ctx, r.ID)
	if err != nil {
		return err
	}
	if r.TeamMain && r.TeamID != "" {
		if err := s.dissolveTeam(ctx, tx, o, r.TeamID, r.ID); err != nil {
			return err
		}
	}
	now := s.now()
	if err := tx.DeleteRoom(ctx, r.ID, now); err != nil {
		return err
	}
	if r.TeamID != "" && !r.TeamMain {
		team, err := tx.TeamByID(ctx, r.TeamID)
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
		if team != nil {
			main, err := tx.RoomByID(ctx, team.RoomID)
			if err == nil {
				if err := s.systemMessage(ctx, tx, o, main, msgRoomDeletedFromTeam, r.Name, actor, nil); err != nil {
					return err
				}
			} else if !chat.IsKind(err, chat.ENotFound) {
				return err
			}
		}
	}
	// Each member hears of it on their own topic, the room first: once the
	// subscription is gone, the room's events no longer reach them.
	for _, uid := range members {
		o.add(chat.UserTopic(uid), chat.Event{Kind: chat.EventRoomRemoved, RoomID: r.ID, UserID: uid, At: now})
		o.add(chat.UserTopic(uid), chat.Event{Kind: chat.EventSubscriptionGone, RoomID: r.ID, UserID: uid, At: now})
	}
	s.log.Info("room deleted", "room_id", r.ID, "user_id", actor.ID)
	return nil
}
