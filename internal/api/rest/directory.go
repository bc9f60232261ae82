package rest

import (
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// directoryRoutes lists the search endpoints: directory and spotlight.
// https://developer.rocket.chat/apidocs/get-directory
func (a *API) directoryRoutes() {
	a.handle("GET /api/v1/directory", authRequired, a.handleDirectory)
	a.handle("GET /api/v1/spotlight", authRequired, a.handleSpotlight)
}

// handleDirectory answers GET directory ?query={"text","type"}&sort={"f":±1}
// with {result, count, offset, total}.
func (a *API) handleDirectory(r *Request) (obj, error) {
	var q struct {
		Text string `json:"text"`
		Type string `json:"type"`
	}
	if s := r.q("query"); s != "" {
		if json.Unmarshal([]byte(s), &q) != nil {
			return nil, chat.ErrInvalidParam("Invalid query parameter provided")
		}
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	if len(p.Sort) > 1 {
		return nil, rcFailure(`This method support only one "sort" parameter`)
	}
	dq := core.DirectoryQuery{Text: q.Text, Type: q.Type, Offset: p.Offset, Limit: p.Count, SortDesc: true}
	// As in Rocket.Chat, a missing sort lists by name, descending.
	if len(p.Sort) == 1 {
		dq.SortBy, dq.SortDesc = p.Sort[0].Field, p.Sort[0].Desc
	}
	res, err := a.core.Directory(r.Context(), r.Actor, dq)
	if err != nil {
		return nil, err
	}
	var docs []obj
	if dq.Type == "users" {
		full := a.core.Can(r.Context(), r.Actor, "view-full-other-user-info", "")
		for i := range res.Users {
			docs = append(docs, directoryUserDoc(&res.Users[i], full))
		}
	} else {
		for _, d := range res.Rooms {
			doc := wireObj(roomDoc(&d.Room))
			if d.BelongsTo != "" {
				doc["belongsTo"] = d.BelongsTo
			}
			if d.Room.TeamMain {
				doc["roomsCount"] = d.RoomsCount
			}
			docs = append(docs, doc)
		}
	}
	if docs == nil {
		docs = []obj{}
	}
	return paged(obj{"result": docs}, len(docs), p, res.Total), nil
}

// directoryUserDoc is a user in directory results; addresses only for
// those who may see them.
func directoryUserDoc(u *chat.User, withEmails bool) obj {
	d := obj{"_id": u.ID, "username": u.Username, "name": u.Name, "createdAt": wire.Date{T: u.CreatedAt, F: date}}
	if u.Nickname != "" {
		d["nickname"] = u.Nickname
	}
	if u.Bio != "" {
		d["bio"] = u.Bio
	}
	if u.AvatarETag != "" {
		d["avatarETag"] = u.AvatarETag
	}
	if withEmails && len(u.Emails) > 0 {
		emails := make([]wire.Email, len(u.Emails))
		for i, e := range u.Emails {
			emails[i] = wire.Email(e)
		}
		d["emails"] = emails
	}
	return d
}

// handleSpotlight answers GET spotlight ?query=@name|#room|text with
// {users, rooms}.
func (a *API) handleSpotlight(r *Request) (obj, error) {
	query := r.q("query")
	if strings.TrimSpace(query) == "" {
		return nil, required("query")
	}
	users, rooms, err := a.core.Spotlight(r.Context(), r.Actor, query)
	if err != nil {
		return nil, err
	}
	userDocs := make([]obj, len(users))
	for i, u := range users {
		status := u.Status
		if status == "" {
			status = chat.StatusOffline
		}
		d := obj{"_id": u.ID, "username": u.Username, "name": u.Name, "status": status}
		if u.StatusText != "" {
			d["statusText"] = u.StatusText
		}
		if u.AvatarETag != "" {
			d["avatarETag"] = u.AvatarETag
		}
		if u.Nickname != "" {
			d["nickname"] = u.Nickname
		}
		userDocs[i] = d
	}
	rdocs := make([]obj, len(rooms))
	for i, rm := range rooms {
		d := obj{"_id": rm.ID, "t": rm.Type, "name": rm.Name}
		if rm.FName != "" {
			d["fname"] = rm.FName
		}
		if rm.TeamMain {
			d["teamMain"] = true
		}
		if rm.AvatarETag != "" {
			d["avatarETag"] = rm.AvatarETag
		}
		if rm.LastMessage != nil {
			d["lastMessage"] = wire.NewMessage(rm.LastMessage, date)
		}
		rdocs[i] = d
	}
	return obj{"users": userDocs, "rooms": rdocs}, nil
}
