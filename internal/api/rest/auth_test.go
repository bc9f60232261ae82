package rest_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// Helpers shared by the account tests (auth, users, settings,
// permissions, avatars, bad input). Prefixed so they cannot clash with
// other areas' helpers in this package.

var acctISO = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

// acctFail checks a failure: status, exact JSON content type,
// success:false, and the errorType when typ is set ("-" for none).
func acctFail(t *testing.T, res *testenv.Response, status int, typ string) map[string]any {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q (status %d %s)", ct, res.Status, res.Raw)
	}
	body := res.MustFail(t, status)
	switch typ {
	case "":
	case "-":
		if et, ok := body["errorType"]; ok {
			t.Fatalf("want no errorType, got %v in %s", et, res.Raw)
		}
	default:
		if body["errorType"] != typ {
			t.Fatalf("want errorType %q, got %s", typ, res.Raw)
		}
	}
	return body
}

// acctOK checks a success and its exact JSON content type.
func acctOK(t *testing.T, res *testenv.Response) map[string]any {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q (status %d %s)", ct, res.Status, res.Raw)
	}
	return res.MustOK(t)
}

// acct401 checks Rocket.Chat's legacy 401 body.
func acct401(t *testing.T, res *testenv.Response) {
	t.Helper()
	body := acctFail(t, res, http.StatusUnauthorized, "")
	const msg = "You must be logged in to do this."
	if body["status"] != "error" || body["message"] != msg || body["error"] != msg {
		t.Fatalf("401 body %s", res.Raw)
	}
}

// acctMap reads a nested object.
func acctMap(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object in %v", key, m)
	}
	return v
}

func acctWantISO(t *testing.T, m map[string]any, field string) {
	t.Helper()
	if s, _ := m[field].(string); !acctISO.MatchString(s) {
		t.Fatalf("%s = %v, want an ISO date with milliseconds", field, m[field])
	}
}

// acctLoginRaw posts a login body and returns the raw answer.
func acctLoginRaw(t *testing.T, env *testenv.Env, body any) *testenv.Response {
	t.Helper()
	return env.Anon().Post(t, "/api/v1/login", body)
}

// acctClient turns a successful login answer into a client.
func acctClient(t *testing.T, env *testenv.Env, res *testenv.Response) *testenv.Client {
	t.Helper()
	data := acctMap(t, acctOK(t, res), "data")
	c := env.Anon()
	c.UserID, _ = data["userId"].(string)
	c.Token, _ = data["authToken"].(string)
	return c
}

func TestInfo(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")

	anon := acctOK(t, env.Anon().Get(t, "/api/info", nil))
	if anon["version"] != "7.0" || anon["info"] != nil {
		t.Fatalf("anonymous info %v", anon)
	}
	if v := acctMap(t, anon, "minimumClientVersions"); v["desktop"] == nil || v["mobile"] == nil {
		t.Fatalf("minimumClientVersions %v", v)
	}
	if user := acctOK(t, bob.Get(t, "/api/info", nil)); user["version"] != "7.0" || user["info"] != nil {
		t.Fatalf("a user without view-statistics sees %v", user)
	}
	admin := acctOK(t, env.Admin.Get(t, "/api/info", nil))
	info := acctMap(t, admin, "info")
	if admin["version"] != "7.0.0-test" || info["version"] != "7.0.0-test" {
		t.Fatalf("admin info %v", admin)
	}
	build := acctMap(t, info, "build")
	acctWantISO(t, build, "date")
	if build["platform"] == "" || build["arch"] == "" {
		t.Fatalf("build %v", build)
	}
}

