package core

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestUpdatePermissions(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob := e.mkUser("bob")
	if _, err := e.s.UpdatePermissions(e.ctx, bob, []chat.Permission{{ID: "create-c", Roles: []string{"admin"}}}); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("bob without access-permissions: %v", err)
	}
	for _, bad := range [][]chat.Permission{
		{{ID: "create-c", Roles: []string{"admin"}}, {ID: "no-such-permission", Roles: []string{"admin"}}},
		{{ID: "create-c", Roles: []string{"admin", "wizard"}}},
	} {
		if _, err := e.s.UpdatePermissions(e.ctx, admin, bad); chat.ErrorKind(err) != chat.EInvalid {
			t.Fatalf("update %v: %v", bad, err)
		}
		if !e.s.Can(e.ctx, bob, "create-c", "") {
			t.Fatal("a refused update changed create-c")
		}
		p, _ := e.st.PermissionByID(e.ctx, "create-c")
		if !contains(p.Roles, "user") {
			t.Fatalf("a refused update was stored: %v", p.Roles)
		}
	}
	all, err := e.s.UpdatePermissions(e.ctx, admin, []chat.Permission{{ID: "create-c", Roles: []string{"admin", "admin"}}})
	if err != nil {
		t.Fatal(err)
	}
	if all[28].ID != "edit-message" || len(all) < 151 {
		t.Fatalf("the answer is not every permission in order: %d", len(all))
	}
	if e.s.Can(e.ctx, bob, "create-c", "") {
		t.Fatal("bob kept create-c")
	}
	p, _ := e.st.PermissionByID(e.ctx, "create-c")
	if len(p.Roles) != 1 || p.Roles[0] != "admin" || p.UpdatedAt.Before(time.Now().Add(-time.Minute)) {
		t.Fatalf("stored %+v", p)
	}
	since, _ := e.s.Permissions(e.ctx, p.UpdatedAt.Add(-time.Millisecond))
	if len(since) != 1 || since[0].ID != "create-c" {
		t.Fatalf("changed since: %v", since)
	}
}

func TestUsersInRole(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob := e.mkUser("bob")
	room := e.mkRoom(chat.RoomGroup, "secret", bob, admin)
	users, total, err := e.s.UsersInRole(e.ctx, admin, "admin", "", 0, 50)
	if err != nil || total != 1 || users[0].ID != admin.ID {
		t.Fatalf("admins: %v %d %v", users, total, err)
	}
	users, total, err = e.s.UsersInRole(e.ctx, admin, "owner", room.ID, 0, 50)
	if err != nil || total != 1 || users[0].ID != bob.ID {
		t.Fatalf("room owners: %v %d %v", users, total, err)
	}
	if _, _, err := e.s.UsersInRole(e.ctx, bob, "admin", "", 0, 50); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("bob: %v", err)
	}
	if _, _, err := e.s.UsersInRole(e.ctx, admin, "wizard", "", 0, 50); chat.ErrorKind(err) != chat.EInvalid {
		t.Fatalf("unknown role: %v", err)
	}
	if _, _, err := e.s.UsersInRole(e.ctx, admin, "", "", 0, 50); chat.ErrorKind(err) != chat.EInvalid {
		t.Fatalf("no role: %v", err)
	}
}
