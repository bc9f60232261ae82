package realtime

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

var errHubClosed = errors.New("realtime: hub closed")

// roomReadyWait bounds how long the user-event loop waits for a newly
// joined room's topic to go live.
const roomReadyWait = 2 * time.Second

// myMeta is the second argument of __my_messages__ events.
type myMeta struct {
	RoomParticipant bool          `json:"roomParticipant"`
	RoomType        chat.RoomType `json:"roomType"`
	RoomName        string        `json:"roomName,omitempty"`
}

// roomEvent translates an event of a room's topic.
func (h *Hub) roomEvent(r *room, ev chat.Event) {
	switch ev.Kind {
	case chat.EventMessage:
		h.messageEvent(r, ev)
	case chat.EventMessageDeleted:
		h.notifyRoom(r, "deleteMessage", jsonArray(mustJSON(map[string]string{"_id": ev.MessageID})), "")
	case chat.EventMessagesDeleted:
		h.notifyRoom(r, "deleteMessageBulk", jsonArray(dataOrEmpty(ev.Data)), "")
	case chat.EventMessagesRead:
		h.notifyRoom(r, "messagesRead", jsonArray(readMark(ev)), "")
	case chat.EventUserActivity:
		h.activityEvent(r, ev)
	case chat.EventRoomChanged:
		h.roomChangedEvent(r, ev)
	case chat.EventRoomRemoved:
		h.roomRemoved(r.id)
	}
}

// readMark renders messagesRead's argument, {until, tmid?}, with an EJSON
// date.
func readMark(ev chat.Event) []byte {
	var mark struct {
		Until time.Time `json:"until"`
		TMID  string    `json:"tmid,omitempty"`
	}
	if err := json.Unmarshal(ev.Data, &mark); err != nil || mark.Until.IsZero() {
		mark.Until = ev.At
	}
	return mustJSON(struct {
		Until wire.Date `json:"until"`
		TMID  string    `json:"tmid,omitempty"`
	}{wire.Date{T: mark.Until, F: wire.EJSON}, mark.TMID})
}

// roomRemoved tells the local members of a deleted room, once each, and
// forgets the room. The event may come on the room's topic and on each
// member's; whichever comes first does the work.
func (h *Hub) roomRemoved(rid string, only ...*user) {
	h.mu.Lock()
	var gone []*user
	var subIDs []string
	members := only
	if members == nil {
		for u := range h.members[rid] {
			members = append(members, u)
		}
	}
	for _, u := range members {
		if subID, ok := u.rooms[rid]; ok {
			gone = append(gone, u)
			subIDs = append(subIDs, subID)
			h.removeRoomLocked(u, rid)
		}
	}
	h.mu.Unlock()
	if len(gone) == 0 {
		return
	}
	roomArgs := jsonArray([]byte(`"removed"`), mustJSON(map[string]string{"_id": rid}))
	h.mu.RLock()
	defer h.mu.RUnlock()
	for i, u := range gone {
		h.toUserLocked(u, "rooms-changed", roomArgs)
		h.toUserLocked(u, "subscriptions-changed", jsonArray([]byte(`"removed"`),
			mustJSON(map[string]any{"_id": subIDs[i], "rid": rid, "u": map[string]string{"_id": u.id}})))
	}
}

// dataOrEmpty returns the event payload, or an empty object.
func dataOrEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// messageEvent delivers a new or changed message on stream-room-messages:
// to the room's own event name and to the __my_messages__ subscribers who
// belong to the room. The message is rendered once for all of them.
func (h *Hub) messageEvent(r *room, ev chat.Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.rooms[r.id] != r {
		return // released meanwhile; a newer entry delivers
	}
	direct := h.keys[Key{StreamRoomMessages, r.id}]
	myKey := Key{StreamRoomMessages, MyMessages}
	mine, members := h.keys[myKey], h.members[r.id]
	if len(direct) == 0 && (len(mine) == 0 || len(members) == 0) {
		return
	}
	var m chat.Message
	if err := json.Unmarshal(ev.Data, &m); err != nil {
		h.log.Warn("realtime: undecodable message event", "room_id", r.id, "error", err)
		return
	}
	msg := renderDecoded(&m)
	if len(direct) > 0 {
		frame := ChangedFrame(StreamRoomMessages, r.id, jsonArray(msg))
		for c := range direct {
			c.Send(frame)
		}
	}
	if len(mine) == 0 || len(members) == 0 {
		return
	}
	meta := mustJSON(myMeta{RoomParticipant: true, RoomType: r.typ, RoomName: r.name})
	frame := ChangedFrame(StreamRoomMessages, MyMessages, jsonArray(msg, meta))
	// Walk the smaller of the two sets.
	if len(mine) <= len(members) {
		for c := range mine {
			if c.user != nil {
				if _, ok := c.user.rooms[r.id]; ok {
					c.Send(frame)
				}
			}
		}
		return
	}
	for u := range members {
		for c := range u.conns {
			if c.hasKey(myKey) {
				c.Send(frame)
			}
		}
	}
}

