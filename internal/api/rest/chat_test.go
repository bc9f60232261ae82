package rest_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// chatFixture is a server with an admin, two users and two rooms:
// #chat-pub (a channel with admin and bob) and chat-priv (a private group
// with admin and bob). carol is in neither.
type chatFixture struct {
	env               *testenv.Env
	admin, bob, carol *testenv.Client
	pubID, privID     string
	pubName, privName string
}

func newChatFixture(t *testing.T) *chatFixture {
	t.Helper()
	env := testenv.Start(t, testenv.Options{})
	f := &chatFixture{env: env, admin: env.Admin, bob: env.CreateUser(t, "bob"), carol: env.CreateUser(t, "carol")}
	f.pubName, f.privName = "chat-pub", "chat-priv"
	f.pubID = chatCreateRoom(t, env.Admin, "channels", f.pubName, "bob")
	f.privID = chatCreateRoom(t, env.Admin, "groups", f.privName, "bob")
	return f
}

// chatCreateRoom creates a channel or group through the REST API and
// returns its id.
func chatCreateRoom(t *testing.T, c *testenv.Client, kind, name string, members ...string) string {
	t.Helper()
	if members == nil {
		members = []string{}
	}
	body := c.Post(t, "/api/v1/"+kind+".create", map[string]any{"name": name, "members": members}).MustOK(t)
	key := map[string]string{"channels": "channel", "groups": "group"}[kind]
	room, _ := body[key].(map[string]any)
	id, _ := room["_id"].(string)
	if id == "" {
		t.Fatalf("%s.create: no id in %v", kind, body)
	}
	return id
}

// chatSend posts text into rid with chat.sendMessage and returns the
// message.
func chatSend(t *testing.T, c *testenv.Client, rid, text string, extra ...map[string]any) map[string]any {
	t.Helper()
	msg := map[string]any{"rid": rid, "msg": text}
	for _, e := range extra {
		for k, v := range e {
			msg[k] = v
		}
	}
	body := c.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": msg}).MustOK(t)
	m, _ := body["message"].(map[string]any)
	return m
}

// chatGet returns a message through chat.getMessage.
func chatGet(t *testing.T, c *testenv.Client, id string) map[string]any {
	t.Helper()
	body := c.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id}).MustOK(t)
	m, _ := body["message"].(map[string]any)
	return m
}

// total counts a room's messages through channels.messages or
// groups.messages, as the admin (a member of every fixture room).
func (f *chatFixture) total(t *testing.T, kind, rid string) int {
	t.Helper()
	body := f.admin.Get(t, "/api/v1/"+kind+".messages", map[string]string{"roomId": rid}).MustOK(t)
	return int(body["total"].(float64))
}

// wantError checks a failure's status, and its errorType when typ is set
// ("-" means the body must have no errorType).
func wantError(t *testing.T, res *testenv.Response, status int, typ string) map[string]any {
	t.Helper()
	body := res.MustFail(t, status)
	switch typ {
	case "":
	case "-":
		if et, ok := body["errorType"]; ok && et != "" {
			t.Fatalf("want no errorType, got %v in %s", et, res.Raw)
		}
	default:
		if body["errorType"] != typ {
			t.Fatalf("want errorType %q, got %s", typ, res.Raw)
		}
	}
	return body
}

var isoMillis = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

func wantISO(t *testing.T, m map[string]any, field string) {
	t.Helper()
	s, _ := m[field].(string)
	if !isoMillis.MatchString(s) {
		t.Fatalf("%s = %v, want an ISO date with ms", field, m[field])
	}
}

