package ddp_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// wantMethodError fails the test unless r is the Meteor error code.
func wantMethodError(t *testing.T, r ddptest.Result, code string) {
	t.Helper()
	if r.Error == nil || r.Error["error"] != code {
		t.Fatalf("want error %s, got %s", code, r.Frame.Raw)
	}
}

// adminList returns the list under key of an admin REST listing.
func adminList(t *testing.T, env *testenv.Env, path string, query map[string]string, key string) []any {
	t.Helper()
	list, _ := env.Admin.Get(t, path, query).MustOK(t)[key].([]any)
	return list
}

// integrations lists the webhooks as the admin sees them, by id.
func integrations(t *testing.T, env *testenv.Env) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, it := range adminList(t, env, "/api/v1/integrations.list", nil, "integrations") {
		m := it.(map[string]any)
		out[m["_id"].(string)] = m
	}
	return out
}

// startIntegrationFix starts a server and connects the admin, alice (a
// plain user) and an anonymous client.
func startIntegrationFix(t *testing.T) (env *testenv.Env, adm, alice, anon *ddptest.Client) {
	t.Helper()
	env = testenv.Start(t, testenv.Options{})
	adm, alice = login(t, env, env.Admin), login(t, env, env.CreateUser(t, "alice"))
	anon, _ = ddptest.Connect(t, env.WSURL, "1")
	return env, adm, alice, anon
}

// TestIntegrationMethods drives the deprecated add, update and delete
// methods of both webhook types: results, refusals and their absence of
// effect, checked through REST.
func TestIntegrationMethods(t *testing.T) {
	t.Parallel()
	env, adm, a, anon := startIntegrationFix(t)
	incoming := map[string]any{
		"type": "webhook-incoming", "name": "CI", "enabled": true, "username": "rocket.cat",
		"channel": "#general", "scriptEnabled": false,
	}

	var in map[string]any
	adm.MustCall(&in, "addIncomingIntegration", incoming)
	id, _ := in["_id"].(string)
	if in["type"] != "webhook-incoming" || len(in["token"].(string)) != 48 || !isEJSONDate(in["_createdAt"]) || integrations(t, env)[id] == nil {
		t.Fatalf("addIncomingIntegration: %v", in)
	}

	wantMethodError(t, anon.Call("addIncomingIntegration", incoming), "invalid-user")
	wantMethodError(t, a.Call("addIncomingIntegration", incoming), "not_authorized")
	bad := map[string]any{}
	for k, v := range incoming {
		bad[k] = v
	}
	bad["channel"] = "general"
	wantMethodError(t, adm.Call("addIncomingIntegration", bad), "error-invalid-channel-start-with-chars")
	wantMethodError(t, adm.Call("addIncomingIntegration"), "error-invalid-params")
	if n := len(integrations(t, env)); n != 1 {
		t.Fatalf("refused additions were stored: %d webhooks", n)
	}

	var up map[string]any
	adm.MustCall(&up, "updateIncomingIntegration", id, map[string]any{"name": "CI builds", "channel": "#general", "scriptEnabled": false})
	if up["name"] != "CI builds" || up["token"] != in["token"] || !isEJSONDate(up["_updatedAt"]) {
		t.Fatalf("updateIncomingIntegration: %v", up)
	}
	wantMethodError(t, a.Call("updateIncomingIntegration", id, map[string]any{"name": "Mine", "channel": "#general"}), "not_authorized")
	wantMethodError(t, adm.Call("updateIncomingIntegration", "nope", map[string]any{"name": "x", "channel": "#general"}), "error-invalid-integration")
	wantMethodError(t, adm.Call("updateIncomingIntegration", id, map[string]any{"name": "x", "channel": "#nowhere"}), "error-invalid-room")
	wantMethodError(t, anon.Call("updateIncomingIntegration", id, map[string]any{"name": "x", "channel": "#general"}), "error-invalid-user")
	if got := integrations(t, env)[id]; got["name"] != "CI builds" {
		t.Fatalf("refused updates changed the webhook: %v", got)
	}

	var out map[string]any
	adm.MustCall(&out, "addOutgoingIntegration", map[string]any{
		"name": "Bot", "enabled": true, "username": "rocket.cat", "channel": "#general", "event": "sendMessage",
		"urls": []string{"http://127.0.0.1:1/bot"}, "triggerWords": []string{"!bot"}, "scriptEnabled": false,
	})
	outID, _ := out["_id"].(string)
	if out["type"] != "webhook-outgoing" || !reflect.DeepEqual(out["triggerWords"], []any{"!bot"}) {
		t.Fatalf("addOutgoingIntegration: %v", out)
	}
	wantMethodError(t, adm.Call("addOutgoingIntegration", map[string]any{
		"name": "Bot", "enabled": true, "username": "rocket.cat", "channel": "#general", "event": "sendMessage", "urls": []string{}, "scriptEnabled": false,
	}), "error-invalid-urls")
	adm.MustCall(&out, "updateOutgoingIntegration", outID, map[string]any{"urls": []string{"http://127.0.0.1:1/other"}})
	if !reflect.DeepEqual(out["urls"], []any{"http://127.0.0.1:1/other"}) || out["name"] != "Bot" {
		t.Fatalf("updateOutgoingIntegration: %v", out)
	}
	wantMethodError(t, adm.Call("updateOutgoingIntegration", id, map[string]any{"name": "x"}), "invalid_integration")
	if n := len(integrations(t, env)); n != 2 {
		t.Fatalf("%d webhooks, want 2", n)
	}

	// Each delete method deletes its own type only.
	wantMethodError(t, adm.Call("deleteIncomingIntegration", outID), "error-invalid-integration")
	wantMethodError(t, a.Call("deleteIncomingIntegration", id), "not_authorized")
	wantMethodError(t, anon.Call("deleteOutgoingIntegration", outID), "not_authorized")
	if n := len(integrations(t, env)); n != 2 {
		t.Fatalf("refused deletions removed webhooks: %d left", n)
	}
	var ok bool
	adm.MustCall(&ok, "deleteIncomingIntegration", id)
	adm.MustCall(&ok, "deleteOutgoingIntegration", outID)
	if n := len(integrations(t, env)); !ok || n != 0 {
		t.Fatalf("after deleting both: %v, %d webhooks", ok, n)
	}
	wantMethodError(t, adm.Call("deleteOutgoingIntegration", outID), "error-invalid-integration")
}

