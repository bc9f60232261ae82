package rest

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// roomKind parameterises the handlers that channels.* and groups.* share:
// the room type they act on and the words of their answers.
type roomKind struct {
	prefix string        // "channels" or "groups"
	t      chat.RoomType // rooms of other types are not found
	key    string        // the single room's key: "channel" or "group"
	list   string        // a listing's key: "channels" or "groups"
	noun   string        // how failure texts name the room
}

var (
	channelKind = roomKind{prefix: "channels", t: chat.RoomChannel, key: "channel", list: "channels", noun: "channel"}
	groupKind   = roomKind{prefix: "groups", t: chat.RoomGroup, key: "group", list: "groups", noun: "private group"}
)

// channelRoutes lists channels.* and groups.* (history and messages live in
// history.go). Both come from one table; the few endpoints only one of them
// has are registered after it.
// https://developer.rocket.chat/apidocs/channels-endpoints
func (a *API) channelRoutes() {
	for _, k := range []roomKind{channelKind, groupKind} {
		p := "/api/v1/" + k.prefix + "."
		a.handle("POST "+p+"create", authRequired, a.handleRoomCreate(k))
		a.handle("GET "+p+"info", authRequired, a.handleRoomInfo(k))
		a.handle("POST "+p+"leave", authRequired, a.handleRoomLeave(k))
		a.handle("POST "+p+"invite", authRequired, a.handleRoomInvite(k))
		a.handle("POST "+p+"kick", authRequired, a.handleRoomKick(k))
		a.handle("GET "+p+"members", authRequired, a.handleRoomMembers(k))
		a.handle("GET "+p+"roles", authRequired, a.handleRoomRoles(k))
		a.handle("GET "+p+"moderators", authRequired, a.handleRoomModerators(k))
		a.handle("GET "+p+"counters", authRequired, a.handleRoomCounters(k.t))
		a.handle("POST "+p+"open", authRequired, a.handleRoomOpen(k))
		a.handle("POST "+p+"close", authRequired, a.handleRoomClose(k))
		a.handle("POST "+p+"rename", authRequired, a.handleRoomRename(k))
		a.handle("POST "+p+"setTopic", authRequired, a.handleRoomSetText(k, "topic", a.core.SetRoomTopic))
		a.handle("POST "+p+"setDescription", authRequired, a.handleRoomSetText(k, "description", a.core.SetRoomDescription))
		a.handle("POST "+p+"setPurpose", authRequired, a.handleRoomSetText(k, "purpose", a.core.SetRoomDescription))
		a.handle("POST "+p+"setAnnouncement", authRequired, a.handleRoomSetText(k, "announcement", a.core.SetRoomAnnouncement))
		a.handle("POST "+p+"setReadOnly", authRequired, a.handleRoomSetReadOnly(k))
		a.handle("POST "+p+"setType", authRequired, a.handleRoomSetType(k))
		a.handle("POST "+p+"archive", authRequired, a.handleRoomArchive(k, true))
		a.handle("POST "+p+"unarchive", authRequired, a.handleRoomArchive(k, false))
		a.handle("POST "+p+"delete", authRequired, a.handleRoomDelete(k))
		for _, role := range []string{"Owner", "Moderator", "Leader"} {
			a.handle("POST "+p+"add"+role, authRequired, a.handleRoomRole(k, strings.ToLower(role), true))
			a.handle("POST "+p+"remove"+role, authRequired, a.handleRoomRole(k, strings.ToLower(role), false))
		}
	}
	a.handle("GET /api/v1/channels.list", authRequired, a.handleChannelsList)
	a.handle("GET /api/v1/channels.list.joined", authRequired, a.handleJoinedList(channelKind))
	a.handle("POST /api/v1/channels.join", authRequired, a.handleChannelsJoin)
	a.handle("GET /api/v1/groups.list", authRequired, a.handleJoinedList(groupKind))
	a.handle("GET /api/v1/groups.listAll", authRequired, a.handleAllList(groupKind.t, groupKind.list))
}

// roomDoc renders a room for REST.
func roomDoc(r *chat.Room) *wire.Room { return wire.NewRoom(r, date) }

// roomDocs renders rooms for REST; an empty list is [], never null.
func roomDocs(rs []chat.Room) []*wire.Room { return wire.NewRooms(rs, date) }

