package rest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// hookTarget stands in for the system an outgoing webhook calls: it
// records each call and answers with what answer returns for it (n counts
// from 1).
type hookTarget struct {
	srv    *httptest.Server
	mu     sync.Mutex
	calls  []hookCall
	answer func(n int, payload map[string]any) (status int, body string)
}

type hookCall struct {
	header  http.Header
	payload map[string]any
}

func newHookTarget(t *testing.T, answer func(n int, payload map[string]any) (int, string)) *hookTarget {
	t.Helper()
	h := &hookTarget{answer: answer}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			t.Errorf("webhook body is not a JSON object: %q", b)
		}
		h.mu.Lock()
		h.calls = append(h.calls, hookCall{header: r.Header.Clone(), payload: p})
		n := len(h.calls)
		h.mu.Unlock()
		status, body := h.answer(n, p)
		if body != "" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookTarget) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls)
}

// wait waits for the nth call and returns it.
func (h *hookTarget) wait(t *testing.T, n int) hookCall {
	t.Helper()
	testenv.Eventually(t, 10*time.Second, func() bool { return h.count() >= n }, "call %d to the webhook target", n)
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[n-1]
}

// outgoingBody is a valid integrations.create body for an outgoing
// webhook on #general calling url; nil values in over delete fields.
func outgoingBody(url string, over map[string]any) map[string]any {
	return withFields(map[string]any{
		"type": "webhook-outgoing", "name": "Pinger", "enabled": true, "event": "sendMessage",
		"username": "rocket.cat", "channel": "#general", "urls": []string{url}, "scriptEnabled": false,
	}, over)
}