func TestChatSendMessage(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	m := chatSend(t, f.bob, f.pubID, "hello @admin in #chat-pub")
	if id, _ := m["_id"].(string); len(id) != 17 || m["rid"] != f.pubID || m["msg"] != "hello @admin in #chat-pub" {
		t.Fatalf("message = %v", m)
	}
	wantISO(t, m, "ts")
	wantISO(t, m, "_updatedAt")
	u, _ := m["u"].(map[string]any)
	if u["_id"] != f.bob.UserID || u["username"] != "bob" {
		t.Fatalf("u = %v", u)
	}
	mentions, _ := m["mentions"].([]any)
	if len(mentions) != 1 || mentions[0].(map[string]any)["username"] != "admin" {
		t.Fatalf("mentions = %v", m["mentions"])
	}
	channels, _ := m["channels"].([]any)
	if len(channels) != 1 || channels[0].(map[string]any)["_id"] != f.pubID {
		t.Fatalf("channels = %v", m["channels"])
	}

	// A client-chosen id is kept, and cannot be reused.
	m = chatSend(t, f.bob, f.pubID, "mine", map[string]any{"_id": "clientChosenId01"})
	if m["_id"] != "clientChosenId01" {
		t.Fatalf("client id not kept: %v", m["_id"])
	}
	n := f.total(t, "channels", f.pubID)
	res := f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"_id": "clientChosenId01", "rid": f.pubID, "msg": "again"}})
	wantError(t, res, 400, "error-message-already-exists")

	// Bad input and refusals change nothing.
	res = f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": f.pubID, "msg": "x", "t": "uj"}})
	wantError(t, res, 400, "-")
	res = f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{})
	if body := wantError(t, res, 400, "invalid-params"); !strings.Contains(body["error"].(string), "'message'") {
		t.Fatalf("error = %v", body["error"])
	}
	res = f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"msg": "x"}})
	wantError(t, res, 400, "invalid-params")
	res = f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": f.pubID, "msg": "x", "tshow": true}})
	wantError(t, res, 400, "invalid-params")
	if got := f.total(t, "channels", f.pubID); got != n {
		t.Fatalf("refused sends changed the room: %d messages, want %d", got, n)
	}

	// Outsiders cannot post into a private group.
	privBefore := f.total(t, "groups", f.privID)
	res = f.carol.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": f.privID, "msg": "hi"}})
	wantError(t, res, 403, "error-not-allowed")
	if f.total(t, "groups", f.privID) != privBefore {
		t.Fatal("an outsider's message was stored")
	}

	// Message_MaxAllowedSize.
	f.admin.Post(t, "/api/v1/settings/Message_MaxAllowedSize", map[string]any{"value": 10}).MustOK(t)
	res = f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": f.pubID, "msg": "way more than ten characters"}})
	wantError(t, res, 400, "error-message-size-exceeded")

	// Thread replies keep tmid and tshow and count on the root.
	f.admin.Post(t, "/api/v1/settings/Message_MaxAllowedSize", map[string]any{"value": 5000}).MustOK(t)
	root := chatSend(t, f.admin, f.pubID, "root")
	reply := chatSend(t, f.bob, f.pubID, "reply", map[string]any{"tmid": root["_id"], "tshow": true})
	if reply["tmid"] != root["_id"] || reply["tshow"] != true {
		t.Fatalf("reply = %v", reply)
	}
	got := chatGet(t, f.admin, root["_id"].(string))
	if got["tcount"] != float64(1) {
		t.Fatalf("root tcount = %v", got["tcount"])
	}
	wantISO(t, got, "tlm")
	if replies, _ := got["replies"].([]any); len(replies) != 2 {
		t.Fatalf("root replies = %v", got["replies"])
	}
}

