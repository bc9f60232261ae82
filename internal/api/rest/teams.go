package rest

import (
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// teamRoutes lists the teams.* endpoints.
// https://developer.rocket.chat/apidocs/teams-endpoints
func (a *API) teamRoutes() {
	a.handle("POST /api/v1/teams.create", authRequired, a.handleTeamsCreate)
	a.handle("GET /api/v1/teams.info", authRequired, a.handleTeamsInfo)
	a.handle("GET /api/v1/teams.list", authRequired, a.handleTeamsList(false))
	a.handle("GET /api/v1/teams.listAll", authRequired, a.handleTeamsList(true))
	a.handle("GET /api/v1/teams.members", authRequired, a.handleTeamsMembers)
	a.handle("POST /api/v1/teams.addMembers", authRequired, a.handleTeamsAddMembers)
	a.handle("POST /api/v1/teams.removeMember", authRequired, a.handleTeamsRemoveMember)
	a.handle("POST /api/v1/teams.addRooms", authRequired, a.handleTeamsAddRooms)
	a.handle("GET /api/v1/teams.listRooms", authRequired, a.handleTeamsListRooms)
	a.handle("POST /api/v1/teams.delete", authRequired, a.handleTeamsDelete)
}

// teamDoc is a team as the teams endpoints return it.
type teamDoc struct {
	ID        string       `json:"_id"`
	Name      string       `json:"name"`
	Type      int          `json:"type"`
	RoomID    string       `json:"roomId"`
	CreatedBy wire.UserRef `json:"createdBy"`
	CreatedAt wire.Date    `json:"createdAt"`
	UpdatedAt wire.Date    `json:"_updatedAt"`
}

func newTeamDoc(t *chat.Team) teamDoc {
	return teamDoc{ID: t.ID, Name: t.Name, Type: t.Type, RoomID: t.RoomID,
		CreatedBy: wire.UserRef{ID: t.CreatedBy.ID, Username: t.CreatedBy.Username},
		CreatedAt: wire.Date{T: t.CreatedAt, F: date}, UpdatedAt: wire.Date{T: t.UpdatedAt, F: date}}
}

// teamBody is the body of the teams.* POST endpoints.
type teamBody struct {
	TeamID        string          `json:"teamId"`
	TeamName      string          `json:"teamName"`
	Name          *string         `json:"name"`
	Type          *int            `json:"type"`
	Members       json.RawMessage `json:"members"`
	Owner         string          `json:"owner"`
	UserID        string          `json:"userId"`
	Rooms         []string        `json:"rooms"`
	RoomsToRemove []string        `json:"roomsToRemove"`
}

func (b *teamBody) ref() core.TeamRef { return core.TeamRef{ID: b.TeamID, Name: b.TeamName} }

func (r *Request) readTeamBody() (*teamBody, error) {
	var b teamBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	return &b, nil
}

// queryTeamRef reads teamId or teamName from the query.
func (r *Request) queryTeamRef() (core.TeamRef, error) {
	ref := core.TeamRef{ID: r.q("teamId"), Name: r.q("teamName")}
	if ref.ID == "" && ref.Name == "" {
		return ref, required("teamId")
	}
	return ref, nil
}

// handleTeamsCreate answers POST teams.create {name, type, members?,
// owner?} with {team}.
func (a *API) handleTeamsCreate(r *Request) (obj, error) {
	if !a.core.Can(r.Context(), r.Actor, "create-team", "") {
		return nil, chat.ErrUnauthorizedAction()
	}
	b, err := r.readTeamBody()
	if err != nil {
		return nil, err
	}
	if b.Name == nil {
		return nil, required("name")
	}
	if b.Type == nil {
		return nil, required("type")
	}
	var members []string
	if len(b.Members) > 0 && string(b.Members) != "null" {
		if json.Unmarshal(b.Members, &members) != nil {
			return nil, chat.ErrInvalidParam("must be array: 'members'")
		}
	}
	t, err := a.core.CreateTeam(r.Context(), r.Actor, core.NewTeam{Name: *b.Name, Type: *b.Type, Members: members, Owner: b.Owner})
	if err != nil {
		return nil, err
	}
	return obj{"team": newTeamDoc(t)}, nil
}

// handleTeamsInfo answers GET teams.info {teamId|teamName} with {teamInfo}.
func (a *API) handleTeamsInfo(r *Request) (obj, error) {
	ref, err := r.queryTeamRef()
	if err != nil {
		return nil, err
	}
	t, err := a.core.TeamInfo(r.Context(), r.Actor, ref)
	if err != nil {
		return nil, err
	}
	return obj{"teamInfo": newTeamDoc(t)}, nil
}

// handleTeamsList answers GET teams.list (the caller's teams) and
// teams.listAll (every team) with the rooms and members counted.
func (a *API) handleTeamsList(all bool) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		list := a.core.ListTeams
		if all {
			list = a.core.ListAllTeams
		}
		teams, total, err := list(r.Context(), r.Actor, p.Offset, p.Count)
		if err != nil {
			return nil, err
		}
		docs := make([]obj, len(teams))
		for i, t := range teams {
			d := wireObj(newTeamDoc(&t.Team))
			d["rooms"], d["numberOfUsers"] = t.Rooms, t.NumberOfUsers
			docs[i] = d
		}
		return paged(obj{"teams": docs}, len(docs), p, total), nil
	}
}