// roomBody is the body of the POST endpoints that address a room, with
// every optional field they read. Pointers tell a missing field from an
// empty one, which several endpoints distinguish.
type roomBody struct {
	RoomID       string          `json:"roomId"`
	RoomName     string          `json:"roomName"`
	UserID       string          `json:"userId"`
	Username     string          `json:"username"`
	UserIDs      []string        `json:"userIds"`
	Usernames    []string        `json:"usernames"`
	Name         *string         `json:"name"`
	Topic        *string         `json:"topic"`
	Description  *string         `json:"description"`
	Purpose      *string         `json:"purpose"`
	Announcement *string         `json:"announcement"`
	ReadOnly     *bool           `json:"readOnly"`
	Type         *string         `json:"type"`
	JoinCode     string          `json:"joinCode"`
	Members      json.RawMessage `json:"members"`
	CustomFields json.RawMessage `json:"customFields"`
	ExtraData    json.RawMessage `json:"extraData"`
}

// ref is the room the body addresses.
func (b *roomBody) ref(t chat.RoomType) core.RoomRef {
	return core.RoomRef{ID: b.RoomID, Name: b.RoomName, Type: t}
}

// textField returns the body field a setter endpoint reads.
func (b *roomBody) textField(name string) *string {
	switch name {
	case "topic":
		return b.Topic
	case "description":
		return b.Description
	case "purpose":
		return b.Purpose
	case "announcement":
		return b.Announcement
	}
	return nil
}

// readRoomBody decodes a roomBody.
func (r *Request) readRoomBody() (*roomBody, error) {
	var b roomBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	return &b, nil
}

// targetUser reads the user an endpoint acts on (userId or username).
func (a *API) targetUser(r *Request, b *roomBody) (*chat.User, error) {
	return a.core.RoomTargetUser(r.Context(), b.UserID, b.Username)
}

// createExtraData is the extraData of channels.create and groups.create.
type createExtraData struct {
	Broadcast   bool   `json:"broadcast"`
	Encrypted   bool   `json:"encrypted"`
	TeamID      string `json:"teamId"`
	Topic       string `json:"topic"`
	Description string `json:"description"`
}

// handleRoomCreate answers POST channels.create / groups.create with the
// new room.
func (a *API) handleRoomCreate(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		perm := "create-c"
		if k.t == chat.RoomGroup {
			perm = "create-p"
		}
		var extra createExtraData
		if len(b.ExtraData) > 0 && string(b.ExtraData) != "null" {
			if json.Unmarshal(b.ExtraData, &extra) != nil {
				return nil, rcFailure(`Body param "extraData" must be an object if provided`)
			}
		}
		// A team channel needs the team's permission, which the core checks.
		if extra.TeamID == "" && !a.core.Can(r.Context(), r.Actor, perm, "") {
			return nil, chat.ErrUnauthorizedAction()
		}
		if b.Name == nil || strings.TrimSpace(*b.Name) == "" {
			if k.t == chat.RoomGroup {
				return nil, rcFailure(`Body param "name" is required`)
			}
			return nil, rcFailure(`Param "name" is required`)
		}
		var members []string
		if len(b.Members) > 0 && string(b.Members) != "null" {
			if json.Unmarshal(b.Members, &members) != nil {
				if k.t == chat.RoomGroup {
					return nil, rcFailure(`Body param "members" must be an array if provided`)
				}
				return nil, rcFailure(`Param "members" must be an array if provided`)
			}
		}
		var custom map[string]any
		if len(b.CustomFields) > 0 && string(b.CustomFields) != "null" {
			if json.Unmarshal(b.CustomFields, &custom) != nil {
				return nil, rcFailure(`Param "customFields" must be an object if provided`)
			}
		}
		room, err := a.core.CreateRoom(r.Context(), r.Actor, core.NewRoom{
			Type: k.t, Name: *b.Name, Members: members, ReadOnly: b.ReadOnly != nil && *b.ReadOnly,
			Broadcast: extra.Broadcast, Encrypted: extra.Encrypted, TeamID: extra.TeamID,
			Topic: extra.Topic, Description: extra.Description, CustomFields: custom,
		})
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// rcFailure is Rocket.Chat's API.v1.failure("text"): a 400 whose error is
// the text, without an error type.
func rcFailure(text string) error { return &chat.Error{Kind: chat.EInvalid, Message: text} }

// handleRoomInfo answers GET channels.info / groups.info.
func (a *API) handleRoomInfo(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		room, _, err := a.core.Room(r.Context(), r.Actor, r.roomRef(k.t))
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleChannelsList answers GET channels.list.
func (a *API) handleChannelsList(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	rooms, total, err := a.core.ListChannels(r.Context(), r.Actor, core.RoomListOptions{Offset: p.Offset, Limit: p.Count, Sort: p.Sort})
	if err != nil {
		return nil, err
	}
	return paged(obj{"channels": roomDocs(rooms)}, len(rooms), p, total), nil
}

// handleJoinedList answers GET channels.list.joined and groups.list: the
// caller's rooms of one type.
func (a *API) handleJoinedList(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		rooms, total, err := a.core.JoinedRooms(r.Context(), r.Actor, k.t, core.RoomListOptions{Offset: p.Offset, Limit: p.Count, Sort: p.Sort})
		if err != nil {
			return nil, err
		}
		return paged(obj{k.list: roomDocs(rooms)}, len(rooms), p, total), nil
	}
}

// handleAllList answers GET groups.listAll and im.list.everyone, for
// administrators.
func (a *API) handleAllList(t chat.RoomType, key string) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		rooms, total, err := a.core.AllRooms(r.Context(), r.Actor, t, core.RoomListOptions{Offset: p.Offset, Limit: p.Count, Sort: p.Sort})
		if err != nil {
			return nil, err
		}
		return paged(obj{key: roomDocs(rooms)}, len(rooms), p, total), nil
	}
}

