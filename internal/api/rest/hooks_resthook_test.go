package rest_test

import (
	"encoding/json"
	"reflect"
	"testing"
)

// integrationTotal is how many webhooks the admin sees.
func integrationTotal(t *testing.T, f *hookFix) float64 {
	t.Helper()
	return f.admin.Get(t, "/api/v1/integrations.list", nil).MustOK(t)["total"].(float64)
}

// TestRESTHooks drives Zapier's REST hooks: /hooks/add and /hooks/remove
// subscribe and unsubscribe a URL, authenticated by an incoming webhook and
// acting as the account it posts as.
func TestRESTHooks(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, map[string]any{"username": "admin"})
	id, token := f.hook["_id"].(string), f.hook["token"].(string)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, "" })
	post := func(path string, body any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		return f.send(t, path, "application/json", string(b)).MustOK(t)
	}

	// "add" is the route, not an integration id.
	sub := post("/hooks/add/"+id+"/"+token, map[string]any{
		"event": "newMessageOnChannel", "name": "Zap", "target_url": target.srv.URL,
		"data": map[string]any{"channel_name": "general", "trigger_words": "!zap"},
	})
	want := map[string]any{
		"type": "webhook-outgoing", "name": "Zap", "event": "sendMessage", "enabled": true,
		"channel": []any{"#general"}, "urls": []any{target.srv.URL}, "triggerWords": []any{"!zap"},
		"username": "rocket.cat", "scriptEnabled": false,
	}
	for k, v := range want {
		if !reflect.DeepEqual(sub[k], v) {
			t.Errorf("%s = %#v, want %#v", k, sub[k], v)
		}
	}
	if tok, _ := sub["token"].(string); len(tok) != 24 {
		t.Errorf("token %v", sub["token"])
	}
	if cb, _ := sub["_createdBy"].(map[string]any); cb["username"] != "admin" {
		t.Errorf("_createdBy %v", sub["_createdBy"])
	}
	chatSendTo(t, f.alice, "GENERAL", "!zap it")
	if p := target.wait(t, 1).payload; p["text"] != "!zap it" || p["trigger_word"] != "!zap" {
		t.Fatalf("subscription payload %v", p)
	}

	// The older URL form with a user id, and the user event.
	dm := post("/hooks/add/"+id+"/"+f.admin.UserID+"/"+token, map[string]any{
		"event": "newMessageToUser", "name": "DMs", "target_url": target.srv.URL + "/dm",
		"data": map[string]any{"username": "bob"},
	})
	if !reflect.DeepEqual(dm["channel"], []any{"@bob"}) || dm["enabled"] != true {
		t.Fatalf("newMessageToUser subscription %v", dm)
	}

	// Bad input and bad credentials create nothing.
	before := integrationTotal(t, f)
	bad := []struct {
		body    map[string]any
		typ     string
		message string
	}{
		{map[string]any{"event": "newMessageOnChannel", "name": "x"}, "invalid-params", "must have required property 'target_url' [invalid-params]"},
		{map[string]any{"event": "somethingElse", "name": "x", "target_url": "http://x"}, "invalid-params", ""},
		{map[string]any{"event": "newMessageToUser", "name": "x", "target_url": "http://x"}, "-", "username-required"},
		{map[string]any{"event": "newMessageOnChannel", "name": "x", "target_url": "http://x", "data": map[string]any{"channel_name": "nowhere"}}, "error-invalid-room", ""},
	}
	for _, c := range bad {
		b, _ := json.Marshal(c.body)
		rmFail(t, f.send(t, "/hooks/add/"+id+"/"+token, "application/json", string(b)), 400, c.typ, c.message)
	}
	body := `{"event": "newMessageOnChannel", "name": "x", "target_url": "http://x", "data": {"channel_name": "general"}}`
	if res := f.send(t, "/hooks/add/"+id+"/wrong", "application/json", body).MustFail(t, 404); res["error"] != "Invalid integration id or token provided." {
		t.Fatalf("wrong token: %v", res)
	}
	// An incoming webhook posting as a user without the outgoing
	// permissions may not subscribe.
	alices := f.admin.Post(t, "/api/v1/integrations.create", map[string]any{
		"type": "webhook-incoming", "name": "Alice's", "enabled": true, "username": "alice", "channel": "#general", "scriptEnabled": false,
	}).MustOK(t)["integration"].(map[string]any)
	alicePath := alices["_id"].(string) + "/" + alices["token"].(string)
	rmFail(t, f.send(t, "/hooks/add/"+alicePath, "application/json", body), 400, "not_authorized", "")
	if after := integrationTotal(t, f); after != before+1 { // + alice's incoming webhook
		t.Fatalf("refused subscriptions were stored: %v webhooks, want %v", after, before+1)
	}

	// Removing: refused without the permission or for an unknown URL, and
	// nothing is removed then.
	rmFail(t, f.send(t, "/hooks/remove/"+alicePath, "application/json", `{"target_url": "`+target.srv.URL+`"}`), 400, "not_authorized", "")
	rmFail(t, f.send(t, "/hooks/remove/"+id+"/"+token, "application/json", `{}`), 400, "invalid-params", "")
	rmFail(t, f.send(t, "/hooks/remove/"+id+"/"+token, "application/json", `{"target_url": "http://nowhere"}`), 400, "-", "integration-not-found")
	if n := integrationTotal(t, f); n != before+1 {
		t.Fatalf("refused removals removed webhooks: %v left", n)
	}
	post("/hooks/remove/"+id+"/"+token, map[string]any{"target_url": target.srv.URL})
	f.admin.Get(t, "/api/v1/integrations.get", map[string]string{"integrationId": sub["_id"].(string)}).MustFail(t, 400)
	if n := integrationTotal(t, f); n != before {
		t.Fatalf("after removal: %v webhooks, want %v", n, before)
	}
}

func TestRESTHookSampleAndInfo(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	id, token := f.hook["_id"].(string), f.hook["token"].(string)
	for _, path := range []string{"/hooks/sample/" + id + "/" + token, "/hooks/sample/" + id + "/" + f.admin.UserID + "/" + token} {
		res := f.env.Anon().Get(t, path, nil)
		var samples []map[string]any
		if err := json.Unmarshal(res.Raw, &samples); err != nil || res.Status != 200 || len(samples) != 3 {
			t.Fatalf("%s: %d %s", path, res.Status, res.Raw)
		}
		for _, k := range []string{"token", "channel_id", "channel_name", "timestamp", "user_id", "user_name", "text", "trigger_word"} {
			if _, ok := samples[0][k]; !ok {
				t.Errorf("sample lacks %s: %v", k, samples[0])
			}
		}
	}
	f.env.Anon().Get(t, "/hooks/sample/"+id+"/wrong", nil).MustFail(t, 404)
	f.env.Anon().Get(t, "/hooks/info/"+id+"/"+f.admin.UserID+"/"+token, nil).MustOK(t)
	f.env.Anon().Get(t, "/hooks/info/"+id+"/"+f.admin.UserID+"/wrong", nil).MustFail(t, 404)
}