// teamMemberDoc is an entry of teams.members.
type teamMemberDoc struct {
	User struct {
		ID       string         `json:"_id"`
		Username string         `json:"username"`
		Name     string         `json:"name,omitempty"`
		Status   string         `json:"status"`
		Settings map[string]any `json:"settings,omitempty"`
	} `json:"user"`
	Roles     []string     `json:"roles,omitempty"`
	CreatedBy wire.UserRef `json:"createdBy"`
	CreatedAt wire.Date    `json:"createdAt"`
}

// handleTeamsMembers answers GET teams.members {teamId|teamName,
// username?, name?, status[]?} with a page of members.
func (a *API) handleTeamsMembers(r *Request) (obj, error) {
	ref, err := r.queryTeamRef()
	if err != nil {
		return nil, err
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	f := core.TeamMemberFilter{Username: r.q("username"), Name: r.q("name"), Statuses: r.queryList("status")}
	members, total, err := a.core.TeamMembers(r.Context(), r.Actor, ref, f, p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	docs := make([]teamMemberDoc, len(members))
	for i, m := range members {
		d := &docs[i]
		d.User.ID, d.User.Username, d.User.Name, d.User.Status = m.User.ID, m.User.Username, m.User.Name, m.User.Status
		if d.User.Status == "" {
			d.User.Status = chat.StatusOffline
		}
		d.Roles = m.Member.Roles
		d.CreatedBy = wire.UserRef{ID: m.Member.CreatedBy.ID, Username: m.Member.CreatedBy.Username}
		d.CreatedAt = wire.Date{T: m.Member.CreatedAt, F: date}
	}
	return paged(obj{"members": docs}, len(docs), p, total), nil
}

// handleTeamsAddMembers answers POST teams.addMembers {teamId|teamName,
// members: [{userId, roles?}]}.
func (a *API) handleTeamsAddMembers(r *Request) (obj, error) {
	b, err := r.readTeamBody()
	if err != nil {
		return nil, err
	}
	if b.TeamID == "" && b.TeamName == "" {
		return nil, required("teamId")
	}
	var members []struct {
		UserID string   `json:"userId"`
		Roles  []string `json:"roles"`
	}
	if len(b.Members) == 0 || string(b.Members) == "null" {
		return nil, required("members")
	}
	if json.Unmarshal(b.Members, &members) != nil {
		return nil, chat.ErrInvalidParam("must be array: 'members'")
	}
	params := make([]core.TeamMemberParam, 0, len(members))
	for _, m := range members {
		if strings.TrimSpace(m.UserID) == "" {
			return nil, chat.ErrInvalidParam("must have required property 'userId'")
		}
		params = append(params, core.TeamMemberParam{UserID: m.UserID, Roles: m.Roles})
	}
	return nil, a.core.AddTeamMembers(r.Context(), r.Actor, b.ref(), params)
}

// handleTeamsRemoveMember answers POST teams.removeMember {teamId|teamName,
// userId, rooms?}.
func (a *API) handleTeamsRemoveMember(r *Request) (obj, error) {
	b, err := r.readTeamBody()
	if err != nil {
		return nil, err
	}
	if b.TeamID == "" && b.TeamName == "" {
		return nil, required("teamId")
	}
	if b.UserID == "" {
		return nil, required("userId")
	}
	return nil, a.core.RemoveTeamMember(r.Context(), r.Actor, b.ref(), b.UserID, b.Rooms)
}

// handleTeamsAddRooms answers POST teams.addRooms {teamId|teamName, rooms}
// with {rooms}.
func (a *API) handleTeamsAddRooms(r *Request) (obj, error) {
	b, err := r.readTeamBody()
	if err != nil {
		return nil, err
	}
	if b.TeamID == "" && b.TeamName == "" {
		return nil, required("teamId")
	}
	if b.Rooms == nil {
		return nil, required("rooms")
	}
	rooms, err := a.core.AddTeamRooms(r.Context(), r.Actor, b.ref(), b.Rooms)
	if err != nil {
		return nil, err
	}
	return obj{"rooms": roomDocs(rooms)}, nil
}

// handleTeamsListRooms answers GET teams.listRooms {teamId|teamName,
// filter?, type?: "autoJoin"} with a page of the team's rooms.
func (a *API) handleTeamsListRooms(r *Request) (obj, error) {
	ref, err := r.queryTeamRef()
	if err != nil {
		return nil, err
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	rooms, total, err := a.core.ListTeamRooms(r.Context(), r.Actor, ref, r.q("filter"), r.q("type") == "autoJoin", p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	return paged(obj{"rooms": roomDocs(rooms)}, len(rooms), p, total), nil
}

// handleTeamsDelete answers POST teams.delete {teamId|teamName,
// roomsToRemove?}.
func (a *API) handleTeamsDelete(r *Request) (obj, error) {
	b, err := r.readTeamBody()
	if err != nil {
		return nil, err
	}
	if b.TeamID == "" && b.TeamName == "" {
		return nil, required("teamId")
	}
	return nil, a.core.DeleteTeam(r.Context(), r.Actor, b.ref(), b.RoomsToRemove)
}
