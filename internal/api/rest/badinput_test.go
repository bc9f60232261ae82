package rest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/rest"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// acctSnapshot summarises the state a failed call must not change:
// users, rooms, the admin's memberships, every setting's value and every
// permission's roles.
func acctSnapshot(t *testing.T, env *testenv.Env) string {
	t.Helper()
	ctx := context.Background()
	st := env.Server.Core().Store()
	var b strings.Builder
	users, nUsers, err := st.ListUsers(ctx, chat.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "users=%d\n", nUsers)
	for _, u := range users {
		fmt.Fprintf(&b, "user %s %s %s %v %v %s\n", u.ID, u.Username, u.Name, u.Active, u.Roles, u.PrimaryEmail())
	}
	_, nRooms, err := st.ListRooms(ctx, chat.RoomFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "rooms=%d\n", nRooms)
	subs, err := st.SubscriptionsOfUser(ctx, env.Admin.UserID, chat.SubscriptionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "admin subscriptions=%d\n", len(subs))
	settings, err := st.Settings(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		fmt.Fprintf(&b, "setting %s=%v\n", s.ID, s.Value)
	}
	perms, err := st.Permissions(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range perms {
		roles := append([]string(nil), p.Roles...)
		sort.Strings(roles)
		fmt.Fprintf(&b, "permission %s=%v\n", p.ID, roles)
	}
	return b.String()
}

// acctRoutes lists the server's REST endpoints (those registered by the
// rest package itself).
func acctRoutes(env *testenv.Env) []rest.RouteInfo {
	return rest.New(rest.Config{Core: env.Server.Core()}).Routes()
}

var acctPathParam = regexp.MustCompile(`\{[^}]*\}`)

// acctSend sends a request with a raw body and returns the answer.
func acctSend(t *testing.T, c *testenv.Client, method, path string, body []byte, header map[string]string) *testenv.Response {
	t.Helper()
	req, err := http.NewRequest(method, c.Base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.Do(t, req)
}

// TestBadInputSweep calls every endpoint of the API the wrong way —
// without credentials, with malformed JSON, with junk parameters — and
// checks that each answers in Rocket.Chat's error shape with exactly
// "Content-Type: application/json", never with a 5xx, and that nothing
// changed.
func TestBadInputSweep(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	before := acctSnapshot(t, env)
	routes := acctRoutes(env)
	if len(routes) < 20 {
		t.Fatalf("only %d routes", len(routes))
	}
	t.Logf("sweeping %d routes", len(routes))
	checkJSONError := func(what string, res *testenv.Response) {
		t.Helper()
		if res.Status >= 500 || res.Status < 400 {
			t.Errorf("%s: status %d %s", what, res.Status, res.Raw)
			return
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", what, ct)
		}
		if res.Body == nil || res.Body["success"] != false {
			t.Errorf("%s: body %s", what, res.Raw)
		}
	}
	for _, r := range routes {
		if r.Raw || r.Method == "" {
			continue
		}
		path := acctPathParam.ReplaceAllString(r.Path, "unknown-id")
		name := r.Method + " " + r.Path
		if r.AuthRequired {
			for _, h := range []map[string]string{
				nil,
				{"X-User-Id": env.Admin.UserID},
				{"X-Auth-Token": env.Admin.Token},
				{"X-User-Id": env.Admin.UserID, "X-Auth-Token": "wrong-token"},
				{"X-User-Id": bob.UserID, "X-Auth-Token": env.Admin.Token},
			} {
				res := acctSend(t, env.Anon(), r.Method, path, nil, h)
				if res.Status != http.StatusUnauthorized || res.Body["status"] != "error" || res.Body["message"] != "You must be logged in to do this." {
					t.Errorf("%s with headers %v: %d %s", name, h, res.Status, res.Raw)
				}
				checkJSONError(name+" unauthenticated", res)
			}
		}
		if strings.HasSuffix(r.Path, "/logout") {
			continue // logging out ignores the body, as in Rocket.Chat
		}
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodDelete:
			for _, body := range []string{`{"broken":`, `["not", "an", "object"]`, `{"a":1} trailing`} {
				checkJSONError(fmt.Sprintf("%s with body %s", name, body), acctSend(t, env.Admin, r.Method, path, []byte(body), nil))
			}
		case http.MethodGet:
			res := acctSend(t, env.Admin, r.Method, path+"?count=many&offset=-3&sort=%7Bbad&updatedSince=never", nil, nil)
			if res.Status >= 500 {
				t.Errorf("%s with junk parameters: %d %s", name, res.Status, res.Raw)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s with junk parameters: Content-Type %q", name, ct)
			}
		}
	}
	acctOK(t, env.Admin.Get(t, "/api/v1/me", nil))
	if after := acctSnapshot(t, env); after != before {
		t.Fatalf("bad requests changed the state:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestBadInputAuthHeaders(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	for _, h := range []map[string]string{
		{"X-User-Id": bob.UserID},
		{"X-Auth-Token": bob.Token},
		{"X-User-Id": bob.UserID, "X-Auth-Token": bob.Token + "x"},
		{"X-User-Id": env.Admin.UserID, "X-Auth-Token": bob.Token}, // someone else's token
		{"x-user-id": bob.UserID, "x-auth-token": "lower-case names, wrong token"},
	} {
		for _, path := range []string{"/api/v1/me", "/api/v1/users.info?username=bob", "/api/v1/permissions.listAll"} {
			acct401(t, acctSend(t, env.Anon(), http.MethodGet, path, nil, h))
		}
		acct401(t, acctSend(t, env.Anon(), http.MethodPost, "/api/v1/settings/Site_Name", []byte(`{"value":"x"}`), h))
		// Public endpoints answer as for an anonymous caller.
		res := acctSend(t, env.Anon(), http.MethodGet, "/api/info", nil, h)
		if body := acctOK(t, res); body["info"] != nil {
			t.Fatalf("bad credentials got the privileged info: %s", res.Raw)
		}
		acctOK(t, acctSend(t, env.Anon(), http.MethodGet, "/api/v1/settings.public?count=1", nil, h))
	}
	// Header names are case-insensitive.
	acctOK(t, acctSend(t, env.Anon(), http.MethodGet, "/api/v1/me", nil, map[string]string{"x-user-id": bob.UserID, "x-auth-token": bob.Token}))
	if v := acctOK(t, env.Admin.Get(t, "/api/v1/settings/Site_Name", nil))["value"]; v != "Rocket.Chat" {
		t.Fatalf("Site_Name changed to %v", v)
	}
}

func TestBadInputOversizedBodies(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"LIFTOFF_MAX_BODY_BYTES": "1024"}})
	before := acctSnapshot(t, env)
	big := strings.Repeat("x", 2048)
	for _, tt := range []struct {
		c    *testenv.Client
		path string
		body map[string]any
	}{
		{env.Anon(), "/api/v1/login", map[string]any{"user": "admin", "password": big}},
		{env.Anon(), "/api/v1/users.register", map[string]any{"username": "big", "email": "big@example.com", "pass": "pw", "name": big}},
		{env.Admin, "/api/v1/users.create", map[string]any{"username": "big", "email": "big@example.com", "password": "pw", "name": big}},
		{env.Admin, "/api/v1/users.update", map[string]any{"userId": env.Admin.UserID, "data": map[string]any{"bio": big}}},
		{env.Admin, "/api/v1/settings/Site_Name", map[string]any{"value": big}},
		{env.Admin, "/api/v1/permissions.update", map[string]any{"permissions": []any{map[string]any{"_id": "create-c", "roles": []string{big}}}}},
		{env.Admin, "/api/v1/users.setStatus", map[string]any{"message": big}},
	} {
		res := tt.c.Post(t, tt.path, tt.body)
		if b := acctFail(t, res, http.StatusRequestEntityTooLarge, "error-request-too-large"); b["error"] != "Request body too large [error-request-too-large]" {
			t.Errorf("%s: %s", tt.path, res.Raw)
		}
	}
	// A body just under the limit still works.
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": strings.Repeat("y", 900)}))
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Rocket.Chat"}))
	if after := acctSnapshot(t, env); after != before {
		t.Fatalf("oversized requests changed the state:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestBadInputUnknownEndpoints(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/"},
		{http.MethodGet, "/api/v1/users.nope"},
		{http.MethodPost, "/api/v1/no.such.thing"},
		{http.MethodGet, "/api/v1/settings/a/b"},
		{http.MethodGet, "/api/v9/info"},
		{http.MethodPut, "/api/v1/users.info"},
		{http.MethodGet, "/api/v1/users.create"},
	} {
		for _, c := range []*testenv.Client{env.Anon(), env.Admin} {
			res := acctSend(t, c, tt.method, tt.path, nil, nil)
			if b := acctFail(t, res, http.StatusNotFound, "-"); b["error"] != "Resource not found" {
				t.Errorf("%s %s: %s", tt.method, tt.path, res.Raw)
			}
		}
	}
}