// withFields sets over's fields in b and returns it; a nil value deletes
// the field instead.
func withFields(b, over map[string]any) map[string]any {
	for k, v := range over {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

func chatSendTo(t *testing.T, c *testenv.Client, rid, text string) map[string]any {
	t.Helper()
	return c.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": rid, "msg": text}}).MustOK(t)["message"].(map[string]any)
}

// history returns a webhook's runs, newest first, once the newest has
// ended and there are want of them.
func history(t *testing.T, c *testenv.Client, id string, want int, ended func(h map[string]any) bool) []any {
	t.Helper()
	var list []any
	testenv.Eventually(t, 10*time.Second, func() bool {
		body := c.Get(t, "/api/v1/integrations.history", map[string]string{"id": id}).MustOK(t)
		list, _ = body["history"].([]any)
		return len(list) == want && ended(list[0].(map[string]any))
	}, "%d runs in the history of %s, the newest ended", want, id)
	return list
}

func finished(h map[string]any) bool { return h["finished"] == true }

func TestOutgoingWebhookSendMessage(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	// The answer starts with a trigger word: posting it must not call the
	// webhook again.
	target := newHookTarget(t, func(int, map[string]any) (int, string) {
		return 200, `{"text": "!ping **pong**", "attachments": [{"title": "Latency", "text": "3 ms"}]}`
	})
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"urls": []string{target.srv.URL, " "}, "triggerWords": []string{"!ping", " ", " !pong "},
		"token": "secret-token", "alias": "Pinger",
	})).MustOK(t)["integration"].(map[string]any)
	id := hook["_id"].(string)
	want := map[string]any{
		"type": "webhook-outgoing", "event": "sendMessage", "urls": []any{target.srv.URL},
		"triggerWords": []any{"!ping", "!pong"}, "channel": []any{"#general"}, "token": "secret-token",
		"username": "rocket.cat", "userId": "rocket.cat", "retryFailedCalls": false, "runOnEdits": false,
		"triggerWordAnywhere": false, "impersonateUser": false, "alias": "Pinger",
	}
	for k, v := range want {
		if !reflect.DeepEqual(hook[k], v) {
			t.Errorf("%s = %#v, want %#v", k, hook[k], v)
		}
	}

	sent := chatSendTo(t, f.admin, "GENERAL", "!ping hello")
	call := target.wait(t, 1)
	if ct := call.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	admin := sent["u"].(map[string]any)
	wantPayload := map[string]any{
		"token": "secret-token", "bot": false, "trigger_word": "!ping", "channel_id": "GENERAL",
		"channel_name": "general", "message_id": sent["_id"], "timestamp": sent["ts"],
		"user_id": admin["_id"], "user_name": "admin", "text": "!ping hello",
	}
	for k, v := range wantPayload {
		if !reflect.DeepEqual(call.payload[k], v) {
			t.Errorf("payload %s = %#v, want %#v", k, call.payload[k], v)
		}
	}
	if _, ok := call.payload["siteUrl"].(string); !ok {
		t.Errorf("payload siteUrl %#v", call.payload["siteUrl"])
	}
	for _, k := range []string{"isEdited", "tmid", "alias"} {
		if v, ok := call.payload[k]; ok {
			t.Errorf("payload has %s = %v", k, v)
		}
	}

	// The answer is posted back into the room, as the webhook's user, with
	// the webhook's label and the markdown tree of any message.
	var reply map[string]any
	testenv.Eventually(t, 10*time.Second, func() bool {
		reply = rmLastMessage(t, f.admin, "channels", "GENERAL")
		return reply["msg"] == "!ping **pong**"
	}, "the answer posted in #general")
	if u := reply["u"].(map[string]any); u["username"] != "rocket.cat" {
		t.Errorf("answer posted as %v", u)
	}
	if bot, _ := reply["bot"].(map[string]any); bot["i"] != id {
		t.Errorf("answer bot %v", reply["bot"])
	}
	if md, ok := reply["md"].([]any); !ok || len(md) == 0 {
		t.Errorf("answer has no md: %v", reply)
	}
	if reply["alias"] != "Pinger" {
		t.Errorf("answer alias %v", reply["alias"])
	}
	if a, _ := reply["attachments"].([]any); len(a) != 1 || a[0].(map[string]any)["title"] != "Latency" {
		t.Errorf("answer attachments %v", reply["attachments"])
	}

	// A message without a trigger word at its start calls nothing; the
	// next one that has one is the second call.
	chatSendTo(t, f.admin, "GENERAL", "hello !ping")
	chatSendTo(t, f.alice, "GENERAL", "!pong from alice")
	if c := target.wait(t, 2); c.payload["text"] != "!pong from alice" || c.payload["trigger_word"] != "!pong" || c.payload["user_name"] != "alice" {
		t.Fatalf("second call %v", c.payload)
	}
	history(t, f.admin, id, 2, finished)

	// Edits call only webhooks that run on edits.
	f.admin.Post(t, "/api/v1/chat.update", map[string]any{"roomId": "GENERAL", "msgId": sent["_id"], "text": "!ping edited"}).MustOK(t)
	f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "integrationId": id, "runOnEdits": true,
	})).MustOK(t)
	f.admin.Post(t, "/api/v1/chat.update", map[string]any{"roomId": "GENERAL", "msgId": sent["_id"], "text": "!ping edited again"}).MustOK(t)
	c := target.wait(t, 3)
	if c.payload["text"] != "!ping edited again" || c.payload["isEdited"] != true || c.payload["message_id"] != sent["_id"] {
		t.Fatalf("edit call %v", c.payload)
	}
	history(t, f.admin, id, 3, finished)
	// Neither the answers nor the first edit called the webhook.
	if n := target.count(); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

func TestOutgoingWebhookRetries(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(n int, _ map[string]any) (int, string) {
		if n == 1 {
			return 500, "" // a bare 500 is retried
		}
		return 200, `{"text": "recovered"}`
	})
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"channel": "all_public_channels", "retryFailedCalls": true, "retryCount": 2, "retryDelay": "Powers-Of-Ten",
	})).MustOK(t)["integration"].(map[string]any)
	if hook["retryDelay"] != "powers-of-ten" || hook["retryCount"] != float64(2) || hook["token"] == "" {
		t.Fatalf("created %v", hook)
	}
	id := hook["_id"].(string)
	chatSendTo(t, f.admin, "GENERAL", "deploy")
	if c := target.wait(t, 2); c.payload["text"] != "deploy" {
		t.Fatalf("retried call %v", c.payload)
	}
	testenv.Eventually(t, 10*time.Second, func() bool {
		return rmLastMessage(t, f.admin, "channels", "GENERAL")["msg"] == "recovered"
	}, "the answer to the retried call")

	// Each try is a run of its own, newest first.
	runs := history(t, f.admin, id, 2, finished)
	ok, failed := runs[0].(map[string]any), runs[1].(map[string]any)
	if ok["step"] != "url-response-sent-message" || ok["error"] != false || ok["event"] != "sendMessage" {
		t.Errorf("second run %v", ok)
	}
	if failed["step"] != "going-to-retry-1" || failed["error"] != true || failed["finished"] != false || failed["url"] != target.srv.URL {
		t.Errorf("first run %v", failed)
	}
	if d, _ := failed["data"].(map[string]any); d["text"] != "deploy" || d["channel_id"] != "GENERAL" {
		t.Errorf("first run data %v", failed["data"])
	}
	if d, _ := failed["httpCallData"].(map[string]any); d["token"] != hook["token"] {
		t.Errorf("first run httpCallData %v", failed["httpCallData"])
	}
	if n := target.count(); n != 2 {
		t.Fatalf("%d calls, want 2", n)
	}
}

