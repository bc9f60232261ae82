package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// test is one contract test; it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s chat.Store)
}

// Run runs the whole contract against the backend that open returns. open
// must return a new, empty, migrated store for each call and close it when
// the test ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) chat.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"User", userTests},
		{"Token", tokenTests},
		{"Room", roomTests},
		{"Subscription", subscriptionTests},
		{"Unread", unreadTests},
		{"Message", messageTests},
		{"MessageList", messageListTests},
		{"Search", searchTests},
		{"Thread", threadTests},
		{"Team", teamTests},
		{"Setting", settingTests},
		{"Upload", uploadTests},
		{"Integration", integrationTests},
		{"Tx", txTests},
		{"Concurrency", concurrencyTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.fn(t, open(t))
				})
			}
		})
	}
}

// t0 is the suite's reference time: UTC, with milliseconds, as stores
// return times.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

// at returns t0 plus n seconds.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }

func ctx(t *testing.T) context.Context { return t.Context() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantKind checks that err is a domain error of kind k.
func wantKind(t *testing.T, err error, k chat.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want kind %s", k)
	}
	if got := chat.ErrorKind(err); got != k {
		t.Fatalf("got error %q of kind %s, want kind %s", err, got, k)
	}
}

// equal compares with reflect.DeepEqual and reports the differing fields.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	var out []string
	diff(what, reflect.ValueOf(got), reflect.ValueOf(want), &out)
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("%s:\n got  %#v\n want %#v", what, got, want))
	}
	t.Fatalf("%s differs:\n%s", what, strings.Join(out, "\n"))
}

var timeType = reflect.TypeOf(time.Time{})

// diff appends a line per differing leaf, up to a few dozen.
func diff(path string, got, want reflect.Value, out *[]string) {
	if len(*out) >= 30 {
		return
	}
	if !got.IsValid() || !want.IsValid() {
		if got.IsValid() != want.IsValid() {
			*out = append(*out, fmt.Sprintf("  %s: got %v, want %v", path, got, want))
		}
		return
	}
	if got.Type() == timeType {
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		if !reflect.DeepEqual(g, w) {
			*out = append(*out, fmt.Sprintf("  %s: got %s (%s), want %s (%s)", path,
				g.Format(time.RFC3339Nano), g.Location(), w.Format(time.RFC3339Nano), w.Location()))
		}
		return
	}
	switch got.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				*out = append(*out, fmt.Sprintf("  %s: got %#v, want %#v", path, got.Interface(), want.Interface()))
			}
			return
		}
		if got.Kind() == reflect.Interface && got.Elem().Type() != want.Elem().Type() {
			*out = append(*out, fmt.Sprintf("  %s: got %#v, want %#v", path, got.Interface(), want.Interface()))
			return
		}
		diff(path, got.Elem(), want.Elem(), out)
	case reflect.Struct:
		for i := 0; i < got.NumField(); i++ {
			diff(path+"."+got.Type().Field(i).Name, got.Field(i), want.Field(i), out)
		}
	case reflect.Slice:
		if got.IsNil() != want.IsNil() {
			*out = append(*out, fmt.Sprintf("  %s: got %#v, want %#v", path, got.Interface(), want.Interface()))
			return
		}
		if got.Len() != want.Len() {
			*out = append(*out, fmt.Sprintf("  %s: got %d elements, want %d:\n    got  %#v\n    want %#v",
				path, got.Len(), want.Len(), got.Interface(), want.Interface()))
			return
		}
		for i := 0; i < got.Len(); i++ {
			diff(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i), out)
		}
	case reflect.Map:
		if got.IsNil() != want.IsNil() || got.Len() != want.Len() {
			*out = append(*out, fmt.Sprintf("  %s: got %#v, want %#v", path, got.Interface(), want.Interface()))
			return
		}
		for _, k := range want.MapKeys() {
			diff(fmt.Sprintf("%s[%v]", path, k), got.MapIndex(k), want.MapIndex(k), out)
		}
	default:
		if !reflect.DeepEqual(got.Interface(), want.Interface()) {
			*out = append(*out, fmt.Sprintf("  %s: got %#v, want %#v", path, got.Interface(), want.Interface()))
		}
	}
}

// ids returns the ids of a listing, for comparing orders.
func ids[T any](items []T, id func(T) string) []string {
	var out []string // nil when empty, like the wanted lists
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func userIDs(us []chat.User) []string   { return ids(us, func(u chat.User) string { return u.ID }) }
func roomIDs(rs []chat.Room) []string   { return ids(rs, func(r chat.Room) string { return r.ID }) }
func msgIDs(ms []chat.Message) []string { return ids(ms, func(m chat.Message) string { return m.ID }) }
func teamIDs(ts []chat.Team) []string   { return ids(ts, func(t chat.Team) string { return t.ID }) }
func removalIDs(rs []chat.Removal) []string {
	return ids(rs, func(r chat.Removal) string { return r.ID })
}

// sorted returns a sorted copy, for comparing sets.
func sorted(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}

// Fixtures. Each creates a minimal valid object and fails the test on error.

func addUser(t *testing.T, s chat.Store, id, username string) *chat.User {
	t.Helper()
	u := &chat.User{
		ID: id, Username: username, Name: "Name " + username, Type: chat.UserTypeUser, Active: true,
		Roles: []string{"user"}, Emails: []chat.Email{{Address: username + "@example.com"}},
		Status: chat.StatusOffline, CreatedAt: t0, UpdatedAt: t0,
	}
	must(t, s.CreateUser(ctx(t), u))
	return u
}

func addRoom(t *testing.T, s chat.Store, id string, typ chat.RoomType, name string) *chat.Room {
	t.Helper()
	r := &chat.Room{ID: id, Type: typ, Name: name, FName: name, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateRoom(ctx(t), r))
	return r
}

func subscribe(t *testing.T, s chat.Store, roomID, userID string) *chat.Subscription {
	t.Helper()
	sub := &chat.Subscription{
		ID: roomID + "-" + userID, RoomID: roomID, User: chat.UserRef{ID: userID, Username: "user-" + userID},
		Open: true, CreatedAt: t0, UpdatedAt: t0,
	}
	must(t, s.CreateSubscription(ctx(t), sub))
	return sub
}

// post inserts a plain message from userID at t0+sec and updates the room's
// last message.
func post(t *testing.T, s chat.Store, roomID, id, userID string, sec int, text string) *chat.Message {
	t.Helper()
	m := &chat.Message{ID: id, RoomID: roomID, Text: text, User: chat.UserRef{ID: userID, Username: "user-" + userID},
		TS: at(sec), UpdatedAt: at(sec)}
	must(t, s.InsertMessage(ctx(t), m, true))
	return m
}

func insert(t *testing.T, s chat.Store, m *chat.Message) *chat.Message {
	t.Helper()
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = m.TS
	}
	must(t, s.InsertMessage(ctx(t), m, m.TMID == "" || m.TShow))
	return m
}

func ptr[T any](v T) *T { return &v }