func TestBadInputUnknownIDs(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	env.CreateUser(t, "bob")
	before := acctSnapshot(t, env)
	for _, tt := range []struct {
		method, path string
		body         any
		errTyp       string
	}{
		{http.MethodGet, "/api/v1/users.info?userId=unknown-id", nil, "-"},
		{http.MethodGet, "/api/v1/users.info?username=unknown", nil, "-"},
		{http.MethodGet, "/api/v1/users.getStatus?userId=unknown-id", nil, "error-invalid-user"},
		{http.MethodGet, "/api/v1/users.getPresence?username=unknown", nil, "error-invalid-user"},
		{http.MethodPost, "/api/v1/users.update", map[string]any{"userId": "unknown-id", "data": map[string]any{"name": "x"}}, "error-invalid-user"},
		{http.MethodPost, "/api/v1/users.delete", map[string]any{"userId": "unknown-id"}, "error-invalid-user"},
		{http.MethodPost, "/api/v1/users.setStatus", map[string]any{"userId": "unknown-id", "status": "away"}, "error-invalid-user"},
		{http.MethodPost, "/api/v1/users.setPreferences", map[string]any{"userId": "unknown-id", "data": map[string]any{"useEmojis": true}}, "error-invalid-user"},
		{http.MethodGet, "/api/v1/roles.getUsersInRole?role=unknown", nil, "error-invalid-roleId"},
		{http.MethodGet, "/api/v1/settings/Unknown_Setting", nil, "error-setting-not-found"},
		{http.MethodPost, "/api/v1/settings/Unknown_Setting", map[string]any{"value": 1}, "error-setting-not-found"},
		{http.MethodPost, "/api/v1/permissions.update", map[string]any{"permissions": []any{map[string]any{"_id": "unknown", "roles": []string{}}}}, "error-invalid-permission"},
		{http.MethodPost, "/api/v1/users.removePersonalAccessToken", map[string]any{"tokenName": "unknown"}, "error-token-does-not-exists"},
	} {
		var res *testenv.Response
		if tt.method == http.MethodGet {
			res = acctSend(t, env.Admin, tt.method, tt.path, nil, nil)
		} else {
			res = env.Admin.Post(t, tt.path, tt.body)
		}
		acctFail(t, res, http.StatusBadRequest, tt.errTyp)
	}
	if after := acctSnapshot(t, env); after != before {
		t.Fatalf("requests naming unknown things changed the state:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