func TestOutgoingWebhookScript(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, `{"answer": 42}` })
	script := `class Script {
  prepare_outgoing_request({ request }) {
    request.data.extra = 'from script';
    return request;
  }
  process_outgoing_response({ request, response }) {
    return { content: { text: 'status ' + response.status_code + ': ' + response.content.answer + ' for ' + request.data.user_name } };
  }
}`
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"scriptEnabled": true, "script": script, "triggerWords": "calc",
	})).MustOK(t)["integration"].(map[string]any)
	if _, bad := hook["scriptError"]; bad {
		t.Fatalf("scriptError %v", hook["scriptError"])
	}
	chatSendTo(t, f.admin, "GENERAL", "calc 6*7")
	if c := target.wait(t, 1); c.payload["extra"] != "from script" || c.payload["trigger_word"] != "calc" {
		t.Fatalf("scripted call %v", c.payload)
	}
	testenv.Eventually(t, 10*time.Second, func() bool {
		return rmLastMessage(t, f.admin, "channels", "GENERAL")["msg"] == "status 200: 42 for admin"
	}, "the script's answer")
	runs := history(t, f.admin, hook["_id"].(string), 1, finished)
	if step := runs[0].(map[string]any)["step"]; step != "after-process-send-message" {
		t.Fatalf("step %v", step)
	}
}

func TestOutgoingWebhookValidation(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	const url = "http://127.0.0.1:9/hook"
	cases := []struct {
		over    map[string]any
		typ     string
		message string
	}{
		{map[string]any{"event": nil}, "invalid-params", "must have required property 'event' [invalid-params]"},
		{map[string]any{"username": nil}, "invalid-params", "must have required property 'username' [invalid-params]"},
		{map[string]any{"event": "sendSmoke"}, "error-invalid-event-type", "Invalid event type [error-invalid-event-type]"},
		{map[string]any{"username": " "}, "error-invalid-username", ""},
		{map[string]any{"event": "userCreated"}, "error-invalid-targetRoom", ""},
		{map[string]any{"urls": nil}, "error-invalid-urls", "Invalid URLs [error-invalid-urls]"},
		{map[string]any{"urls": []string{" "}}, "error-invalid-urls", ""},
		{map[string]any{"channel": " "}, "error-invalid-channel", ""},
		{map[string]any{"channel": "general"}, "error-invalid-channel-start-with-chars", ""},
		{map[string]any{"username": "ghost"}, "error-invalid-user", ""},
		{map[string]any{"channel": "#general, #nowhere"}, "error-invalid-room", ""},
		{map[string]any{"channel": "@nobody"}, "error-invalid-room", ""},
		{map[string]any{"retryFailedCalls": true, "retryDelay": "whenever"}, "error-invalid-retry-delay", ""},
	}
	for _, c := range cases {
		rmFail(t, f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(url, c.over)), 400, c.typ, c.message)
	}
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", outgoingBody(url, nil)), 400, "not_authorized", "")

	// A user who may manage only their own webhooks listens only to rooms
	// they belong to, and to no scope but the public channels.
	f.admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "manage-own-outgoing-integrations", "roles": []string{"admin", "user"}},
	}}).MustOK(t)
	rmCreate(t, f.admin, "groups", "staff-only")
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", outgoingBody(url, map[string]any{"channel": "#staff-only"})), 400, "error-invalid-channel", "")
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", outgoingBody(url, map[string]any{"channel": "all_private_groups"})), 400, "error-invalid-channel", "")
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", outgoingBody(url, map[string]any{"event": "roomArchived"})), 400, "error-invalid-permissions", "")
	mine := f.alice.Post(t, "/api/v1/integrations.create", outgoingBody(url, map[string]any{"channel": "all_public_channels", "username": "alice"})).MustOK(t)["integration"].(map[string]any)
	if l := f.admin.Get(t, "/api/v1/integrations.list", nil).MustOK(t); l["total"] != float64(1) {
		t.Fatalf("refused creations were stored: %v", l)
	}
	// Updates are validated the same way, and alice may change only hers.
	mineID := mine["_id"].(string)
	rmFail(t, f.alice.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "integrationId": mineID, "urls": []string{},
	})), 400, "error-invalid-urls", "")
	rmFail(t, f.alice.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "integrationId": mineID, "token": " ",
	})), 400, "error-invalid-token", "")
	theirs := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(url, nil)).MustOK(t)["integration"].(map[string]any)
	rmFail(t, f.alice.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "integrationId": theirs["_id"], "name": "mine now",
	})), 400, "invalid_integration", "")
}

