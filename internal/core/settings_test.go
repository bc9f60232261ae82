package core

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

func TestCoerceSetting(t *testing.T) {
	t.Parallel()
	sel := &chat.Setting{ID: "sel", Type: "select", Values: []chat.SettingOption{{Key: "a"}, {Key: "b"}}}
	for _, tt := range []struct {
		name string
		st   *chat.Setting
		in   any
		want any // nil: refused
	}{
		{"bool", &chat.Setting{Type: "boolean"}, true, true},
		{"bool from env string", &chat.Setting{Type: "boolean"}, "false", false},
		{"bool from number", &chat.Setting{Type: "boolean"}, 1.0, nil},
		{"bool from junk", &chat.Setting{Type: "boolean"}, "yes please", nil},
		{"int from float", &chat.Setting{Type: "int"}, 25.0, 25},
		{"int from json.Number", &chat.Setting{Type: "int"}, json.Number("7"), 7},
		{"int from string", &chat.Setting{Type: "int"}, " 12 ", 12},
		{"int from fraction", &chat.Setting{Type: "int"}, 2.5, nil},
		{"int from bool", &chat.Setting{Type: "int"}, true, nil},
		{"select known", sel, "b", "b"},
		{"select unknown", sel, "c", nil},
		{"select non-string", sel, true, nil},
		{"string", &chat.Setting{Type: "string"}, "x", "x"},
		{"string from number", &chat.Setting{Type: "string"}, 3.0, nil},
		{"code", &chat.Setting{Type: "code"}, "{}", "{}"},
		{"action", &chat.Setting{Type: "action"}, "x", nil},
	} {
		got, err := coerceSetting(tt.st, tt.in)
		if tt.want == nil {
			if err == nil {
				t.Errorf("%s: accepted %v as %v", tt.name, tt.in, got)
			} else if ce, ok := err.(*chat.Error); !ok || ce.Type != "error-invalid-setting-value" || ce.Kind != chat.EInvalid {
				t.Errorf("%s: error %v", tt.name, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: coerceSetting(%v) = %#v, %v; want %#v", tt.name, tt.in, got, err, tt.want)
		}
	}
}

func TestSameSettingValue(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b any
		want bool
	}{
		{25.0, 25, true}, {25, 25, true}, {"25", 25, false}, {"x", "x", true}, {true, true, true}, {true, false, false}, {nil, 1, false},
	} {
		if got := sameSettingValue(tt.a, tt.b); got != tt.want {
			t.Errorf("sameSettingValue(%#v, %#v) = %v", tt.a, tt.b, got)
		}
	}
}

// acctStartOn initialises a fresh Service on an existing database, as a
// restart does.
func acctStartOn(t *testing.T, path string, env map[string]string) (*Service, error) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, path, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(Config{Store: st, Logger: log})
	return s, s.Init(ctx, InitOptions{Env: env})
}

func TestApplyEnvSettingsAcrossRestarts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "liftoff.db")
	env := map[string]string{
		"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw",
		"OVERWRITE_SETTING_Site_Name": "Forced One",
		"Message_MaxAllowedSize":      "1234",
		"Accounts_AllowAnonymousRead": "true",
	}
	s, err := acctStartOn(t, path, env)
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *Service, id string, want any, locked bool) {
		t.Helper()
		st, err := s.Store().SettingByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !sameSettingValue(st.Value, want) || st.EnvLocked != locked {
			t.Fatalf("%s = %#v (locked %v), want %#v (locked %v)", id, st.Value, st.EnvLocked, want, locked)
		}
		if v, _ := s.Setting(id); !sameSettingValue(v, want) {
			t.Fatalf("cached %s = %#v, want %#v", id, v, want)
		}
	}
	check(s, "Site_Name", "Forced One", true)
	check(s, "Message_MaxAllowedSize", 1234, false)
	check(s, "Accounts_AllowAnonymousRead", true, false)

	admin, err := s.Store().UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSetting(ctx, admin, "Site_Name", "Mine"); err == nil || err.(*chat.Error).Type != "error-setting-locked" {
		t.Fatalf("changing a locked setting: %v", err)
	}
	if _, err := s.SetSetting(ctx, admin, "Message_MaxAllowedSize", 4000.0); err != nil {
		t.Fatal(err)
	}

	// Second start: the override changes and stays locked; plain <id>
	// variables no longer apply.
	env["OVERWRITE_SETTING_Site_Name"] = "Forced Two"
	env["Message_MaxAllowedSize"] = "99"
	s2, err := acctStartOn(t, path, env)
	if err != nil {
		t.Fatal(err)
	}
	check(s2, "Site_Name", "Forced Two", true)
	check(s2, "Message_MaxAllowedSize", 4000, false)
	before, _ := s2.Store().SettingByID(ctx, "Site_Name")

	// Same overrides again: nothing is rewritten.
	s3, err := acctStartOn(t, path, env)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s3.Store().SettingByID(ctx, "Site_Name")
	if !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("an unchanged override was rewritten at start: %v → %v", before.UpdatedAt, after.UpdatedAt)
	}

	// Override removed: unlocked, keeping its last value.
	delete(env, "OVERWRITE_SETTING_Site_Name")
	s4, err := acctStartOn(t, path, env)
	if err != nil {
		t.Fatal(err)
	}
	check(s4, "Site_Name", "Forced Two", false)

	// A value that does not fit the type stops the start.
	env["OVERWRITE_SETTING_Message_MaxAllowedSize"] = "lots"
	if _, err := acctStartOn(t, path, env); err == nil {
		t.Fatal("an invalid override was accepted")
	}
}

func TestGetAndSetSettingPermissions(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob := e.mkUser("bob")
	if st, err := e.s.GetSetting(e.ctx, nil, "Site_Name"); err != nil || st.ID != "Site_Name" {
		t.Fatalf("public setting anonymously: %v", err)
	}
	if _, err := e.s.GetSetting(e.ctx, nil, "API_Default_Count"); !chat.IsKind(err, chat.EUnauthorized) {
		t.Fatalf("private setting anonymously: %v", err)
	}
	if _, err := e.s.GetSetting(e.ctx, bob, "API_Default_Count"); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("private setting as a user: %v", err)
	}
	if _, err := e.s.GetSetting(e.ctx, admin, "API_Default_Count"); err != nil {
		t.Fatalf("private setting as admin: %v", err)
	}
	if _, err := e.s.GetSetting(e.ctx, admin, "No_Such_Setting"); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("unknown setting: %v", err)
	}
	if _, err := e.s.SetSetting(e.ctx, bob, "Site_Name", "x"); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("set as a user: %v", err)
	}
	sub, err := e.bus.Subscribe(e.ctx, chat.TopicAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := e.s.SetSetting(e.ctx, admin, "Site_Name", "Hello"); err != nil {
		t.Fatal(err)
	}
	if e.s.SettingString("Site_Name") != "Hello" {
		t.Fatal("cache not updated")
	}
	var ev chat.Event
	select {
	case ev = <-sub.C():
	case <-time.After(5 * time.Second):
		t.Fatal("no setting event published")
	}
	var got chat.Setting
	if ev.Kind != chat.EventSetting || json.Unmarshal(ev.Data, &got) != nil || got.ID != "Site_Name" || got.Value != "Hello" {
		t.Fatalf("event %+v", ev)
	}
}