// notifyRoom delivers stream-notify-room's "<rid>/<event>" to its
// subscribers, except the connection the event came from.
func (h *Hub) notifyRoom(r *room, event string, args []byte, origin string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.rooms[r.id] != r {
		return
	}
	h.sendKeyLocked(Key{StreamNotifyRoom, r.id + "/" + event}, args, origin, false)
}

// sendKeyLocked renders one frame for stream event k and queues it on
// every subscribed connection but origin; logged restricts it to logged-in
// connections. hub.mu must be held.
func (h *Hub) sendKeyLocked(k Key, args []byte, origin string, logged bool) {
	set := h.keys[k]
	if len(set) == 0 {
		return
	}
	frame := ChangedFrame(k.Stream, k.Event, args)
	for c := range set {
		if (origin != "" && c.id == origin) || (logged && c.user == nil) {
			continue
		}
		c.Send(frame)
	}
}

// activityEvent delivers a typing or activity notice under both of the
// names clients listen to — user-activity [username, activities] and the
// legacy typing [username, bool] — never back to the connection that sent
// it.
func (h *Hub) activityEvent(r *room, ev chat.Event) {
	var parts []json.RawMessage
	if err := json.Unmarshal(ev.Data, &parts); err != nil || len(parts) < 2 {
		return
	}
	var activities []string
	_ = json.Unmarshal(parts[1], &activities)
	typing := false
	for _, a := range activities {
		if a == "user-typing" {
			typing = true
		}
	}
	if activities == nil {
		activities = []string{}
	}
	ua := append([][]byte{parts[0], mustJSON(activities)}, rawSlices(parts[2:])...)
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.rooms[r.id] != r {
		return
	}
	h.sendKeyLocked(Key{StreamNotifyRoom, r.id + "/user-activity"}, jsonArray(ua...), ev.Origin, false)
	h.sendKeyLocked(Key{StreamNotifyRoom, r.id + "/typing"}, jsonArray(parts[0], mustJSON(typing)), ev.Origin, false)
}

func rawSlices(rs []json.RawMessage) [][]byte {
	out := make([][]byte, len(rs))
	for i, r := range rs {
		out[i] = r
	}
	return out
}

// roomChangedEvent keeps the room's cached type and name current and tells
// every member's rooms-changed subscribers.
func (h *Hub) roomChangedEvent(r *room, ev chat.Event) {
	var rm chat.Room
	if err := json.Unmarshal(ev.Data, &rm); err != nil {
		return
	}
	h.mu.Lock()
	if rm.ID == r.id {
		r.typ, r.name = rm.Type, rm.Name
	}
	h.mu.Unlock()
	h.toMembers(r.id, "rooms-changed", jsonArray([]byte(`"updated"`), mustJSON(wire.NewRoom(&rm, wire.EJSON))))
}

// toMembers delivers stream-notify-user's "<uid>/<event>" to every local
// member of a room that subscribed to it. The arguments are rendered once;
// only the event name differs per user.
func (h *Hub) toMembers(rid, event string, args []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for u := range h.members[rid] {
		h.toUserLocked(u, event, args)
	}
}

// toUserLocked delivers "<uid>/<event>" to the user's subscribed
// connections; hub.mu must be held.
func (h *Hub) toUserLocked(u *user, event string, args []byte) {
	k := Key{StreamNotifyUser, u.id + "/" + event}
	var frame []byte
	for c := range u.conns {
		if !c.hasKey(k) {
			continue
		}
		if frame == nil {
			frame = ChangedFrame(k.Stream, k.Event, args)
		}
		c.Send(frame)
	}
}

// toUser delivers "<uid>/<event>" to a user's connections on this instance.
func (h *Hub) toUser(uid, event string, args []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if u := h.users[uid]; u != nil {
		h.toUserLocked(u, event, args)
	}
}

