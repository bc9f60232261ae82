package core

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// RoomRef names a room the way Rocket.Chat's endpoints address it: by id or
// by name. Type, when set, restricts the lookup to rooms of that type, so
// that channels.* never acts on a private group (and the error names the
// kind of room the endpoint serves). For direct messages Name is the other
// member's username.
type RoomRef struct {
	ID   string
	Name string
	Type chat.RoomType
}

// roomNoun is how Rocket.Chat's messages name a room type.
func roomNoun(t chat.RoomType) string {
	switch t {
	case chat.RoomGroup:
		return "group"
	case chat.RoomDirect:
		return "direct message"
	}
	return "channel"
}

// roomNotFound is Rocket.Chat's error for a room that does not exist, is
// of another type, or that the caller may not see.
func roomNotFound(t chat.RoomType) *chat.Error {
	if t == chat.RoomDirect {
		return chat.Errorf(chat.ENotFound, "error-room-not-found", `The required "roomId" param provided does not match any direct message`)
	}
	return chat.Errorf(chat.ENotFound, "error-room-not-found", `The required "roomId" or "roomName" param provided does not match any %s`, roomNoun(t))
}

// roomParamMissing is the error for a request that names no room. The
// channels endpoints and the groups endpoints use different codes.
func roomParamMissing(t chat.RoomType) *chat.Error {
	switch t {
	case chat.RoomGroup:
		return chat.Errorf(chat.EInvalid, "error-room-param-not-provided", `The parameter "roomId" or "roomName" is required`)
	case chat.RoomDirect:
		return chat.Errorf(chat.EInvalid, "error-room-param-not-provided", `Query param "roomId" or "username" is required`)
	}
	return chat.Errorf(chat.EInvalid, "error-roomid-param-not-provided", `The parameter "roomId" or "roomName" is required`)
}

// roomArchived refuses a change to an archived room, worded per type.
func roomArchived(r *chat.Room) *chat.Error {
	if r.Type == chat.RoomGroup {
		return chat.Errorf(chat.EInvalid, "error-room-archived", "The private group, %s, is archived", roomDisplayName(r))
	}
	return chat.Errorf(chat.EInvalid, "error-room-archived", "The channel, %s, is archived", roomDisplayName(r))
}

// roomDisplayName is the name Rocket.Chat shows in messages about a room:
// discussions keep their readable name in fname.
func roomDisplayName(r *chat.Room) string {
	if r.IsDiscussion() && r.FName != "" {
		return r.FName
	}
	return r.Name
}

// plainError is a failure Rocket.Chat reports with a bare message and no
// error type (API.v1.failure("text")), which clients match on as is.
func rcFailure(kind chat.Kind, msg string) *chat.Error {
	return &chat.Error{Kind: kind, Message: msg}
}

// lookupRoom resolves ref for actor: the room and actor's subscription
// (nil when not a member). Rooms the actor may not read are reported as
// not found, so that private rooms stay invisible to outsiders.
func (s *Service) lookupRoom(ctx context.Context, actor *chat.User, ref RoomRef) (*chat.Room, *chat.Subscription, error) {
	r, err := s.findRoomByRef(ctx, s.store, actor, ref)
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
		return nil, nil, roomNotFound(ref.Type)
	}
	return r, sub, nil
}

// findRoomByRef finds the room ref names in st, without access checks.
func (s *Service) findRoomByRef(ctx context.Context, st chat.Store, actor *chat.User, ref RoomRef) (*chat.Room, error) {
	ref.ID, ref.Name = strings.TrimSpace(ref.ID), strings.TrimSpace(ref.Name)
	if ref.ID == "" && ref.Name == "" {
		return nil, roomParamMissing(ref.Type)
	}
	var (
		r   *chat.Room
		err error
	)
	switch {
	case ref.ID != "":
		r, err = st.RoomByID(ctx, ref.ID)
	case ref.Type == chat.RoomDirect:
		r, err = s.directRoomByUsername(ctx, st, actor, ref.Name)
	default:
		r, err = st.RoomByName(ctx, strings.TrimPrefix(ref.Name, "#"))
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, roomNotFound(ref.Type)
	}
	if err != nil {
		return nil, err
	}
	if ref.Type != "" && r.Type != ref.Type {
		return nil, roomNotFound(ref.Type)
	}
	return r, nil
}

