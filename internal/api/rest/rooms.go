package rest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// roomRoutes lists the rooms.* endpoints of rooms and their membership
// (uploads are registered elsewhere).
// https://developer.rocket.chat/apidocs/rooms-endpoints
func (a *API) roomRoutes() {
	a.handle("GET /api/v1/rooms.get", authRequired, a.handleRoomsGet)
	a.handle("GET /api/v1/rooms.info", authRequired, a.handleRoomsInfo)
	a.handle("POST /api/v1/rooms.leave", authRequired, a.handleRoomsLeave)
	a.handle("POST /api/v1/rooms.favorite", authRequired, a.handleRoomsFavorite)
	a.handle("POST /api/v1/rooms.createDiscussion", authRequired, a.handleRoomsCreateDiscussion)
	a.handle("POST /api/v1/rooms.open", authRequired, a.handleRoomsOpen(true))
	a.handle("POST /api/v1/rooms.hide", authRequired, a.handleRoomsOpen(false))
	a.handle("POST /api/v1/rooms.close", authRequired, a.handleRoomsOpen(false))
	a.handle("GET /api/v1/rooms.nameExists", authRequired, a.handleRoomsNameExists)
	a.handle("GET /api/v1/rooms.isMember", authRequired, a.handleRoomsIsMember)
	a.handle("POST /api/v1/rooms.delete", authRequired, a.handleRoomsDelete)
	a.handle("GET /api/v1/rooms.adminRooms", authRequired, a.handleRoomsAdminRooms)
}

