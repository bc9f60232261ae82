package storetest

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var userTests = []test{
	{"RoundTrip", testUserRoundTrip},
	{"Minimal", testUserMinimal},
	{"TimesAreUTCMilliseconds", testUserTimes},
	{"Conflicts", testUserConflicts},
	{"NotFound", testUserNotFound},
	{"Update", testUserUpdate},
	{"Delete", testUserDelete},
	{"SetStatus", testUserSetStatus},
	{"ByIDsAndUsernames", testUsersByIDsAndUsernames},
	{"ListFilters", testListUsersFilters},
	{"ListPagingAndSort", testListUsersPagingAndSort},
}

// fullUser sets every field of chat.User.
func fullUser(id, username string) *chat.User {
	return &chat.User{
		ID: id, Username: username, Name: "Full Name " + username, Type: chat.UserTypeBot, Active: true,
		Roles:        []string{"admin", "user"},
		Emails:       []chat.Email{{Address: username + "@example.com", Verified: true}, {Address: username + "@Other.ORG"}},
		PasswordHash: "$2a$10$abcdefghijklmnopqrstuv", RequirePasswordChange: true,
		Status: chat.StatusAway, StatusDefault: chat.StatusBusy, StatusConnection: chat.StatusOnline, StatusText: "at lunch",
		UTCOffset: -3.5, AvatarETag: "etag1", Bio: "bio", Nickname: "nick",
		Preferences: map[string]any{
			"language": "de", "emailNotificationMode": "mentions", "enableAutoAway": true, "idleTimeLimit": 300.0,
			"nested": map[string]any{"list": []any{"a", 1.5, false, nil}},
		},
		CustomFields: map[string]any{"team": "core"},
		CreatedAt:    at(1), UpdatedAt: at(2), LastLogin: at(3),
	}
}

func testUserRoundTrip(t *testing.T, s chat.Store) {
	want := fullUser("u1", "Alice")
	must(t, s.CreateUser(ctx(t), want))

	got, err := s.UserByID(ctx(t), "u1")
	must(t, err)
	equal(t, "UserByID", got, want)

	got, err = s.UserByUsername(ctx(t), "aLiCe")
	must(t, err)
	equal(t, "UserByUsername (case-insensitive)", got, want)

	got, err = s.UserByEmail(ctx(t), "ALICE@OTHER.org")
	must(t, err)
	equal(t, "UserByEmail (second address, case-insensitive)", got, want)
}

// testUserMinimal: unset fields read back as their zero values; empty
// slices and maps as nil.
func testUserMinimal(t *testing.T, s chat.Store) {
	want := &chat.User{ID: "u1", Username: "min"}
	must(t, s.CreateUser(ctx(t), want))
	got, err := s.UserByID(ctx(t), "u1")
	must(t, err)
	equal(t, "minimal user", got, want)

	// Empty, non-nil collections come back nil too.
	u2 := &chat.User{ID: "u2", Username: "empty", Roles: []string{}, Emails: []chat.Email{}, Preferences: map[string]any{}}
	must(t, s.CreateUser(ctx(t), u2))
	got, err = s.UserByID(ctx(t), "u2")
	must(t, err)
	equal(t, "empty collections", got, &chat.User{ID: "u2", Username: "empty"})
}

// testUserTimes: times are stored with millisecond precision and returned in
// UTC, whatever the location they were given in.
func testUserTimes(t *testing.T, s chat.Store) {
	berlin := time.FixedZone("CET", 3600)
	in := time.Date(2024, 2, 29, 23, 59, 59, 123_456_789, berlin)
	u := &chat.User{ID: "u1", Username: "timely", CreatedAt: in, UpdatedAt: in, LastLogin: in}
	must(t, s.CreateUser(ctx(t), u))
	got, err := s.UserByID(ctx(t), "u1")
	must(t, err)
	want := time.Date(2024, 2, 29, 22, 59, 59, 123_000_000, time.UTC)
	equal(t, "CreatedAt", got.CreatedAt, want)
	equal(t, "UpdatedAt", got.UpdatedAt, want)
	equal(t, "LastLogin", got.LastLogin, want)
}

