package storetest

import (
	"fmt"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var teamTests = []test{
	{"RoundTrip", testTeamRoundTrip},
	{"ConflictsAndNotFound", testTeamErrors},
	{"UpdateAndDelete", testTeamUpdateDelete},
	{"List", testListTeams},
	{"Members", testTeamMembers},
}

func newTeam(id, name, roomID string, typ int) *chat.Team {
	return &chat.Team{ID: id, Name: name, Type: typ, RoomID: roomID,
		CreatedBy: chat.UserRef{ID: "u1", Username: "alice", Name: "Alice"}, CreatedAt: at(1), UpdatedAt: at(2)}
}

func testTeamRoundTrip(t *testing.T, s chat.Store) {
	want := newTeam("T1", "engineering", "r1", 1)
	must(t, s.CreateTeam(ctx(t), want))
	for name, get := range map[string]func() (*chat.Team, error){
		"by id":   func() (*chat.Team, error) { return s.TeamByID(ctx(t), "T1") },
		"by name": func() (*chat.Team, error) { return s.TeamByName(ctx(t), "engineering") },
		"by room": func() (*chat.Team, error) { return s.TeamByRoomID(ctx(t), "r1") },
	} {
		got, err := get()
		must(t, err)
		equal(t, "team "+name, got, want)
	}
	min := &chat.Team{ID: "T2", Name: "min"}
	must(t, s.CreateTeam(ctx(t), min))
	got, err := s.TeamByID(ctx(t), "T2")
	must(t, err)
	equal(t, "minimal team", got, min)
}

func testTeamErrors(t *testing.T, s chat.Store) {
	must(t, s.CreateTeam(ctx(t), newTeam("T1", "alpha", "r1", 0)))
	must(t, s.CreateTeam(ctx(t), newTeam("T2", "beta", "r2", 0)))
	wantKind(t, s.CreateTeam(ctx(t), newTeam("T3", "alpha", "r3", 0)), chat.EConflict)
	wantKind(t, s.CreateTeam(ctx(t), newTeam("T1", "gamma", "r3", 0)), chat.EConflict)
	wantKind(t, s.UpdateTeam(ctx(t), newTeam("T2", "alpha", "r2", 0)), chat.EConflict)

	_, err := s.TeamByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	_, err = s.TeamByName(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	_, err = s.TeamByRoomID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateTeam(ctx(t), newTeam("nope", "nope", "", 0)), chat.ENotFound)
	wantKind(t, s.DeleteTeam(ctx(t), "nope"), chat.ENotFound)

	m := &chat.TeamMember{TeamID: "T1", User: chat.UserRef{ID: "u1"}}
	must(t, s.AddTeamMember(ctx(t), m))
	wantKind(t, s.AddTeamMember(ctx(t), m), chat.EConflict)
	wantKind(t, s.AddTeamMember(ctx(t), &chat.TeamMember{TeamID: "nope", User: chat.UserRef{ID: "u1"}}), chat.ENotFound)
	_, err = s.TeamMember(ctx(t), "T1", "u2")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.RemoveTeamMember(ctx(t), "T1", "u2"), chat.ENotFound)
}

