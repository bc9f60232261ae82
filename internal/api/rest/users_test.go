package rest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// acctUserCount returns users.list's total as the admin sees it.
func acctUserCount(t *testing.T, env *testenv.Env) int {
	t.Helper()
	body := acctOK(t, env.Admin.Get(t, "/api/v1/users.list", map[string]string{"count": "1"}))
	return int(body["total"].(float64))
}

// acctEvent waits for the next event of a kind on a bus subscription.
func acctEvent(t *testing.T, sub chat.BusSubscription, kind string) chat.Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-sub.C():
			if ev.Kind == kind {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event", kind)
		}
	}
}

func TestUsersRegister(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	body := acctOK(t, env.Anon().Post(t, "/api/v1/users.register", map[string]any{
		"username": "newbie", "email": "Newbie@Example.com", "pass": "pw-newbie", "name": "New Bie",
	}))
	u := acctMap(t, body, "user")
	if u["username"] != "newbie" || u["name"] != "New Bie" || u["active"] != true || u["type"] != "user" {
		t.Fatalf("user %v", u)
	}
	if roles, _ := u["roles"].([]any); len(roles) != 1 || roles[0] != "user" {
		t.Fatalf("a registered user got roles %v while an admin exists", u["roles"])
	}
	acctWantISO(t, u, "createdAt")
	env.Login(t, "newbie@example.com", "pw-newbie")

	before := acctUserCount(t, env)
	for _, tt := range []struct {
		name   string
		c      *testenv.Client
		body   map[string]any
		errTyp string
	}{
		{"logged in", env.Admin, map[string]any{"username": "x1", "email": "x1@example.com", "pass": "p", "name": "x"}, "-"},
		{"taken username", env.Anon(), map[string]any{"username": "NEWBIE", "email": "x2@example.com", "pass": "p", "name": "x"}, "-"},
		{"taken email", env.Anon(), map[string]any{"username": "x3", "email": "newbie@example.com", "pass": "p", "name": "x"}, "error-field-unavailable"},
		{"no pass", env.Anon(), map[string]any{"username": "x4", "email": "x4@example.com", "name": "x"}, "invalid-params"},
		{"bad username", env.Anon(), map[string]any{"username": "x 5", "email": "x5@example.com", "pass": "p", "name": "x"}, "error-input-is-not-a-valid-field"},
	} {
		acctFail(t, tt.c.Post(t, "/api/v1/users.register", tt.body), http.StatusBadRequest, tt.errTyp)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Accounts_RegistrationForm", map[string]any{"value": "Disabled"}))
	acctFail(t, env.Anon().Post(t, "/api/v1/users.register", map[string]any{
		"username": "late", "email": "late@example.com", "pass": "pw", "name": "Late",
	}), http.StatusBadRequest, "error-user-registration-disabled")
	if after := acctUserCount(t, env); after != before {
		t.Fatalf("failed registrations changed the user count: %d → %d", before, after)
	}
}

func TestUsersRegisterFirstUserBecomesAdmin(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{NoAdmin: true})
	reg := func(name string) map[string]any {
		body := acctOK(t, env.Anon().Post(t, "/api/v1/users.register", map[string]any{
			"username": name, "email": name + "@example.com", "pass": "pw-" + name, "name": name,
		}))
		return acctMap(t, body, "user")
	}
	first := reg("founder")
	if roles, _ := first["roles"].([]any); len(roles) != 2 || roles[1] != "admin" {
		t.Fatalf("first user roles %v", first["roles"])
	}
	second := reg("joiner")
	if roles, _ := second["roles"].([]any); len(roles) != 1 {
		t.Fatalf("second user roles %v", second["roles"])
	}
	founder := env.Login(t, "founder", "pw-founder")
	acctOK(t, founder.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Founded"}))
	joiner := env.Login(t, "joiner", "pw-joiner")
	acctFail(t, joiner.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Taken"}), http.StatusForbidden, "-")
}

func TestUsersCreate(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	body := acctOK(t, env.Admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": "robot", "name": "Robot", "email": "robot@example.com", "password": "pw-robot",
		"roles": []string{"bot"}, "verified": true, "customFields": map[string]any{"team": "ops"},
	}))
	u := acctMap(t, body, "user")
	if len(u["_id"].(string)) != 17 || u["username"] != "robot" || u["type"] != "bot" || u["active"] != true {
		t.Fatalf("user %v", u)
	}
	emails, _ := u["emails"].([]any)
	if len(emails) != 1 || emails[0].(map[string]any)["address"] != "robot@example.com" || emails[0].(map[string]any)["verified"] != true {
		t.Fatalf("emails %v", u["emails"])
	}
	if acctMap(t, u, "customFields")["team"] != "ops" {
		t.Fatalf("customFields %v", u["customFields"])
	}
	acctWantISO(t, u, "createdAt")
	acctWantISO(t, u, "_updatedAt")
	st := env.Server.Core().Store()
	if _, err := st.Subscription(context.Background(), chat.GeneralRoomID, u["_id"].(string)); err != nil {
		t.Fatalf("users.create did not join #general: %v", err)
	}
	quiet := acctMap(t, acctOK(t, env.Admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": "quiet", "name": "Quiet", "email": "quiet@example.com", "password": "pw", "joinDefaultChannels": false, "active": false,
	})), "user")
	if quiet["active"] != false {
		t.Fatalf("active:false ignored: %v", quiet)
	}
	if _, err := st.Subscription(context.Background(), chat.GeneralRoomID, quiet["_id"].(string)); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("joinDefaultChannels:false still joined #general: %v", err)
	}

	bob := env.CreateUser(t, "bob")
	before := acctUserCount(t, env)
	full := map[string]any{"username": "x", "name": "X", "email": "x@example.com", "password": "pw"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range full {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	res := bob.Post(t, "/api/v1/users.create", full)
	if b := acctFail(t, res, http.StatusBadRequest, "error-action-not-allowed"); b["error"] != "Adding user is not allowed [error-action-not-allowed]" {
		t.Fatalf("non-admin create: %s", res.Raw)
	}
	for _, tt := range []struct {
		body   map[string]any
		errTyp string
		text   string
	}{
		{with("email", nil), "invalid-params", "must have required property 'email'"},
		{with("name", nil), "invalid-params", "must have required property 'name'"},
		{with("password", nil), "invalid-params", "must have required property 'password'"},
		{with("username", nil), "invalid-params", "must have required property 'username'"},
		{with("username", "BOB"), "error-field-unavailable", "BOB is already in use :("},
		{with("email", "bob@example.com"), "error-field-unavailable", ""},
		{with("username", "no/slash"), "error-input-is-not-a-valid-field", ""},
		{with("roles", []string{"wizard"}), "error-action-not-allowed", ""},
		{with("roles", "admin"), "invalid-params", "must be array"},
	} {
		res := env.Admin.Post(t, "/api/v1/users.create", tt.body)
		b := acctFail(t, res, http.StatusBadRequest, tt.errTyp)
		if msg, _ := b["error"].(string); !strings.Contains(msg, tt.text) {
			t.Errorf("error %q, want it to contain %q", msg, tt.text)
		}
	}
	if after := acctUserCount(t, env); after != before {
		t.Fatalf("failed creations changed the user count: %d → %d", before, after)
	}
}

func TestUsersInfo(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")

	self := acctMap(t, acctOK(t, bob.Get(t, "/api/v1/users.info", map[string]string{"userId": bob.UserID})), "user")
	if self["username"] != "bob" || self["emails"] == nil || self["roles"] == nil || self["canViewAllInfo"] != true {
		t.Fatalf("own info %v", self)
	}
	other := acctMap(t, acctOK(t, carl.Get(t, "/api/v1/users.info", map[string]string{"username": "bob"})), "user")
	if other["_id"] != bob.UserID || other["name"] != "bob Name" || other["status"] == nil || other["canViewAllInfo"] != false {
		t.Fatalf("other's info %v", other)
	}
	for _, private := range []string{"emails", "roles", "settings", "lastLogin", "statusConnection", "customFields"} {
		if _, ok := other[private]; ok {
			t.Errorf("carl sees bob's %s", private)
		}
	}
	adminView := acctMap(t, acctOK(t, env.Admin.Get(t, "/api/v1/users.info", map[string]string{"username": "bob"})), "user")
	if adminView["emails"] == nil || adminView["roles"] == nil || adminView["settings"] != nil {
		t.Fatalf("admin's view %v", adminView)
	}
	acctWantISO(t, adminView, "lastLogin")

	withRooms := acctMap(t, acctOK(t, bob.Get(t, "/api/v1/users.info", map[string]string{"userId": bob.UserID, "includeUserRooms": "true"})), "user")
	rooms, _ := withRooms["rooms"].([]any)
	if len(rooms) == 0 || rooms[0].(map[string]any)["rid"] != chat.GeneralRoomID {
		t.Fatalf("rooms %v", withRooms["rooms"])
	}
	if _, ok := acctMap(t, acctOK(t, carl.Get(t, "/api/v1/users.info", map[string]string{"userId": bob.UserID, "includeUserRooms": "true"})), "user")["rooms"]; ok {
		t.Fatal("carl sees bob's rooms")
	}

	res := bob.Get(t, "/api/v1/users.info", map[string]string{"userId": "nope"})
	if b := acctFail(t, res, http.StatusBadRequest, "-"); b["error"] != "User not found." {
		t.Fatalf("unknown user %s", res.Raw)
	}
	acctFail(t, bob.Get(t, "/api/v1/users.info", nil), http.StatusBadRequest, "invalid-params")
	acct401(t, env.Anon().Get(t, "/api/v1/users.info", map[string]string{"username": "bob"}))
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	env.CreateUser(t, "carl")

	body := acctOK(t, env.Admin.Get(t, "/api/v1/users.list", nil))
	users, _ := body["users"].([]any)
	if body["total"] != 4.0 || body["count"] != 4.0 || body["offset"] != 0.0 || len(users) != 4 { // admin, bob, carl, rocket.cat
		t.Fatalf("list %v", body)
	}
	first := users[0].(map[string]any)
	if first["username"] != "admin" || first["emails"] == nil || first["roles"] == nil || first["type"] != "user" {
		t.Fatalf("admin's entry %v", first)
	}
	acctWantISO(t, first, "lastLogin")

	page := acctOK(t, bob.Get(t, "/api/v1/users.list", map[string]string{"count": "2", "offset": "1", "sort": `{"username":-1}`}))
	users, _ = page["users"].([]any)
	if page["count"] != 2.0 || page["offset"] != 1.0 || page["total"] != 4.0 || len(users) != 2 {
		t.Fatalf("page %v", page)
	}
	if users[0].(map[string]any)["username"] != "carl" || users[1].(map[string]any)["username"] != "bob" {
		t.Fatalf("sorted page %v", users)
	}
	if _, ok := users[0].(map[string]any)["emails"]; ok {
		t.Fatal("a user without view-full-other-user-info sees addresses in users.list")
	}
	acctFail(t, bob.Get(t, "/api/v1/users.list", map[string]string{"sort": `{"password":1}`}), http.StatusBadRequest, "invalid-params")
	acctFail(t, bob.Get(t, "/api/v1/users.list", map[string]string{"sort": `{"username":`}), http.StatusBadRequest, "invalid-params")
	acctFail(t, bob.Get(t, "/api/v1/users.list", map[string]string{"count": "many"}), http.StatusBadRequest, "invalid-params")
	acctFail(t, bob.Get(t, "/api/v1/users.list", map[string]string{"offset": "-1"}), http.StatusBadRequest, "invalid-params")

	// Without view-d-room: 403.
	acctOK(t, env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "view-d-room", "roles": []string{"admin"}},
	}}))
	res := bob.Get(t, "/api/v1/users.list", nil)
	if b := acctFail(t, res, http.StatusForbidden, "-"); b["error"] != "unauthorized" {
		t.Fatalf("without view-d-room: %s", res.Raw)
	}
}

