package rest_test

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

func TestRoomsAdminRooms(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	bob.Post(t, "/api/v1/groups.create", map[string]any{"name": "secret-plans"}).MustOK(t)
	bob.Post(t, "/api/v1/im.create", map[string]any{"username": "admin"}).MustOK(t)

	all := env.Admin.Get(t, "/api/v1/rooms.adminRooms", nil).MustOK(t)
	types := map[string]bool{}
	for _, r := range all["rooms"].([]any) {
		types[r.(map[string]any)["t"].(string)] = true
	}
	if !types["c"] || !types["p"] || !types["d"] || all["total"].(float64) < 3 {
		t.Fatalf("rooms.adminRooms lists types %v, total %v", types, all["total"])
	}
	groups := env.Admin.Get(t, "/api/v1/rooms.adminRooms", map[string]string{"types[]": "p", "filter": "secret"}).MustOK(t)
	if rs := groups["rooms"].([]any); len(rs) != 1 || rs[0].(map[string]any)["name"] != "secret-plans" {
		t.Fatalf("filtered rooms.adminRooms: %v", groups["rooms"])
	}
	bob.Get(t, "/api/v1/rooms.adminRooms", nil).MustFail(t, 403)
	env.Admin.Get(t, "/api/v1/rooms.adminRooms", map[string]string{"types[]": "x"}).MustFail(t, 400)
}
