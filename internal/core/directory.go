package core

import (
	"context"
	"slices"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// DirectoryQuery is a search of the directory (GET directory, which
// Rocket.Chat serves with its browseChannels method).
type DirectoryQuery struct {
	Text string
	Type string // "channels" (default), "users" or "teams"
	// SortBy is name, createdAt, usersCount, lastMessage (rooms), or
	// username, email (users); empty sorts by name.
	SortBy   string
	SortDesc bool
	Offset   int
	Limit    int
}

// DirectoryRoom is a room in directory results, with the name of the team
// it belongs to and, for teams, the number of rooms in the team.
type DirectoryRoom struct {
	Room       chat.Room
	BelongsTo  string
	RoomsCount int
}

// DirectoryResult is one page of directory results; Rooms or Users is set
// according to the query's type.
type DirectoryResult struct {
	Rooms []DirectoryRoom
	Users []chat.User
	Total int
}

// errDirectoryParams is the failure Rocket.Chat answers every directory
// query it cannot serve with.
func errDirectoryParams() *chat.Error {
	return rcFailure(chat.EInvalid, "Please verify the parameters")
}

// Directory searches public channels (plus the caller's own rooms), teams
// or users. Private groups the caller is not in are never listed.
func (s *Service) Directory(ctx context.Context, actor *chat.User, q DirectoryQuery) (*DirectoryResult, error) {
	if q.Type == "" {
		q.Type = "channels"
	}
	if q.SortBy == "" {
		q.SortBy = "name"
	}
	q.Text = strings.TrimSpace(q.Text)
	switch q.Type {
	case "channels", "teams":
		if !slices.Contains([]string{"name", "createdAt", "usersCount", "lastMessage"}, q.SortBy) {
			return nil, errDirectoryParams()
		}
		if q.Type == "channels" {
			return s.directoryChannels(ctx, actor, q)
		}
		return s.directoryTeams(ctx, actor, q)
	case "users":
		if !slices.Contains([]string{"name", "username", "createdAt", "email"}, q.SortBy) {
			return nil, errDirectoryParams()
		}
		return s.directoryUsers(ctx, actor, q)
	}
	return nil, errDirectoryParams()
}

// roomSort maps a directory sort to the store's room sort fields.
func roomSort(q DirectoryQuery) []chat.SortField {
	field := map[string]string{"name": "name", "createdAt": "ts", "usersCount": "usersCount", "lastMessage": "lm"}[q.SortBy]
	return []chat.SortField{{Field: field, Desc: q.SortDesc}}
}

func (s *Service) directoryChannels(ctx context.Context, actor *chat.User, q DirectoryQuery) (*DirectoryResult, error) {
	if !s.Can(ctx, actor, "view-c-room", "") {
		return nil, errDirectoryParams()
	}
	joined, err := s.joinedRoomIDs(ctx, actor)
	if err != nil {
		return nil, err
	}
	teams, _, err := s.store.ListTeams(ctx, chat.RoomFilter{})
	if err != nil {
		return nil, err
	}
	teamNames := map[string]string{}
	visibleTeams := map[string]bool{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
		if t.Type == TeamPublic {
			visibleTeams[t.ID] = true
		}
	}
	mine, err := s.store.TeamsOfUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range mine {
		visibleTeams[t.ID] = true
	}
	notDiscussion := false
	rooms, _, err := s.store.ListRooms(ctx, chat.RoomFilter{
		Types: []chat.RoomType{chat.RoomChannel, chat.RoomGroup}, Text: q.Text, Discussion: &notDiscussion, Sort: roomSort(q),
	})
	if err != nil {
		return nil, err
	}
	// Featured rooms come first, as in Rocket.Chat; the visibility rules
	// are applied here, so the page is cut here too.
	var featured, rest []DirectoryRoom
	for _, r := range rooms {
		public := r.Type == chat.RoomChannel && (r.TeamID == "" || visibleTeams[r.TeamID])
		if r.TeamMain || (!public && !joined[r.ID]) {
			continue
		}
		d := DirectoryRoom{Room: r, BelongsTo: teamNames[r.TeamID]}
		if r.Featured {
			featured = append(featured, d)
		} else {
			rest = append(rest, d)
		}
	}
	all := append(featured, rest...)
	return &DirectoryResult{Rooms: page(all, q.Offset, q.Limit), Total: len(all)}, nil
}

func (s *Service) directoryTeams(ctx context.Context, actor *chat.User, q DirectoryQuery) (*DirectoryResult, error) {
	joined, err := s.joinedRoomIDs(ctx, actor)
	if err != nil {
		return nil, err
	}
	rooms, _, err := s.store.ListRooms(ctx, chat.RoomFilter{
		Types: []chat.RoomType{chat.RoomChannel, chat.RoomGroup}, Text: q.Text, OnlyTeams: true, Sort: roomSort(q),
	})
	if err != nil {
		return nil, err
	}
	var all []DirectoryRoom
	for _, r := range rooms {
		if r.Type == chat.RoomGroup && !joined[r.ID] {
			continue
		}
		all = append(all, DirectoryRoom{Room: r})
	}
	out := page(all, q.Offset, q.Limit)
	for i := range out {
		if _, n, err := s.store.ListRooms(ctx, chat.RoomFilter{TeamID: out[i].Room.TeamID, Limit: 1}); err != nil {
			return nil, err
		} else {
			out[i].RoomsCount = n
		}
	}
	return &DirectoryResult{Rooms: out, Total: len(all)}, nil
}

func (s *Service) directoryUsers(ctx context.Context, actor *chat.User, q DirectoryQuery) (*DirectoryResult, error) {
	if !s.Can(ctx, actor, "view-outside-room", "") || !s.Can(ctx, actor, "view-d-room", "") {
		return nil, errDirectoryParams()
	}
	active := true
	field := map[string]string{"name": "name", "username": "username", "createdAt": "createdAt", "email": "username"}[q.SortBy]
	f := chat.UserFilter{Text: q.Text, Active: &active, Sort: []chat.SortField{{Field: field, Desc: q.SortDesc}}}
	if q.Text == "" || s.Can(ctx, actor, "view-full-other-user-info", "") {
		f.Offset, f.Limit = q.Offset, q.Limit
		users, total, err := s.store.ListUsers(ctx, f)
		if err != nil {
			return nil, err
		}
		return &DirectoryResult{Users: users, Total: total}, nil
	}
	// The store also matches email addresses, which only those allowed
	// to see them may search by; the others match names only.
	users, _, err := s.store.ListUsers(ctx, f)
	if err != nil {
		return nil, err
	}
	text := strings.ToLower(q.Text)
	var out []chat.User
	for _, u := range users {
		if strings.Contains(strings.ToLower(u.Username), text) || strings.Contains(strings.ToLower(u.Name), text) {
			out = append(out, u)
		}
	}
	return &DirectoryResult{Users: page(out, q.Offset, q.Limit), Total: len(out)}, nil
}

// spotlightLimit bounds each half of a spotlight answer.
const spotlightLimit = 10

// Spotlight is the quick search of the web client (GET spotlight,
// spotlight): "@text" finds users, "#text" finds rooms, plain text both.
// Rooms are the caller's own rooms plus public channels; users are listed
// only to those with view-outside-room.
func (s *Service) Spotlight(ctx context.Context, actor *chat.User, query string) ([]chat.User, []chat.Room, error) {
	query = strings.TrimSpace(query)
	wantUsers, wantRooms := true, true
	switch {
	case strings.HasPrefix(query, "@"):
		wantRooms, query = false, query[1:]
	case strings.HasPrefix(query, "#"):
		wantUsers, query = false, query[1:]
	}
	var (
		users []chat.User
		rooms []chat.Room
	)
	if wantUsers && s.Can(ctx, actor, "view-outside-room", "") {
		active := true
		found, _, err := s.store.ListUsers(ctx, chat.UserFilter{Text: query, Active: &active, Limit: spotlightLimit * 4,
			Sort: []chat.SortField{{Field: "username"}}})
		if err != nil {
			return nil, nil, err
		}
		text := strings.ToLower(query)
		for _, u := range found {
			if len(users) == spotlightLimit {
				break
			}
			if strings.Contains(strings.ToLower(u.Username), text) || strings.Contains(strings.ToLower(u.Name), text) {
				users = append(users, u)
			}
		}
	}
	if wantRooms {
		joined, err := s.joinedRoomIDs(ctx, actor)
		if err != nil {
			return nil, nil, err
		}
		publicOK := s.Can(ctx, actor, "view-c-room", "")
		found, _, err := s.store.ListRooms(ctx, chat.RoomFilter{Types: []chat.RoomType{chat.RoomChannel, chat.RoomGroup}, Text: query})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range found {
			if len(rooms) == spotlightLimit {
				break
			}
			if joined[r.ID] || (publicOK && r.Type == chat.RoomChannel && r.TeamID == "") {
				rooms = append(rooms, r)
			}
		}
	}
	return users, rooms, nil
}