func TestChatPostMessage(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	res := f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"text": "nowhere", "emoji": ":smirk:"})
	if body := wantError(t, res, 400, "invalid-channel"); body["error"] != "[invalid-channel]" {
		t.Fatalf("error = %v", body["error"])
	}

	body := f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{
		"channel": "#" + f.pubName, "text": "Sample message", "emoji": ":smirk:",
		"attachments": []any{map[string]any{
			"color": "#ff0000", "text": "Yay!", "ts": "2016-12-09T16:53:06.761Z", "title": "Attachment",
			"title_link": "https://youtube.com", "title_link_download": true, "message_link": "https://google.com",
			"fields": []any{map[string]any{"short": true, "title": "Test", "value": "Testing"}},
		}},
	}).MustOK(t)
	if _, ok := body["ts"].(float64); !ok {
		t.Fatalf("ts = %#v, want a number of ms", body["ts"])
	}
	m, _ := body["message"].(map[string]any)
	if body["channel"] != "#"+f.pubName || m["msg"] != "Sample message" || m["emoji"] != ":smirk:" || m["rid"] != f.pubID {
		t.Fatalf("postMessage = %v", body)
	}
	if atts, _ := m["attachments"].([]any); len(atts) != 1 || atts[0].(map[string]any)["title"] != "Attachment" {
		t.Fatalf("attachments = %v", m["attachments"])
	}

	// Dangerous links and malformed attachments are refused, and nothing is
	// stored.
	n := f.total(t, "channels", f.pubID)
	for _, att := range []map[string]any{
		{"title": "x", "title_link": "javascript:alert(1)"},
		{"message_link": "javascript:alert(\"xss\")"},
		{"author_link": "JAVASCRIPT:alert(1)"},
		{"image_url": "data:text/html;base64,PHNjcmlwdD4="},
		{"actions": []any{map[string]any{"type": "button", "text": "go", "url": "javascript:alert(1)"}}},
		{"message_link": 12},
		{"fields": ""},
		{"fields": []any{map[string]any{"short": true, "title": 12, "value": false}}},
	} {
		res := f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": f.pubID, "text": "x", "attachments": []any{att}})
		wantError(t, res, 400, "")
	}
	res = f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": f.pubID, "text": "x", "avatar": "javascript:alert(1)"})
	wantError(t, res, 400, "")
	if got := f.total(t, "channels", f.pubID); got != n {
		t.Fatalf("refused posts changed the room: %d messages, want %d", got, n)
	}

	// Only bots and apps may impersonate with alias or avatar.
	res = f.bob.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": f.pubID, "text": "x", "alias": "Boss"})
	wantError(t, res, 403, "-")

	// "@username" opens the direct conversation; a list posts to each.
	body = f.bob.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "@carol", "text": "psst"}).MustOK(t)
	ids := []string{f.bob.UserID, f.carol.UserID}
	sort.Strings(ids)
	if rid := body["message"].(map[string]any)["rid"]; rid != strings.Join(ids, "") {
		t.Fatalf("dm rid = %v", rid)
	}
	body = f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": []string{f.privID, f.pubID}, "text": "both"}).MustOK(t)
	if body["channel"] != f.privID {
		t.Fatalf("channel = %v, want the first", body["channel"])
	}
	if got := f.total(t, "channels", f.pubID); got != n+1 {
		t.Fatalf("list post: %d messages in the channel, want %d", got, n+1)
	}

	// Posting to a channel joins it.
	body = f.carol.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "#" + f.pubName, "text": "joined"}).MustOK(t)
	sub := f.carol.Get(t, "/api/v1/channels.messages", map[string]string{"roomId": f.pubID, "count": "2"}).MustOK(t)
	msgs := sub["messages"].([]any)
	if msgs[0].(map[string]any)["msg"] != "joined" || msgs[1].(map[string]any)["t"] != "uj" {
		t.Fatalf("want the post after carol's join message, got %v", msgs)
	}

	f.admin.Post(t, "/api/v1/settings/Message_MaxAllowedSize", map[string]any{"value": 10}).MustOK(t)
	res = f.admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "#" + f.pubName, "text": "Text to test max limit allowed"})
	if body := wantError(t, res, 400, "-"); body["error"] != "error-message-size-exceeded" {
		t.Fatalf("error = %v", body["error"])
	}
}

func TestChatUpdate(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	m := chatSend(t, f.bob, f.pubID, "first")
	id := m["_id"].(string)
	body := f.bob.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": id, "text": "second @admin"}).MustOK(t)
	got := body["message"].(map[string]any)
	if got["msg"] != "second @admin" || got["_id"] != id {
		t.Fatalf("updated = %v", got)
	}
	wantISO(t, got, "editedAt")
	if by := got["editedBy"].(map[string]any); by["_id"] != f.bob.UserID || by["username"] != "bob" {
		t.Fatalf("editedBy = %v", by)
	}
	if ms, _ := got["mentions"].([]any); len(ms) != 1 {
		t.Fatalf("mentions after edit = %v", got["mentions"])
	}

	// Others cannot edit bob's message; bad input is refused; nothing
	// changes.
	f.admin.Post(t, "/api/v1/channels.invite", map[string]any{"roomId": f.pubID, "username": "carol"}).MustOK(t)
	res := f.carol.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": id, "text": "hijack"})
	wantError(t, res, 403, "error-action-not-allowed")
	res = f.bob.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.privID, "msgId": id, "text": "x"})
	if body := wantError(t, res, 400, "-"); body["error"] != "The room id provided does not match where the message is from." {
		t.Fatalf("error = %v", body["error"])
	}
	res = f.bob.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": "nope", "text": "x"})
	if body := wantError(t, res, 400, "-"); body["error"] != `No message found with the id of "nope".` {
		t.Fatalf("error = %v", body["error"])
	}
	res = f.bob.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": id})
	wantError(t, res, 400, "invalid-params")
	if got := chatGet(t, f.bob, id); got["msg"] != "second @admin" {
		t.Fatalf("failed edits changed the message: %v", got["msg"])
	}

	// With editing off, only edit-message holders (the admin) may edit.
	f.admin.Post(t, "/api/v1/settings/Message_AllowEditing", map[string]any{"value": false}).MustOK(t)
	res = f.bob.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": id, "text": "third"})
	wantError(t, res, 403, "error-action-not-allowed")
	f.admin.Post(t, "/api/v1/chat.update", map[string]any{"roomId": f.pubID, "msgId": id, "text": "moderated"}).MustOK(t)
}

