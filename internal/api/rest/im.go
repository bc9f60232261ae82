package rest

import (
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// imRoutes lists the direct-message endpoints, each under im.* and its
// alias dm.* (history and messages live in history.go).
// https://developer.rocket.chat/apidocs/im-endpoints
func (a *API) imRoutes() {
	for _, p := range []string{"/api/v1/im.", "/api/v1/dm."} {
		a.handle("POST "+p+"create", authRequired, a.handleIMCreate)
		a.handle("GET "+p+"list", authRequired, a.handleJoinedList(roomKind{t: chat.RoomDirect, list: "ims"}))
		a.handle("GET "+p+"list.everyone", authRequired, a.handleAllList(chat.RoomDirect, "ims"))
		a.handle("GET "+p+"members", authRequired, a.handleIMMembers)
		a.handle("GET "+p+"counters", authRequired, a.handleRoomCounters(chat.RoomDirect))
		a.handle("POST "+p+"open", authRequired, a.handleIMOpen)
		a.handle("POST "+p+"close", authRequired, a.handleIMClose)
		a.handle("POST "+p+"delete", authRequired, a.handleIMDelete)
		a.handle("POST "+p+"setTopic", authRequired, a.handleIMSetTopic)
	}
}

// imBody is the body of the im.* POST endpoints.
type imBody struct {
	RoomID      string          `json:"roomId"`
	Username    string          `json:"username"`
	Usernames   json.RawMessage `json:"usernames"`
	ExcludeSelf bool            `json:"excludeSelf"`
	Topic       *string         `json:"topic"`
}

func (r *Request) readIMBody() (*imBody, error) {
	var b imBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	return &b, nil
}

// ref addresses a DM by roomId or by the other member's username.
func (b *imBody) ref() core.RoomRef {
	return core.RoomRef{ID: b.RoomID, Name: b.Username, Type: chat.RoomDirect}
}

// handleIMCreate answers POST im.create {username} or {usernames:"a,b"}
// with {room}, whose _id and rid are both the room id.
func (a *API) handleIMCreate(r *Request) (obj, error) {
	b, err := r.readIMBody()
	if err != nil {
		return nil, err
	}
	var names []string
	switch {
	case b.Username != "":
		names = []string{b.Username}
	case len(b.Usernames) > 0 && string(b.Usernames) != "null":
		var list string
		if err := json.Unmarshal(b.Usernames, &list); err != nil {
			// Some clients send an array.
			if err := json.Unmarshal(b.Usernames, &names); err != nil {
				return nil, chat.ErrInvalidParam("must be string: 'usernames'")
			}
		} else {
			names = strings.Split(list, ",")
		}
	default:
		return nil, required("username")
	}
	room, err := a.core.CreateDirectMessage(r.Context(), r.Actor, names, b.ExcludeSelf)
	if err != nil {
		return nil, err
	}
	doc := wireObj(roomDoc(room))
	doc["rid"] = room.ID
	return obj{"room": doc}, nil
}

// wireObj turns a wire document into a map, to add fields to it.
func wireObj(v any) obj {
	b, _ := json.Marshal(v)
	var m obj
	_ = json.Unmarshal(b, &m)
	return m
}

// handleIMMembers answers GET im.members {roomId|username}: the members
// with their room roles in a subscription object, as Rocket.Chat nests them.
func (a *API) handleIMMembers(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	ref := r.roomRef(chat.RoomDirect)
	members, total, err := a.core.RoomMembers(r.Context(), r.Actor, ref, r.memberFilter(p))
	if err != nil {
		return nil, err
	}
	docs := make([]obj, len(members))
	for i := range members {
		d := wireObj(newMemberDoc(&members[i].User))
		sub := obj{}
		if len(members[i].Roles) > 0 {
			sub["roles"] = members[i].Roles
		}
		d["subscription"] = sub
		docs[i] = d
	}
	return paged(obj{"members": docs}, len(docs), p, total), nil
}

// handleIMOpen answers POST im.open {roomId}: the DM shows again in the
// caller's sidebar.
func (a *API) handleIMOpen(r *Request) (obj, error) {
	b, err := r.readIMBody()
	if err != nil {
		return nil, err
	}
	if b.RoomID == "" {
		return nil, required("roomId")
	}
	room, sub, err := a.core.Room(r.Context(), r.Actor, core.RoomRef{ID: b.RoomID, Type: chat.RoomDirect})
	if err != nil {
		return nil, err
	}
	if sub == nil || sub.Open {
		return nil, nil
	}
	return nil, a.core.OpenRoom(r.Context(), r.Actor, room.ID)
}

// handleIMClose answers POST im.close {roomId}.
func (a *API) handleIMClose(r *Request) (obj, error) {
	b, err := r.readIMBody()
	if err != nil {
		return nil, err
	}
	if b.RoomID == "" {
		return nil, required("roomId")
	}
	room, sub, err := a.core.Room(r.Context(), r.Actor, core.RoomRef{ID: b.RoomID, Type: chat.RoomDirect})
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return nil, rcFailure("The user is not subscribed to the room")
	}
	if !sub.Open {
		return nil, rcFailure("The direct message room, is already closed to the sender")
	}
	return nil, a.core.HideRoom(r.Context(), r.Actor, room.ID)
}

// handleIMDelete answers POST im.delete {roomId}|{username}.
func (a *API) handleIMDelete(r *Request) (obj, error) {
	b, err := r.readIMBody()
	if err != nil {
		return nil, err
	}
	if b.RoomID == "" && b.Username == "" {
		return nil, required("roomId")
	}
	return nil, a.core.DeleteRoom(r.Context(), r.Actor, b.ref())
}

// handleIMSetTopic answers POST im.setTopic {roomId, topic} with {topic}.
func (a *API) handleIMSetTopic(r *Request) (obj, error) {
	b, err := r.readIMBody()
	if err != nil {
		return nil, err
	}
	if b.RoomID == "" {
		return nil, required("roomId")
	}
	topic := ""
	if b.Topic != nil {
		topic = *b.Topic
	}
	if _, err := a.core.SetRoomTopic(r.Context(), r.Actor, core.RoomRef{ID: b.RoomID, Type: chat.RoomDirect}, topic); err != nil {
		return nil, err
	}
	return obj{"topic": topic}, nil
}
