package rest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

func TestPermissionsListAll(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	body := acctOK(t, bob.Get(t, "/api/v1/permissions.listAll", nil))
	update, _ := body["update"].([]any)
	if remove, ok := body["remove"].([]any); !ok || len(remove) != 0 {
		t.Fatalf("remove %v", body["remove"])
	}
	if len(update) < 151 {
		t.Fatalf("%d permissions", len(update))
	}
	// EmbeddedChat reads these by index.
	for idx, id := range map[int]string{28: "edit-message", 70: "view-full-other-user-info", 140: "post-readonly", 150: "pin-message"} {
		p := update[idx].(map[string]any)
		if p["_id"] != id {
			t.Errorf("update[%d] = %v, want %s", idx, p["_id"], id)
		}
		if _, ok := p["roles"].([]any); !ok {
			t.Errorf("update[%d].roles = %v", idx, p["roles"])
		}
		acctWantISO(t, p, "_updatedAt")
	}

	future := wire.FormatISO(time.Now().Add(time.Hour))
	if got := acctOK(t, bob.Get(t, "/api/v1/permissions.listAll", map[string]string{"updatedSince": future}))["update"].([]any); len(got) != 0 {
		t.Fatalf("permissions changed in the future: %d", len(got))
	}
	res := bob.Get(t, "/api/v1/permissions.listAll", map[string]string{"updatedSince": "yesterday"})
	if b := acctFail(t, res, http.StatusBadRequest, "error-roomId-param-invalid"); b["error"] != `The "updatedSince" query parameter must be a valid date. [error-roomId-param-invalid]` {
		t.Fatalf("invalid updatedSince %s", res.Raw)
	}
	acct401(t, env.Anon().Get(t, "/api/v1/permissions.listAll", nil))
}

func TestPermissionsUpdate(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	rolesOf := func(id string) []any {
		for _, p := range acctOK(t, env.Admin.Get(t, "/api/v1/permissions.listAll", nil))["update"].([]any) {
			if m := p.(map[string]any); m["_id"] == id {
				return m["roles"].([]any)
			}
		}
		t.Fatalf("no permission %s", id)
		return nil
	}
	orig := rolesOf("create-c")

	res := bob.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{map[string]any{"_id": "create-c", "roles": []string{"user"}}}})
	if b := acctFail(t, res, http.StatusForbidden, "-"); b["error"] != "User does not have the permissions required for this action [error-unauthorized]" {
		t.Fatalf("bob %s", res.Raw)
	}
	for _, tt := range []struct {
		body   any
		errTyp string
	}{
		{map[string]any{"permissions": []any{map[string]any{"_id": "create-c", "roles": []string{"admin"}}, map[string]any{"_id": "no-such", "roles": []string{}}}}, "error-invalid-permission"},
		{map[string]any{"permissions": []any{map[string]any{"_id": "create-c", "roles": []string{"admin", "wizard"}}}}, "error-invalid-role"},
		{map[string]any{}, "invalid-params"},
		{map[string]any{"permissions": "create-c"}, "invalid-params"},
		{map[string]any{"permissions": []any{map[string]any{"_id": "create-c"}}}, "invalid-params"},
		{map[string]any{"permissions": []any{map[string]any{"roles": []string{}}}}, "invalid-params"},
		{map[string]any{"permissions": []any{"create-c"}}, "invalid-params"},
	} {
		acctFail(t, env.Admin.Post(t, "/api/v1/permissions.update", tt.body), http.StatusBadRequest, tt.errTyp)
	}
	if got := rolesOf("create-c"); len(got) != len(orig) {
		t.Fatalf("a refused update changed create-c: %v → %v", orig, got)
	}

	before := wire.FormatISO(time.Now().Add(-time.Millisecond))
	body := acctOK(t, env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "view-d-room", "roles": []string{"admin", "bot"}},
	}}))
	all, _ := body["permissions"].([]any)
	if len(all) < 151 || all[28].(map[string]any)["_id"] != "edit-message" {
		t.Fatalf("the answer is not the whole ordered list: %d", len(all))
	}
	changed := acctOK(t, env.Admin.Get(t, "/api/v1/permissions.listAll", map[string]string{"updatedSince": before}))["update"].([]any)
	if len(changed) != 1 || changed[0].(map[string]any)["_id"] != "view-d-room" {
		t.Fatalf("changed since %s: %v", before, changed)
	}
	// The change takes effect at once.
	acctFail(t, bob.Get(t, "/api/v1/users.list", nil), http.StatusForbidden, "-")
}

func TestRolesList(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	roles, _ := acctOK(t, bob.Get(t, "/api/v1/roles.list", nil))["roles"].([]any)
	byID := map[string]map[string]any{}
	for _, r := range roles {
		m := r.(map[string]any)
		byID[m["_id"].(string)] = m
		if _, ok := m["_updatedAt"]; ok {
			t.Fatalf("roles.list shows _updatedAt: %v", m)
		}
	}
	if byID["admin"]["scope"] != "Users" || byID["owner"]["scope"] != "Subscriptions" || byID["admin"]["protected"] != true || byID["user"]["name"] != "user" {
		t.Fatalf("roles %v", byID)
	}
}

func TestRolesGetUsersInRole(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	body := acctOK(t, env.Admin.Get(t, "/api/v1/roles.getUsersInRole", map[string]string{"role": "admin"}))
	users, _ := body["users"].([]any)
	if body["total"] != 1.0 || len(users) != 1 {
		t.Fatalf("admins %v", body)
	}
	u := users[0].(map[string]any)
	if u["username"] != "admin" || u["_id"] == nil || u["emails"] == nil {
		t.Fatalf("admin entry %v", u)
	}
	acctWantISO(t, u, "createdAt")
	owners := acctOK(t, env.Admin.Get(t, "/api/v1/roles.getUsersInRole", map[string]string{"role": "owner", "roomId": "GENERAL"}))
	if owners["total"] != 0.0 {
		t.Fatalf("owners of #general %v", owners)
	}
	acctFail(t, bob.Get(t, "/api/v1/roles.getUsersInRole", map[string]string{"role": "admin"}), http.StatusForbidden, "-")
	acctFail(t, env.Admin.Get(t, "/api/v1/roles.getUsersInRole", nil), http.StatusBadRequest, "error-param-not-provided")
	acctFail(t, env.Admin.Get(t, "/api/v1/roles.getUsersInRole", map[string]string{"role": "wizard"}), http.StatusBadRequest, "error-invalid-roleId")
	acctFail(t, env.Admin.Get(t, "/api/v1/roles.getUsersInRole", map[string]string{"role": "owner", "roomId": "nope"}), http.StatusBadRequest, "error-room-not-found")
}
