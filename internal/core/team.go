package core

import (
	"context"
	"slices"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Team types, as Rocket.Chat numbers them.
const (
	TeamPublic  = 0
	TeamPrivate = 1
)

// TeamRef names a team by id or by name.
type TeamRef struct {
	ID   string
	Name string
}

// errTeamNotFound is the failure most teams endpoints give for an unknown
// team.
func errTeamNotFound() *chat.Error { return rcFailure(chat.EInvalid, "team-does-not-exist") }

// findTeam resolves ref; notFound is the error for an unknown team.
func (s *Service) findTeam(ctx context.Context, st chat.Store, ref TeamRef, notFound func() *chat.Error) (*chat.Team, error) {
	var (
		t   *chat.Team
		err error
	)
	switch {
	case strings.TrimSpace(ref.ID) != "":
		t, err = st.TeamByID(ctx, strings.TrimSpace(ref.ID))
	case strings.TrimSpace(ref.Name) != "":
		t, err = st.TeamByName(ctx, strings.TrimSpace(ref.Name))
	default:
		return nil, chat.ErrInvalidParam("must have required property 'teamId'")
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, notFound()
	}
	return t, err
}

// teamRoomType is the room type of a team's main room.
func teamRoomType(teamType int) chat.RoomType {
	if teamType == TeamPrivate {
		return chat.RoomGroup
	}
	return chat.RoomChannel
}

// NewTeam describes a team to create.
type NewTeam struct {
	Name    string
	Type    int      // TeamPublic or TeamPrivate
	Members []string // user ids or usernames
	// Owner, when set, is the id of the user who owns the team instead of
	// its creator.
	Owner string
}

// CreateTeam creates a team and its main room (teams.create): the owner
// (the creator unless Owner is set) gets the owner role, the members join
// the main room without messages.
func (s *Service) CreateTeam(ctx context.Context, actor *chat.User, nt NewTeam) (*chat.Team, error) {
	if err := s.require(ctx, actor, "create-team", ""); err != nil {
		return nil, err
	}
	nt.Name = strings.TrimSpace(nt.Name)
	if nt.Name == "" {
		return nil, chat.ErrInvalidParam("must have required property 'name'")
	}
	if nt.Type != TeamPublic && nt.Type != TeamPrivate {
		return nil, chat.ErrInvalidParam("must be equal to one of the allowed values: 'type'")
	}
	if _, err := s.store.TeamByName(ctx, nt.Name); err == nil {
		return nil, rcFailure(chat.EConflict, "team-name-already-exists")
	} else if !chat.IsKind(err, chat.ENotFound) {
		return nil, err
	}
	if _, err := s.store.RoomByName(ctx, nt.Name); err == nil {
		return nil, rcFailure(chat.EConflict, "room-name-already-exists")
	} else if !chat.IsKind(err, chat.ENotFound) {
		return nil, err
	}
	owner := actor
	if nt.Owner != "" && nt.Owner != actor.ID {
		u, err := s.store.UserByID(ctx, nt.Owner)
		if chat.IsKind(err, chat.ENotFound) {
			return nil, rcFailure(chat.EInvalid, "invalid-user")
		}
		if err != nil {
			return nil, err
		}
		owner = u
	}
	members, err := s.usersByIDsOrNames(ctx, nt.Members, nt.Members)
	if err != nil {
		return nil, err
	}
	name, err := s.validRoomName(ctx, nt.Name, "")
	if err != nil {
		// Rocket.Chat reports every failure to create the room this way.
		return nil, rcFailure(chat.EInvalid, "error-team-creation")
	}
	now := s.now()
	team := &chat.Team{ID: chat.NewID(), Name: nt.Name, Type: nt.Type, CreatedBy: chat.UserRef{ID: actor.ID, Username: actor.Username}, CreatedAt: now, UpdatedAt: now}
	r := &chat.Room{
		ID: chat.NewID(), Type: teamRoomType(nt.Type), Name: name, FName: name, Creator: owner.Ref(),
		TeamID: team.ID, TeamMain: true, CreatedAt: now, UpdatedAt: now,
	}
	team.RoomID = r.ID
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := tx.CreateTeam(ctx, team); err != nil {
			if chat.IsKind(err, chat.EConflict) {
				return rcFailure(chat.EConflict, "team-name-already-exists")
			}
			return err
		}
		var usernames []string
		for _, m := range members {
			usernames = append(usernames, m.Username)
		}
		if err := s.insertRoomWithMembers(ctx, tx, o, r, owner, usernames, false); err != nil {
			if chat.IsKind(err, chat.EConflict) {
				return rcFailure(chat.EConflict, "room-name-already-exists")
			}
			return err
		}
		if err := s.addTeamMembership(ctx, tx, team.ID, owner, actor, []string{"owner"}); err != nil {
			return err
		}
		for i := range members {
			if members[i].ID == owner.ID {
				continue
			}
			if err := s.addTeamMembership(ctx, tx, team.ID, &members[i], actor, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("team created", "team_id", team.ID, "room_id", r.ID, "user_id", actor.ID)
	return team, nil
}

// addTeamMembership records u as a member of the team unless they are one.
func (s *Service) addTeamMembership(ctx context.Context, tx chat.Store, teamID string, u, by *chat.User, roles []string) error {
	if _, err := tx.TeamMember(ctx, teamID, u.ID); err == nil {
		return nil
	} else if !chat.IsKind(err, chat.ENotFound) {
		return err
	}
	if by == nil {
		by = u
	}
	err := tx.AddTeamMember(ctx, &chat.TeamMember{
		TeamID: teamID, User: u.Ref(), Roles: roles,
		CreatedBy: chat.UserRef{ID: by.ID, Username: by.Username}, CreatedAt: s.now(),
	})
	if chat.IsKind(err, chat.EConflict) {
		return nil
	}
	return err
}

// setTeamMemberRoles replaces a team member's roles, keeping the team's
// roles in step with the main room's subscription roles.
func (s *Service) setTeamMemberRoles(ctx context.Context, tx chat.Store, teamID string, u *chat.User, roles []string) error {
	m, err := tx.TeamMember(ctx, teamID, u.ID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.RemoveTeamMember(ctx, teamID, u.ID); err != nil {
		return err
	}
	m.Roles = append([]string(nil), roles...)
	return tx.AddTeamMember(ctx, m)
}

// setTeamFromRoom copies a main room's name and type to its team.
func (s *Service) setTeamFromRoom(ctx context.Context, tx chat.Store, r *chat.Room) error {
	t, err := tx.TeamByID(ctx, r.TeamID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	t.Name = r.Name
	t.Type = TeamPublic
	if r.Type == chat.RoomGroup {
		t.Type = TeamPrivate
	}
	t.UpdatedAt = s.now()
	if err := tx.UpdateTeam(ctx, t); err != nil {
		if chat.IsKind(err, chat.EConflict) {
			return rcFailure(chat.EConflict, "team-name-already-exists")
		}
		return err
	}
	return nil
}

// TeamInfo returns a team to users who can read its main room or hold
// view-all-teams (teams.info).
func (s *Service) TeamInfo(ctx context.Context, actor *chat.User, ref TeamRef) (*chat.Team, error) {
	t, err := s.findTeam(ctx, s.store, ref, func() *chat.Error { return rcFailure(chat.EInvalid, "Team not found") })
	if err != nil {
		return nil, err
	}
	if !s.CanReadRoom(ctx, actor, t.RoomID) && !s.Can(ctx, actor, "view-all-teams", "") {
		return nil, chat.ErrUnauthorizedAction()
	}
	return t, nil
}

// TeamSummary is a team with the numbers teams.list shows.
type TeamSummary struct {
	Team          chat.Team
	Rooms         int
	NumberOfUsers int
}

// ListTeams lists the teams actor is a member of (teams.list).
func (s *Service) ListTeams(ctx context.Context, actor *chat.User, offset, limit int) ([]TeamSummary, int, error) {
	teams, err := s.store.TeamsOfUser(ctx, actor.ID)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.summarizeTeams(ctx, page(teams, offset, limit))
	return out, len(teams), err
}

// ListAllTeams lists every team, for holders of view-all-teams
// (teams.listAll).
func (s *Service) ListAllTeams(ctx context.Context, actor *chat.User, offset, limit int) ([]TeamSummary, int, error) {
	if err := s.require(ctx, actor, "view-all-teams", ""); err != nil {
		return nil, 0, err
	}
	teams, total, err := s.store.ListTeams(ctx, chat.RoomFilter{Offset: offset, Limit: limit})
	if err != nil {
		return nil, 0, err
	}
	out, err := s.summarizeTeams(ctx, teams)
	return out, total, err
}

func (s *Service) summarizeTeams(ctx context.Context, teams []chat.Team) ([]TeamSummary, error) {
	out := make([]TeamSummary, 0, len(teams))
	for _, t := range teams {
		_, rooms, err := s.store.ListRooms(ctx, chat.RoomFilter{TeamID: t.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		_, users, err := s.store.TeamMembers(ctx, t.ID, 0, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, TeamSummary{Team: t, Rooms: rooms, NumberOfUsers: users})
	}
	return out, nil
}

// TeamMemberInfo is a team member with their user document.
type TeamMemberInfo struct {
	Member chat.TeamMember
	User   chat.User
}

// TeamMemberFilter narrows teams.members.
type TeamMemberFilter struct {
	Username string // substring, case-insensitive
	Name     string
	Statuses []string
}

// TeamMembers lists a team's active members. Outsiders without
// view-all-teams get an empty list, as in Rocket.Chat.
func (s *Service) TeamMembers(ctx context.Context, actor *chat.User, ref TeamRef, f TeamMemberFilter, offset, limit int) ([]TeamMemberInfo, int, error) {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return nil, 0, err
	}
	if _, err := s.store.TeamMember(ctx, t.ID, actor.ID); err != nil {
		if !chat.IsKind(err, chat.ENotFound) {
			return nil, 0, err
		}
		if !s.Can(ctx, actor, "view-all-teams", t.RoomID) {
			return nil, 0, nil
		}
	}
	members, _, err := s.store.TeamMembers(ctx, t.ID, 0, 0)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.User.ID
	}
	users, err := s.store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[string]chat.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	var out []TeamMemberInfo
	for _, m := range members {
		u, ok := byID[m.User.ID]
		if !ok || !u.Active || !f.matches(&u) {
			continue
		}
		out = append(out, TeamMemberInfo{Member: m, User: u})
	}
	return page(out, offset, limit), len(out), nil
}

func (f TeamMemberFilter) matches(u *chat.User) bool {
	if f.Username != "" && !strings.Contains(strings.ToLower(u.Username), strings.ToLower(f.Username)) {
		return false
	}
	if f.Name != "" && !strings.Contains(strings.ToLower(u.Name), strings.ToLower(f.Name)) {
		return false
	}
	return len(f.Statuses) == 0 || slices.Contains(f.Statuses, u.Status)
}

// TeamMemberParam is a member to add to a team, with team roles.
type TeamMemberParam struct {
	UserID string
	Roles  []string
}

// AddTeamMembers adds users to a team (teams.addMembers): they join the
// main room (with added-user-to-team messages) and the team's auto-join
// rooms. It needs add-team-member or edit-team-member in the team.
func (s *Service) AddTeamMembers(ctx context.Context, actor *chat.User, ref TeamRef, params []TeamMemberParam) error {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return err
	}
	if !s.Can(ctx, actor, "add-team-member", t.RoomID) && !s.Can(ctx, actor, "edit-team-member", t.RoomID) {
		return chat.ErrUnauthorizedAction()
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		main, err := freshRoom(ctx, tx, t.RoomID)
		if err != nil {
			return err
		}
		defaults, _, err := tx.ListRooms(ctx, chat.RoomFilter{TeamID: t.ID})
		if err != nil {
			return err
		}
		for _, p := range params {
			u, err := tx.UserByID(ctx, p.UserID)
			if chat.IsKind(err, chat.ENotFound) {
				return rcFailure(chat.EInvalid, "invalid-user")
			}
			if err != nil {
				return err
			}
			sub, err := s.subscription(ctx, tx, main.ID, u.ID)
			if err != nil {
				return err
			}
			if sub == nil {
				if err := s.addMember(ctx, tx, o, main, u, actor); err != nil {
					return err
				}
			}
			if err := s.addTeamMembership(ctx, tx, t.ID, u, actor, nil); err != nil {
				return err
			}
			if len(p.Roles) > 0 {
				if err := s.grantTeamRoles(ctx, tx, o, t, main, u, p.Roles); err != nil {
					return err
				}
			}
			for i := range defaults {
				d := &defaults[i]
				if d.TeamMain || !d.TeamDefault {
					continue
				}
				existing, err := s.subscription(ctx, tx, d.ID, u.ID)
				if err != nil {
					return err
				}
				if existing == nil {
					if err := s.addMember(ctx, tx, o, d, u, actor); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// grantTeamRoles adds roles to a member of the team and of its main room.
func (s *Service) grantTeamRoles(ctx context.Context, tx chat.Store, o *outbox, t *chat.Team, main *chat.Room, u *chat.User, roles []string) error {
	sub, err := s.memberSubscription(ctx, tx, u, main.ID)
	if err != nil {
		return err
	}
	for _, role := range roles {
		if role != "member" {
			sub.Roles = addUnique(sub.Roles, role)
		}
	}
	if err := s.subscriptionChanged(ctx, tx, o, sub); err != nil {
		return err
	}
	return s.setTeamMemberRoles(ctx, tx, t.ID, u, roles)
}

// RemoveTeamMember removes a user from a team and its main room
// (teams.removeMember), and from the listed rooms of the team. It needs
// edit-team-member; the team's last owner stays.
func (s *Service) RemoveTeamMember(ctx context.Context, actor *chat.User, ref TeamRef, userID string, rooms []string) error {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return err
	}
	if !s.Can(ctx, actor, "edit-team-member", t.RoomID) {
		return chat.ErrUnauthorizedAction()
	}
	u, err := s.store.UserByID(ctx, userID)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && !u.Active) {
		return rcFailure(chat.EInvalid, "invalid-user")
	}
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		main, err := freshRoom(ctx, tx, t.RoomID)
		if err != nil {
			return err
		}
		member, err := tx.TeamMember(ctx, t.ID, u.ID)
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
		sub, err := s.subscription(ctx, tx, main.ID, u.ID)
		if err != nil {
			return err
		}
		if member == nil && sub == nil {
			return rcFailure(chat.EInvalid, "member-does-not-exist")
		}
		if member != nil && slices.Contains(member.Roles, "owner") {
			owners, err := s.teamOwners(ctx, tx, t.ID)
			if err != nil {
				return err
			}
			if owners == 1 {
				return rcFailure(chat.EInvalid, "last-owner-can-not-be-removed")
			}
		}
		if sub != nil {
			if err := s.removeMember(ctx, tx, o, main, u, actor); err != nil {
				return err
			}
		} else if err := tx.RemoveTeamMember(ctx, t.ID, u.ID); err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
		for _, rid := range trimmedUnique(rooms) {
			r, err := tx.RoomByID(ctx, rid)
			if chat.IsKind(err, chat.ENotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if r.TeamID != t.ID || r.TeamMain {
				continue
			}
			in, err := s.subscription(ctx, tx, r.ID, u.ID)
			if err != nil {
				return err
			}
			if in != nil {
				if err := s.removeMember(ctx, tx, o, r, u, actor); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *Service) teamOwners(ctx context.Context, tx chat.Store, teamID string) (int, error) {
	members, _, err := tx.TeamMembers(ctx, teamID, 0, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range members {
		if slices.Contains(m.Roles, "owner") {
			n++
		}
	}
	return n, nil
}

// AddTeamRooms moves existing rooms into a team (teams.addRooms). It needs
// move-room-to-team in the team, and the caller must own each room.
func (s *Service) AddTeamRooms(ctx context.Context, actor *chat.User, ref TeamRef, roomIDs []string) ([]chat.Room, error) {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return nil, err
	}
	if !s.Can(ctx, actor, "move-room-to-team", t.RoomID) {
		return nil, chat.ErrUnauthorizedAction()
	}
	ids := trimmedUnique(roomIDs)
	var out []chat.Room
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		out = out[:0]
		main, err := freshRoom(ctx, tx, t.RoomID)
		if err != nil {
			return err
		}
		rooms := make([]*chat.Room, 0, len(ids))
		for _, id := range ids {
			r, err := tx.RoomByID(ctx, id)
			if chat.IsKind(err, chat.ENotFound) {
				return rcFailure(chat.EInvalid, "invalid-room")
			}
			if err != nil {
				return err
			}
			if r.Type == chat.RoomDirect || !s.CanReadRoom(ctx, actor, r.ID) {
				return rcFailure(chat.EInvalid, "invalid-room")
			}
			rooms = append(rooms, r)
		}
		for _, r := range rooms {
			if r.TeamID != "" {
				return rcFailure(chat.EInvalid, "room-already-on-team")
			}
			sub, err := s.subscription(ctx, tx, r.ID, actor.ID)
			if err != nil {
				return err
			}
			if sub == nil || !sub.HasRole("owner") {
				return rcFailure(chat.EInvalid, "error-no-owner-channel")
			}
			if r.Type == chat.RoomChannel {
				if err := s.systemMessage(ctx, tx, o, main, msgRoomAddedToTeam, r.Name, actor, nil); err != nil {
					return err
				}
			}
			r.TeamID = t.ID
			if err := s.roomChanged(ctx, tx, o, r); err != nil {
				return err
			}
			out = append(out, *r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListTeamRooms lists the rooms of a team other than its main room
// (teams.listRooms): all of them for holders of view-all-team-channels,
// otherwise the public ones and those the caller is in. Private teams
// are listed only to members and to holders of view-all-teams.
func (s *Service) ListTeamRooms(ctx context.Context, actor *chat.User, ref TeamRef, filter string, autoJoinOnly bool, offset, limit int) ([]chat.Room, int, error) {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return nil, 0, err
	}
	if t.Type == TeamPrivate && !s.Can(ctx, actor, "view-all-teams", t.RoomID) {
		if _, err := s.store.TeamMember(ctx, t.ID, actor.ID); chat.IsKind(err, chat.ENotFound) {
			return nil, 0, rcFailure(chat.EInvalid, "user-not-on-private-team")
		} else if err != nil {
			return nil, 0, err
		}
	}
	all := s.Can(ctx, actor, "view-all-team-channels", t.RoomID)
	rooms, _, err := s.store.ListRooms(ctx, chat.RoomFilter{TeamID: t.ID, Text: strings.TrimSpace(filter)})
	if err != nil {
		return nil, 0, err
	}
	joined := map[string]bool{}
	if !all {
		if joined, err = s.joinedRoomIDs(ctx, actor); err != nil {
			return nil, 0, err
		}
	}
	var out []chat.Room
	for _, r := range rooms {
		if r.TeamMain || (autoJoinOnly && !r.TeamDefault) {
			continue
		}
		if !all && r.Type != chat.RoomChannel && !joined[r.ID] {
			continue
		}
		out = append(out, r)
	}
	return page(out, offset, limit), len(out), nil
}

// DeleteTeam deletes a team (teams.delete): the listed rooms of the team
// are deleted with it, the others go back to the workspace, and the main
// room is deleted. It needs delete-team in the team.
func (s *Service) DeleteTeam(ctx context.Context, actor *chat.User, ref TeamRef, roomsToRemove []string) error {
	t, err := s.findTeam(ctx, s.store, ref, errTeamNotFound)
	if err != nil {
		return err
	}
	if !s.Can(ctx, actor, "delete-team", t.RoomID) {
		return chat.ErrUnauthorizedAction()
	}
	doomed := trimmedUnique(roomsToRemove)
	for _, rid := range doomed {
		r, err := s.store.RoomByID(ctx, rid)
		if chat.IsKind(err, chat.ENotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if r.TeamID == t.ID && !r.TeamMain && !s.Can(ctx, actor, deletePermission(r.Type), r.ID) {
			return chat.ErrNotAllowed("eraseRoom")
		}
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		for _, rid := range doomed {
			r, err := tx.RoomByID(ctx, rid)
			if chat.IsKind(err, chat.ENotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if r.TeamID != t.ID || r.TeamMain {
				continue
			}
			if err := s.eraseRoom(ctx, tx, o, r, actor); err != nil {
				return err
			}
		}
		main, err := tx.RoomByID(ctx, t.RoomID)
		if chat.IsKind(err, chat.ENotFound) {
			return s.dissolveTeam(ctx, tx, o, t.ID, "")
		}
		if err != nil {
			return err
		}
		// eraseRoom of the main room dissolves the team.
		return s.eraseRoom(ctx, tx, o, main, actor)
	})
}

// dissolveTeam returns the team's rooms (other than mainID) to the
// workspace and deletes the team with its memberships.
func (s *Service) dissolveTeam(ctx context.Context, tx chat.Store, o *outbox, teamID, mainID string) error {
	rooms, _, err := tx.ListRooms(ctx, chat.RoomFilter{TeamID: teamID})
	if err != nil {
		return err
	}
	for i := range rooms {
		r := &rooms[i]
		if r.ID == mainID {
			continue
		}
		r.TeamID, r.TeamDefault, r.TeamMain = "", false, false
		if err := s.roomChanged(ctx, tx, o, r); err != nil {
			return err
		}
	}
	if err := tx.DeleteTeam(ctx, teamID); err != nil && !chat.IsKind(err, chat.ENotFound) {
		return err
	}
	return nil
}
