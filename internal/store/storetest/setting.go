package storetest

import (
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var settingTests = []test{
	{"RoundTrip", testSettingRoundTrip},
	{"UpsertKeepsValue", testSettingUpsertKeepsValue},
	{"SetValue", testSettingSetValue},
	{"SinceAndOrder", testSettingsSince},
	{"Permissions", testPermissions},
	{"Roles", testRoles},
}

func testSettingRoundTrip(t *testing.T, s chat.Store) {
	settings := []*chat.Setting{
		{ID: "Site_Name", Type: "string", Value: "Liftoff", PackageValue: "Rocket.Chat", Public: true,
			Group: "General", Section: "Site", I18nLabel: "Site_Name", Order: 1, UpdatedAt: at(1)},
		{ID: "Accounts_AllowRegistration", Type: "boolean", Value: false, PackageValue: true, Hidden: true,
			Group: "Accounts", EnvLocked: true, Order: 2, UpdatedAt: at(2)},
		{ID: "Message_MaxAllowedSize", Type: "int", Value: 5000.0, PackageValue: 5000.0, Order: 3, UpdatedAt: at(3)},
		{ID: "Language", Type: "select", Value: "en", PackageValue: "en", Order: 4, UpdatedAt: at(4),
			Values: []chat.SettingOption{{Key: "en", I18nLabel: "English"}, {Key: "de", I18nLabel: "Deutsch"}}},
		{ID: "Custom_Object", Type: "code", Value: map[string]any{"a": []any{1.0, "two", nil}}, Order: 5},
		{ID: "Unset", Type: "string"},
	}
	for _, st := range settings {
		must(t, s.UpsertSetting(ctx(t), st))
		got, err := s.SettingByID(ctx(t), st.ID)
		must(t, err)
		equal(t, "setting "+st.ID, got, st)
	}
	_, err := s.SettingByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
}

func testSettingUpsertKeepsValue(t *testing.T, s chat.Store) {
	must(t, s.UpsertSetting(ctx(t), &chat.Setting{ID: "X", Type: "string", Value: "default", PackageValue: "default", Order: 1, UpdatedAt: at(1)}))
	must(t, s.SetSettingValue(ctx(t), "X", "admin's choice", false, at(2)))
	refreshed := &chat.Setting{ID: "X", Type: "string", Value: "new default", PackageValue: "new default",
		Public: true, Group: "G", Section: "S", I18nLabel: "X_Label", Order: 7, EnvLocked: true, UpdatedAt: at(3)}
	must(t, s.UpsertSetting(ctx(t), refreshed))
	got, err := s.SettingByID(ctx(t), "X")
	must(t, err)
	want := *refreshed
	want.Value = "admin's choice"
	equal(t, "refreshed setting", got, &want)
}

func testSettingSetValue(t *testing.T, s chat.Store) {
	must(t, s.UpsertSetting(ctx(t), &chat.Setting{ID: "X", Type: "boolean", Value: false, UpdatedAt: at(1)}))
	must(t, s.SetSettingValue(ctx(t), "X", true, true, at(5)))
	got, err := s.SettingByID(ctx(t), "X")
	must(t, err)
	equal(t, "after SetSettingValue", []any{got.Value, got.EnvLocked, got.UpdatedAt}, []any{true, true, at(5)})
	must(t, s.SetSettingValue(ctx(t), "X", nil, false, at(6)))
	got, err = s.SettingByID(ctx(t), "X")
	must(t, err)
	equal(t, "nil value", []any{got.Value, got.EnvLocked}, []any{nil, false})
	wantKind(t, s.SetSettingValue(ctx(t), "nope", 1.0, false, at(7)), chat.ENotFound)
}

func testSettingsSince(t *testing.T, s chat.Store) {
	for _, st := range []chat.Setting{
		{ID: "b", Order: 2, UpdatedAt: at(10)},
		{ID: "a", Order: 2, UpdatedAt: at(20)},
		{ID: "c", Order: 1, UpdatedAt: at(30)},
		{ID: "d", Order: 3, UpdatedAt: at(40)},
	} {
		must(t, s.UpsertSetting(ctx(t), &st))
	}
	settingIDs := func(ss []chat.Setting) []string { return ids(ss, func(s chat.Setting) string { return s.ID }) }
	got, err := s.Settings(ctx(t), time.Time{})
	must(t, err)
	equal(t, "all, by order then id", settingIDs(got), []string{"c", "a", "b", "d"})
	got, err = s.Settings(ctx(t), at(20))
	must(t, err)
	equal(t, "changed after since", settingIDs(got), []string{"c", "d"})
	must(t, s.SetSettingValue(ctx(t), "b", "v", false, at(50)))
	got, err = s.Settings(ctx(t), at(40))
	must(t, err)
	equal(t, "changed by value", settingIDs(got), []string{"b"})
}

func testPermissions(t *testing.T, s chat.Store) {
	p := &chat.Permission{ID: "view-room", Roles: []string{"admin", "user"}, Group: "permissions", Position: 2, UpdatedAt: at(1)}
	must(t, s.UpsertPermission(ctx(t), p))
	got, err := s.PermissionByID(ctx(t), "view-room")
	must(t, err)
	equal(t, "permission", got, p)

	// InsertPermissionIfMissing keeps an existing grant.
	must(t, s.InsertPermissionIfMissing(ctx(t), &chat.Permission{ID: "view-room", Roles: []string{"admin"}, Position: 9, UpdatedAt: at(9)}))
	got, err = s.PermissionByID(ctx(t), "view-room")
	must(t, err)
	equal(t, "permission kept", got, p)
	fresh := &chat.Permission{ID: "create-c", Roles: []string{"admin"}, Group: "permissions", Position: 1, UpdatedAt: at(2)}
	must(t, s.InsertPermissionIfMissing(ctx(t), fresh))
	got, err = s.PermissionByID(ctx(t), "create-c")
	must(t, err)
	equal(t, "inserted permission", got, fresh)

	// UpsertPermission replaces.
	p2 := &chat.Permission{ID: "view-room", Roles: nil, Group: "other", Position: 3, UpdatedAt: at(3)}
	must(t, s.UpsertPermission(ctx(t), p2))
	got, err = s.PermissionByID(ctx(t), "view-room")
	must(t, err)
	equal(t, "replaced permission", got, p2)

	must(t, s.UpsertPermission(ctx(t), &chat.Permission{ID: "a-last", Position: 3, UpdatedAt: at(4)}))
	all, err := s.Permissions(ctx(t), time.Time{})
	must(t, err)
	permIDs := func(ps []chat.Permission) []string { return ids(ps, func(p chat.Permission) string { return p.ID }) }
	equal(t, "by position then id", permIDs(all), []string{"create-c", "a-last", "view-room"})
	all, err = s.Permissions(ctx(t), at(2))
	must(t, err)
	equal(t, "changed after since", permIDs(all), []string{"a-last", "view-room"})

	_, err = s.PermissionByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
}

func testRoles(t *testing.T, s chat.Store) {
	admin := &chat.Role{ID: "admin", Name: "admin", Description: "Administrator", Scope: "Users", Protected: true, UpdatedAt: at(1)}
	owner := &chat.Role{ID: "owner", Name: "owner", Scope: "Subscriptions", Protected: true, UpdatedAt: at(2)}
	must(t, s.UpsertRole(ctx(t), owner))
	must(t, s.UpsertRole(ctx(t), admin))
	got, err := s.RoleByID(ctx(t), "admin")
	must(t, err)
	equal(t, "role", got, admin)

	admin.Description, admin.UpdatedAt = "changed", at(3)
	must(t, s.UpsertRole(ctx(t), admin))
	roles, err := s.Roles(ctx(t))
	must(t, err)
	equal(t, "roles", roles, []chat.Role{*admin, *owner})

	_, err = s.RoleByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
}