func TestUsersUpdate(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")
	logged, err := env.Server.Core().Bus().Subscribe(context.Background(), chat.TopicLogged)
	if err != nil {
		t.Fatal(err)
	}
	defer logged.Close()

	u := acctMap(t, acctOK(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{
		"userId": bob.UserID, "data": map[string]any{"username": "robert", "name": "Robert", "bio": "hi", "roles": []string{"user", "moderator"}},
	})), "user")
	if u["username"] != "robert" || u["name"] != "Robert" || u["bio"] != "hi" || len(u["roles"].([]any)) != 2 {
		t.Fatalf("updated %v", u)
	}
	ev := acctEvent(t, logged, chat.EventUserChanged)
	var change core.UserChange
	if json.Unmarshal(ev.Data, &change) != nil || !change.NameChanged || change.ID != bob.UserID || change.Username != "robert" {
		t.Fatalf("Users:NameChanged event %+v", ev)
	}
	sub, err := env.Server.Core().Store().Subscription(context.Background(), chat.GeneralRoomID, bob.UserID)
	if err != nil || sub.User.Username != "robert" || sub.User.Name != "Robert" {
		t.Fatalf("the rename did not reach bob's subscriptions: %+v %v", sub, err)
	}
	env.Login(t, "robert", "pw-bob")

	res := carl.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID, "data": map[string]any{"name": "Hacked"}})
	if b := acctFail(t, res, http.StatusBadRequest, "error-action-not-allowed"); b["details"] == nil {
		t.Fatalf("carl editing bob: %s", res.Raw)
	}
	acctFail(t, bob.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID, "data": map[string]any{"roles": []string{"admin"}}}), http.StatusBadRequest, "error-action-not-allowed")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"userId": "nope", "data": map[string]any{"name": "x"}}), http.StatusBadRequest, "error-invalid-user")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID}), http.StatusBadRequest, "invalid-params")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"data": map[string]any{"name": "x"}}), http.StatusBadRequest, "invalid-params")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID, "data": map[string]any{"username": "carl"}}), http.StatusBadRequest, "error-field-unavailable")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID, "data": map[string]any{"settings": map[string]any{"preferences": map[string]any{"bogus": 1}}}}), http.StatusBadRequest, "invalid-params")
	after := acctMap(t, acctOK(t, env.Admin.Get(t, "/api/v1/users.info", map[string]string{"userId": bob.UserID})), "user")
	if after["name"] != "Robert" || after["username"] != "robert" {
		t.Fatalf("failed updates changed bob: %v", after)
	}

	// Own basic info: a new email needs the current password.
	acctOK(t, carl.Post(t, "/api/v1/users.updateOwnBasicInfo", map[string]any{"data": map[string]any{"name": "Carl C", "nickname": "cc"}}))
	acctFail(t, carl.Post(t, "/api/v1/users.updateOwnBasicInfo", map[string]any{"data": map[string]any{"email": "c2@example.com"}}), http.StatusBadRequest, "totp-required")
	me := acctMap(t, acctOK(t, carl.Post(t, "/api/v1/users.updateOwnBasicInfo", map[string]any{"data": map[string]any{
		"email": "c2@example.com", "currentPassword": core.PasswordDigest("pw-carl"),
	}})), "user")
	if me["name"] != "Carl C" || me["nickname"] != "cc" || me["emails"].([]any)[0].(map[string]any)["address"] != "c2@example.com" {
		t.Fatalf("own info %v", me)
	}
}