func testUserConflicts(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "bob")
	addUser(t, s, "u2", "carol")

	wantKind(t, s.CreateUser(ctx(t), &chat.User{ID: "u1", Username: "other"}), chat.EConflict)
	wantKind(t, s.CreateUser(ctx(t), &chat.User{ID: "u3", Username: "BOB"}), chat.EConflict)
	wantKind(t, s.CreateUser(ctx(t), &chat.User{ID: "u4", Username: "dave",
		Emails: []chat.Email{{Address: "Bob@Example.COM"}}}), chat.EConflict)
	// A failed create leaves nothing behind.
	_, err := s.UserByID(ctx(t), "u4")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByUsername(ctx(t), "dave")
	wantKind(t, err, chat.ENotFound)

	// Updates collide the same way.
	carol, err := s.UserByID(ctx(t), "u2")
	must(t, err)
	carol.Username = "Bob"
	wantKind(t, s.UpdateUser(ctx(t), carol), chat.EConflict)
	carol.Username = "carol"
	carol.Emails = []chat.Email{{Address: "carol@example.com"}, {Address: "BOB@example.com"}}
	wantKind(t, s.UpdateUser(ctx(t), carol), chat.EConflict)
	got, err := s.UserByID(ctx(t), "u2")
	must(t, err)
	equal(t, "user after failed update", got.Emails, []chat.Email{{Address: "carol@example.com"}})

	// Users without a username yet do not collide with each other.
	must(t, s.CreateUser(ctx(t), &chat.User{ID: "n1"}))
	must(t, s.CreateUser(ctx(t), &chat.User{ID: "n2"}))
}

func testUserNotFound(t *testing.T, s chat.Store) {
	_, err := s.UserByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByUsername(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByUsername(ctx(t), "")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByEmail(ctx(t), "nope@example.com")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateUser(ctx(t), &chat.User{ID: "nope", Username: "nope"}), chat.ENotFound)
	wantKind(t, s.DeleteUser(ctx(t), "nope"), chat.ENotFound)
	wantKind(t, s.SetUserStatus(ctx(t), "nope", "online", "online", "online", "", t0), chat.ENotFound)
}

func testUserUpdate(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "erin")
	want := fullUser("u1", "Erin2")
	must(t, s.UpdateUser(ctx(t), want))
	got, err := s.UserByID(ctx(t), "u1")
	must(t, err)
	equal(t, "updated user", got, want)

	_, err = s.UserByUsername(ctx(t), "erin")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByEmail(ctx(t), "erin@example.com")
	wantKind(t, err, chat.ENotFound)
	got, err = s.UserByEmail(ctx(t), "erin2@example.com")
	must(t, err)
	equal(t, "user by new email", got.ID, "u1")

	// The old username and address are free again.
	addUser(t, s, "u2", "erin")

	// Updating back to fewer fields clears them.
	min := &chat.User{ID: "u1", Username: "erin3"}
	must(t, s.UpdateUser(ctx(t), min))
	got, err = s.UserByID(ctx(t), "u1")
	must(t, err)
	equal(t, "cleared user", got, min)
	n, err := s.CountUsers(ctx(t), chat.UserFilter{Role: "admin"})
	must(t, err)
	equal(t, "admins after roles cleared", n, 0)
}

func testUserDelete(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "frank")
	must(t, s.AddToken(ctx(t), &chat.Token{Hash: "h1", UserID: "u1", Kind: chat.TokenLogin, CreatedAt: t0}))
	must(t, s.DeleteUser(ctx(t), "u1"))
	_, err := s.UserByID(ctx(t), "u1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.UserByEmail(ctx(t), "frank@example.com")
	wantKind(t, err, chat.ENotFound)
	_, err = s.TokenByHash(ctx(t), "h1")
	wantKind(t, err, chat.ENotFound)
	n, err := s.CountUsers(ctx(t), chat.UserFilter{Role: "user"})
	must(t, err)
	equal(t, "users with role after delete", n, 0)
	// The username and address can be taken again.
	addUser(t, s, "u2", "frank")
}

func testUserSetStatus(t *testing.T, s chat.Store) {
	want := fullUser("u1", "gina")
	must(t, s.CreateUser(ctx(t), want))
	must(t, s.SetUserStatus(ctx(t), "u1", chat.StatusBusy, chat.StatusBusy, chat.StatusOnline, "in a meeting", at(100)))
	want.Status, want.StatusDefault, want.StatusConnection, want.StatusText = chat.StatusBusy, chat.StatusBusy, chat.StatusOnline, "in a meeting"
	want.UpdatedAt = at(100)
	got, err := s.UserByID(ctx(t), "u1")
	must(t, err)
	equal(t, "user after SetUserStatus", got, want)
}