// handleChannelsJoin answers POST channels.join {roomId|roomName, joinCode?}.
func (a *API) handleChannelsJoin(r *Request) (obj, error) {
	b, err := r.readRoomBody()
	if err != nil {
		return nil, err
	}
	room, err := a.core.JoinRoom(r.Context(), r.Actor, b.ref(chat.RoomChannel), b.JoinCode)
	if err != nil {
		return nil, err
	}
	return obj{"channel": roomDoc(room)}, nil
}

// handleRoomLeave answers POST channels.leave / groups.leave.
func (a *API) handleRoomLeave(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		room, err := a.core.LeaveRoom(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleRoomInvite answers POST channels.invite / groups.invite with the
// room; users come as userId, username, userIds or usernames.
func (a *API) handleRoomInvite(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		ids, names := append(b.UserIDs, b.UserID), append(b.Usernames, b.Username)
		if strings.Join(ids, "") == "" && strings.Join(names, "") == "" {
			return nil, chat.Errorf(chat.EInvalid, "error-users-params-not-provided", `Please provide "userId" or "username" or "userIds" or "usernames" as param`)
		}
		room, err := a.core.InviteToRoom(r.Context(), r.Actor, b.ref(k.t), ids, names)
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleRoomKick answers POST channels.kick / groups.kick {roomId,
// userId|username}.
func (a *API) handleRoomKick(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if _, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t)); err != nil {
			return nil, err
		}
		target, err := a.targetUser(r, b)
		if err != nil {
			return nil, err
		}
		room, err := a.core.KickFromRoom(r.Context(), r.Actor, b.ref(k.t), target)
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// memberDoc is a room member as the members endpoints list them.
type memberDoc struct {
	ID         string     `json:"_id"`
	Username   string     `json:"username"`
	Name       string     `json:"name,omitempty"`
	Status     string     `json:"status"`
	StatusText string     `json:"statusText,omitempty"`
	UTCOffset  float64    `json:"utcOffset"`
	AvatarETag string     `json:"avatarETag,omitempty"`
	UpdatedAt  *wire.Date `json:"_updatedAt,omitempty"`
}

func newMemberDoc(u *chat.User) memberDoc {
	status := u.Status
	if status == "" {
		status = chat.StatusOffline
	}
	return memberDoc{ID: u.ID, Username: u.Username, Name: u.Name, Status: status, StatusText: u.StatusText,
		UTCOffset: u.UTCOffset, AvatarETag: u.AvatarETag, UpdatedAt: wire.NewDate(u.UpdatedAt, date)}
}

// memberFilter reads the members endpoints' filter, status (status or
// status[], repeated) and sort.
func (r *Request) memberFilter(p pagination) chat.MemberFilter {
	q := r.URL.Query()
	f := chat.MemberFilter{Text: strings.TrimSpace(q.Get("filter")), Offset: p.Offset, Limit: p.Count}
	for _, key := range []string{"status", "status[]"} {
		for _, v := range q[key] {
			if v = strings.TrimSpace(v); v != "" {
				f.Statuses = append(f.Statuses, v)
			}
		}
	}
	for _, sf := range p.Sort {
		if sf.Field == "username" || sf.Field == "name" || sf.Field == "status" {
			f.Sort = append(f.Sort, sf)
		}
	}
	return f
}

// handleRoomMembers answers GET channels.members / groups.members.
func (a *API) handleRoomMembers(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		members, total, err := a.core.RoomMembers(r.Context(), r.Actor, r.roomRef(k.t), r.memberFilter(p))
		if err != nil {
			return nil, err
		}
		docs := make([]memberDoc, len(members))
		for i := range members {
			docs[i] = newMemberDoc(&members[i].User)
		}
		return paged(obj{"members": docs}, len(docs), p, total), nil
	}
}

// roleDoc is an entry of channels.roles: a member holding room roles.
type roleDoc struct {
	ID    string       `json:"_id"`
	RID   string       `json:"rid"`
	U     wire.UserRef `json:"u"`
	Roles []string     `json:"roles"`
}

// handleRoomRoles answers GET channels.roles / groups.roles.
func (a *API) handleRoomRoles(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		subs, err := a.core.RoomRoles(r.Context(), r.Actor, r.roomRef(k.t))
		if err != nil {
			return nil, err
		}
		roles := make([]roleDoc, len(subs))
		for i, s := range subs {
			roles[i] = roleDoc{ID: s.ID, RID: s.RoomID, U: wire.Ref(s.User), Roles: s.Roles}
		}
		return obj{"roles": roles}, nil
	}
}

// handleRoomModerators answers GET channels.moderators / groups.moderators.
func (a *API) handleRoomModerators(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		subs, err := a.core.RoomRoles(r.Context(), r.Actor, r.roomRef(k.t))
		if err != nil {
			return nil, err
		}
		mods := []wire.UserRef{}
		for _, s := range subs {
			if s.HasRole("moderator") {
				mods = append(mods, wire.Ref(s.User))
			}
		}
		return obj{"moderators": mods}, nil
	}
}

