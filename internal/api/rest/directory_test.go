package rest_test

import (
	"testing"
)

// rmNames lists the name of every entry of a result list.
func rmNames(list []any, key string) []string {
	var out []string
	for _, x := range list {
		out = append(out, x.(map[string]any)[key].(string))
	}
	return out
}

func TestDirectory(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	rmCreate(t, f.alice, "channels", "dir-apple")
	rmCreate(t, f.alice, "channels", "dir-banana")
	rmCreate(t, f.alice, "groups", "dir-secret")
	f.alice.Post(t, "/api/v1/teams.create", map[string]any{"name": "dir-team", "type": 0}).MustOK(t)

	res := f.bob.Get(t, "/api/v1/directory", map[string]string{
		"query": `{"text":"dir","type":"channels"}`, "sort": `{"name":1}`,
	}).MustOK(t)
	names := rmNames(res["result"].([]any), "name")
	if res["total"] != float64(2) || res["count"] != float64(2) || res["offset"] != float64(0) ||
		len(names) != 2 || names[0] != "dir-apple" || names[1] != "dir-banana" {
		t.Fatalf("channels for bob: %v", res)
	}
	first := res["result"].([]any)[0].(map[string]any)
	if first["t"] != "c" || first["usersCount"] != float64(1) {
		t.Fatalf("directory room %v", first)
	}
	wantISO(t, first, "ts")
	// Without a sort, names run backwards, as in Rocket.Chat.
	res = f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"dir"}`}).MustOK(t)
	if names := rmNames(res["result"].([]any), "name"); len(names) != 2 || names[0] != "dir-banana" {
		t.Fatalf("default order %v", names)
	}
	// The member of the private group finds it; others never do.
	res = f.alice.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"secret","type":"channels"}`}).MustOK(t)
	if res["total"] != float64(1) {
		t.Fatalf("alice's search %v", res)
	}
	res = f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"secret","type":"channels"}`}).MustOK(t)
	if res["total"] != float64(0) || len(res["result"].([]any)) != 0 {
		t.Fatalf("bob found a private group: %v", res)
	}

	res = f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"dir","type":"teams"}`}).MustOK(t)
	teams := res["result"].([]any)
	if res["total"] != float64(1) || teams[0].(map[string]any)["teamMain"] != true || teams[0].(map[string]any)["roomsCount"] != float64(1) {
		t.Fatalf("teams %v", res)
	}

	res = f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"ali","type":"users"}`}).MustOK(t)
	users := res["result"].([]any)
	if res["total"] != float64(1) || users[0].(map[string]any)["username"] != "alice" {
		t.Fatalf("users %v", res)
	}
	u := users[0].(map[string]any)
	if _, ok := u["emails"]; ok {
		t.Fatalf("emails shown to a plain user: %v", u)
	}
	wantISO(t, u, "createdAt")
	if a := f.admin.Get(t, "/api/v1/directory", map[string]string{"query": `{"text":"ali","type":"users"}`}).MustOK(t); a["result"].([]any)[0].(map[string]any)["emails"] == nil {
		t.Fatalf("admin does not see emails: %v", a)
	}

	rmFail(t, f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{"type":"planets"}`}), 400, "-", "Please verify the parameters")
	rmFail(t, f.bob.Get(t, "/api/v1/directory", map[string]string{"sort": `{"name":1,"ts":1}`}), 400, "-", `This method support only one "sort" parameter`)
	rmFail(t, f.bob.Get(t, "/api/v1/directory", map[string]string{"query": `{not json`}), 400, "invalid-params", "")
}

func TestSpotlight(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	rmCreate(t, f.alice, "channels", "spot-on")
	rmCreate(t, f.alice, "groups", "spot-private")

	res := f.bob.Get(t, "/api/v1/spotlight", map[string]string{"query": "spot"}).MustOK(t)
	if rooms := rmNames(res["rooms"].([]any), "name"); len(rooms) != 1 || rooms[0] != "spot-on" {
		t.Fatalf("bob's rooms %v", res)
	}
	res = f.alice.Get(t, "/api/v1/spotlight", map[string]string{"query": "#spot"}).MustOK(t)
	if len(res["rooms"].([]any)) != 2 || len(res["users"].([]any)) != 0 {
		t.Fatalf("alice's #spot %v", res)
	}
	res = f.bob.Get(t, "/api/v1/spotlight", map[string]string{"query": "@car"}).MustOK(t)
	users := res["users"].([]any)
	if len(users) != 1 || len(res["rooms"].([]any)) != 0 {
		t.Fatalf("@car %v", res)
	}
	if u := users[0].(map[string]any); u["username"] != "carol" || u["_id"] != f.carol.UserID || u["status"] == nil {
		t.Fatalf("spotlight user %v", u)
	}
	rmFail(t, f.bob.Get(t, "/api/v1/spotlight", nil), 400, "invalid-params", "")
}