func TestChatDelete(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	f.admin.Post(t, "/api/v1/channels.invite", map[string]any{"roomId": f.pubID, "username": "carol"}).MustOK(t)
	m := chatSend(t, f.bob, f.pubID, "delete me")
	id := m["_id"].(string)

	res := f.carol.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.pubID, "msgId": id})
	wantError(t, res, 403, "error-action-not-allowed")
	res = f.carol.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.pubID, "msgId": id, "asUser": true})
	if body := wantError(t, res, 403, "-"); !strings.Contains(body["error"].(string), "force-delete-message") {
		t.Fatalf("error = %v", body["error"])
	}
	res = f.bob.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.privID, "msgId": id})
	wantError(t, res, 400, "-")
	res = f.bob.Post(t, "/api/v1/chat.delete", map[string]any{"msgId": id})
	wantError(t, res, 400, "invalid-params")
	chatGet(t, f.bob, id) // still there

	body := f.bob.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.pubID, "msgId": id, "asUser": true}).MustOK(t)
	ts, _ := body["ts"].(string)
	if body["_id"] != id || !regexp.MustCompile(`^\d{13}$`).MatchString(ts) {
		t.Fatalf("delete = %v (ts must be a string of ms)", body)
	}
	dm := body["message"].(map[string]any)
	if dm["_id"] != id || dm["rid"] != f.pubID || dm["u"].(map[string]any)["username"] != "bob" {
		t.Fatalf("delete message = %v", dm)
	}
	res = f.bob.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id})
	wantError(t, res, 400, "")

	// The removal is listed for clients that sync.
	del := f.bob.Get(t, "/api/v1/chat.getDeletedMessages", map[string]string{"roomId": f.pubID, "since": "2000-01-01T00:00:00.000Z"}).MustOK(t)
	if del["total"] != float64(1) || del["messages"].([]any)[0].(map[string]any)["_id"] != id {
		t.Fatalf("getDeletedMessages = %v", del)
	}
	res = f.bob.Get(t, "/api/v1/chat.getDeletedMessages", map[string]string{"roomId": f.pubID})
	wantError(t, res, 400, "invalid-params")

	// The admin may delete anyone's message, as its author too.
	m = chatSend(t, f.bob, f.pubID, "moderate me")
	f.admin.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.pubID, "msgId": m["_id"], "asUser": true}).MustOK(t)
}