// newTarget starts the system an outgoing webhook calls. It sends each
// payload it receives on the channel returned, and answers the first call
// 503, so that the first run fails, and the others 200.
func newTarget(t *testing.T) (*httptest.Server, <-chan map[string]any) {
	calls := make(chan map[string]any, 16)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p map[string]any
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			t.Errorf("webhook body is not a JSON object: %v", err)
		}
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		calls <- p
	}))
	t.Cleanup(srv.Close)
	return srv, calls
}

// nextCall waits for the target's next call.
func nextCall(t *testing.T, calls <-chan map[string]any) map[string]any {
	t.Helper()
	select {
	case p := <-calls:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("the target was not called")
		return nil
	}
}

// runs returns a webhook's recorded runs, newest first, once there are n
// and the newest has reached step.
func runs(t *testing.T, env *testenv.Env, id string, n int, step string) []any {
	t.Helper()
	var list []any
	testenv.Eventually(t, 10*time.Second, func() bool {
		list = adminList(t, env, "/api/v1/integrations.history", map[string]string{"id": id}, "history")
		return len(list) == n && list[0].(map[string]any)["step"] == step
	}, "%d runs of %s, the newest at %s", n, id, step)
	return list
}

// TestReplayOutgoingIntegration replays a failed call over DDP against a
// real HTTP target, which must receive the original payload again.
func TestReplayOutgoingIntegration(t *testing.T) {
	t.Parallel()
	env, adm, a, anon := startIntegrationFix(t)
	srv, calls := newTarget(t)

	var hook map[string]any
	adm.MustCall(&hook, "addOutgoingIntegration", map[string]any{
		"name": "Deploy", "enabled": true, "username": "rocket.cat", "channel": "#general", "event": "sendMessage",
		"urls": []string{srv.URL}, "triggerWords": []string{"!deploy"}, "scriptEnabled": false,
	})
	id := hook["_id"].(string)
	a.MustCall(nil, "sendMessage", map[string]any{"rid": "GENERAL", "msg": "!deploy web"})
	first := nextCall(t, calls)
	if first["text"] != "!deploy web" || first["user_name"] != "alice" {
		t.Fatalf("first call %v", first)
	}
	runID := runs(t, env, id, 1, "failed-and-not-configured-to-retry")[0].(map[string]any)["_id"].(string)

	// Refusals: no call follows them.
	wantMethodError(t, a.Call("replayOutgoingIntegration", map[string]any{"integrationId": id, "historyId": runID}), "error-invalid-integration")
	wantMethodError(t, anon.Call("replayOutgoingIntegration", map[string]any{"integrationId": id, "historyId": runID}), "not_authorized")
	wantMethodError(t, adm.Call("replayOutgoingIntegration", map[string]any{"integrationId": id}), "error-invalid-integration-history")
	wantMethodError(t, adm.Call("replayOutgoingIntegration", map[string]any{"integrationId": "nope", "historyId": runID}), "error-invalid-integration")
	wantMethodError(t, adm.Call("replayOutgoingIntegration", "not an object"), "error-invalid-params")

	var ok bool
	adm.MustCall(&ok, "replayOutgoingIntegration", map[string]any{"integrationId": id, "historyId": runID})
	// Calls come in order, so this second call is the replay's, and no
	// refused replay called the target.
	if again := nextCall(t, calls); !ok || !reflect.DeepEqual(again, first) {
		t.Fatalf("replayed payload\n%v\nwant the original\n%v", again, first)
	}
	runs(t, env, id, 2, "after-http-call")
	if len(calls) != 0 {
		t.Fatalf("%d more calls than the replay's", len(calls))
	}

	// clearIntegrationHistory: refused, then done.
	wantMethodError(t, a.Call("clearIntegrationHistory", id), "not_authorized")
	wantMethodError(t, adm.Call("clearIntegrationHistory", "nope"), "error-invalid-integration")
	runs(t, env, id, 2, "after-http-call")
	adm.MustCall(&ok, "clearIntegrationHistory", id)
	if total := env.Admin.Get(t, "/api/v1/integrations.history", map[string]string{"id": id}).MustOK(t)["total"]; !ok || total != float64(0) {
		t.Fatalf("after clearIntegrationHistory: %v runs", total)
	}
}