func TestUsersDelete(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")
	logged, _ := env.Server.Core().Bus().Subscribe(context.Background(), chat.TopicLogged)
	defer logged.Close()

	res := carl.Post(t, "/api/v1/users.delete", map[string]any{"userId": bob.UserID})
	if b := acctFail(t, res, http.StatusForbidden, "-"); b["error"] != "unauthorized" {
		t.Fatalf("carl deleting bob: %s", res.Raw)
	}
	acctFail(t, env.Admin.Post(t, "/api/v1/users.delete", map[string]any{}), http.StatusBadRequest, "error-user-param-not-provided")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.delete", map[string]any{"username": "nobody"}), http.StatusBadRequest, "error-invalid-user")
	acctFail(t, env.Admin.Post(t, "/api/v1/users.delete", map[string]any{"userId": chat.BotUserID}), http.StatusBadRequest, "error-action-not-allowed")
	acctOK(t, bob.Get(t, "/api/v1/me", nil))

	acctOK(t, env.Admin.Post(t, "/api/v1/users.delete", map[string]any{"username": "bob"}))
	acctFail(t, env.Admin.Get(t, "/api/v1/users.info", map[string]string{"userId": bob.UserID}), http.StatusBadRequest, "-")
	acct401(t, bob.Get(t, "/api/v1/me", nil))
	ev := acctEvent(t, logged, chat.EventUserChanged)
	var change core.UserChange
	if json.Unmarshal(ev.Data, &change) != nil || !change.Deleted || change.ID != bob.UserID {
		t.Fatalf("Users:Deleted event %+v", ev)
	}
	if _, err := env.Server.Core().Store().Subscription(context.Background(), chat.GeneralRoomID, bob.UserID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("the deleted user is still in #general: %v", err)
	}
}