func TestChatReact(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	id := chatSend(t, f.admin, f.privID, "react")["_id"].(string)
	f.bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": id, "emoji": "smile"}).MustOK(t)
	got := chatGet(t, f.bob, id)
	re, _ := got["reactions"].(map[string]any)
	if users := re[":smile:"].(map[string]any)["usernames"].([]any); len(users) != 1 || users[0] != "bob" {
		t.Fatalf("reactions = %v", got["reactions"])
	}
	f.bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": id, "reaction": ":smile:"}).MustOK(t)
	if got := chatGet(t, f.bob, id); got["reactions"] != nil {
		t.Fatalf("toggle left %v", got["reactions"])
	}
	f.bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": id, "emoji": "smile", "shouldReact": false}).MustOK(t)
	if got := chatGet(t, f.bob, id); got["reactions"] != nil {
		t.Fatalf("shouldReact false added %v", got["reactions"])
	}

	wantError(t, f.bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": id, "emoji": "<img>"}), 400, "error-not-allowed")
	wantError(t, f.bob.Post(t, "/api/v1/chat.react", map[string]any{"emoji": "smile"}), 400, "invalid-params")
	wantError(t, f.bob.Post(t, "/api/v1/chat.react", map[string]any{"messageId": "nope", "emoji": "smile"}), 400, "error-message-not-found")
	wantError(t, f.carol.Post(t, "/api/v1/chat.react", map[string]any{"messageId": id, "emoji": "smile"}), 403, "not-authorized")
	if got := chatGet(t, f.bob, id); got["reactions"] != nil {
		t.Fatalf("refused reactions were stored: %v", got["reactions"])
	}
}

func TestChatPinAndStar(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	id := chatSend(t, f.bob, f.pubID, "pin me")["_id"].(string)

	wantError(t, f.bob.Post(t, "/api/v1/chat.pinMessage", map[string]any{"messageId": id}), 403, "not-authorized")
	if chatGet(t, f.bob, id)["pinned"] == true {
		t.Fatal("a refused pin pinned the message")
	}
	body := f.admin.Post(t, "/api/v1/chat.pinMessage", map[string]any{"messageId": id}).MustOK(t)
	sys := body["message"].(map[string]any)
	att := sys["attachments"].([]any)[0].(map[string]any)
	if sys["t"] != "message_pinned" || att["text"] != "pin me" || att["author_name"] != "bob" {
		t.Fatalf("pin = %v", sys)
	}
	got := chatGet(t, f.bob, id)
	if got["pinned"] != true || got["pinnedBy"].(map[string]any)["_id"] != f.admin.UserID {
		t.Fatalf("pinned message = %v", got)
	}
	wantISO(t, got, "pinnedAt")
	list := f.bob.Get(t, "/api/v1/chat.getPinnedMessages", map[string]string{"roomId": f.pubID}).MustOK(t)
	if list["count"] != float64(1) || list["total"] != float64(1) || list["offset"] != float64(0) {
		t.Fatalf("pinned list = %v", list)
	}
	wantError(t, f.carol.Get(t, "/api/v1/chat.getPinnedMessages", map[string]string{"roomId": f.privID}), 400, "error-room-not-found")
	wantError(t, f.bob.Post(t, "/api/v1/chat.unPinMessage", map[string]any{"messageId": id}), 403, "not-authorized")
	f.admin.Post(t, "/api/v1/chat.unPinMessage", map[string]any{"messageId": id}).MustOK(t)
	if list := f.bob.Get(t, "/api/v1/chat.getPinnedMessages", map[string]string{"roomId": f.pubID}).MustOK(t); list["total"] != float64(0) {
		t.Fatalf("after unpin = %v", list)
	}
	wantError(t, f.admin.Post(t, "/api/v1/chat.pinMessage", map[string]any{}), 400, "invalid-params")

	f.bob.Post(t, "/api/v1/chat.starMessage", map[string]any{"messageId": id}).MustOK(t)
	if s := chatGet(t, f.bob, id)["starred"].([]any); len(s) != 1 || s[0].(map[string]any)["_id"] != f.bob.UserID {
		t.Fatalf("starred = %v", s)
	}
	starred := f.bob.Get(t, "/api/v1/chat.getStarredMessages", map[string]string{"roomId": f.pubID}).MustOK(t)
	if starred["total"] != float64(1) {
		t.Fatalf("starred list = %v", starred)
	}
	if other := f.admin.Get(t, "/api/v1/chat.getStarredMessages", map[string]string{"roomId": f.pubID}).MustOK(t); other["total"] != float64(0) {
		t.Fatalf("admin sees bob's stars: %v", other)
	}
	f.bob.Post(t, "/api/v1/chat.unStarMessage", map[string]any{"messageId": id}).MustOK(t)
	if got := chatGet(t, f.bob, id); got["starred"] != nil {
		t.Fatalf("after unstar = %v", got["starred"])
	}
	wantError(t, f.bob.Post(t, "/api/v1/chat.starMessage", map[string]any{"messageId": "nope"}), 400, "error-message-not-found")

	f.admin.Post(t, "/api/v1/settings/Message_AllowPinning", map[string]any{"value": false}).MustOK(t)
	wantError(t, f.admin.Post(t, "/api/v1/chat.pinMessage", map[string]any{"messageId": id}), 400, "error-action-not-allowed")
}

func TestChatThreads(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	root := chatSend(t, f.admin, f.privID, "root")["_id"].(string)
	for i := range 3 {
		chatSend(t, f.bob, f.privID, fmt.Sprintf("reply %d", i), map[string]any{"tmid": root})
	}
	body := f.bob.Get(t, "/api/v1/chat.getThreadMessages", map[string]string{"tmid": root}).MustOK(t)
	msgs := body["messages"].([]any)
	if body["count"] != float64(3) || body["total"] != float64(3) || msgs[0].(map[string]any)["msg"] != "reply 0" || msgs[2].(map[string]any)["tmid"] != root {
		t.Fatalf("thread = %v", body)
	}
	body = f.bob.Get(t, "/api/v1/chat.getThreadMessages", map[string]string{"tmid": root, "count": "2", "offset": "1"}).MustOK(t)
	if body["count"] != float64(2) || body["offset"] != float64(1) || body["total"] != float64(3) {
		t.Fatalf("thread page = %v", body)
	}
	wantError(t, f.carol.Get(t, "/api/v1/chat.getThreadMessages", map[string]string{"tmid": root}), 403, "error-not-allowed")
	wantError(t, f.bob.Get(t, "/api/v1/chat.getThreadMessages", map[string]string{"tmid": "nope"}), 400, "error-invalid-message")
	wantError(t, f.bob.Get(t, "/api/v1/chat.getThreadMessages", nil), 400, "invalid-params")

	list := f.bob.Get(t, "/api/v1/chat.getThreadsList", map[string]string{"rid": f.privID}).MustOK(t)
	threads := list["threads"].([]any)
	if list["total"] != float64(1) || threads[0].(map[string]any)["_id"] != root || threads[0].(map[string]any)["tcount"] != float64(3) {
		t.Fatalf("threads = %v", list)
	}
	wantError(t, f.carol.Get(t, "/api/v1/chat.getThreadsList", map[string]string{"rid": f.privID}), 403, "error-not-allowed")

	// Following: the admin (root author) follows; unfollowing removes them.
	following := func(c *testenv.Client) float64 {
		return c.Get(t, "/api/v1/chat.getThreadsList", map[string]string{"rid": f.privID, "type": "following"}).MustOK(t)["total"].(float64)
	}
	if following(f.admin) != 1 {
		t.Fatal("the root's author does not follow its thread")
	}
	f.admin.Post(t, "/api/v1/chat.unfollowMessage", map[string]any{"mid": root}).MustOK(t)
	if following(f.admin) != 0 {
		t.Fatal("unfollow did not remove the admin")
	}
	f.admin.Post(t, "/api/v1/chat.followMessage", map[string]any{"mid": root}).MustOK(t)
	if following(f.admin) != 1 {
		t.Fatal("follow did not add the admin")
	}
	wantError(t, f.carol.Post(t, "/api/v1/chat.followMessage", map[string]any{"mid": root}), 403, "error-not-allowed")
	wantError(t, f.admin.Post(t, "/api/v1/chat.followMessage", map[string]any{}), 400, "invalid-params")

	sync := f.bob.Get(t, "/api/v1/chat.syncThreadMessages", map[string]string{"tmid": root, "updatedSince": "2000-01-01T00:00:00.000Z"}).MustOK(t)
	if upd := sync["messages"].(map[string]any)["update"].([]any); len(upd) != 3 {
		t.Fatalf("syncThreadMessages = %v", sync)
	}
	wantError(t, f.bob.Get(t, "/api/v1/chat.syncThreadMessages", map[string]string{"tmid": root, "updatedSince": "yesterday"}), 400, "error-updatedSince-param-invalid")
	sync = f.bob.Get(t, "/api/v1/chat.syncThreadsList", map[string]string{"rid": f.privID, "updatedSince": "2000-01-01T00:00:00.000Z"}).MustOK(t)
	if upd := sync["threads"].(map[string]any)["update"].([]any); len(upd) != 1 {
		t.Fatalf("syncThreadsList = %v", sync)
	}

	f.admin.Post(t, "/api/v1/settings/Threads_enabled", map[string]any{"value": false}).MustOK(t)
	res := f.bob.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{"rid": f.privID, "msg": "x", "tmid": root}})
	wantError(t, res, 403, "error-not-allowed")
}

