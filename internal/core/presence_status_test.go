package core

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestEffectiveStatus(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ conn, chosen, want string }{
		{"offline", "online", "offline"},
		{"", "busy", "offline"},
		{"online", "online", "online"},
		{"away", "online", "away"},
		{"online", "", "online"},
		{"online", "busy", "busy"},
		{"away", "busy", "busy"},
		{"online", "offline", "offline"}, // invisible
	} {
		if got := EffectiveStatus(tt.conn, tt.chosen); got != tt.want {
			t.Errorf("EffectiveStatus(%q, %q) = %q, want %q", tt.conn, tt.chosen, got, tt.want)
		}
	}
}

// acctNextEvent waits for one event on sub.
func acctNextEvent(t *testing.T, sub chat.BusSubscription) chat.Event {
	t.Helper()
	select {
	case ev := <-sub.C():
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event published")
	}
	return chat.Event{}
}

func TestSetUserStatusAndRecompute(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob := e.mkUser("bob")
	carl := e.mkUser("carl")
	sub, err := e.bus.Subscribe(e.ctx, chat.TopicPresence)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	str := func(s string) *string { return &s }

	u, err := e.s.SetUserStatus(e.ctx, bob, "", StatusChange{Status: str("busy"), Message: str("  in a meeting  ")})
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != "busy" || u.StatusDefault != "busy" || u.StatusText != "in a meeting" {
		t.Fatalf("after setStatus: %+v", u)
	}
	ev := acctNextEvent(t, sub)
	var args []any
	if ev.Kind != chat.EventUserStatus || json.Unmarshal(ev.Data, &args) != nil || len(args) != 6 ||
		args[0] != bob.ID || args[1] != "bob" || args[2] != 3.0 || args[3] != "in a meeting" {
		t.Fatalf("user-status event %+v %v", ev, args)
	}

	// The realtime layer reports a connection: busy stays busy; the
	// connection status is recorded.
	u, err = e.s.RecomputeStatus(e.ctx, bob.ID, "online")
	if err != nil || u.Status != "busy" || u.StatusConnection != "online" {
		t.Fatalf("recompute online: %+v %v", u, err)
	}
	u, err = e.s.RecomputeStatus(e.ctx, bob.ID, "offline")
	if err != nil || u.Status != "offline" {
		t.Fatalf("recompute offline: %+v %v", u, err)
	}
	if ev := acctNextEvent(t, sub); ev.UserID != bob.ID {
		t.Fatalf("no event for going offline: %+v", ev)
	}
	if _, err := e.s.SetUserStatus(e.ctx, bob, "", StatusChange{Status: str("online")}); err != nil {
		t.Fatal(err)
	}
	u, _ = e.s.RecomputeStatus(e.ctx, bob.ID, "away")
	if u.Status != "away" || u.StatusDefault != "online" {
		t.Fatalf("online user with an away connection: %+v", u)
	}

	// Others' status: only with edit-other-user-info.
	if _, err := e.s.SetUserStatus(e.ctx, carl, bob.ID, StatusChange{Status: str("away")}); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("setting another user's status: %v", err)
	}
	if u, err := e.s.SetUserStatus(e.ctx, admin, "bob", StatusChange{Message: str("set by admin")}); err != nil || u.StatusText != "set by admin" {
		t.Fatalf("admin setting bob's message: %+v %v", u, err)
	}
	for _, bad := range []string{"sleeping", "ONLINE"} {
		if _, err := e.s.SetUserStatus(e.ctx, bob, "", StatusChange{Status: str(bad)}); err == nil || err.(*chat.Error).Type != "error-invalid-status" {
			t.Fatalf("status %q: %v", bad, err)
		}
	}
	acctSetSetting(e.s, "Accounts_AllowInvisibleStatusOption", false)
	if _, err := e.s.SetUserStatus(e.ctx, bob, "", StatusChange{Status: str("offline")}); err == nil || err.(*chat.Error).Type != "error-status-not-allowed" {
		t.Fatalf("invisible while disabled: %v", err)
	}
	acctSetSetting(e.s, "Accounts_AllowUserStatusMessageChange", false)
	if _, err := e.s.SetUserStatus(e.ctx, bob, "", StatusChange{Message: str("x")}); err == nil || err.(*chat.Error).Type != "error-not-allowed" {
		t.Fatalf("status change while disabled: %v", err)
	}
	if _, err := e.s.RecomputeStatus(e.ctx, "no-such-user", "online"); err == nil {
		t.Fatal("recompute for an unknown user succeeded")
	}
}
