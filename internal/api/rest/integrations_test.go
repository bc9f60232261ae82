package rest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// hookFix is a server with an incoming webhook that posts as rocket.cat
// into #general.
type hookFix struct {
	*roomFix
	hook map[string]any
	url  string // the webhook's path
}

func newHookFix(t *testing.T, extra map[string]any) *hookFix {
	t.Helper()
	f := &hookFix{roomFix: newRoomFix(t)}
	body := map[string]any{
		"type": "webhook-incoming", "name": "CI", "enabled": true, "username": "rocket.cat",
		"channel": "#general", "scriptEnabled": false, "alias": "Builds", "emoji": ":robot:",
	}
	for k, v := range extra {
		body[k] = v
	}
	f.hook = f.admin.Post(t, "/api/v1/integrations.create", body).MustOK(t)["integration"].(map[string]any)
	f.url = "/hooks/" + f.hook["_id"].(string) + "/" + f.hook["token"].(string)
	return f
}

// send posts raw bytes to the webhook with a content type.
func (f *hookFix) send(t *testing.T, path, contentType, body string) *testenv.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.env.BaseURL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return f.env.Anon().Do(t, req)
}

func (f *hookFix) generalCount(t *testing.T) int { return rmMsgs(t, f.admin, "GENERAL") }