func TestUsersStatus(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")

	acctOK(t, bob.Post(t, "/api/v1/users.setStatus", map[string]any{"status": "busy", "message": "deep work"}))
	own := acctOK(t, bob.Get(t, "/api/v1/users.getStatus", nil))
	if own["_id"] != bob.UserID || own["status"] != "busy" || own["message"] != "deep work" || own["connectionStatus"] != "offline" {
		t.Fatalf("own status %v", own)
	}
	seen := acctOK(t, carl.Get(t, "/api/v1/users.getStatus", map[string]string{"userId": bob.UserID}))
	if seen["status"] != "busy" || seen["message"] != "deep work" {
		t.Fatalf("bob's status seen by carl %v", seen)
	}
	if _, ok := seen["connectionStatus"]; ok {
		t.Fatal("carl sees bob's connection status")
	}
	presence := acctOK(t, bob.Get(t, "/api/v1/users.getPresence", nil))
	if presence["presence"] != "busy" || presence["connectionStatus"] != "offline" {
		t.Fatalf("own presence %v", presence)
	}
	acctWantISO(t, presence, "lastLogin")
	if p := acctOK(t, carl.Get(t, "/api/v1/users.getPresence", map[string]string{"username": "bob"})); p["presence"] != "busy" || len(p) != 2 {
		t.Fatalf("bob's presence seen by carl %v", p)
	}
	if b := acctMap(t, acctOK(t, carl.Get(t, "/api/v1/users.info", map[string]string{"username": "bob"})), "user"); b["status"] != "busy" || b["statusText"] != "deep work" {
		t.Fatalf("users.info does not show the status: %v", b)
	}

	acctFail(t, carl.Post(t, "/api/v1/users.setStatus", map[string]any{"userId": bob.UserID, "status": "away"}), http.StatusForbidden, "-")
	acctFail(t, bob.Post(t, "/api/v1/users.setStatus", map[string]any{"status": "sleeping"}), http.StatusBadRequest, "error-invalid-status")
	acctFail(t, bob.Post(t, "/api/v1/users.setStatus", map[string]any{}), http.StatusBadRequest, "invalid-params")
	acctFail(t, carl.Get(t, "/api/v1/users.getStatus", map[string]string{"userId": "nope"}), http.StatusBadRequest, "error-invalid-user")
	acctOK(t, env.Admin.Post(t, "/api/v1/users.setStatus", map[string]any{"username": "bob", "status": "away"}))
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Accounts_AllowUserStatusMessageChange", map[string]any{"value": false}))
	acctFail(t, bob.Post(t, "/api/v1/users.setStatus", map[string]any{"message": "x"}), http.StatusBadRequest, "error-not-allowed")
	if s := acctOK(t, bob.Get(t, "/api/v1/users.getStatus", nil)); s["status"] != "away" || s["message"] != "deep work" {
		t.Fatalf("status after the refused calls %v", s)
	}
}