func TestOutgoingWebhookUpdateAndRemoveByTargetURL(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, `{"ok": true}` })
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{"triggerWords": []string{"!a"}})).MustOK(t)["integration"].(map[string]any)
	up := f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-outgoing", "target_url": target.srv.URL, "name": "Renamed", "triggerWords": "!b, !c",
	})).MustOK(t)["integration"].(map[string]any)
	if up["_id"] != hook["_id"] || up["name"] != "Renamed" || !reflect.DeepEqual(up["triggerWords"], []any{"!b", "!c"}) ||
		up["token"] != hook["token"] || up["event"] != "sendMessage" {
		t.Fatalf("updated %v", up)
	}
	if ub, _ := up["_updatedBy"].(map[string]any); ub["username"] != "admin" {
		t.Fatalf("_updatedBy %v", up["_updatedBy"])
	}
	// The new words take effect at once on this instance.
	chatSendTo(t, f.admin, "GENERAL", "!a old word")
	chatSendTo(t, f.admin, "GENERAL", "!c new word")
	if c := target.wait(t, 1); c.payload["text"] != "!c new word" {
		t.Fatalf("call %v", c.payload)
	}
	// An answer with nothing to post ends the run there.
	runs := history(t, f.admin, hook["_id"].(string), 1, finished)
	if r := runs[0].(map[string]any); r["step"] != "after-http-call" || r["triggerWord"] != "!c" {
		t.Fatalf("run %v", r)
	}

	gone := f.admin.Post(t, "/api/v1/integrations.remove", map[string]any{"type": "webhook-outgoing", "target_url": target.srv.URL}).MustOK(t)["integration"].(map[string]any)
	if gone["_id"] != hook["_id"] || gone["name"] != "Renamed" {
		t.Fatalf("removed %v", gone)
	}
	if l := f.admin.Get(t, "/api/v1/integrations.list", nil).MustOK(t); l["total"] != float64(0) {
		t.Fatalf("list after removal %v", l)
	}
	rmFail(t, f.admin.Post(t, "/api/v1/integrations.remove", map[string]any{"type": "webhook-outgoing", "target_url": target.srv.URL}), 400, "-", "No integration found.")
	// A removed webhook is not called, even though this instance may
	// still hold it in its list: each call checks the store first. Another
	// webhook on the same words shows when the message was handled.
	other := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, "" })
	f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(other.srv.URL, map[string]any{"triggerWords": []string{"!c"}})).MustOK(t)
	chatSendTo(t, f.admin, "GENERAL", "!c after removal")
	other.wait(t, 1)
	if n := target.count(); n != 1 {
		t.Fatalf("%d calls to the removed webhook's target, want 1", n)
	}
}

// TestOutgoingWebhookCluster checks, on two instances sharing PostgreSQL
// and NATS, that a webhook created through one fires from the other
// within a few seconds, and that each message calls it once, from the
// instance that stored it, whichever instances hear of the message.
func TestOutgoingWebhookCluster(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t, testenv.ClusterOptions{Instances: 2})
	a, b := c.Nodes[0], c.Nodes[1]
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, `{"ok": true}` })
	// b has looked at its (empty) list of webhooks before one exists.
	chatSendTo(t, b.Admin, "GENERAL", "!cluster before")
	created := time.Now()
	a.Admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{"triggerWords": []string{"!cluster"}})).MustOK(t)
	sent := 0
	for target.count() == 0 {
		if time.Since(created) > 8*time.Second {
			t.Fatalf("a webhook created on one instance was not called from the other within 8s")
		}
		sent++
		chatSendTo(t, b.Admin, "GENERAL", fmt.Sprintf("!cluster %d", sent))
		time.Sleep(100 * time.Millisecond) // pacing the probe messages, not waiting for a result
	}
	t.Logf("called from the other instance %s after the creation", time.Since(created).Round(time.Millisecond))
	chatSendTo(t, a.Admin, "GENERAL", "!cluster last")
	testenv.Eventually(t, 10*time.Second, func() bool {
		target.mu.Lock()
		defer target.mu.Unlock()
		for _, call := range target.calls {
			if call.payload["text"] == "!cluster last" {
				return true
			}
		}
		return false
	}, "the call about the last message")
	seen := map[any]int{}
	target.mu.Lock()
	for _, call := range target.calls {
		seen[call.payload["message_id"]]++
	}
	target.mu.Unlock()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %v called the webhook %d times", id, n)
		}
	}
}