func TestIntegrationsCreateShape(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	h := f.hook
	if id, _ := h["_id"].(string); len(id) != 17 {
		t.Fatalf("_id %v", h["_id"])
	}
	if tok, _ := h["token"].(string); len(tok) != 48 {
		t.Fatalf("token %v", h["token"])
	}
	want := map[string]any{
		"type": "webhook-incoming", "name": "CI", "enabled": true, "username": "rocket.cat", "userId": "rocket.cat",
		"channel": []any{"#general"}, "alias": "Builds", "emoji": ":robot:", "scriptEnabled": false,
		"overrideDestinationChannelEnabled": false,
	}
	for k, v := range want {
		if !reflect.DeepEqual(h[k], v) {
			t.Errorf("%s = %#v, want %#v", k, h[k], v)
		}
	}
	if cb, _ := h["_createdBy"].(map[string]any); cb["username"] != "admin" {
		t.Errorf("_createdBy %v", h["_createdBy"])
	}
	wantISO(t, h, "_createdAt")
	wantISO(t, h, "_updatedAt")
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestIncomingWebhookPostsWithMarkdown(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	text := "**Build 42** passed on `main` :tada: see https://ci.example.com/42"
	f.send(t, f.url, "application/json", `{"text": `+jsonString(text)+`, "attachments": [{"title": "Logs", "text": "all green", "color": "#00ff00"}]}`).MustOK(t)
	m := rmLastMessage(t, f.admin, "channels", "GENERAL")
	if m["msg"] != text || m["alias"] != "Builds" || m["emoji"] != ":robot:" {
		t.Fatalf("message %v", m)
	}
	if u := m["u"].(map[string]any); u["username"] != "rocket.cat" {
		t.Fatalf("posted as %v", u)
	}
	if bot, _ := m["bot"].(map[string]any); bot["i"] != f.hook["_id"] {
		t.Fatalf("bot %v", m["bot"])
	}
	if a := m["attachments"].([]any)[0].(map[string]any); a["title"] != "Logs" || a["text"] != "all green" {
		t.Fatalf("attachments %v", m["attachments"])
	}
	// md comes from the same parser as any message: the same text sent
	// by a user gets the same tree.
	md, ok := m["md"].([]any)
	if !ok || len(md) == 0 {
		t.Fatalf("webhook message has no md: %v", m)
	}
	para := md[0].(map[string]any)
	if para["type"] != "PARAGRAPH" || para["value"].([]any)[0].(map[string]any)["type"] != "BOLD" {
		t.Fatalf("md %v", md)
	}
	sent := f.admin.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": text}}).MustOK(t)["message"].(map[string]any)
	if !reflect.DeepEqual(sent["md"], m["md"]) {
		t.Fatalf("webhook md %v\nuser md %v", m["md"], sent["md"])
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestIncomingWebhookPayloadForms(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	// Slack's format: the JSON in a form field named payload.
	form := url.Values{"payload": {`{"text": "from a form", "username": "Deployer", "icon_emoji": ":ship:"}`}}.Encode()
	f.send(t, f.url, "application/x-www-form-urlencoded", form).MustOK(t)
	m := rmLastMessage(t, f.admin, "channels", "GENERAL")
	if m["msg"] != "from a form" || m["alias"] != "Deployer" || m["emoji"] != ":ship:" || m["md"] == nil {
		t.Fatalf("form payload message %v", m)
	}
	// What curl -d sends: JSON under the form content type.
	f.send(t, f.url, "application/x-www-form-urlencoded", `{"text":"from curl"}`).MustOK(t)
	if m := rmLastMessage(t, f.admin, "channels", "GENERAL"); m["msg"] != "from curl" {
		t.Fatalf("curl-style message %v", m)
	}
	// The older URL form that names the user works the same.
	parts := strings.Split(f.url, "/")
	legacy := "/hooks/" + parts[2] + "/rocket.cat/" + parts[3]
	f.send(t, legacy, "application/json", `{"msg":"legacy url"}`).MustOK(t)
	if m := rmLastMessage(t, f.admin, "channels", "GENERAL"); m["msg"] != "legacy url" {
		t.Fatalf("legacy url message %v", m)
	}
	// info checks the URL without posting.
	before := f.generalCount(t)
	f.env.Anon().Get(t, strings.Replace(f.url, "/hooks/", "/hooks/info/", 1), nil).MustOK(t)
	// An empty call answers success and posts nothing.
	f.send(t, f.url, "application/json", "").MustOK(t)
	if got := f.generalCount(t); got != before {
		t.Fatalf("info or empty call posted: %d messages, want %d", got, before)
	}
}

func TestIncomingWebhookRefusals(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	before := f.generalCount(t)
	id, token := f.hook["_id"].(string), f.hook["token"].(string)

	for _, path := range []string{"/hooks/" + id + "/wrong", "/hooks/nope/" + token} {
		res := f.send(t, path, "application/json", `{"text":"x"}`)
		if body := res.MustFail(t, 404); body["error"] != "Invalid integration id or token provided." {
			t.Fatalf("%s: %s", path, res.Raw)
		}
	}
	res := f.send(t, f.url, "application/json", `{"text":"elsewhere","channel":"#random"}`)
	if body := res.MustFail(t, 400); body["error"] != "overriding destination channel is disabled for this integration" {
		t.Fatalf("override: %s", res.Raw)
	}
	res = f.send(t, f.url, "application/json", `{"text": "broken"`)
	res.MustFail(t, 400)
	res = f.send(t, f.url, "application/json", `{"text": "`+strings.Repeat("x", 5001)+`"}`)
	if body := res.MustFail(t, 400); body["error"] != "error-message-size-exceeded" {
		t.Fatalf("size: %s", res.Raw)
	}
	res = f.send(t, f.url, "application/json", `{"text": "bad", "attachments": [{"title_link": "javascript:alert(1)"}]}`)
	res.MustFail(t, 400)

	// A disabled webhook answers 503 until enabled again.
	f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-incoming", "integrationId": id, "enabled": false, "channel": "#general", "scriptEnabled": false,
	})).MustOK(t)
	f.send(t, f.url, "application/json", `{"text":"off"}`).MustFail(t, 503)
	if got := f.generalCount(t); got != before {
		t.Fatalf("refused calls posted: %d messages, want %d", got, before)
	}
}

func putJSON(t *testing.T, u string, body any) *http.Request {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPut, u, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestIncomingWebhookDestinations(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, map[string]any{"channel": "#general, @alice", "overrideDestinationChannelEnabled": true})
	pub := rmCreate(t, f.alice, "channels", "deploys")
	res := f.send(t, f.url, "application/json", `{"text":"to both","separateResponse":true}`).MustOK(t)
	responses := res["responses"].([]any)
	if len(responses) != 2 || responses[0].(map[string]any)["channel"] != "#general" {
		t.Fatalf("responses %v", responses)
	}
	// The direct conversation with alice was opened, and alice sees it.
	dm := responses[1].(map[string]any)["message"].(map[string]any)
	if got := rmLastMessage(t, f.alice, "im", dm["rid"].(string)); got["msg"] != "to both" {
		t.Fatalf("dm message %v", got)
	}
	// A caller may pick the room when the integration allows it; posting
	// to a public channel joins the webhook's user to it.
	f.send(t, f.url, "application/json", `{"text":"deploy done","channel":"#deploys"}`).MustOK(t)
	if m := rmLastMessage(t, f.alice, "channels", pub["_id"].(string)); m["msg"] != "deploy done" || m["md"] == nil {
		t.Fatalf("override message %v", m)
	}
	res2 := f.send(t, f.url, "application/json", `{"text":"x","channel":"#no-such-room"}`)
	if body := res2.MustFail(t, 400); body["error"] != "invalid-channel" {
		t.Fatalf("unknown room: %s", res2.Raw)
	}
}