func TestUsersPresence(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")
	dana := env.CreateUser(t, "dana")
	acctOK(t, bob.Post(t, "/api/v1/users.setStatus", map[string]any{"status": "busy", "message": "deep work"}))
	acctOK(t, dana.Post(t, "/api/v1/users.setStatus", map[string]any{"status": "away"}))

	names := func(res map[string]any) []string {
		t.Helper()
		var out []string
		for _, u := range res["users"].([]any) {
			out = append(out, u.(map[string]any)["username"].(string))
		}
		return out
	}
	// rocket.cat, the bot, is always online, as in Rocket.Chat.
	all := acctOK(t, carl.Get(t, "/api/v1/users.presence", nil))
	if got := names(all); all["full"] != true || !reflect.DeepEqual(got, []string{"bob", "dana", "rocket.cat"}) {
		t.Fatalf("everyone present: full %v users %v, want true and [bob dana rocket.cat]", all["full"], got)
	}
	b := all["users"].([]any)[0].(map[string]any)
	if b["_id"] != bob.UserID || b["status"] != "busy" || b["statusText"] != "deep work" || b["name"] == nil {
		t.Fatalf("bob's entry %v", b)
	}
	if _, ok := b["emails"]; ok {
		t.Fatalf("users.presence shows private fields: %v", b)
	}

	// Asked about some users: those of them who are present, in each
	// form clients send the list in.
	for _, q := range []string{"ids[]=" + bob.UserID + "&ids[]=" + carl.UserID, "ids=" + bob.UserID + "," + carl.UserID, "ids=" + bob.UserID + "&ids=" + carl.UserID} {
		res := acctOK(t, carl.Get(t, "/api/v1/users.presence?"+q, nil))
		if got := names(res); res["full"] != false || !reflect.DeepEqual(got, []string{"bob"}) {
			t.Errorf("%s: full %v users %v, want false and [bob]", q, res["full"], got)
		}
	}
	if res := acctOK(t, carl.Get(t, "/api/v1/users.presence", map[string]string{"from": time.Now().Add(-time.Minute).Format(time.RFC3339)})); res["full"] != true || len(names(res)) != 3 {
		t.Errorf("with from: %v", res)
	}

	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Presence_broadcast_disabled", map[string]any{"value": true}))
	if res := acctOK(t, carl.Get(t, "/api/v1/users.presence", nil)); res["full"] != true || len(res["users"].([]any)) != 0 {
		t.Errorf("with presence broadcast disabled: %v", res)
	}
	acct401(t, env.Anon().Get(t, "/api/v1/users.presence", nil))
}