func TestOutgoingWebhookRoomAndUserCreated(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(n int, p map[string]any) (int, string) {
		if p["user_name"] == "newcomer" {
			return 200, `{"text": "Welcome, @newcomer!"}`
		}
		return 200, ""
	})
	f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"name": "Rooms", "event": "roomCreated", "channel": "",
	})).MustOK(t)
	f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"name": "Welcome", "event": "userCreated", "channel": "", "targetRoom": "#general",
	})).MustOK(t)

	room := rmCreate(t, f.alice, "channels", "announcements")
	call := target.wait(t, 1).payload
	if call["channel_id"] != room["_id"] || call["channel_name"] != "announcements" || call["user_name"] != "alice" {
		t.Fatalf("roomCreated payload %v", call)
	}
	if r, _ := call["room"].(map[string]any); r["name"] != "announcements" || r["t"] != "c" {
		t.Fatalf("roomCreated room %v", call["room"])
	}
	if o, _ := call["owner"].(map[string]any); o["username"] != "alice" {
		t.Fatalf("roomCreated owner %v", call["owner"])
	}
	// A direct conversation is not a new room to these webhooks.
	f.alice.Post(t, "/api/v1/im.create", map[string]any{"username": "bob"}).MustOK(t)

	f.env.CreateUser(t, "newcomer")
	call = target.wait(t, 2).payload
	if call["user_name"] != "newcomer" || call["user"].(map[string]any)["username"] != "newcomer" {
		t.Fatalf("userCreated payload %v (an im.create must not have fired)", call)
	}
	// The answer is posted into the target room, with md.
	testenv.Eventually(t, 10*time.Second, func() bool {
		m := rmLastMessage(t, f.admin, "channels", "GENERAL")
		return m["msg"] == "Welcome, @newcomer!" && m["md"] != nil
	}, "the welcome answer in #general")
	if n := target.count(); n != 2 {
		t.Fatalf("%d calls, want 2", n)
	}
}

func TestOutgoingWebhookImpersonatedReplyKeepsBotLabel(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, `{"text": "done for you"}` })
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"triggerWords": []string{"!do"}, "impersonateUser": true,
	})).MustOK(t)["integration"].(map[string]any)
	chatSendTo(t, f.alice, "GENERAL", "!do it")
	target.wait(t, 1)
	var reply map[string]any
	testenv.Eventually(t, 10*time.Second, func() bool {
		reply = rmLastMessage(t, f.admin, "channels", "GENERAL")
		return reply["msg"] == "done for you"
	}, "the reply")
	if u := reply["u"].(map[string]any); u["username"] != "alice" {
		t.Fatalf("reply posted as %v, want the triggering user", u)
	}
	if bot, _ := reply["bot"].(map[string]any); bot["i"] != hook["_id"] {
		t.Fatalf("impersonated reply lost its bot label: %v", reply)
	}
}

// TestOutgoingWebhookEmptyAnswer checks that a target that handles an
// event and answers 200 with no body is not called again, even with
// retries on.
func TestOutgoingWebhookEmptyAnswer(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	target := newHookTarget(t, func(int, map[string]any) (int, string) { return 200, "" })
	hook := f.admin.Post(t, "/api/v1/integrations.create", outgoingBody(target.srv.URL, map[string]any{
		"retryFailedCalls": true, "retryCount": 3, "retryDelay": "powers-of-ten",
	})).MustOK(t)["integration"].(map[string]any)
	chatSendTo(t, f.admin, "GENERAL", "handled quietly")
	target.wait(t, 1)
	runs := history(t, f.admin, hook["_id"].(string), 1, finished)
	if r := runs[0].(map[string]any); r["step"] != "after-http-call" || r["error"] != false {
		t.Fatalf("run %v", r)
	}
	// The first retry would have come 100 ms after the call.
	time.Sleep(500 * time.Millisecond)
	if n := target.count(); n != 1 {
		t.Fatalf("%d calls for one message, want 1", n)
	}
}