func TestIncomingWebhookScript(t *testing.T) {
	t.Parallel()
	script := `class Script {
  process_incoming_request({ request }) {
    const c = request.content;
    if (!c.commits) {
      return { error: { success: false, message: 'no commits' } };
    }
    return { content: { text: '**' + c.user_name + '** pushed ' + c.commits.length + ' commit(s) to ' + request.url.query.project } };
  }
}`
	f := newHookFix(t, map[string]any{"scriptEnabled": true, "script": script})
	if _, ok := f.hook["scriptError"]; ok {
		t.Fatalf("scriptError %v", f.hook["scriptError"])
	}
	f.send(t, f.url+"?project=liftoff", "application/json", `{"user_name":"ana","commits":[{},{}]}`).MustOK(t)
	m := rmLastMessage(t, f.admin, "channels", "GENERAL")
	if m["msg"] != "**ana** pushed 2 commit(s) to liftoff" || m["md"] == nil {
		t.Fatalf("scripted message %v", m)
	}
	res := f.send(t, f.url, "application/json", `{"user_name":"ana"}`)
	if body := res.MustFail(t, 400); !reflect.DeepEqual(body["error"], map[string]any{"success": false, "message": "no commits"}) {
		t.Fatalf("script error: %s", res.Raw)
	}

	// A script that does not compile is reported, and the webhook posts
	// payloads as they come.
	up := f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-incoming", "integrationId": f.hook["_id"], "channel": "#general",
		"scriptEnabled": true, "script": "class Script { process_incoming_request( {",
	})).MustOK(t)["integration"].(map[string]any)
	if e, _ := up["scriptError"].(string); e == "" {
		t.Fatalf("no scriptError for a broken script: %v", up)
	}
	f.send(t, f.url, "application/json", `{"text":"raw"}`).MustOK(t)
	if m := rmLastMessage(t, f.admin, "channels", "GENERAL"); m["msg"] != "raw" {
		t.Fatalf("message with broken script %v", m)
	}
}

func TestIntegrationsValidation(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	base := func(over map[string]any) map[string]any {
		return withFields(map[string]any{"type": "webhook-incoming", "name": "x", "enabled": true, "username": "rocket.cat", "channel": "#general", "scriptEnabled": false}, over)
	}
	cases := []struct {
		over    map[string]any
		typ     string
		message string
	}{
		{map[string]any{"name": nil}, "invalid-params", "must have required property 'name' [invalid-params]"},
		{map[string]any{"type": "webhook-sideways"}, "-", "Invalid integration type."},
		{map[string]any{"channel": " "}, "error-invalid-channel", "Invalid channel [error-invalid-channel]"},
		{map[string]any{"channel": "general"}, "error-invalid-channel-start-with-chars", ""},
		{map[string]any{"username": "ghost"}, "error-invalid-user", ""},
		{map[string]any{"channel": "#nowhere"}, "error-invalid-room", ""},
	}
	for _, c := range cases {
		rmFail(t, f.admin.Post(t, "/api/v1/integrations.create", base(c.over)), 400, c.typ, c.message)
	}
	// Users without the integration permissions may do nothing.
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", base(nil)), 400, "not_authorized", "")
	rmFail(t, f.alice.Get(t, "/api/v1/integrations.list", nil), 403, "-", "")
	if l := f.admin.Get(t, "/api/v1/integrations.list", nil).MustOK(t); l["total"] != float64(0) {
		t.Fatalf("refused creations were stored: %v", l)
	}
}