func testUsersByIDsAndUsernames(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "hal")
	addUser(t, s, "u2", "ida")
	addUser(t, s, "u3", "jon")

	got, err := s.UsersByIDs(ctx(t), []string{"u3", "nope", "u1"})
	must(t, err)
	equal(t, "UsersByIDs", sorted(userIDs(got)), []string{"u1", "u3"})
	got, err = s.UsersByIDs(ctx(t), nil)
	must(t, err)
	equal(t, "UsersByIDs(nil)", len(got), 0)

	got, err = s.UsersByUsernames(ctx(t), []string{"IDA", "jon", "nobody"})
	must(t, err)
	equal(t, "UsersByUsernames", sorted(userIDs(got)), []string{"u2", "u3"})
	got, err = s.UsersByUsernames(ctx(t), []string{})
	must(t, err)
	equal(t, "UsersByUsernames(empty)", len(got), 0)

	// The users come back whole.
	full, err := s.UserByID(ctx(t), "u2")
	must(t, err)
	got, err = s.UsersByIDs(ctx(t), []string{"u2"})
	must(t, err)
	equal(t, "UsersByIDs document", got, []chat.User{*full})
}

func testListUsersFilters(t *testing.T, s chat.Store) {
	mk := func(id, username, name, email, typ, status string, active bool, roles ...string) {
		must(t, s.CreateUser(ctx(t), &chat.User{ID: id, Username: username, Name: name, Type: typ, Status: status,
			Active: active, Roles: roles, Emails: []chat.Email{{Address: email}}, CreatedAt: t0}))
	}
	mk("u1", "alice", "Alice Liddell", "alice@wonder.land", chat.UserTypeUser, chat.StatusOnline, true, "user", "admin")
	mk("u2", "bob", "Bob Builder", "bob@build.it", chat.UserTypeUser, chat.StatusAway, true, "user")
	mk("u3", "élodie", "Élodie Ökonom", "elodie@example.fr", chat.UserTypeUser, chat.StatusOffline, false, "user")
	mk("u4", "rocket.cat", "Rocket Cat", "cat@rocket.chat", chat.UserTypeBot, chat.StatusOnline, true, "bot")
	mk("u5", "zed", "Zed", "zed@wonder.land", chat.UserTypeApp, chat.StatusBusy, true, "app", "user")

	cases := []struct {
		name string
		f    chat.UserFilter
		want []string
	}{
		{"all", chat.UserFilter{}, []string{"u1", "u2", "u3", "u4", "u5"}},
		{"text in username", chat.UserFilter{Text: "LIC"}, []string{"u1"}},
		{"text in name", chat.UserFilter{Text: "builder"}, []string{"u2"}},
		{"text in email", chat.UserFilter{Text: "wonder.land"}, []string{"u1", "u5"}},
		{"text non-ascii case-insensitive", chat.UserFilter{Text: "ÖKO"}, []string{"u3"}},
		{"text with LIKE wildcards is literal", chat.UserFilter{Text: "%"}, nil},
		{"text with underscore is literal", chat.UserFilter{Text: "_"}, nil},
		{"ids", chat.UserFilter{IDs: []string{"u2", "u4", "nope"}}, []string{"u2", "u4"}},
		{"role", chat.UserFilter{Role: "admin"}, []string{"u1"}},
		{"role user", chat.UserFilter{Role: "user"}, []string{"u1", "u2", "u3", "u5"}},
		{"types", chat.UserFilter{Types: []string{chat.UserTypeBot, chat.UserTypeApp}}, []string{"u4", "u5"}},
		{"active", chat.UserFilter{Active: ptr(true)}, []string{"u1", "u2", "u4", "u5"}},
		{"inactive", chat.UserFilter{Active: ptr(false)}, []string{"u3"}},
		{"statuses", chat.UserFilter{Statuses: []string{chat.StatusOnline, chat.StatusBusy}}, []string{"u1", "u4", "u5"}},
		{"combined", chat.UserFilter{Role: "user", Statuses: []string{chat.StatusOnline, chat.StatusBusy}, Text: "wonder"}, []string{"u1", "u5"}},
	}
	for _, c := range cases {
		got, total, err := s.ListUsers(ctx(t), c.f)
		must(t, err)
		equal(t, c.name, sorted(userIDs(got)), sorted(c.want))
		equal(t, c.name+" total", total, len(c.want))
		n, err := s.CountUsers(ctx(t), c.f)
		must(t, err)
		equal(t, c.name+" count", n, len(c.want))
	}
}