// handleRoomCounters answers GET channels.counters, groups.counters and
// im.counters: null for what the caller may not know.
func (a *API) handleRoomCounters(t chat.RoomType) handlerFunc {
	return func(r *Request) (obj, error) {
		ref := r.roomRef(t)
		if t == chat.RoomDirect && ref.ID == "" {
			return nil, chat.Errorf(chat.EInvalid, "error-room-param-not-provided", `Query param "roomId" is required`)
		}
		c, err := a.core.Counters(r.Context(), r.Actor, ref, r.q("userId"))
		if err != nil {
			return nil, err
		}
		res := obj{
			"joined": c.Joined, "members": intOrNull(c.Members), "unreads": intOrNull(c.Unreads),
			"unreadsFrom": isoOrNull(c.UnreadsFrom), "msgs": intOrNull(c.Msgs),
			"latest": isoOrNull(c.Latest), "userMentions": intOrNull(c.UserMentions),
		}
		return res, nil
	}
}

// isoOrNull renders a date as an ISO string, or null when unset.
func isoOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return wire.FormatISO(t)
}

// intOrNull renders a count, or null when unknown.
func intOrNull(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// handleRoomOpen answers POST channels.open / groups.open.
func (a *API) handleRoomOpen(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		room, sub, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, rcFailure(`The user/callee is not in the ` + k.noun + ` "` + roomName(room) + `".`)
		}
		if sub.Open {
			if k.t == chat.RoomGroup {
				return nil, rcFailure("The private group, " + roomName(room) + ", is already open for the sender")
			}
			return nil, rcFailure("The channel, " + roomName(room) + ", is already open to the sender")
		}
		return nil, a.core.OpenRoom(r.Context(), r.Actor, room.ID)
	}
}

// handleRoomClose answers POST channels.close / groups.close: the room
// leaves the caller's sidebar.
func (a *API) handleRoomClose(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		room, sub, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, rcFailure(`The user/callee is not in the ` + k.noun + ` "` + roomName(room) + `".`)
		}
		if !sub.Open {
			return nil, rcFailure("The " + k.noun + ", " + roomName(room) + ", is already closed to the sender")
		}
		return nil, a.core.HideRoom(r.Context(), r.Actor, room.ID)
	}
}

// roomName is the name failure texts use: discussions show their fname.
func roomName(r *chat.Room) string {
	if r.IsDiscussion() && r.FName != "" {
		return r.FName
	}
	return r.Name
}