// handleRoomsAdminRooms answers GET rooms.adminRooms (types[], filter,
// offset, count) with every matching room, for administrators.
func (a *API) handleRoomsAdminRooms(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	var types []chat.RoomType
	for _, t := range r.queryList("types") {
		types = append(types, chat.RoomType(t))
	}
	rooms, total, err := a.core.AdminRooms(r.Context(), r.Actor, types, r.q("filter"), p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	return paged(obj{"rooms": wire.NewRooms(rooms, date)}, len(rooms), p, total), nil
}

// updatedSince reads the optional updatedSince date of the sync
// endpoints; a malformed one is a 400 with the endpoint's error type.
func (r *Request) updatedSince(errType, message string) (time.Time, error) {
	s := r.q("updatedSince")
	if s == "" {
		return time.Time{}, nil
	}
	t, err := wire.ParseISO(s)
	if err != nil {
		return time.Time{}, chat.Errorf(chat.EInvalid, errType, "%s", message)
	}
	return t, nil
}

// handleRoomsGet answers GET rooms.get with {update, remove}: the caller's
// rooms (changed after updatedSince, when given) and the rooms deleted since.
func (a *API) handleRoomsGet(r *Request) (obj, error) {
	since, err := r.updatedSince("error-updatedSince-param-invalid", `The "updatedSince" query parameter must be a valid date.`)
	if err != nil {
		return nil, err
	}
	rooms, removed, err := a.core.RoomsForSync(r.Context(), r.Actor, since)
	if err != nil {
		return nil, err
	}
	return obj{"update": roomDocs(rooms), "remove": wire.NewRemovals(removed, date)}, nil
}

// parentDoc is the parent room rooms.info adds for discussions and team
// rooms.
type parentDoc struct {
	ID    string        `json:"_id"`
	Name  string        `json:"name,omitempty"`
	FName string        `json:"fname,omitempty"`
	T     chat.RoomType `json:"t"`
	PRID  string        `json:"prid,omitempty"`
	U     *wire.UserRef `json:"u,omitempty"`
}

// bodyRoomRef reads roomId or roomName from a POST body.
type bodyRoomRef struct {
	RoomID   string `json:"roomId"`
	RoomName string `json:"roomName"`
}

func (b bodyRoomRef) ref() core.RoomRef { return core.RoomRef{ID: b.RoomID, Name: b.RoomName} }

// handleRoomsInfo answers GET rooms.info {roomId|roomName} with {room,
// parent?, team?}.
func (a *API) handleRoomsInfo(r *Request) (obj, error) {
	d, err := a.core.RoomInfo(r.Context(), r.Actor, core.RoomRef{ID: r.q("roomId"), Name: r.q("roomName")})
	if err != nil {
		return nil, err
	}
	res := obj{"room": roomDoc(d.Room)}
	if d.Parent != nil {
		p := parentDoc{ID: d.Parent.ID, Name: d.Parent.Name, FName: d.Parent.FName, T: d.Parent.Type, PRID: d.Parent.ParentID}
		if d.Parent.Creator.ID != "" {
			u := wire.Ref(d.Parent.Creator)
			p.U = &u
		}
		res["parent"] = p
	}
	if d.Team != nil {
		res["team"] = obj{"_id": d.Team.ID, "name": d.Team.Name, "roomId": d.Team.RoomID, "type": d.Team.Type}
	}
	return res, nil
}

// handleRoomsLeave answers POST rooms.leave {roomId|roomName}.
func (a *API) handleRoomsLeave(r *Request) (obj, error) {
	var b bodyRoomRef
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	_, err := a.core.LeaveRoom(r.Context(), r.Actor, b.ref())
	return nil, err
}

// handleRoomsFavorite answers POST rooms.favorite {roomId|roomName,
// favorite}.
func (a *API) handleRoomsFavorite(r *Request) (obj, error) {
	var b struct {
		bodyRoomRef
		Favorite *bool `json:"favorite"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Favorite == nil {
		return nil, rcFailure("The 'favorite' param is required")
	}
	return nil, a.core.ToggleFavorite(r.Context(), r.Actor, b.ref(), *b.Favorite)
}

// handleRoomsCreateDiscussion answers POST rooms.createDiscussion {prid,
// t_name, pmid?, users?, reply?, topic?, encrypted?} with {discussion}.
func (a *API) handleRoomsCreateDiscussion(r *Request) (obj, error) {
	var b struct {
		PRID      string          `json:"prid"`
		PMID      string          `json:"pmid"`
		TName     string          `json:"t_name"`
		Reply     string          `json:"reply"`
		Topic     string          `json:"topic"`
		Users     json.RawMessage `json:"users"`
		Encrypted json.RawMessage `json:"encrypted"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.PRID == "" {
		return nil, rcFailure(`Body parameter "prid" is required.`)
	}
	if strings.TrimSpace(b.TName) == "" {
		return nil, rcFailure(`Body parameter "t_name" is required.`)
	}
	var users []string
	if len(b.Users) > 0 && string(b.Users) != "null" {
		if json.Unmarshal(b.Users, &users) != nil {
			return nil, rcFailure(`Body parameter "users" must be an array.`)
		}
	}
	var encrypted *bool
	if len(b.Encrypted) > 0 && string(b.Encrypted) != "null" {
		var e bool
		if json.Unmarshal(b.Encrypted, &e) != nil {
			return nil, rcFailure(`Body parameter "encrypted" must be a boolean when included.`)
		}
		encrypted = &e
	}
	room, err := a.core.CreateDiscussion(r.Context(), r.Actor, core.NewDiscussion{
		ParentID: b.PRID, ParentMessageID: b.PMID, Name: b.TName, Reply: b.Reply, Users: users,
		Encrypted: encrypted, Topic: b.Topic,
	})
	if err != nil {
		return nil, err
	}
	doc := wireObj(roomDoc(room))
	doc["rid"] = room.ID
	return obj{"discussion": doc}, nil
}

// handleRoomsOpen answers POST rooms.open (open) and rooms.hide /
// rooms.close (!open) {roomId}.
func (a *API) handleRoomsOpen(open bool) handlerFunc {
	return func(r *Request) (obj, error) {
		var b bodyRoomRef
		if err := r.decode(&b); err != nil {
			return nil, err
		}
		if b.RoomID == "" {
			return nil, required("roomId")
		}
		if open {
			return nil, a.core.OpenRoom(r.Context(), r.Actor, b.RoomID)
		}
		return nil, a.core.HideRoom(r.Context(), r.Actor, b.RoomID)
	}
}

// handleRoomsNameExists answers GET rooms.nameExists ?roomName with
// {exists}.
func (a *API) handleRoomsNameExists(r *Request) (obj, error) {
	name := r.q("roomName")
	if name == "" {
		return nil, required("roomName")
	}
	exists, err := a.core.RoomNameExists(r.Context(), name)
	if err != nil {
		return nil, err
	}
	return obj{"exists": exists}, nil
}

// handleRoomsIsMember answers GET rooms.isMember {roomId, userId|username}
// with {isMember}.
func (a *API) handleRoomsIsMember(r *Request) (obj, error) {
	roomID, who := r.q("roomId"), r.queryUserParams()
	if roomID == "" {
		return nil, required("roomId")
	}
	if (who.UserID == "") == (who.Username == "") {
		return nil, chat.ErrInvalidParam("must have required property 'userId' or 'username', not both")
	}
	member, err := a.core.IsRoomMember(r.Context(), r.Actor, roomID, who.target())
	if err != nil {
		return nil, err
	}
	return obj{"isMember": member}, nil
}

// handleRoomsDelete answers POST rooms.delete {roomId}.
func (a *API) handleRoomsDelete(r *Request) (obj, error) {
	var b bodyRoomRef
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.RoomID == "" {
		return nil, rcFailure("The 'roomId' param is required")
	}
	return nil, a.core.DeleteRoom(r.Context(), r.Actor, core.RoomRef{ID: b.RoomID})
}
