package ddp_test

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// status returns a user's status as REST reports it.
func status(t *testing.T, env *testenv.Env, uid string) string {
	t.Helper()
	body := env.Admin.Get(t, "/api/v1/users.getStatus", map[string]string{"userId": uid}).MustOK(t)
	s, _ := body["status"].(string)
	return s
}

// TestLoginForms logs in with each form clients send and checks the
// result's shape.
func TestLoginForms(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")

	cases := []struct {
		name   string
		params map[string]any
		typ    string
	}{
		{"plain password (old SDK)", map[string]any{"user": map[string]any{"username": "bob"}, "password": "pw-bob"}, "password"},
		{"digest (alpha SDK)", map[string]any{"user": map[string]any{"username": "bob"},
			"password": map[string]any{"digest": core.PasswordDigest("pw-bob"), "algorithm": "sha-256"}}, "password"},
		{"email and digest", map[string]any{"user": map[string]any{"email": "bob@example.com"},
			"password": map[string]any{"digest": core.PasswordDigest("pw-bob"), "algorithm": "sha-256"}}, "password"},
		{"resume (REST token)", map[string]any{"resume": bob.Token}, "resume"},
	}
	for _, tc := range cases {
		c, _ := ddptest.Connect(t, env.WSURL, "1")
		var res struct {
			ID           string `json:"id"`
			Token        string `json:"token"`
			Type         string `json:"type"`
			TokenExpires struct {
				Date *int64 `json:"$date"`
			} `json:"tokenExpires"`
		}
		c.MustCall(&res, "login", tc.params)
		if res.ID != bob.UserID || res.Token == "" || res.Type != tc.typ || res.TokenExpires.Date == nil ||
			*res.TokenExpires.Date < time.Now().UnixMilli() {
			t.Errorf("%s: result %+v", tc.name, res)
		}
		// The token works on REST.
		rc := &testenv.Client{Base: env.BaseURL, UserID: res.ID, Token: res.Token}
		rc.Get(t, "/api/v1/me", nil).MustOK(t)
	}

	// A personal access token resumes too.
	env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "create-personal-access-tokens", "roles": []string{"admin", "user"}}}}).MustOK(t)
	pat := bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "bot"}).MustOK(t)["token"].(string)
	c, _ := ddptest.Connect(t, env.WSURL, "1")
	if got := c.Resume(pat)["id"]; got != bob.UserID {
		t.Fatalf("resume with a personal access token: id %v", got)
	}
}

// TestLoginFailures checks Meteor's errors for bad credentials.
func TestLoginFailures(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	env.CreateUser(t, "carol")
	c, _ := ddptest.Connect(t, env.WSURL, "1")
	cases := []struct {
		params       any
		code, reason any
	}{
		{map[string]any{"user": map[string]any{"username": "carol"}, "password": "wrong"}, float64(403), "Incorrect password"},
		{map[string]any{"user": map[string]any{"username": "nobody"}, "password": "x"}, float64(403), "User not found"},
		{map[string]any{"resume": "not-a-token"}, float64(403), "You've been logged out by the server. Please log in again."},
		{map[string]any{"foo": 1}, float64(400), "Unrecognized options for login request"},
	}
	for _, tc := range cases {
		r := c.Call("login", tc.params)
		if r.Error == nil || r.Error["error"] != tc.code || r.Error["reason"] != tc.reason || r.Error["errorType"] != "Meteor.Error" {
			t.Errorf("login %v: %s", tc.params, r.Frame.Raw)
		}
	}
	// Still logged out: methods that need a user refuse.
	r := c.Call("sendMessage", map[string]any{"rid": "GENERAL", "msg": "hi"})
	if r.Error["error"] != "error-invalid-user" {
		t.Fatalf("sendMessage logged out: %s", r.Frame.Raw)
	}
}

// TestLoginMarksOnline checks that DDP login shows the user online, that
// REST agrees, and that closing the last connection turns them offline
// within 5 seconds.
func TestLoginMarksOnline(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	dave := env.CreateUser(t, "dave")
	if s := status(t, env, dave.UserID); s != "offline" {
		t.Fatalf("before login: %s", s)
	}
	a, _ := ddptest.Connect(t, env.WSURL, "1")
	a.Resume(dave.Token)
	if s := status(t, env, dave.UserID); s != "online" {
		t.Fatalf("right after DDP login: %s, want online", s)
	}
	b, _ := ddptest.Connect(t, env.WSURL, "1")
	b.Resume(dave.Token)
	a.Close()
	time.Sleep(1500 * time.Millisecond)
	if s := status(t, env, dave.UserID); s != "online" {
		t.Fatalf("with one connection left: %s, want online", s)
	}
	b.Close()
	testenv.Eventually(t, 5*time.Second, func() bool { return status(t, env, dave.UserID) == "offline" }, "offline after the last connection closed")
}

// TestLogout checks that logout revokes the token and leaves the
// connection open but logged out.
func TestLogout(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	env.CreateUser(t, "erin")
	c, _ := ddptest.Connect(t, env.WSURL, "1")
	res := c.Login("erin", "pw-erin")
	subID := c.MustSub("stream-notify-user", res["id"].(string)+"/notification", false)
	if r := c.Call("logout"); r.Error != nil || r.Result != nil {
		t.Fatalf("logout: %s", r.Frame.Raw)
	}
	c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "nosub" && f.Str("id") == subID }, "nosub of a user stream after logout")
	if r := c.Call("rooms/get"); r.Error["error"] != "error-invalid-user" {
		t.Fatalf("rooms/get after logout: %s", r.Frame.Raw)
	}
	rc := &testenv.Client{Base: env.BaseURL, UserID: res["id"].(string), Token: res["token"].(string)}
	rc.Get(t, "/api/v1/me", nil).MustFail(t, 401)
	c.Send(map[string]any{"msg": "ping", "id": "alive"})
	c.Expect(func(f ddptest.Frame) bool { return f.Msg() == "pong" }, "pong after logout")
}