// userEvent translates an event of a user's topic. Every such event names
// its user in UserID.
func (h *Hub) userEvent(ev chat.Event) {
	uid := ev.UserID
	if uid == "" {
		return
	}
	h.mu.RLock()
	_, local := h.users[uid]
	h.mu.RUnlock()
	if !local {
		return
	}
	switch ev.Kind {
	case chat.EventSubscription:
		h.subscriptionEvent(uid, ev)
	case chat.EventSubscriptionGone:
		h.mu.Lock()
		subID := ""
		if u := h.users[uid]; u != nil {
			subID = u.rooms[ev.RoomID]
			h.removeRoomLocked(u, ev.RoomID)
		}
		h.mu.Unlock()
		gone := map[string]any{"_id": subID, "rid": ev.RoomID, "u": map[string]string{"_id": uid}}
		h.toUser(uid, "subscriptions-changed", jsonArray([]byte(`"removed"`), mustJSON(gone)))
	case chat.EventRoomChanged:
		var rm chat.Room
		if err := json.Unmarshal(ev.Data, &rm); err != nil {
			return
		}
		// Published to one user when they join: the room is new to them.
		h.toUser(uid, "rooms-changed", jsonArray([]byte(`"inserted"`), mustJSON(wire.NewRoom(&rm, wire.EJSON))))
	case chat.EventRoomRemoved:
		h.mu.RLock()
		u := h.users[uid]
		h.mu.RUnlock()
		if u != nil {
			h.roomRemoved(ev.RoomID, u)
		}
	case chat.EventUserChanged:
		var uc UserChange
		if json.Unmarshal(ev.Data, &uc) == nil && uc.Deleted {
			h.closeUser(uid, "user deleted")
		}
	case chat.EventNotification:
		h.toUser(uid, "notification", jsonArray(dataOrEmpty(ev.Data)))
	case chat.EventUserMessage:
		h.toUser(uid, "message", jsonArray(renderMessage(ev.Data)))
	}
}

// closeUser closes every local connection of a user.
func (h *Hub) closeUser(uid, reason string) {
	h.mu.RLock()
	var conns []*Conn
	if u := h.users[uid]; u != nil {
		for c := range u.conns {
			conns = append(conns, c)
		}
	}
	h.mu.RUnlock()
	for _, c := range conns {
		c.Close(reason)
	}
}

// renderMessage renders a chat.Message payload in EJSON, or passes the
// payload through when it is something else.
func renderMessage(data json.RawMessage) []byte {
	var m chat.Message
	if err := json.Unmarshal(data, &m); err != nil || m.ID == "" {
		return dataOrEmpty(data)
	}
	return renderDecoded(&m)
}

// renderDecoded renders a message decoded from an event in EJSON. An
// absent md tree travels through JSON as null; it is left out, as it is
// when the message is read from the store.
func renderDecoded(m *chat.Message) []byte {
	if string(m.MD) == "null" {
		m.MD = nil
	}
	return mustJSON(wire.NewMessage(m, wire.EJSON))
}

// subscriptionEvent records a membership created or changed, and tells the
// user's subscriptions-changed subscribers.
func (h *Hub) subscriptionEvent(uid string, ev chat.Event) {
	var s chat.Subscription
	if err := json.Unmarshal(ev.Data, &s); err != nil || s.RoomID == "" {
		return
	}
	op := []byte(`"updated"`)
	var wait *room
	h.mu.Lock()
	if u := h.users[uid]; u != nil {
		if _, ok := u.rooms[s.RoomID]; !ok {
			op = []byte(`"inserted"`)
			h.addRoomLocked(u, s.RoomID, s.ID)
			if u.memberSubs > 0 {
				wait = h.rooms[s.RoomID]
			}
		} else {
			u.rooms[s.RoomID] = s.ID
		}
	}
	h.mu.Unlock()
	if wait != nil {
		// Let the new room's topic go live before the next event of this
		// user, so its first messages reach __my_messages__.
		select {
		case <-wait.ready:
		case <-time.After(roomReadyWait):
		}
	}
	h.toUser(uid, "subscriptions-changed", jsonArray(op, mustJSON(wire.NewSubscription(&s, wire.EJSON))))
}

// allEvent translates an event of the "all" topic.
func (h *Hub) allEvent(ev chat.Event) { h.globalEvent(ev) }

// loggedEvent translates an event of the "logged" topic.
func (h *Hub) loggedEvent(ev chat.Event) { h.globalEvent(ev) }