func TestIntegrationsManage(t *testing.T) {
	t.Parallel()
	f := newHookFix(t, nil)
	id := f.hook["_id"].(string)
	// A user allowed to manage only their own webhooks sees only those.
	f.admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "manage-own-incoming-integrations", "roles": []string{"admin", "user"}},
	}}).MustOK(t)
	rmCreate(t, f.alice, "channels", "alerts")
	mine := f.alice.Post(t, "/api/v1/integrations.create", map[string]any{
		"type": "webhook-incoming", "name": "Alerts", "enabled": true, "username": "alice", "channel": "#alerts", "scriptEnabled": false,
	}).MustOK(t)["integration"].(map[string]any)
	// ... and only into rooms they belong to.
	rmCreate(t, f.admin, "groups", "secret-room")
	rmFail(t, f.alice.Post(t, "/api/v1/integrations.create", map[string]any{
		"type": "webhook-incoming", "name": "Sneaky", "enabled": true, "username": "alice", "channel": "#secret-room", "scriptEnabled": false,
	}), 400, "error-invalid-channel", "Invalid Channel [error-invalid-channel]")

	all := f.admin.Get(t, "/api/v1/integrations.list", nil).MustOK(t)
	if all["total"] != float64(2) || all["count"] != float64(2) {
		t.Fatalf("admin list %v", all)
	}
	own := f.alice.Get(t, "/api/v1/integrations.list", nil).MustOK(t)
	if own["total"] != float64(1) || own["integrations"].([]any)[0].(map[string]any)["_id"] != mine["_id"] {
		t.Fatalf("own list %v", own)
	}
	if byName := f.admin.Get(t, "/api/v1/integrations.list", map[string]string{"name": "ale"}).MustOK(t); byName["total"] != float64(1) {
		t.Fatalf("list by name %v", byName)
	}
	rmFail(t, f.alice.Get(t, "/api/v1/integrations.get", map[string]string{"integrationId": id}), 400, "-", "not-authorized")
	rmFail(t, f.admin.Get(t, "/api/v1/integrations.get", map[string]string{"integrationId": "nope"}), 400, "-", "The integration does not exists.")
	if got := f.admin.Get(t, "/api/v1/integrations.get", map[string]string{"integrationId": id}).MustOK(t)["integration"].(map[string]any); got["token"] != f.hook["token"] {
		t.Fatalf("get %v", got)
	}
	rmFail(t, f.alice.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-incoming", "integrationId": id, "channel": "#general", "scriptEnabled": false,
	})), 400, "error-invalid-integration", "")

	up := f.admin.Do(t, putJSON(t, f.env.BaseURL+"/api/v1/integrations.update", map[string]any{
		"type": "webhook-incoming", "integrationId": id, "name": "CI builds", "channel": "#general",
		"scriptEnabled": false, "alias": "Robot", "username": "alice",
	})).MustOK(t)["integration"].(map[string]any)
	if up["name"] != "CI builds" || up["alias"] != "Robot" || up["username"] != "alice" || up["token"] != f.hook["token"] {
		t.Fatalf("updated %v", up)
	}
	if ub, _ := up["_updatedBy"].(map[string]any); ub["username"] != "admin" {
		t.Fatalf("_updatedBy %v", up["_updatedBy"])
	}
	// The account a webhook posts as becomes a bot, so that its messages
	// may carry the bot label.
	u := f.admin.Get(t, "/api/v1/users.info", map[string]string{"username": "alice"}).MustOK(t)["user"].(map[string]any)
	if !strings.Contains(strings.Join(toStrings(u["roles"]), ","), "bot") {
		t.Errorf("alice roles %v", u["roles"])
	}
	f.send(t, f.url, "application/json", `{"text":"as alice now"}`).MustOK(t)
	if m := rmLastMessage(t, f.admin, "channels", "GENERAL"); m["u"].(map[string]any)["username"] != "alice" || m["alias"] != "Robot" {
		t.Fatalf("message after update %v", m)
	}

	rmFail(t, f.alice.Post(t, "/api/v1/integrations.remove", map[string]any{"type": "webhook-incoming", "integrationId": id}), 400, "error-invalid-integration", "")
	gone := f.admin.Post(t, "/api/v1/integrations.remove", map[string]any{"type": "webhook-incoming", "integrationId": id}).MustOK(t)["integration"].(map[string]any)
	if gone["_id"] != id {
		t.Fatalf("removed %v", gone)
	}
	f.send(t, f.url, "application/json", `{"text":"after removal"}`).MustFail(t, 404)
	rmFail(t, f.admin.Post(t, "/api/v1/integrations.remove", map[string]any{"type": "webhook-incoming", "integrationId": id}), 400, "-", "No integration found.")
}
