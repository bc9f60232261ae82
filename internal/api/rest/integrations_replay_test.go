package rest_test

import (
	"reflect"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// failedRun sets up an outgoing webhook whose first call fails (the target
// answers 503, and the webhook does not retry), and returns the webhook's
// id, the failed run's id and the payload the target received.
func failedRun(t *testing.T, f *roomFix, target *hookTarget) (id, runID string, payload map[string]any) {
	t.Helper()
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"triggerWords": []string{"!deploy"}, "token": "first-token",
	})).MustOK(t)["integration"].(map[string]any)
	id = hook["_id"].(string)
	chatSendTo(t, f.admin, "GENERAL", "!deploy api")
	payload = target.wait(t, 1).payload
	runs := history(t, f.admin, id, 1, func(h map[string]any) bool { return h["step"] == "failed-and-not-configured-to-retry" })
	return id, runs[0].(map[string]any)["_id"].(string), payload
}

// historyTotal is how many runs a webhook has recorded.
func historyTotal(t *testing.T, c *testenv.Client, id string) float64 {
	t.Helper()
	return c.Get(t, "/api/v1/integrations.history", map[string]string{"id": id}).MustOK(t)["total"].(float64)
}

func TestOutgoingWebhookReplay(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(n int, _ map[string]any) (int, string) {
		if n == 1 {
			return 503, ""
		}
		return 200, ""
	})
	id, runID, first := failedRun(t, f, target)
	replay := func(c *testenv.Client, body map[string]any) *testenv.Response {
		return c.Post(t, "/api/v1/integrations.outgoing.replay", body)
	}

	// The target gets the payload it missed, and the replay is a run of
	// its own.
	replay(f.admin, map[string]any{"integrationId": id, "historyId": runID}).MustOK(t)
	if again := target.wait(t, 2).payload; !reflect.DeepEqual(again, first) {
		t.Fatalf("replayed payload\n%v\nwant the original\n%v", again, first)
	}
	runs := history(t, f.admin, id, 2, finished)
	if newest := runs[0].(map[string]any); newest["_id"] == runID || newest["event"] != "sendMessage" || newest["step"] != "after-http-call" {
		t.Fatalf("the replay's run: %v", newest)
	}

	// Refusals change nothing: no call, no run.
	f.admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "manage-own-outgoing-integrations", "roles": []string{"admin", "user"}},
	}}).MustOK(t)
	cases := []struct {
		name    string
		c       *testenv.Client
		body    map[string]any
		typ     string
		message string
	}{
		{"no history id", f.admin, map[string]any{"integrationId": id}, "invalid-params", "must have required property 'historyId' [invalid-params]"},
		{"empty integration id", f.admin, map[string]any{"integrationId": "", "historyId": runID}, "invalid-params", "must have required property 'integrationId' [invalid-params]"},
		{"unknown run", f.admin, map[string]any{"integrationId": id, "historyId": "nope"}, "error-invalid-integration-history", "Invalid Integration History [error-invalid-integration-history]"},
		{"unknown webhook", f.admin, map[string]any{"integrationId": "nope", "historyId": runID}, "error-invalid-integration", "Invalid integration [error-invalid-integration]"},
		// Managing one's own webhooks does not reach others'.
		{"not the creator", f.alice, map[string]any{"integrationId": id, "historyId": runID}, "error-invalid-integration", ""},
	}
	for _, c := range cases {
		body := rmFail(t, replay(c.c, c.body), 400, c.typ, c.message)
		if c.typ != "invalid-params" && body["details"].(map[string]any)["method"] != "replayOutgoingIntegration" {
			t.Errorf("%s: details %v", c.name, body["details"])
		}
	}
	f.env.Anon().Post(t, "/api/v1/integrations.outgoing.replay", map[string]any{"integrationId": id, "historyId": runID}).MustFail(t, 401)
	if n, total := target.count(), historyTotal(t, f.admin, id); n != 2 || total != 2 {
		t.Fatalf("after refused replays: %d calls, %v runs", n, total)
	}

	// The replay carries the webhook's current token, which the target
	// checks, and survives the message's deletion: what is sent is what
	// was recorded.
	f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "integrationId": id, "token": "second-token",
	})).MustOK(t)
	f.admin.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": "GENERAL", "msgId": first["message_id"]}).MustOK(t)
	replay(f.admin, map[string]any{"integrationId": id, "historyId": runID}).MustOK(t)
	third := target.wait(t, 3).payload
	if third["token"] != "second-token" {
		t.Fatalf("replay token %v", third["token"])
	}
	third["token"] = first["token"]
	if !reflect.DeepEqual(third, first) {
		t.Fatalf("replayed payload after the token changed\n%v\nwant\n%v", third, first)
	}
}

func TestIntegrationsHistoryClear(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 503, "" })
	id, runID, _ := failedRun(t, f, target)
	clear := func(c *testenv.Client, body map[string]any) *testenv.Response {
		return c.Post(t, "/api/v1/integrations.history.clear", body)
	}

	rmFail(t, clear(f.alice, map[string]any{"integrationId": id}), 400, "not_authorized", "Unauthorized [not_authorized]")
	rmFail(t, clear(f.admin, map[string]any{}), 400, "invalid-params", "must have required property 'integrationId' [invalid-params]")
	rmFail(t, clear(f.admin, map[string]any{"integrationId": "nope"}), 400, "error-invalid-integration", "")
	if total := historyTotal(t, f.admin, id); total != 1 {
		t.Fatalf("refused clears removed runs: %v left", total)
	}

	clear(f.admin, map[string]any{"integrationId": id}).MustOK(t)
	if total := historyTotal(t, f.admin, id); total != 0 {
		t.Fatalf("%v runs after clearing", total)
	}
	// A cleared run cannot be replayed.
	rmFail(t, f.admin.Post(t, "/api/v1/integrations.outgoing.replay", map[string]any{"integrationId": id, "historyId": runID}),
		400, "error-invalid-integration-history", "")
}