func testTeamUpdateDelete(t *testing.T, s chat.Store) {
	must(t, s.CreateTeam(ctx(t), newTeam("T1", "before", "r1", 0)))
	want := &chat.Team{ID: "T1", Name: "after", Type: 1, RoomID: "r9", CreatedBy: chat.UserRef{ID: "u2"}, CreatedAt: at(5), UpdatedAt: at(6)}
	must(t, s.UpdateTeam(ctx(t), want))
	got, err := s.TeamByID(ctx(t), "T1")
	must(t, err)
	equal(t, "updated team", got, want)
	_, err = s.TeamByName(ctx(t), "before")
	wantKind(t, err, chat.ENotFound)

	must(t, s.AddTeamMember(ctx(t), &chat.TeamMember{TeamID: "T1", User: chat.UserRef{ID: "u1"}}))
	must(t, s.DeleteTeam(ctx(t), "T1"))
	_, err = s.TeamByID(ctx(t), "T1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.TeamMember(ctx(t), "T1", "u1")
	wantKind(t, err, chat.ENotFound)
	teams, err := s.TeamsOfUser(ctx(t), "u1")
	must(t, err)
	equal(t, "teams of a former member", len(teams), 0)
	// The name is free again.
	must(t, s.CreateTeam(ctx(t), newTeam("T2", "after", "r1", 0)))
}

func testListTeams(t *testing.T, s chat.Store) {
	for i, name := range []string{"Delta", "alpha", "Charlie", "bravo", "Echo Ops"} {
		tm := newTeam(fmt.Sprint("T", i), name, fmt.Sprint("r", i), i%2)
		tm.CreatedAt = at(10 - i)
		must(t, s.CreateTeam(ctx(t), tm))
	}
	cases := []struct {
		name string
		f    chat.RoomFilter
		want []string
	}{
		{"by name, case-insensitive", chat.RoomFilter{}, []string{"T1", "T3", "T2", "T0", "T4"}},
		{"by name desc", chat.RoomFilter{Sort: []chat.SortField{{Field: "name", Desc: true}}}, []string{"T4", "T0", "T2", "T3", "T1"}},
		{"by creation", chat.RoomFilter{Sort: []chat.SortField{{Field: "createdAt"}}}, []string{"T4", "T3", "T2", "T1", "T0"}},
		{"text", chat.RoomFilter{Text: "OPS"}, []string{"T4"}},
		{"text matches substrings", chat.RoomFilter{Text: "ha"}, []string{"T1", "T2"}},
		{"ids", chat.RoomFilter{IDs: []string{"T0", "T3", "nope"}}, []string{"T3", "T0"}},
		{"public", chat.RoomFilter{Types: []chat.RoomType{chat.RoomChannel}}, []string{"T2", "T0", "T4"}},
		{"private", chat.RoomFilter{Types: []chat.RoomType{chat.RoomGroup}}, []string{"T1", "T3"}},
		{"page", chat.RoomFilter{Offset: 1, Limit: 2}, []string{"T3", "T2"}},
	}
	for _, c := range cases {
		got, total, err := s.ListTeams(ctx(t), c.f)
		must(t, err)
		equal(t, c.name, teamIDs(got), c.want)
		if c.f.Limit == 0 {
			equal(t, c.name+" total", total, len(c.want))
		} else {
			equal(t, c.name+" total", total, 5)
		}
	}
	_, _, err := s.ListTeams(ctx(t), chat.RoomFilter{Sort: []chat.SortField{{Field: "rid"}}})
	wantKind(t, err, chat.EInvalid)
}

func testTeamMembers(t *testing.T, s chat.Store) {
	must(t, s.CreateTeam(ctx(t), newTeam("T1", "one", "r1", 0)))
	must(t, s.CreateTeam(ctx(t), newTeam("T2", "two", "r2", 0)))
	want := &chat.TeamMember{TeamID: "T1", User: chat.UserRef{ID: "u1", Username: "alice", Name: "Alice"},
		Roles: []string{"owner", "member"}, CreatedBy: chat.UserRef{ID: "u9", Username: "root"}, CreatedAt: at(1)}
	must(t, s.AddTeamMember(ctx(t), want))
	got, err := s.TeamMember(ctx(t), "T1", "u1")
	must(t, err)
	equal(t, "team member", got, want)

	for i := 2; i <= 5; i++ {
		must(t, s.AddTeamMember(ctx(t), &chat.TeamMember{TeamID: "T1", User: chat.UserRef{ID: fmt.Sprint("u", i)}, CreatedAt: at(i)}))
	}
	must(t, s.AddTeamMember(ctx(t), &chat.TeamMember{TeamID: "T2", User: chat.UserRef{ID: "u1"}, CreatedAt: at(1)}))

	memberIDs := func(ms []chat.TeamMember) []string {
		return ids(ms, func(m chat.TeamMember) string { return m.User.ID })
	}
	page, total, err := s.TeamMembers(ctx(t), "T1", 0, 0)
	must(t, err)
	equal(t, "members, oldest first", memberIDs(page), []string{"u1", "u2", "u3", "u4", "u5"})
	equal(t, "total", total, 5)
	equal(t, "member document", page[0], *want)
	page, total, err = s.TeamMembers(ctx(t), "T1", 1, 2)
	must(t, err)
	equal(t, "page", memberIDs(page), []string{"u2", "u3"})
	equal(t, "page total", total, 5)

	teams, err := s.TeamsOfUser(ctx(t), "u1")
	must(t, err)
	equal(t, "teams of u1", sorted(teamIDs(teams)), []string{"T1", "T2"})

	must(t, s.RemoveTeamMember(ctx(t), "T1", "u1"))
	_, err = s.TeamMember(ctx(t), "T1", "u1")
	wantKind(t, err, chat.ENotFound)
	teams, err = s.TeamsOfUser(ctx(t), "u1")
	must(t, err)
	equal(t, "teams of u1 after leaving", teamIDs(teams), []string{"T2"})
}
