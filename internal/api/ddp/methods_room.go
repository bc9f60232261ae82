package ddp

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (h *Handler) roomMethods(m map[string]methodFunc) {
	m["joinRoom"] = h.joinRoom
	m["leaveRoom"] = h.leaveRoom
	m["getRoomIdByNameOrId"] = h.getRoomIDByNameOrID
	m["getRoomNameById"] = h.getRoomNameByID
	m["createDirectMessage"] = h.createDirectMessage
	m["createChannel"] = h.createRoom(chat.RoomChannel)
	m["createPrivateGroup"] = h.createRoom(chat.RoomGroup)
	m["loadHistory"] = h.loadHistory
	m["loadMissedMessages"] = h.loadMissedMessages
	m["readMessages"] = h.readMessages
	m["subscriptions/get"] = h.subscriptionsGet
	m["rooms/get"] = h.roomsGet
	m["getRoomRoles"] = h.getRoomRoles
	m["getUsersOfRoom"] = h.getUsersOfRoom
}

// joinRoom: [rid, joinCode?] → true.
func (h *Handler) joinRoom(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	code, err := c.str(1)
	if err != nil {
		return nil, err
	}
	if _, err := h.core.JoinRoom(ctx, actor, core.RoomRef{ID: rid}, code); err != nil {
		return nil, err
	}
	return true, nil
}

// leaveRoom: [rid] → true.
func (h *Handler) leaveRoom(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	if _, err := h.core.LeaveRoom(ctx, actor, core.RoomRef{ID: rid}); err != nil {
		return nil, err
	}
	return true, nil
}

// errRoomNotAllowed is what the room lookups answer for rooms that do not
// exist or that the caller may not read.
func errRoomNotAllowed(method string) error {
	return &chat.Error{Kind: chat.EForbidden, Type: "error-not-allowed", Message: "Not allowed", Details: map[string]any{"method": method}}
}

// readableRoom finds a room by id or name for the lookup methods.
func (h *Handler) readableRoom(ctx context.Context, c *call) (*chat.Room, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	ref, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	r, _, err := h.core.ReadableRoom(ctx, actor, ref)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errRoomNotAllowed(c.name)
	}
	return r, err
}

// getRoomIdByNameOrId: [nameOrId] → the room's id.
func (h *Handler) getRoomIDByNameOrID(ctx context.Context, c *call) (any, error) {
	r, err := h.readableRoom(ctx, c)
	if err != nil {
		return nil, err
	}
	return r.ID, nil
}

// getRoomNameById: [rid] → the room's name.
func (h *Handler) getRoomNameByID(ctx context.Context, c *call) (any, error) {
	r, err := h.readableRoom(ctx, c)
	if err != nil {
		return nil, err
	}
	return r.Name, nil
}

// createDirectMessage: [...usernames] → the DM room with its id as rid,
// which the old SDK reads.
func (h *Handler) createDirectMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	var names []string
	for i := range c.params {
		n, err := c.str(i)
		if err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	r, err := h.core.CreateDirectMessage(ctx, actor, names, false)
	if err != nil {
		return nil, err
	}
	type direct struct {
		*wire.Room
		RID string `json:"rid"`
	}
	return direct{Room: roomDoc(r), RID: r.ID}, nil
}

// createRoom answers createChannel and createPrivateGroup:
// [name, memberUsernames, readOnly?, customFields?, extraData?] →
// {rid, name}.
func (h *Handler) createRoom(t chat.RoomType) methodFunc {
	return func(ctx context.Context, c *call) (any, error) {
		actor, err := c.user()
		if err != nil {
			return nil, err
		}
		name, err := c.requireStr(0, "name")
		if err != nil {
			return nil, err
		}
		var members []string
		if _, err := c.arg(1, &members); err != nil {
			return nil, err
		}
		var readOnly bool
		if _, err := c.arg(2, &readOnly); err != nil {
			return nil, err
		}
		var custom map[string]any
		if _, err := c.arg(3, &custom); err != nil {
			return nil, err
		}
		var extra struct {
			Broadcast   bool   `json:"broadcast"`
			Encrypted   bool   `json:"encrypted"`
			Topic       string `json:"topic"`
			Description string `json:"description"`
			TeamID      string `json:"teamId"`
		}
		if _, err := c.arg(4, &extra); err != nil {
			return nil, err
		}
		r, err := h.core.CreateRoom(ctx, actor, core.NewRoom{
			Type: t, Name: name, Members: members, ReadOnly: readOnly, CustomFields: custom,
			Broadcast: extra.Broadcast, Encrypted: extra.Encrypted, Topic: extra.Topic,
			Description: extra.Description, TeamID: extra.TeamID,
		})
		if err != nil {
			return nil, err
		}
		return map[string]string{"rid": r.ID, "name": r.Name}, nil
	}
}

// historyResult is loadHistory's answer.
type historyResult struct {
	Messages        any  `json:"messages"`
	FirstUnread     any  `json:"firstUnread,omitempty"`
	UnreadNotLoaded *int `json:"unreadNotLoaded,omitempty"`
}