func TestUsersPreferences(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	carl := env.CreateUser(t, "carl")
	prefs := acctMap(t, acctOK(t, bob.Get(t, "/api/v1/users.getPreferences", nil)), "preferences")
	if prefs["sidebarViewMode"] != "medium" || prefs["useEmojis"] != true {
		t.Fatalf("default preferences %v", prefs)
	}
	body := acctOK(t, bob.Post(t, "/api/v1/users.setPreferences", map[string]any{"data": map[string]any{
		"useEmojis": false, "highlights": []string{"deploy"}, "language": "de",
	}}))
	u := acctMap(t, body, "user")
	set := acctMap(t, acctMap(t, u, "settings"), "preferences")
	if u["_id"] != bob.UserID || set["useEmojis"] != false || set["language"] != "de" {
		t.Fatalf("setPreferences answer %v", body)
	}
	prefs = acctMap(t, acctOK(t, bob.Get(t, "/api/v1/users.getPreferences", nil)), "preferences")
	if prefs["useEmojis"] != false || prefs["sidebarViewMode"] != "medium" || len(prefs["highlights"].([]any)) != 1 {
		t.Fatalf("preferences after set %v", prefs)
	}
	acctFail(t, bob.Post(t, "/api/v1/users.setPreferences", map[string]any{"data": map[string]any{"noSuch": true}}), http.StatusBadRequest, "invalid-params")
	acctFail(t, bob.Post(t, "/api/v1/users.setPreferences", map[string]any{"data": map[string]any{"useEmojis": "perhaps"}}), http.StatusBadRequest, "invalid-params")
	acctFail(t, bob.Post(t, "/api/v1/users.setPreferences", map[string]any{}), http.StatusBadRequest, "invalid-params")
	acctFail(t, carl.Post(t, "/api/v1/users.setPreferences", map[string]any{"userId": bob.UserID, "data": map[string]any{"useEmojis": true}}), http.StatusBadRequest, "error-action-not-allowed")
	if p := acctMap(t, acctOK(t, bob.Get(t, "/api/v1/users.getPreferences", nil)), "preferences"); p["useEmojis"] != false {
		t.Fatal("a refused change was applied")
	}
}

