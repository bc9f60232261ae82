package storetest

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var tokenTests = []test{
	{"RoundTrip", testTokenRoundTrip},
	{"ConflictsAndNotFound", testTokenErrors},
	{"ByUserAndDelete", testTokensByUser},
}

func testTokenRoundTrip(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "kim")
	login := &chat.Token{Hash: "hash-login", UserID: "u1", Kind: chat.TokenLogin, CreatedAt: at(1), ExpiresAt: at(90 * 86400)}
	pat := &chat.Token{Hash: "hash-pat", UserID: "u1", Kind: chat.TokenPersonal, Name: "ci", LastPart: "x9Yz",
		Bypass2FA: true, CreatedAt: at(2)}
	must(t, s.AddToken(ctx(t), login))
	must(t, s.AddToken(ctx(t), pat))

	got, err := s.TokenByHash(ctx(t), "hash-login")
	must(t, err)
	equal(t, "login token", got, login)
	got, err = s.TokenByHash(ctx(t), "hash-pat")
	must(t, err)
	equal(t, "personal token (no expiry)", got, pat)

	// Expired tokens are returned too; callers check ExpiresAt.
	old := &chat.Token{Hash: "hash-old", UserID: "u1", Kind: chat.TokenLogin, CreatedAt: at(-100), ExpiresAt: at(-50)}
	must(t, s.AddToken(ctx(t), old))
	got, err = s.TokenByHash(ctx(t), "hash-old")
	must(t, err)
	equal(t, "expired token", got, old)
}

func testTokenErrors(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "lee")
	must(t, s.AddToken(ctx(t), &chat.Token{Hash: "h", UserID: "u1", Kind: chat.TokenLogin, CreatedAt: t0}))
	wantKind(t, s.AddToken(ctx(t), &chat.Token{Hash: "h", UserID: "u1", Kind: chat.TokenLogin, CreatedAt: t0}), chat.EConflict)
	// Tokens belong to existing users.
	wantKind(t, s.AddToken(ctx(t), &chat.Token{Hash: "h2", UserID: "nobody", Kind: chat.TokenLogin}), chat.ENotFound)
	_, err := s.TokenByHash(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.DeleteToken(ctx(t), "nope"), chat.ENotFound)
}

func testTokensByUser(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "max")
	addUser(t, s, "u2", "ned")
	add := func(hash, user, kind string, sec int) {
		must(t, s.AddToken(ctx(t), &chat.Token{Hash: hash, UserID: user, Kind: kind, CreatedAt: at(sec)}))
	}
	add("l2", "u1", chat.TokenLogin, 2)
	add("l1", "u1", chat.TokenLogin, 1)
	add("p1", "u1", chat.TokenPersonal, 3)
	add("o1", "u2", chat.TokenLogin, 1)

	hashes := func(ts []chat.Token) []string { return ids(ts, func(t chat.Token) string { return t.Hash }) }
	got, err := s.TokensByUser(ctx(t), "u1", chat.TokenLogin)
	must(t, err)
	equal(t, "login tokens, oldest first", hashes(got), []string{"l1", "l2"})
	got, err = s.TokensByUser(ctx(t), "u1", "")
	must(t, err)
	equal(t, "all kinds", hashes(got), []string{"l1", "l2", "p1"})
	got, err = s.TokensByUser(ctx(t), "nobody", chat.TokenLogin)
	must(t, err)
	equal(t, "unknown user", len(got), 0)

	must(t, s.DeleteToken(ctx(t), "l1"))
	_, err = s.TokenByHash(ctx(t), "l1")
	wantKind(t, err, chat.ENotFound)

	must(t, s.DeleteUserTokens(ctx(t), "u1", chat.TokenLogin))
	got, err = s.TokensByUser(ctx(t), "u1", "")
	must(t, err)
	equal(t, "after deleting login tokens", hashes(got), []string{"p1"})
	must(t, s.DeleteUserTokens(ctx(t), "u1", ""))
	got, err = s.TokensByUser(ctx(t), "u1", "")
	must(t, err)
	equal(t, "after deleting all", len(got), 0)
	// Other users keep theirs.
	got, err = s.TokensByUser(ctx(t), "u2", "")
	must(t, err)
	equal(t, "other user's tokens", hashes(got), []string{"o1"})
}
