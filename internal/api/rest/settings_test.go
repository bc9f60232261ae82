package rest_test

import (
	"net/http"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// acctSettingIDs returns the ids of a settings listing, in order.
func acctSettingIDs(t *testing.T, body map[string]any) []string {
	t.Helper()
	items, _ := body["settings"].([]any)
	ids := make([]string, 0, len(items))
	for _, it := range items {
		m := it.(map[string]any)
		if _, ok := m["value"]; !ok {
			t.Fatalf("setting without value: %v", m)
		}
		ids = append(ids, m["_id"].(string))
	}
	return ids
}

func TestSettingsPublic(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	body := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"count": "0"}))
	ids := acctSettingIDs(t, body)
	total := int(body["total"].(float64))
	if body["offset"] != 0.0 || int(body["count"].(float64)) != len(ids) || total != len(ids) || total < 100 {
		t.Fatalf("count %v offset %v total %v for %d items", body["count"], body["offset"], body["total"], len(ids))
	}
	seen := map[string]bool{}
	for i, id := range ids {
		seen[id] = true
		if i > 0 && ids[i-1] >= id {
			t.Fatalf("not sorted by _id: %s before %s", ids[i-1], id)
		}
	}
	if !seen["Site_Name"] || !seen["Message_MaxAllowedSize"] || seen["API_Default_Count"] {
		t.Fatal("settings.public does not list exactly the public settings")
	}

	page := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"count": "5", "offset": "5"}))
	if got := acctSettingIDs(t, page); len(got) != 5 || got[0] != ids[5] || page["total"] != body["total"] || page["count"] != 5.0 {
		t.Fatalf("page %v", page)
	}
	desc := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"count": "1", "sort": `{"_id":-1}`}))
	if got := acctSettingIDs(t, desc); got[0] != ids[len(ids)-1] {
		t.Fatalf("descending first %v", got)
	}
	byID := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"_id": "Site_Name, Message_MaxAllowedSize,API_Default_Count"}))
	if got := acctSettingIDs(t, byID); len(got) != 2 || got[0] != "Message_MaxAllowedSize" || got[1] != "Site_Name" || byID["total"] != 2.0 {
		t.Fatalf("_id filter %v", byID)
	}
	query := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"query": `{"_id":{"$in":["Site_Name","Language"]}}`}))
	if got := acctSettingIDs(t, query); len(got) != 2 || got[0] != "Language" {
		t.Fatalf("query filter %v", query)
	}
	site := acctSettingIDs(t, acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"query": `{"_id":"Site_Name"}`})))
	if len(site) != 1 {
		t.Fatalf("query by one id %v", site)
	}
	acctFail(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"query": `{"_id":`}), http.StatusBadRequest, "error-invalid-query")
	acctFail(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"count": "x"}), http.StatusBadRequest, "invalid-params")

	if oauth := acctOK(t, env.Anon().Get(t, "/api/v1/settings.oauth", nil)); len(oauth["services"].([]any)) != 0 {
		t.Fatalf("settings.oauth %v", oauth)
	}
}

func TestSettingsGetOne(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	for _, c := range []*testenv.Client{env.Anon(), bob} {
		body := acctOK(t, c.Get(t, "/api/v1/settings/Message_MaxAllowedSize", nil))
		if body["_id"] != "Message_MaxAllowedSize" || body["value"] != 5000.0 || len(body) != 3 {
			t.Fatalf("public setting %v", body)
		}
	}
	acct401(t, env.Anon().Get(t, "/api/v1/settings/API_Default_Count", nil))
	res := bob.Get(t, "/api/v1/settings/API_Default_Count", nil)
	if b := acctFail(t, res, http.StatusForbidden, "-"); b["error"] != "User does not have the permissions required for this action [error-unauthorized]" {
		t.Fatalf("private setting as a user %s", res.Raw)
	}
	if body := acctOK(t, env.Admin.Get(t, "/api/v1/settings/API_Default_Count", nil)); body["value"] != 50.0 {
		t.Fatalf("private setting as admin %v", body)
	}
	acctFail(t, env.Admin.Get(t, "/api/v1/settings/No_Such_Setting", nil), http.StatusBadRequest, "error-setting-not-found")
}

func TestSettingsList(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	userView := acctOK(t, bob.Get(t, "/api/v1/settings", map[string]string{"count": "0"}))
	adminView := acctOK(t, env.Admin.Get(t, "/api/v1/settings", map[string]string{"count": "0", "includeDefaults": "true"}))
	public := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"count": "0"}))
	if userView["total"] != public["total"] {
		t.Fatalf("a user lists %v settings, %v are public", userView["total"], public["total"])
	}
	if adminView["total"].(float64) <= public["total"].(float64) {
		t.Fatalf("the admin lists %v settings", adminView["total"])
	}
	found := false
	for _, it := range adminView["settings"].([]any) {
		if m := it.(map[string]any); m["_id"] == "API_Default_Count" {
			found = m["packageValue"] == 50.0
		}
	}
	if !found {
		t.Fatal("the admin listing lacks API_Default_Count with its packageValue")
	}
	acct401(t, env.Anon().Get(t, "/api/v1/settings", nil))
}