// Room returns the room ref names with the actor's subscription (nil when
// not a member), or room-not-found when the actor may not read it.
func (s *Service) Room(ctx context.Context, actor *chat.User, ref RoomRef) (*chat.Room, *chat.Subscription, error) {
	return s.lookupRoom(ctx, actor, ref)
}

// freshRoom re-reads a room inside a transaction, so that a change is made
// to its current state and not to the copy read before the transaction.
func freshRoom(ctx context.Context, tx chat.Store, id string) (*chat.Room, error) {
	r, err := tx.RoomByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.ErrRoomNotFound()
	}
	return r, err
}

// NewRoom describes a channel or private group to create.
type NewRoom struct {
	Type         chat.RoomType // chat.RoomChannel or chat.RoomGroup
	Name         string
	Members      []string // usernames; unknown ones are skipped
	ReadOnly     bool
	Broadcast    bool
	Encrypted    bool
	Topic        string
	Description  string
	TeamID       string
	CustomFields map[string]any
	// ExcludeSelf leaves the creator out of the members.
	ExcludeSelf bool
}

// CreateRoom creates a channel or a private group, with actor as its
// owner and the given members, as Rocket.Chat's channels.create and
// groups.create do (no join messages: the room starts with msgs 0).
func (s *Service) CreateRoom(ctx context.Context, actor *chat.User, nr NewRoom) (*chat.Room, error) {
	if nr.Type != chat.RoomChannel && nr.Type != chat.RoomGroup {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-room-type", "Invalid room type")
	}
	var team *chat.Team
	if nr.TeamID != "" {
		t, err := s.store.TeamByID(ctx, nr.TeamID)
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return nil, err
		}
		team = t
	}
	perm := map[chat.RoomType]string{chat.RoomChannel: "create-c", chat.RoomGroup: "create-p"}[nr.Type]
	permRoom := ""
	if team != nil {
		perm = map[chat.RoomType]string{chat.RoomChannel: "create-team-channel", chat.RoomGroup: "create-team-group"}[nr.Type]
		permRoom = team.RoomID
	}
	if err := s.require(ctx, actor, perm, permRoom); err != nil {
		return nil, err
	}
	name, err := s.validRoomName(ctx, nr.Name, "")
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &chat.Room{
		ID:           chat.NewID(),
		Type:         nr.Type,
		Name:         name,
		FName:        name,
		Creator:      actor.Ref(),
		Topic:        nr.Topic,
		Description:  nr.Description,
		ReadOnly:     nr.ReadOnly || nr.Broadcast,
		Broadcast:    nr.Broadcast,
		Encrypted:    nr.Encrypted,
		CustomFields: nr.CustomFields,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	if team != nil {
		r.TeamID = team.ID
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := s.insertRoomWithMembers(ctx, tx, o, r, actor, nr.Members, nr.ExcludeSelf); err != nil {
			return err
		}
		if team != nil && r.Type == chat.RoomChannel {
			main, err := freshRoom(ctx, tx, team.RoomID)
			if err != nil {
				return err
			}
			return s.systemMessage(ctx, tx, o, main, msgRoomAddedToTeam, r.Name, actor, nil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("room created", "room_id", r.ID, "type", string(r.Type), "user_id", actor.ID)
	return r, nil
}

// insertRoomWithMembers stores r and subscribes its owner (with the owner
// role) and the members named by usernames.
func (s *Service) insertRoomWithMembers(ctx context.Context, tx chat.Store, o *outbox, r *chat.Room, owner *chat.User, usernames []string, excludeOwner bool) error {
	if err := tx.CreateRoom(ctx, r); err != nil {
		if chat.IsKind(err, chat.EConflict) {
			return errDuplicateRoomName(r.Name)
		}
		return err
	}
	s.roomCreated(ctx, o, r, owner)
	var members []chat.User
	if names := trimmedUnique(usernames); len(names) > 0 {
		found, err := tx.UsersByUsernames(ctx, names)
		if err != nil {
			return err
		}
		members = found
	}
	if !excludeOwner {
		if _, err := s.subscribe(ctx, tx, o, r, owner, []string{"owner"}, true); err != nil {
			return err
		}
	}
	for i := range members {
		if members[i].ID == owner.ID {
			continue
		}
		if _, err := s.subscribe(ctx, tx, o, r, &members[i], nil, true); err != nil {
			return err
		}
	}
	return nil
}

// errDuplicateRoomName is Rocket.Chat's error for a taken room name.
func errDuplicateRoomName(name string) *chat.Error {
	e := chat.Errorf(chat.EConflict, "error-duplicate-channel-name", "A channel with name '%s' exists", name)
	e.Details = map[string]any{"channel_name": name}
	return e
}

// validRoomName checks a new room name against UTF8_Channel_Names_Validation
// and the names taken by other rooms (excludeID is the room being renamed),
// as Rocket.Chat's getValidRoomName does.
func (s *Service) validRoomName(ctx context.Context, name, excludeID string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", chat.Errorf(chat.EInvalid, "error-invalid-name", "Invalid name")
	}
	if !s.SettingBool("UI_Allow_room_names_with_special_chars") {
		pat := s.SettingString("UTF8_Channel_Names_Validation")
		re, err := regexp.Compile("^(?:" + pat + ")$")
		if pat == "" || err != nil {
			re = regexp.MustCompile(`^[0-9a-zA-Z-_.]+$`)
		}
		if !re.MatchString(name) || strings.EqualFold(name, "all") || strings.EqualFold(name, "here") {
			e := chat.Errorf(chat.EInvalid, "error-invalid-room-name", "%s is not a valid room name.", name)
			e.Details = map[string]any{"channel_name": name}
			return "", e
		}
	}
	other, err := s.store.RoomByName(ctx, name)
	switch {
	case chat.IsKind(err, chat.ENotFound):
		return name, nil
	case err != nil:
		return "", err
	case other.ID == excludeID:
		return name, nil
	case other.Archived:
		e := chat.Errorf(chat.EConflict, "error-archived-duplicate-name", "There's an archived channel with name %s", name)
		e.Details = map[string]any{"channel_name": name}
		return "", e
	}
	return "", errDuplicateRoomName(name)
}

// RoomNameExists reports whether a room with that exact name exists
// (rooms.nameExists).
func (s *Service) RoomNameExists(ctx context.Context, name string) (bool, error) {
	_, err := s.store.RoomByName(ctx, name)
	if chat.IsKind(err, chat.ENotFound) {
		return false, nil
	}
	return err == nil, err
}

// IsRoomMember implements rooms.isMember: whether the user named by
// userIDOrName belongs to the room, for an actor who may read the room.
// A room the actor may not read is not found, as everywhere else, where
// Rocket.Chat answers 403 and so tells that the room exists.
func (s *Service) IsRoomMember(ctx context.Context, actor *chat.User, roomID, userIDOrName string) (bool, error) {
	r, _, err := s.readableRoom(ctx, actor, roomID)
	if err != nil {
		return false, err
	}
	u, err := s.userByIDOrUsername(ctx, userIDOrName)
	if chat.IsKind(err, chat.EInvalid) {
		return false, &chat.Error{Kind: chat.EInvalid, Message: "error-user-not-found"}
	}
	if err != nil {
		return false, err
	}
	_, err = s.store.Membership(ctx, r.ID, u.ID)
	if chat.IsKind(err, chat.ENotFound) {
		return false, nil
	}
	return err == nil, err
}

// RoomListOptions pages and filters a room listing.
type RoomListOptions struct {
	Offset int
	Limit  int // 0: no limit
	Sort   []chat.SortField
	Text   string
}

// ListChannels lists public channels (channels.list): every channel for
// users with view-c-room, otherwise the ones they joined; channels of teams
// only when the actor is in them.
func (s *Service) ListChannels(ctx context.Context, actor *chat.User, opt RoomListOptions) ([]chat.Room, int, error) {
	canAll := s.Can(ctx, actor, "view-c-room", "")
	if !canAll && !s.Can(ctx, actor, "view-joined-room", "") {
		return nil, 0, chat.ErrUnauthorizedAction()
	}
	joined, err := s.joinedRoomIDs(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	rooms, _, err := s.store.ListRooms(ctx, chat.RoomFilter{Types: []chat.RoomType{chat.RoomChannel}, Text: opt.Text, Sort: opt.Sort})
	if err != nil {
		return nil, 0, err
	}
	// The team and membership rules are not expressible as a store
	// filter, so the listing is cut into pages here.
	visible := rooms[:0]
	for _, r := range rooms {
		if (r.TeamID != "" || !canAll) && !joined[r.ID] {
			continue
		}
		visible = append(visible, r)
	}
	return page(visible, opt.Offset, opt.Limit), len(visible), nil
}

// joinedRoomIDs returns the ids of the rooms actor is subscribed to.
func (s *Service) joinedRoomIDs(ctx context.Context, actor *chat.User, types ...chat.RoomType) (map[string]bool, error) {
	subs, err := s.store.SubscriptionsOfUser(ctx, actor.ID, chat.SubscriptionFilter{Types: types})
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(subs))
	for _, sub := range subs {
		ids[sub.RoomID] = true
	}
	return ids, nil
}

// JoinedRooms lists the rooms of type t that actor is subscribed to
// (channels.list.joined, groups.list, im.list).
func (s *Service) JoinedRooms(ctx context.Context, actor *chat.User, t chat.RoomType, opt RoomListOptions) ([]chat.Room, int, error) {
	joined, err := s.joinedRoomIDs(ctx, actor, t)
	if err != nil {
		return nil, 0, err
	}
	if len(joined) == 0 {
		return nil, 0, nil // an empty IDs filter would match every room
	}
	ids := make([]string, 0, len(joined))
	for id := range joined {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return s.store.ListRooms(ctx, chat.RoomFilter{Types: []chat.RoomType{t}, IDs: ids, Text: opt.Text,
		Offset: opt.Offset, Limit: opt.Limit, Sort: opt.Sort})
}

// AllRooms lists every room of type t, for administrators
// (groups.listAll, im.list.everyone).
func (s *Service) AllRooms(ctx context.Context, actor *chat.User, t chat.RoomType, opt RoomListOptions) ([]chat.Room, int, error) {
	if err := s.require(ctx, actor, "view-room-administration", ""); err != nil {
		return nil, 0, err
	}
	return s.store.ListRooms(ctx, chat.RoomFilter{Types: []chat.RoomType{t}, Text: opt.Text,
		Offset: opt.Offset, Limit: opt.Limit, Sort: opt.Sort})
}

// RoomCounters is the answer of channels.counters and its siblings. Nil
// fields are unknown to the caller (Rocket.Chat sends null).
type RoomCounters struct {
	Joined       bool
	Members      *int
	Unreads      *int
	UnreadsFrom  time.Time
	Msgs         *int
	Latest       time.Time
	UserMentions *int
}

// Counters reports a room's counters for actor or, for administrators
// with view-room-administration, for the user userID. Unread counts come
// from the subscription, which the store computes from the read mark.
func (s *Service) Counters(ctx context.Context, actor *chat.User, ref RoomRef, userID string) (*RoomCounters, error) {
	admin := s.Can(ctx, actor, "view-room-administration", "")
	if userID != "" && userID != actor.ID && !admin {
		return nil, chat.ErrUnauthorizedAction()
	}
	r, sub, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		if !admin || !chat.IsKind(err, chat.ENotFound) {
			return nil, err
		}
		// Administrators may inspect rooms they cannot read.
		if r, err = s.findRoomByRef(ctx, s.store, actor, ref); err != nil {
			return nil, err
		}
	}
	if userID != "" && userID != actor.ID {
		if sub, err = s.subscription(ctx, s.store, r.ID, userID); err != nil {
			return nil, err
		}
	}
	if sub != nil {
		if sub, err = s.withCounts(ctx, s.store, r.ID, sub.User.ID); err != nil {
			return nil, err
		}
	}
	c := &RoomCounters{}
	if sub != nil {
		c.Joined = true
		c.Unreads, c.UserMentions = counterPtr(sub.Unread), counterPtr(sub.UserMentions)
		c.UnreadsFrom = sub.LastSeen
		if c.UnreadsFrom.IsZero() {
			c.UnreadsFrom = sub.CreatedAt
		}
	}
	if admin || c.Joined {
		c.Msgs, c.Members = counterPtr(r.Msgs), counterPtr(r.UsersCount)
		c.Latest = r.LastMsgAt
		if c.Latest.IsZero() {
			c.Latest = r.UpdatedAt
		}
	}
	return c, nil
}

func counterPtr(n int) *int { return &n }

// RoomMembers lists a room's members with their room roles. Members of
// broadcast rooms are listed only to those with view-broadcast-member-list.
func (s *Service) RoomMembers(ctx context.Context, actor *chat.User, ref RoomRef, f chat.MemberFilter) ([]chat.Member, int, error) {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, 0, err
	}
	if r.Broadcast && !s.Can(ctx, actor, "view-broadcast-member-list", r.ID) {
		return nil, 0, chat.ErrUnauthorizedAction()
	}
	return s.store.RoomMembers(ctx, r.ID, f)
}

// RoomRoles lists the room's members that hold a room role (owner,
// moderator, leader), as getRoomRoles returns them.
func (s *Service) RoomRoles(ctx context.Context, actor *chat.User, ref RoomRef) ([]chat.Subscription, error) {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	return s.store.SubscriptionsWithRoles(ctx, r.ID)
}

// RoomDetails is rooms.info's answer: the room, the discussion's parent or
// the team's main room, and the team.
type RoomDetails struct {
	Room   *chat.Room
	Parent *chat.Room
	Team   *chat.Team
}

// RoomInfo returns a readable room with its parent and team.
func (s *Service) RoomInfo(ctx context.Context, actor *chat.User, ref RoomRef) (*RoomDetails, error) {
	r, _, err := s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	d := &RoomDetails{Room: r}
	if r.ParentID != "" {
		if p, err := s.store.RoomByID(ctx, r.ParentID); err == nil {
			d.Parent = p
		} else if !chat.IsKind(err, chat.ENotFound) {
			return nil, err
		}
	}
	if r.TeamID != "" {
		t, err := s.store.TeamByID(ctx, r.TeamID)
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return nil, err
		}
		d.Team = t
		if t != nil && !r.TeamMain && d.Parent == nil {
			if p, err := s.store.RoomByID(ctx, t.RoomID); err == nil {
				d.Parent = p
			}
		}
	}
	return d, nil
}

// RoomsForSync returns the rooms actor is in, changed after since (all when
// since is zero), and the rooms removed since then (rooms.get, rooms/get).
func (s *Service) RoomsForSync(ctx context.Context, actor *chat.User, since time.Time) ([]chat.Room, []chat.Removal, error) {
	rooms, err := s.store.RoomsOfUser(ctx, actor.ID, since)
	if err != nil {
		return nil, nil, err
	}
	if since.IsZero() {
		return rooms, nil, nil
	}
	removed, err := s.store.RoomRemovalsForUser(ctx, actor.ID, since)
	return rooms, removed, err
}

// uniqueStrings returns the non-empty, trimmed values of xs, once each.
func trimmedUnique(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