// handleRoomRename answers POST channels.rename / groups.rename {roomId,
// name} with the renamed room.
func (a *API) handleRoomRename(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if b.Name == nil || strings.TrimSpace(*b.Name) == "" {
			return nil, rcFailure(`The bodyParam "name" is required`)
		}
		room, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if k.t == chat.RoomChannel && room.Name == *b.Name {
			return nil, rcFailure("The channel name is the same as what it would be renamed to.")
		}
		room, err = a.core.RenameRoom(r.Context(), r.Actor, core.RoomRef{ID: room.ID, Type: k.t}, *b.Name)
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleRoomSetText answers the text setters (setTopic, setDescription,
// setPurpose, setAnnouncement) with {<field>: value}.
func (a *API) handleRoomSetText(k roomKind, field string, set func(ctx context.Context, actor *chat.User, ref core.RoomRef, v string) (*chat.Room, error)) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		v := b.textField(field)
		if v == nil {
			return nil, rcFailure(`The bodyParam "` + field + `" is required`)
		}
		room, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if k.t == chat.RoomChannel {
			current := map[string]string{"topic": room.Topic, "description": room.Description, "purpose": room.Description, "announcement": room.Announcement}[field]
			if current == *v && field != "announcement" {
				what := field
				if field == "purpose" {
					what = "purpose (description)"
				}
				return nil, rcFailure("The channel " + what + " is the same as what it would be changed to.")
			}
		}
		if _, err := set(r.Context(), r.Actor, core.RoomRef{ID: room.ID, Type: k.t}, *v); err != nil {
			return nil, err
		}
		return obj{field: *v}, nil
	}
}

// handleRoomSetReadOnly answers POST channels.setReadOnly /
// groups.setReadOnly {roomId, readOnly} with the room.
func (a *API) handleRoomSetReadOnly(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if b.ReadOnly == nil {
			return nil, rcFailure(`The bodyParam "readOnly" is required`)
		}
		room, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if room.ReadOnly == *b.ReadOnly {
			return nil, rcFailure("The " + k.noun + " read only setting is the same as what it would be changed to.")
		}
		room, err = a.core.SetRoomReadOnly(r.Context(), r.Actor, core.RoomRef{ID: room.ID, Type: k.t}, *b.ReadOnly)
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleRoomSetType answers POST channels.setType / groups.setType {roomId,
// type: "c"|"p"} with the room.
func (a *API) handleRoomSetType(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if b.Type == nil || strings.TrimSpace(*b.Type) == "" {
			return nil, rcFailure(`The bodyParam "type" is required`)
		}
		room, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t))
		if err != nil {
			return nil, err
		}
		if string(room.Type) == *b.Type {
			return nil, rcFailure("The " + k.noun + " type is the same as what it would be changed to.")
		}
		room, err = a.core.SetRoomType(r.Context(), r.Actor, core.RoomRef{ID: room.ID, Type: k.t}, chat.RoomType(*b.Type))
		if err != nil {
			return nil, err
		}
		return obj{k.key: roomDoc(room)}, nil
	}
}

// handleRoomArchive answers POST channels.archive / unarchive and the
// groups ones.
func (a *API) handleRoomArchive(k roomKind, archive bool) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if archive {
			return nil, a.core.ArchiveRoom(r.Context(), r.Actor, b.ref(k.t))
		}
		return nil, a.core.UnarchiveRoom(r.Context(), r.Actor, b.ref(k.t))
	}
}

// handleRoomDelete answers POST channels.delete / groups.delete.
func (a *API) handleRoomDelete(k roomKind) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		return nil, a.core.DeleteRoom(r.Context(), r.Actor, b.ref(k.t))
	}
}

// handleRoomRole answers POST channels.addOwner and its siblings {roomId,
// userId}.
func (a *API) handleRoomRole(k roomKind, role string, add bool) handlerFunc {
	return func(r *Request) (obj, error) {
		b, err := r.readRoomBody()
		if err != nil {
			return nil, err
		}
		if _, _, err := a.core.Room(r.Context(), r.Actor, b.ref(k.t)); err != nil {
			return nil, err
		}
		target, err := a.targetUser(r, b)
		if err != nil {
			return nil, err
		}
		return nil, a.core.SetRoomRole(r.Context(), r.Actor, b.ref(k.t), target, role, add)
	}
}