func TestSettingsSet(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	get := func(id string) any {
		return acctOK(t, env.Admin.Get(t, "/api/v1/settings/"+id, nil))["value"]
	}
	if body := acctOK(t, env.Admin.Post(t, "/api/v1/settings/Message_MaxAllowedSize", map[string]any{"value": 3000})); len(body) != 1 {
		t.Fatalf("answer %v", body)
	}
	if get("Message_MaxAllowedSize") != 3000.0 {
		t.Fatal("value not changed")
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Liftoff HQ"}))
	byID := acctOK(t, env.Anon().Get(t, "/api/v1/settings.public", map[string]string{"_id": "Site_Name"}))
	if byID["settings"].([]any)[0].(map[string]any)["value"] != "Liftoff HQ" {
		t.Fatalf("settings.public does not show the change: %v", byID)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Accounts_RegistrationForm", map[string]any{"value": "Disabled"}))

	for _, tt := range []struct {
		c      *testenv.Client
		id     string
		body   any
		status int
		errTyp string
	}{
		{bob, "Site_Name", map[string]any{"value": "Bob's"}, http.StatusForbidden, "-"},
		{env.Admin, "Message_MaxAllowedSize", map[string]any{"value": "lots"}, http.StatusBadRequest, "error-invalid-setting-value"},
		{env.Admin, "Message_MaxAllowedSize", map[string]any{"value": 1.5}, http.StatusBadRequest, "error-invalid-setting-value"},
		{env.Admin, "Site_Name", map[string]any{"value": true}, http.StatusBadRequest, "error-invalid-setting-value"},
		{env.Admin, "Accounts_RegistrationForm", map[string]any{"value": "Sometimes"}, http.StatusBadRequest, "error-invalid-setting-value"},
		{env.Admin, "Accounts_AllowAnonymousRead", map[string]any{"value": "maybe"}, http.StatusBadRequest, "error-invalid-setting-value"},
		{env.Admin, "Site_Name", map[string]any{"value": nil}, http.StatusBadRequest, "invalid-params"},
		{env.Admin, "Site_Name", map[string]any{}, http.StatusBadRequest, "invalid-params"},
		{env.Admin, "Site_Name", []byte(`{"value":`), http.StatusBadRequest, "error-invalid-body"},
		{env.Admin, "No_Such_Setting", map[string]any{"value": 1}, http.StatusBadRequest, "error-setting-not-found"},
	} {
		acctFail(t, tt.c.Post(t, "/api/v1/settings/"+tt.id, tt.body), tt.status, tt.errTyp)
	}
	acct401(t, env.Anon().Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "anon"}))
	if get("Site_Name") != "Liftoff HQ" || get("Message_MaxAllowedSize") != 3000.0 || get("Accounts_RegistrationForm") != "Disabled" || get("Accounts_AllowAnonymousRead") != false {
		t.Fatal("a refused change was applied")
	}
}

func TestSettingsEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := testenv.Start(t, testenv.Options{DataDir: dir, Env: map[string]string{
		"OVERWRITE_SETTING_Site_Name": "Forced",
		"Message_MaxAllowedSize":      "1234",
	}})
	value := func(env *testenv.Env, id string) any {
		return acctOK(t, env.Anon().Get(t, "/api/v1/settings/"+id, nil))["value"]
	}
	if value(env, "Site_Name") != "Forced" || value(env, "Message_MaxAllowedSize") != 1234.0 {
		t.Fatal("environment not applied on first start")
	}
	acctFail(t, env.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Mine"}), http.StatusBadRequest, "error-setting-locked")
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Message_MaxAllowedSize", map[string]any{"value": 4321}))
	env.Stop()

	// Restart on the same data: the override is forced again with its new
	// value; the plain variable does not apply any more.
	env2 := testenv.Start(t, testenv.Options{DataDir: dir, Env: map[string]string{
		"OVERWRITE_SETTING_Site_Name": "Forced Again",
		"Message_MaxAllowedSize":      "99",
	}})
	if value(env2, "Site_Name") != "Forced Again" || value(env2, "Message_MaxAllowedSize") != 4321.0 {
		t.Fatalf("after restart: %v %v", value(env2, "Site_Name"), value(env2, "Message_MaxAllowedSize"))
	}
	env2.Stop()

	// Without the override the setting is editable again.
	env3 := testenv.Start(t, testenv.Options{DataDir: dir})
	if value(env3, "Site_Name") != "Forced Again" {
		t.Fatal("a removed override lost its value")
	}
	acctOK(t, env3.Admin.Post(t, "/api/v1/settings/Site_Name", map[string]any{"value": "Free"}))
}