func TestChatGetMessageAndSearch(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	id := chatSend(t, f.bob, f.privID, "apple pie")["_id"].(string)
	chatSend(t, f.admin, f.privID, "banana split")
	chatSend(t, f.admin, f.privID, "Apple tart")

	if got := chatGet(t, f.admin, id); got["msg"] != "apple pie" {
		t.Fatalf("getMessage = %v", got)
	}
	wantError(t, f.carol.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id}), 403, "error-not-allowed")
	wantError(t, f.bob.Get(t, "/api/v1/chat.getMessage", nil), 400, "-")

	search := func(c *testenv.Client, text string) []any {
		return c.Get(t, "/api/v1/chat.search", map[string]string{"roomId": f.privID, "searchText": text}).MustOK(t)["messages"].([]any)
	}
	if got := search(f.bob, "apple"); len(got) != 2 || got[0].(map[string]any)["msg"] != "Apple tart" {
		t.Fatalf("search apple = %v", got)
	}
	if got := search(f.bob, "appl from:bob"); len(got) != 1 || got[0].(map[string]any)["_id"] != id {
		t.Fatalf("search from:bob = %v", got)
	}
	if got := search(f.bob, "cherry"); len(got) != 0 {
		t.Fatalf("search cherry = %v", got)
	}
	wantError(t, f.bob.Get(t, "/api/v1/chat.search", map[string]string{"roomId": f.privID}), 400, "error-searchText-param-not-provided")
	wantError(t, f.carol.Get(t, "/api/v1/chat.search", map[string]string{"roomId": f.privID, "searchText": "apple"}), 400, "error-room-not-found")

	// Mentions.
	chatSend(t, f.admin, f.privID, "hey @bob")
	ment := f.bob.Get(t, "/api/v1/chat.getMentionedMessages", map[string]string{"roomId": f.privID}).MustOK(t)
	if ment["total"] != float64(1) || ment["messages"].([]any)[0].(map[string]any)["msg"] != "hey @bob" {
		t.Fatalf("mentioned = %v", ment)
	}
	disc := f.bob.Get(t, "/api/v1/chat.getDiscussions", map[string]string{"roomId": f.privID}).MustOK(t)
	if disc["total"] != float64(0) || disc["messages"] == nil {
		t.Fatalf("discussions = %v", disc)
	}
}

