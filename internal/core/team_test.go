package core

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestTeamLifecycle(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob, carol := e.mk("alice"), e.mk("bob"), e.mk("carol")

	team, err := e.s.CreateTeam(e.ctx, alice, NewTeam{Name: "rockets", Type: TeamPublic, Members: []string{bob.ID}})
	if err != nil {
		t.Fatal(err)
	}
	main := e.room(team.RoomID)
	if !main.TeamMain || main.TeamID != team.ID || main.Type != chat.RoomChannel || main.UsersCount != 2 {
		t.Fatalf("main room %+v", main)
	}
	_, err = e.s.CreateTeam(e.ctx, alice, NewTeam{Name: "rockets", Type: TeamPublic})
	if err == nil || err.Error() != "team-name-already-exists" {
		t.Fatalf("duplicate team: %v", err)
	}
	guest := e.mk("gus", "guest")
	_, err = e.s.CreateTeam(e.ctx, guest, NewTeam{Name: "guests", Type: TeamPublic})
	checkErr(t, err, chat.EForbidden, "error-unauthorized")

	ref := TeamRef{ID: team.ID}
	members, total, err := e.s.TeamMembers(e.ctx, alice, ref, TeamMemberFilter{}, 0, 0)
	if err != nil || total != 2 {
		t.Fatalf("members: %v %d", err, total)
	}
	for _, m := range members {
		if m.User.ID == alice.ID && (len(m.Member.Roles) != 1 || m.Member.Roles[0] != "owner") {
			t.Fatalf("owner roles %v", m.Member.Roles)
		}
	}
	// Outsiders see no members.
	if _, total, _ := e.s.TeamMembers(e.ctx, carol, ref, TeamMemberFilter{}, 0, 0); total != 0 {
		t.Fatalf("outsider sees %d members", total)
	}

	checkErr(t, e.s.AddTeamMembers(e.ctx, bob, ref, []TeamMemberParam{{UserID: carol.ID}}), chat.EForbidden, "error-unauthorized")
	if err := e.s.AddTeamMembers(e.ctx, alice, ref, []TeamMemberParam{{UserID: carol.ID, Roles: []string{"moderator"}}}); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(main.ID); m.Type != chat.MsgUserAddedToTeam || m.Text != "carol" {
		t.Fatalf("add message %+v", m)
	}
	if sub := e.sub(main.ID, carol); sub == nil || !sub.HasRole("moderator") {
		t.Fatalf("carol's subscription %+v", sub)
	}

	// A room joins the team; team lists show it.
	side := e.create(alice, chat.RoomChannel, "side")
	rooms, err := e.s.AddTeamRooms(e.ctx, alice, ref, []string{side.ID})
	if err != nil || len(rooms) != 1 || rooms[0].TeamID != team.ID {
		t.Fatalf("addRooms: %v %+v", err, rooms)
	}
	if _, err := e.s.AddTeamRooms(e.ctx, alice, ref, []string{side.ID}); err == nil || err.Error() != "room-already-on-team" {
		t.Fatalf("second addRooms: %v", err)
	}
	listed, total, err := e.s.ListTeamRooms(e.ctx, bob, ref, "", false, 0, 0)
	if err != nil || total != 1 || listed[0].ID != side.ID {
		t.Fatalf("listRooms: %v %d", err, total)
	}
	teams, total, err := e.s.ListTeams(e.ctx, carol, 0, 0)
	if err != nil || total != 1 || teams[0].NumberOfUsers != 3 || teams[0].Rooms != 2 {
		t.Fatalf("teams.list: %v %d %+v", err, total, teams)
	}

	// The last owner stays; others can be removed.
	err = e.s.RemoveTeamMember(e.ctx, alice, ref, alice.ID, nil)
	if err == nil || err.Error() != "last-owner-can-not-be-removed" {
		t.Fatalf("remove last owner: %v", err)
	}
	if err := e.s.RemoveTeamMember(e.ctx, alice, ref, bob.ID, nil); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage(main.ID); m.Type != chat.MsgUserRemovedFromTeam || m.Text != "bob" {
		t.Fatalf("remove message %+v", m)
	}
	if e.sub(main.ID, bob) != nil {
		t.Fatal("bob still in the main room")
	}

	checkErr(t, e.s.DeleteTeam(e.ctx, carol, ref, nil), chat.EForbidden, "error-unauthorized")
	if err := e.s.DeleteTeam(e.ctx, alice, ref, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.TeamByID(e.ctx, team.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("team survived: %v", err)
	}
	if _, err := e.st.RoomByID(e.ctx, main.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("main room survived: %v", err)
	}
	if got := e.room(side.ID); got.TeamID != "" {
		t.Fatalf("side room still in the team: %+v", got)
	}
}

func TestPrivateTeamRooms(t *testing.T) {
	t.Parallel()
	e := newRoomEnv(t)
	alice, bob := e.mk("alice"), e.mk("bob")
	team, err := e.s.CreateTeam(e.ctx, alice, NewTeam{Name: "secret-team", Type: TeamPrivate})
	if err != nil {
		t.Fatal(err)
	}
	if e.room(team.RoomID).Type != chat.RoomGroup {
		t.Fatal("a private team's main room must be a group")
	}
	_, _, err = e.s.ListTeamRooms(e.ctx, bob, TeamRef{Name: "secret-team"}, "", false, 0, 0)
	if err == nil || err.Error() != "user-not-on-private-team" {
		t.Fatalf("outsider listRooms: %v", err)
	}
	_, err = e.s.TeamInfo(e.ctx, bob, TeamRef{ID: team.ID})
	checkErr(t, err, chat.EForbidden, "error-unauthorized")
	if _, err := e.s.TeamInfo(e.ctx, alice, TeamRef{ID: team.ID}); err != nil {
		t.Fatal(err)
	}
}