// loadHistory: [rid, end|null, limit=20, ls?, showThreadMessages=true] →
// {messages (newest first), firstUnread?, unreadNotLoaded?}, or false for
// a room the caller may not read, as Rocket.Chat answers.
func (h *Handler) loadHistory(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	end, _, err := c.date(1)
	if err != nil {
		return nil, err
	}
	limit := 20
	if _, err := c.arg(2, &limit); err != nil {
		return nil, err
	}
	ls, _, err := c.date(3)
	if err != nil {
		return nil, err
	}
	showThreads := true
	if _, err := c.arg(4, &showThreads); err != nil {
		return nil, err
	}
	page, err := h.core.LoadHistory(ctx, actor, rid, end, limit, ls, showThreads)
	if chat.IsKind(err, chat.ENotFound) {
		return false, nil
	}
	if err != nil {
		return nil, err
	}
	out := historyResult{Messages: messageDocs(page.Messages)}
	if page.Unreads {
		if page.FirstUnread != nil {
			out.FirstUnread = messageDoc(page.FirstUnread)
		}
		n := page.UnreadNotLoaded
		out.UnreadNotLoaded = &n
	}
	return out, nil
}

// loadMissedMessages: [rid, start] → the messages after start.
func (h *Handler) loadMissedMessages(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	start, _, err := c.date(1)
	if err != nil {
		return nil, err
	}
	msgs, err := h.core.LoadMissed(ctx, actor, rid, start)
	if chat.IsKind(err, chat.ENotFound) {
		return false, nil
	}
	if err != nil {
		return nil, err
	}
	return messageDocs(msgs), nil
}

// readMessages: [rid, readThreads?] → nothing.
func (h *Handler) readMessages(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	var threads bool
	if _, err := c.arg(1, &threads); err != nil {
		return nil, err
	}
	return nil, h.core.ReadMessages(ctx, actor, rid, threads, "")
}

// subscriptionsGet: [] → every subscription of the caller; [date] →
// {update, remove} since then.
func (h *Handler) subscriptionsGet(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	since, asked, err := c.date(0)
	if err != nil {
		return nil, err
	}
	subs, removed, err := h.core.SubscriptionsForSync(ctx, actor, since)
	if err != nil {
		return nil, err
	}
	docs := wire.NewSubscriptions(subs, wire.EJSON)
	if !asked {
		return docs, nil
	}
	return updatesAndRemovals{Update: docs, Remove: removals(removed)}, nil
}

// roomsGet: [] → every room of the caller; [date] → {update, remove}.
func (h *Handler) roomsGet(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	since, asked, err := c.date(0)
	if err != nil {
		return nil, err
	}
	rooms, removed, err := h.core.RoomsForSync(ctx, actor, since)
	if err != nil {
		return nil, err
	}
	docs := wire.NewRooms(rooms, wire.EJSON)
	if !asked {
		return docs, nil
	}
	return updatesAndRemovals{Update: docs, Remove: removals(removed)}, nil
}

// roomRole is an entry of getRoomRoles.
type roomRole struct {
	ID    string       `json:"_id"`
	RID   string       `json:"rid"`
	U     wire.UserRef `json:"u"`
	Roles []string     `json:"roles"`
}

// getRoomRoles: [rid] → the members holding room roles (owners,
// moderators, leaders).
func (h *Handler) getRoomRoles(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.requireStr(0, "rid")
	if err != nil {
		return nil, err
	}
	subs, err := h.core.RoomRoles(ctx, actor, core.RoomRef{ID: rid})
	if err != nil {
		return nil, err
	}
	out := make([]roomRole, 0, len(subs))
	for _, s := range subs {
		out = append(out, roomRole{ID: s.ID, RID: s.RoomID, U: wire.Ref(s.User), Roles: s.Roles})
	}
	return out, nil
}

// getUsersOfRoom: [rid, showAll, {limit, skip}?, filter?] →
// {total, records}; without showAll only users not offline are listed.
func (h *Handler) getUsersOfRoom(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	rid, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if rid == "" {
		return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-invalid-room", Message: "Invalid room", Details: map[string]any{"method": c.name}}
	}
	var showAll bool
	if _, err := c.arg(1, &showAll); err != nil {
		return nil, err
	}
	var page struct {
		Limit int `json:"limit"`
		Skip  int `json:"skip"`
	}
	if _, err := c.arg(2, &page); err != nil {
		return nil, err
	}
	filter, err := c.str(3)
	if err != nil {
		return nil, err
	}
	f := chat.MemberFilter{Text: filter, Offset: page.Skip, Limit: page.Limit}
	if !showAll {
		f.Statuses = []string{chat.StatusOnline, chat.StatusAway, chat.StatusBusy}
	}
	members, _, err := h.core.RoomMembers(ctx, actor, core.RoomRef{ID: rid}, f)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, &chat.Error{Kind: chat.EForbidden, Type: "error-not-allowed", Message: "Not allowed", Details: map[string]any{"method": c.name}}
	}
	if err != nil {
		return nil, err
	}
	// total counts every member, as Rocket.Chat's does, whatever showAll.
	_, total, err := h.core.RoomMembers(ctx, actor, core.RoomRef{ID: rid}, chat.MemberFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	records := make([]*wire.User, 0, len(members))
	for i := range members {
		records = append(records, wire.NewUser(&members[i].User, wire.EJSON, false))
	}
	return struct {
		Total   int          `json:"total"`
		Records []*wire.User `json:"records"`
	}{total, records}, nil
}