func TestChatSyncMessages(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	keep := chatSend(t, f.bob, f.pubID, "keep")["_id"].(string)
	gone := chatSend(t, f.bob, f.pubID, "gone")["_id"].(string)
	f.bob.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": f.pubID, "msgId": gone}).MustOK(t)

	res := f.bob.Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": f.pubID, "lastUpdate": "2000-01-01T00:00:00.000Z"}).MustOK(t)["result"].(map[string]any)
	upd, del := res["updated"].([]any), res["deleted"].([]any)
	if len(upd) != 1 || upd[0].(map[string]any)["_id"] != keep {
		t.Fatalf("updated = %v", upd)
	}
	if len(del) != 1 || del[0].(map[string]any)["_id"] != gone {
		t.Fatalf("deleted = %v", del)
	}
	wantISO(t, del[0].(map[string]any), "_deletedAt")

	page := f.bob.Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": f.pubID, "type": "UPDATED", "next": "0", "count": "5"}).MustOK(t)["result"].(map[string]any)
	if len(page["updated"].([]any)) != 1 || page["cursor"] == nil {
		t.Fatalf("cursor page = %v", page)
	}

	wantError(t, f.bob.Get(t, "/api/v1/chat.syncMessages", map[string]string{"lastUpdate": "2000-01-01T00:00:00.000Z"}), 400, "error-param-required")
	wantError(t, f.bob.Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": f.pubID}), 400, "error-param-required")
	wantError(t, f.bob.Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": f.pubID, "lastUpdate": "soon"}), 400, "error-lastUpdate-param-invalid")
	wantError(t, f.carol.Get(t, "/api/v1/chat.syncMessages", map[string]string{"roomId": f.privID, "lastUpdate": "2000-01-01T00:00:00.000Z"}), 403, "error-not-allowed")
}
