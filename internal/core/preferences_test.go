package core

import (
	"encoding/json"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestCheckPreferences(t *testing.T) {
	t.Parallel()
	got, err := checkPreferences(map[string]any{
		"useEmojis": "false", "notificationsSoundVolume": json.Number("40"), "highlights": []any{"go", "rust"},
		"language": "fr", "featuresPreview": []any{map[string]any{"name": "x", "value": true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["useEmojis"] != false || got["notificationsSoundVolume"] != 40.0 || got["language"] != "fr" {
		t.Fatalf("coerced %#v", got)
	}
	if hl, ok := got["highlights"].([]string); !ok || len(hl) != 2 {
		t.Fatalf("highlights %#v", got["highlights"])
	}
	for _, bad := range []map[string]any{
		{"noSuchPreference": true},
		{"useEmojis": "maybe"},
		{"sidebarViewMode": 3.0},
		{"highlights": "go"},
		{"highlights": []any{1.0}},
		{"alsoSendThreadToChannel": "sometimes"},
		{"notificationsSoundVolume": 101.0},
	} {
		if _, err := checkPreferences(bad); err == nil || err.(*chat.Error).Type != "invalid-params" {
			t.Errorf("checkPreferences(%v) = %v, want invalid-params", bad, err)
		}
	}
}

func TestSetPreferences(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob, carl := e.mkUser("bob"), e.mkUser("carl")
	if eff := e.s.EffectivePreferences(bob); eff["sidebarViewMode"] != "medium" || eff["useEmojis"] != true {
		t.Fatalf("defaults %v", eff)
	}
	u, err := e.s.SetPreferences(e.ctx, bob, "", map[string]any{"sidebarViewMode": "condensed"})
	if err != nil || u.Preferences["sidebarViewMode"] != "condensed" {
		t.Fatalf("set: %+v %v", u, err)
	}
	u, err = e.s.SetPreferences(e.ctx, bob, "", map[string]any{"useEmojis": false})
	if err != nil || u.Preferences["sidebarViewMode"] != "condensed" || u.Preferences["useEmojis"] != false {
		t.Fatalf("preferences are merged, not replaced: %+v %v", u.Preferences, err)
	}
	stored, _ := e.st.UserByID(e.ctx, bob.ID)
	if eff := e.s.EffectivePreferences(stored); eff["sidebarViewMode"] != "condensed" || eff["unreadAlert"] != true {
		t.Fatalf("effective %v", eff)
	}
	if _, err := e.s.SetPreferences(e.ctx, carl, bob.ID, map[string]any{"useEmojis": true}); err == nil || err.(*chat.Error).Type != "error-action-not-allowed" {
		t.Fatalf("carl editing bob: %v", err)
	}
	if _, err := e.s.SetPreferences(e.ctx, admin, bob.ID, map[string]any{"useEmojis": true}); err != nil {
		t.Fatalf("admin editing bob: %v", err)
	}
	if _, err := e.s.SetPreferences(e.ctx, admin, "nobody", map[string]any{"useEmojis": true}); err == nil || err.(*chat.Error).Type != "error-invalid-user" {
		t.Fatalf("unknown user: %v", err)
	}
}