func TestLoginBodyShapes(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	env.CreateUser(t, "bob")
	digest := core.PasswordDigest("pw-bob")
	pat := acctOK(t, env.Login(t, "bob", "pw-bob").Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "bot"}))["token"].(string)
	session := env.Login(t, "bob", "pw-bob").Token

	for _, tt := range []struct {
		name string
		body any
	}{
		{"user string", map[string]any{"user": "bob", "password": "pw-bob"}},
		{"user string, other case", map[string]any{"user": "BOB", "password": "pw-bob"}},
		{"user string holding the email", map[string]any{"user": "bob@example.com", "password": "pw-bob"}},
		{"username", map[string]any{"username": "bob", "password": "pw-bob"}},
		{"email at top level", map[string]any{"email": "bob@example.com", "password": "pw-bob"}},
		{"user object with username", map[string]any{"user": map[string]any{"username": "bob"}, "password": "pw-bob"}},
		{"user object with email", map[string]any{"user": map[string]any{"email": "bob@example.com"}, "password": "pw-bob"}},
		{"digest", map[string]any{"user": map[string]any{"username": "bob"}, "password": map[string]any{"digest": digest, "algorithm": "sha-256"}}},
		{"digest without algorithm", map[string]any{"user": "bob", "password": map[string]any{"digest": strings.ToUpper(digest)}}},
		{"hashed", map[string]any{"username": "bob", "password": map[string]any{"hashed": digest}}},
		{"resume with a login token", map[string]any{"resume": session}},
		{"resume with a personal access token", map[string]any{"resume": pat}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := acctLoginRaw(t, env, tt.body)
			body := acctOK(t, res)
			if body["status"] != "success" {
				t.Fatalf("status %v", body["status"])
			}
			c := acctClient(t, env, res)
			if len(c.Token) != 43 || len(c.UserID) != 17 {
				t.Fatalf("userId %q authToken %q", c.UserID, c.Token)
			}
			me := acctMap(t, acctMap(t, body, "data"), "me")
			if me["_id"] != c.UserID || me["username"] != "bob" {
				t.Fatalf("me %v", me)
			}
			if got := acctOK(t, c.Get(t, "/api/v1/me", nil)); got["username"] != "bob" {
				t.Fatalf("the new token does not work: %v", got)
			}
		})
	}
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	for _, tt := range []struct {
		name      string
		body      any
		wantError any
		wantMsg   string
	}{
		{"wrong password", map[string]any{"user": "bob", "password": "nope"}, 403.0, "Incorrect password"},
		{"wrong digest", map[string]any{"user": "bob", "password": map[string]any{"digest": core.PasswordDigest("nope"), "algorithm": "sha-256"}}, 403.0, "Incorrect password"},
		{"unknown user", map[string]any{"user": "nobody", "password": "pw-bob"}, "Unauthorized", "Unauthorized"},
		{"no password", map[string]any{"user": "bob"}, "Unauthorized", "Unauthorized"},
		{"bad resume", map[string]any{"resume": "not-a-token"}, 403.0, "You've been logged out by the server. Please log in again."},
	} {
		res := acctLoginRaw(t, env, tt.body)
		body := acctFail(t, res, http.StatusUnauthorized, "")
		if body["status"] != "error" || body["error"] != tt.wantError || body["message"] != tt.wantMsg {
			t.Errorf("%s: %s", tt.name, res.Raw)
		}
	}
	for _, body := range []any{
		[]byte(`{"user":`),
		map[string]any{"user": 5, "password": "x"},
		map[string]any{"user": "bob", "password": map[string]any{"digest": "x", "algorithm": "md5"}},
	} {
		acctFail(t, acctLoginRaw(t, env, body), http.StatusBadRequest, "")
	}

	// A deactivated user cannot log in, and their sessions end.
	acctOK(t, env.Admin.Post(t, "/api/v1/users.update", map[string]any{"userId": bob.UserID, "data": map[string]any{"active": false}}))
	res := acctLoginRaw(t, env, map[string]any{"user": "bob", "password": "pw-bob"})
	if body := acctFail(t, res, http.StatusUnauthorized, ""); body["error"] != "error-user-is-not-activated" {
		t.Fatalf("inactive login %s", res.Raw)
	}
	acct401(t, bob.Get(t, "/api/v1/me", nil))
}

func TestLoginIgnoresStaleHeaders(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	c := env.CreateUser(t, "bob")
	acctOK(t, c.Post(t, "/api/v1/logout", nil))
	// EmbeddedChat re-logs in with the headers of its expired session.
	res := c.Post(t, "/api/v1/login", map[string]any{"user": "bob", "password": "pw-bob"})
	acctClient(t, env, res)
	acctOK(t, c.Get(t, "/api/v1/settings.public", map[string]string{"count": "1"}))
}

