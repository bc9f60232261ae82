package core

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// acctEnv is a Service on a temporary SQLite store and an in-process bus,
// for the account use cases.
type acctEnv struct {
	t   *testing.T
	ctx context.Context
	s   *Service
	st  chat.Store
	bus chat.Bus
}

func newAcctEnv(t *testing.T, env map[string]string) *acctEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "liftoff.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := memory.New(log)
	t.Cleanup(func() { bus.Close() })
	s := New(Config{Store: st, Bus: bus, Logger: log})
	if err := s.Init(ctx, InitOptions{Env: env}); err != nil {
		t.Fatal(err)
	}
	return &acctEnv{t: t, ctx: ctx, s: s, st: st, bus: bus}
}

// mkUser creates an account without a password unless one is given.
func (e *acctEnv) mkUser(name string, roles ...string) *chat.User {
	e.t.Helper()
	u, err := e.s.AdminCreateUser(e.ctx, NewUser{Username: name, Name: name + " N", Email: name + "@example.com", Roles: roles})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// setting forces a setting in the cache, as an admin change would.
func acctSetSetting(s *Service, id string, v any) {
	st, _ := s.SettingDoc(id)
	st.ID, st.Value = id, v
	s.cacheSetting(st)
}

func TestPasswordDigestAndHash(t *testing.T) {
	t.Parallel()
	const digest = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
	if got := PasswordDigest("password"); got != digest {
		t.Fatalf("PasswordDigest = %s", got)
	}
	h, err := HashPassword("password")
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != bcryptCost || !strings.HasPrefix(h, "$2a$") {
		t.Errorf("hash %q is not bcrypt at cost %d", h, bcryptCost)
	}
	// A hash made the Meteor way (cost 10) verifies whatever the build's
	// cost, so Rocket.Chat users can be migrated with their hashes.
	const meteor = "$2a$10$HQLbQ8/Cb6VJwsgDZwNkK.uH/LXEG0sDy1miC8GSctrrfs0y4ghkq"
	if !checkPassword(&chat.User{PasswordHash: meteor}, Credential{Plain: "password"}) {
		t.Error("a cost-10 hash does not verify")
	}
	u := &chat.User{PasswordHash: h}
	for _, tt := range []struct {
		name string
		c    Credential
		want bool
	}{
		{"plain", Credential{Plain: "password"}, true},
		{"digest", Credential{Digest: digest}, true},
		{"upper-case digest", Credential{Digest: strings.ToUpper(digest)}, true},
		{"wrong plain", Credential{Plain: "Password"}, false},
		{"digest sent as plain", Credential{Plain: digest}, false},
		{"empty", Credential{}, false},
	} {
		if got := checkPassword(u, tt.c); got != tt.want {
			t.Errorf("%s: checkPassword = %v, want %v", tt.name, got, tt.want)
		}
	}
	if checkPassword(&chat.User{}, Credential{Plain: ""}) {
		t.Error("a user without a password accepted an empty one")
	}
	if !checkPasswordCode(u, digest) || !checkPasswordCode(u, "password") || checkPasswordCode(u, "nope") {
		t.Error("checkPasswordCode does not accept exactly the digest and the plain password")
	}
}

func TestHashTokenIsBase64SHA256(t *testing.T) {
	t.Parallel()
	if got := HashToken("abc"); got != "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" {
		t.Fatalf("HashToken(abc) = %s", got)
	}
	if s := newSecret(); len(s) != 43 {
		t.Fatalf("token length %d, want 43 (Meteor's Random.secret)", len(s))
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	s := New(Config{})
	for id, v := range map[string]any{
		"Accounts_Password_Policy_Enabled": false, "Accounts_Password_Policy_MinLength": 7,
		"Accounts_Password_Policy_MaxLength": 12, "Accounts_Password_Policy_ForbidRepeatingCharacters": true,
		"Accounts_Password_Policy_ForbidRepeatingCharactersCount": 3, "Accounts_Password_Policy_AtLeastOneLowercase": true,
		"Accounts_Password_Policy_AtLeastOneUppercase": true, "Accounts_Password_Policy_AtLeastOneNumber": true,
		"Accounts_Password_Policy_AtLeastOneSpecialCharacter": true,
	} {
		acctSetSetting(s, id, v)
	}
	if err := s.validatePassword("x"); err != nil {
		t.Fatalf("policy off: %v", err)
	}
	if err := s.validatePassword(" "); !chat.IsKind(err, chat.EInvalid) {
		t.Fatalf("blank password accepted: %v", err)
	}
	acctSetSetting(s, "Accounts_Password_Policy_Enabled", true)
	for _, tt := range []struct{ pw, code string }{
		{"Ab1!", "error-password-policy-not-met-minLength"},
		{"Abcdefgh1!xyz", "error-password-policy-not-met-maxLength"},
		{"Baaaa1!c", "error-password-policy-not-met-repeatingCharacters"},
		{"ABCDE1!X", "error-password-policy-not-met-oneLowercase"},
		{"abcde1!x", "error-password-policy-not-met-oneUppercase"},
		{"Abcdef!x", "error-password-policy-not-met-oneNumber"},
		{"Abcdef1x", "error-password-policy-not-met-oneSpecial"},
		{"Abcdef1!", ""},
	} {
		err := s.validatePassword(tt.pw)
		var got string
		if ce, ok := err.(*chat.Error); ok {
			got = ce.Type
		} else if err != nil {
			t.Fatalf("%q: %v", tt.pw, err)
		}
		if got != tt.code {
			t.Errorf("validatePassword(%q) = %q, want %q", tt.pw, got, tt.code)
		}
	}
}

func TestLoginAndTokens(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, nil)
	u, err := e.s.AdminCreateUser(e.ctx, NewUser{Username: "ann", Name: "Ann", Email: "Ann@Example.com", Password: "secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []LoginRequest{
		{User: "ann", Password: Credential{Plain: "secret-1"}},
		{User: "ANN", Password: Credential{Digest: PasswordDigest("secret-1")}},
		{User: "ann@example.com", Password: Credential{Plain: "secret-1"}},
		{Email: "ANN@example.com", Password: Credential{Plain: "secret-1"}},
	} {
		sess, err := e.s.Login(e.ctx, req)
		if err != nil {
			t.Fatalf("login %+v: %v", req, err)
		}
		if sess.User.ID != u.ID || sess.Kind != "password" || sess.User.LastLogin.IsZero() {
			t.Fatalf("session %+v", sess)
		}
		got, err := e.s.Authenticate(e.ctx, u.ID, sess.Token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("authenticate with the new token: %v", err)
		}
		if _, err := e.s.Authenticate(e.ctx, "someone-else", sess.Token); !chat.IsKind(err, chat.EUnauthorized) {
			t.Fatalf("token accepted for another user id: %v", err)
		}
		resumed, err := e.s.Login(e.ctx, LoginRequest{Resume: sess.Token})
		if err != nil || resumed.Token != sess.Token || resumed.Kind != "resume" {
			t.Fatalf("resume: %+v %v", resumed, err)
		}
		if err := e.s.Logout(e.ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Login(e.ctx, LoginRequest{Resume: sess.Token}); !chat.IsKind(err, chat.EUnauthorized) {
			t.Fatalf("resume after logout: %v", err)
		}
	}
	for _, tt := range []struct {
		req    LoginRequest
		reason string
	}{
		{LoginRequest{User: "ann", Password: Credential{Plain: "wrong"}}, "Incorrect password"},
		{LoginRequest{User: "nobody", Password: Credential{Plain: "secret-1"}}, "User not found"},
		{LoginRequest{User: "ann"}, "Unauthorized"},
		{LoginRequest{Resume: "not-a-token"}, "You've been logged out by the server. Please log in again."},
	} {
		_, err := e.s.Login(e.ctx, tt.req)
		ce, ok := err.(*chat.Error)
		if !ok || ce.Kind != chat.EUnauthorized || ce.Message != tt.reason {
			t.Errorf("login %+v: %v, want %q", tt.req, err, tt.reason)
		}
	}
}

func TestPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, nil)
	u := e.mkUser("pat")
	tok, err := e.s.GeneratePersonalAccessToken(e.ctx, u, "ci", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.GeneratePersonalAccessToken(e.ctx, u, "ci", false); chat.ErrorKind(err) != chat.EInvalid {
		t.Fatalf("duplicate name: %v", err)
	}
	stored, err := e.st.TokensByUser(e.ctx, u.ID, chat.TokenPersonal)
	if err != nil || len(stored) != 1 {
		t.Fatalf("tokens %v %v", stored, err)
	}
	if stored[0].Hash != HashToken(tok) || stored[0].Hash == tok || stored[0].LastPart != tok[len(tok)-6:] || !stored[0].Bypass2FA {
		t.Fatalf("stored token %+v", stored[0])
	}
	if got, err := e.s.AuthenticateToken(e.ctx, tok); err != nil || got.ID != u.ID {
		t.Fatalf("a personal token does not authenticate: %v", err)
	}
	sess, err := e.s.Login(e.ctx, LoginRequest{Resume: tok})
	if err != nil || sess.Token != tok || sess.ExpiresAt.IsZero() {
		t.Fatalf("resume with a personal token: %+v %v", sess, err)
	}
	fresh, err := e.s.RegeneratePersonalAccessToken(e.ctx, u, "ci")
	if err != nil || fresh == tok {
		t.Fatalf("regenerate: %v", err)
	}
	if _, err := e.s.AuthenticateToken(e.ctx, tok); !chat.IsKind(err, chat.EUnauthorized) {
		t.Fatal("the replaced token still works")
	}
	if err := e.s.RemovePersonalAccessToken(e.ctx, u, "ci"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RemovePersonalAccessToken(e.ctx, u, "ci"); chat.ErrorKind(err) != chat.EInvalid {
		t.Fatalf("removing twice: %v", err)
	}
	bot := e.mkUser("robo", "bot")
	if _, err := e.s.GeneratePersonalAccessToken(e.ctx, bot, "x", false); err == nil || err.(*chat.Error).Type != "not-authorized" {
		t.Fatalf("bot without create-personal-access-tokens: %v", err)
	}
}

func TestLongestRun(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"": 0, "a": 1, "abba": 2, "xaaay": 3, "ééé": 3} {
		if got := longestRun(s); got != want {
			t.Errorf("longestRun(%q) = %d, want %d", s, got, want)
		}
	}
}