// globalEvent translates the events every connection may follow: settings,
// permissions, roles and user changes. Settings and permissions also
// refresh core's caches, whichever instance changed them.
func (h *Hub) globalEvent(ev chat.Event) {
	switch ev.Kind {
	case chat.EventSetting:
		h.core.ApplyEvent(ev)
		var st chat.Setting
		if err := json.Unmarshal(ev.Data, &st); err != nil || st.ID == "" {
			return
		}
		args := jsonArray([]byte(`"updated"`), mustJSON(wire.NewSetting(&st, wire.EJSON)))
		h.mu.RLock()
		if st.Public && !st.Hidden {
			h.sendKeyLocked(Key{StreamNotifyAll, "public-settings-changed"}, args, "", false)
		}
		h.sendKeyLocked(Key{StreamNotifyLogged, "private-settings-changed"}, args, "", true)
		h.mu.RUnlock()
	case chat.EventPermission:
		h.core.ApplyEvent(ev)
		var p chat.Permission
		if err := json.Unmarshal(ev.Data, &p); err != nil || p.ID == "" {
			return
		}
		args := jsonArray([]byte(`"updated"`), mustJSON(wire.NewPermissions([]chat.Permission{p}, wire.EJSON)[0]))
		h.loggedAndAll("permissions-changed", args)
	case chat.EventRoles:
		h.loggedAndAll("roles-change", jsonArray(dataOrEmpty(ev.Data)))
	case chat.EventUserChanged:
		h.userChangedEvent(ev)
	}
}

// loggedAndAll delivers a logged-in users' event on stream-notify-logged
// and, for the alpha SDK, which asks for these on stream-notify-all, there
// too (to logged-in connections only).
func (h *Hub) loggedAndAll(event string, args []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	h.sendKeyLocked(Key{StreamNotifyLogged, event}, args, "", true)
	h.sendKeyLocked(Key{StreamNotifyAll, event}, args, "", true)
}

// UserChange is the payload of chat.EventUserChanged as the hub reads it:
// what changed about a user. Publishers fill what applies.
type UserChange struct {
	ID         string `json:"_id"`
	Username   string `json:"username,omitempty"`
	Name       string `json:"name,omitempty"`
	AvatarETag string `json:"avatarETag,omitempty"`
	// What changed.
	NameChanged   bool `json:"nameChanged,omitempty"`
	AvatarChanged bool `json:"avatarChanged,omitempty"`
	Deleted       bool `json:"deleted,omitempty"`
}

// userChangedEvent announces renames, avatar changes and deletions.
func (h *Hub) userChangedEvent(ev chat.Event) {
	var uc UserChange
	if err := json.Unmarshal(ev.Data, &uc); err != nil {
		return
	}
	if uc.ID == "" {
		uc.ID = ev.UserID
	}
	if uc.NameChanged {
		h.loggedAndAll("Users:NameChanged", jsonArray(mustJSON(map[string]string{"_id": uc.ID, "name": uc.Name, "username": uc.Username})))
	}
	if uc.AvatarChanged {
		h.loggedAndAll("updateAvatar", jsonArray(mustJSON(map[string]string{"username": uc.Username, "etag": uc.AvatarETag})))
	}
	if uc.Deleted {
		h.loggedAndAll("Users:Deleted", jsonArray(mustJSON(map[string]string{"userId": uc.ID})))
	}
}

// presenceEvent translates the presence topic: a user's new status goes to
// stream-notify-logged's user-status and to the connections watching that
// user on stream-user-presence; per-instance connection counts go to
// core's presence.
func (h *Hub) presenceEvent(ev chat.Event) {
	switch ev.Kind {
	case chat.EventUserStatus:
		var parts []json.RawMessage
		if err := json.Unmarshal(ev.Data, &parts); err != nil || len(parts) < 4 {
			return
		}
		var uid string
		_ = json.Unmarshal(parts[0], &uid)
		h.mu.RLock()
		defer h.mu.RUnlock()
		h.sendKeyLocked(Key{StreamNotifyLogged, "user-status"}, jsonArray(ev.Data), "", true)
		if set := h.watchers[uid]; len(set) > 0 {
			frame := presenceFrame(uid, jsonArray(parts[1], parts[2], parts[3]))
			for c := range set {
				c.Send(frame)
			}
		}
	case chat.EventPresence, chat.EventInstance:
		if h.presence != nil {
			h.presence.Apply(ev)
		}
	}
}

// instanceEvent passes instance heartbeats to core's presence.
func (h *Hub) instanceEvent(ev chat.Event) {
	if h.presence != nil {
		h.presence.Apply(ev)
	}
}