func TestLogout(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		c := env.Login(t, testenv.AdminUsername, testenv.AdminPassword)
		other := env.Login(t, testenv.AdminUsername, testenv.AdminPassword)
		req, _ := http.NewRequest(method, env.BaseURL+"/api/v1/logout", nil)
		body := acctOK(t, c.Do(t, req))
		if body["status"] != "success" || acctMap(t, body, "data")["message"] != "You've been logged out!" {
			t.Fatalf("%s logout: %v", method, body)
		}
		acct401(t, c.Get(t, "/api/v1/me", nil))
		acctOK(t, other.Get(t, "/api/v1/me", nil)) // only that session ended
	}
	acct401(t, env.Anon().Post(t, "/api/v1/logout", nil))
}

func TestMe(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	acctOK(t, bob.Post(t, "/api/v1/users.setPreferences", map[string]any{"data": map[string]any{"sidebarViewMode": "extended"}}))
	res := bob.Get(t, "/api/v1/me", nil)
	me := acctOK(t, res)
	if me["_id"] != bob.UserID || me["username"] != "bob" || me["name"] != "bob Name" || me["active"] != true || me["email"] != "bob@example.com" {
		t.Fatalf("me %v", me)
	}
	if emails, _ := me["emails"].([]any); len(emails) != 1 {
		t.Fatalf("emails %v", me["emails"])
	}
	if roles, _ := me["roles"].([]any); len(roles) != 1 || roles[0] != "user" {
		t.Fatalf("roles %v", me["roles"])
	}
	prefs := acctMap(t, acctMap(t, me, "settings"), "preferences")
	if prefs["sidebarViewMode"] != "extended" || prefs["useEmojis"] != true {
		t.Fatalf("preferences are not the user's over the defaults: %v", prefs)
	}
	if url, _ := me["avatarUrl"].(string); !strings.HasPrefix(url, "http://") || !strings.HasSuffix(url, "/avatar/bob") {
		t.Fatalf("avatarUrl %v", me["avatarUrl"])
	}
	acctWantISO(t, me, "createdAt")
	acctWantISO(t, me, "_updatedAt")
	acctWantISO(t, me, "lastLogin")
	if bytes.Contains(res.Raw, []byte("$2a$")) || bytes.Contains(res.Raw, []byte("assword")) {
		t.Fatalf("me leaks password data: %s", res.Raw)
	}
	acct401(t, env.Anon().Get(t, "/api/v1/me", nil))
}

func TestTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	pat := acctOK(t, bob.Post(t, "/api/v1/users.generatePersonalAccessToken", map[string]any{"tokenName": "ci"}))["token"].(string)
	if len(pat) != 43 {
		t.Fatalf("personal token %q", pat)
	}
	st := env.Server.Core().Store()
	tokens, err := st.TokensByUser(context.Background(), bob.UserID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 {
		t.Fatalf("want the login token and the personal token, got %d", len(tokens))
	}
	hashes := map[string]bool{}
	for _, tok := range tokens {
		hashes[tok.Hash] = true
		if tok.Hash == bob.Token || tok.Hash == pat || strings.Contains(tok.Hash, bob.Token) || strings.Contains(tok.Hash, pat) {
			t.Fatalf("the store holds a plaintext token: %+v", tok)
		}
		if tok.Kind == chat.TokenPersonal && (tok.Name != "ci" || tok.LastPart != pat[len(pat)-6:]) {
			t.Fatalf("personal token record %+v", tok)
		}
	}
	if !hashes[core.HashToken(bob.Token)] || !hashes[core.HashToken(pat)] {
		t.Fatalf("tokens are not stored as base64(sha256(token)): %v", hashes)
	}
	// Nor anywhere in the database files (WAL included).
	env.Stop()
	files, _ := filepath.Glob(filepath.Join(env.DataDir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte(bob.Token)) || bytes.Contains(b, []byte(pat)) || bytes.Contains(b, []byte("pw-bob")) {
			t.Fatalf("%s contains a plaintext token or password", filepath.Base(f))
		}
	}
}