func TestUsersUsernameSuggestion(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	acctOK(t, env.Admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": "jd1", "name": "Jane Doe", "email": "jane@example.com", "password": "pw",
	}))
	jane := env.Login(t, "jd1", "pw")
	if got := acctOK(t, jane.Get(t, "/api/v1/users.getUsernameSuggestion", nil)); got["result"] != "jane.doe" {
		t.Fatalf("suggestion %v", got)
	}
}

func TestUsersPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	token := acctOK(t, bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "ci", "bypassTwoFactor": true}))["token"].(string)
	pat := env.Anon()
	pat.UserID, pat.Token = bob.UserID, token
	if me := acctOK(t, pat.Get(t, "/api/v1/me", nil)); me["username"] != "bob" {
		t.Fatalf("personal token on X-Auth-Token: %v", me)
	}
	list := acctOK(t, bob.Get(t, "/api/v1/users.getPersonalAccessTokens", nil))
	tokens, _ := list["tokens"].([]any)
	if len(tokens) != 1 {
		t.Fatalf("tokens %v", list)
	}
	tok := tokens[0].(map[string]any)
	if tok["name"] != "ci" || tok["lastTokenPart"] != token[len(token)-6:] || tok["bypassTwoFactor"] != true {
		t.Fatalf("token entry %v", tok)
	}
	acctWantISO(t, tok, "createdAt")
	if strings.Contains(string(bob.Get(t, "/api/v1/users.getPersonalAccessTokens", nil).Raw), token) {
		t.Fatal("the token list shows the token")
	}

	acctFail(t, bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "ci"}), http.StatusBadRequest, "error-token-already-exists")
	res := bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{})
	if b := acctFail(t, res, http.StatusBadRequest, "-"); b["error"] != "The 'tokenName' param is required" {
		t.Fatalf("missing tokenName %s", res.Raw)
	}
	fresh := acctOK(t, bob.Post(t, "/api/v1/users.regeneratePersonalAccessToken", map[string]any{"tokenName": "ci"}))["token"].(string)
	acct401(t, pat.Get(t, "/api/v1/me", nil))
	pat.Token = fresh
	acctOK(t, pat.Get(t, "/api/v1/me", nil))
	acctOK(t, bob.Post(t, "/api/v1/users.removePersonalAccessToken", map[string]any{"tokenName": "ci"}))
	acct401(t, pat.Get(t, "/api/v1/me", nil))
	acctFail(t, bob.Post(t, "/api/v1/users.removePersonalAccessToken", map[string]any{"tokenName": "ci"}), http.StatusBadRequest, "error-token-does-not-exists")

	acctOK(t, env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "create-personal-access-tokens", "roles": []string{"admin"}},
	}}))
	acctFail(t, bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "x"}), http.StatusBadRequest, "not-authorized")
	acctFail(t, bob.Get(t, "/api/v1/users.getPersonalAccessTokens", nil), http.StatusBadRequest, "not-authorized")
}