func testListUsersPagingAndSort(t *testing.T, s chat.Store) {
	statuses := []string{chat.StatusOnline, chat.StatusAway, chat.StatusBusy, chat.StatusOffline}
	var all []*chat.User
	for i := range 12 {
		u := &chat.User{
			ID:       fmt.Sprintf("u%02d", i),
			Username: fmt.Sprintf("user%02d", (i*5)%12), // a different order than ids
			Name:     fmt.Sprintf("name%02d", (i*7)%12),
			Status:   statuses[i%4],
			Active:   true, CreatedAt: at((i * 11) % 12), UpdatedAt: at((i * 5) % 12), LastLogin: at((i * 7) % 12),
		}
		must(t, s.CreateUser(ctx(t), u))
		all = append(all, u)
	}
	keys := map[string]func(u *chat.User) string{
		"username":   func(u *chat.User) string { return u.Username },
		"name":       func(u *chat.User) string { return u.Name },
		"createdAt":  func(u *chat.User) string { return u.CreatedAt.Format(time.RFC3339Nano) },
		"_updatedAt": func(u *chat.User) string { return u.UpdatedAt.Format(time.RFC3339Nano) },
		"lastLogin":  func(u *chat.User) string { return u.LastLogin.Format(time.RFC3339Nano) },
	}
	for field, key := range keys {
		for _, desc := range []bool{false, true} {
			want := append([]*chat.User{}, all...)
			sort.Slice(want, func(i, j int) bool {
				if desc {
					return key(want[i]) > key(want[j])
				}
				return key(want[i]) < key(want[j])
			})
			var wantIDs []string
			for _, u := range want {
				wantIDs = append(wantIDs, u.ID)
			}
			var got []string
			for off := 0; off < 12; off += 5 {
				page, total, err := s.ListUsers(ctx(t), chat.UserFilter{Offset: off, Limit: 5, Sort: []chat.SortField{{Field: field, Desc: desc}}})
				must(t, err)
				equal(t, "total", total, 12)
				got = append(got, userIDs(page)...)
			}
			equal(t, fmt.Sprintf("pages sorted by %s desc=%v", field, desc), got, wantIDs)
		}
	}

	// Status has ties: the pages still cover every user once, in status
	// order.
	var got []chat.User
	for off := 0; off < 12; off += 5 {
		page, _, err := s.ListUsers(ctx(t), chat.UserFilter{Offset: off, Limit: 5, Sort: []chat.SortField{{Field: "status", Desc: true}}})
		must(t, err)
		got = append(got, page...)
	}
	equal(t, "status pages cover all", sorted(userIDs(got)), sorted(ids(all, func(u *chat.User) string { return u.ID })))
	for i := 1; i < len(got); i++ {
		if got[i-1].Status < got[i].Status {
			t.Fatalf("status order broken at %d: %q before %q", i, got[i-1].Status, got[i].Status)
		}
	}

	// Two sort fields: status, then username descending.
	page, _, err := s.ListUsers(ctx(t), chat.UserFilter{Sort: []chat.SortField{{Field: "status"}, {Field: "username", Desc: true}}})
	must(t, err)
	for i := 1; i < len(page); i++ {
		a, b := page[i-1], page[i]
		if a.Status > b.Status || (a.Status == b.Status && a.Username < b.Username) {
			t.Fatalf("two-field order broken at %d: %s/%s before %s/%s", i, a.Status, a.Username, b.Status, b.Username)
		}
	}

	// An offset past the end gives an empty page and the full total.
	page, total, err := s.ListUsers(ctx(t), chat.UserFilter{Offset: 50, Limit: 5})
	must(t, err)
	equal(t, "page past the end", len(page), 0)
	equal(t, "total past the end", total, 12)

	_, _, err = s.ListUsers(ctx(t), chat.UserFilter{Sort: []chat.SortField{{Field: "password"}}})
	wantKind(t, err, chat.EInvalid)
}
