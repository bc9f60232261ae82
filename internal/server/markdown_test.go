package server_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// mdOf fetches a message and returns its md tree as JSON.
func mdOf(t *testing.T, c *testenv.Client, id string) string {
	t.Helper()
	res := c.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id}).MustOK(t)
	msg, _ := res["message"].(map[string]any)
	b, _ := json.Marshal(msg["md"])
	return string(b)
}

// TestMessagesCarryMarkdownTree checks that messages written through REST,
// and their edits, carry the md tree the server parsed, never one a client
// sent.
func TestMessagesCarryMarkdownTree(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	const bold = `[{"type":"PARAGRAPH","value":[{"type":"BOLD","value":[{"type":"PLAIN_TEXT","value":"hi"}]}]}]`

	posted := env.Admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": "GENERAL", "text": "*hi*"}).MustOK(t)
	id := posted["message"].(map[string]any)["_id"].(string)
	if got := mdOf(t, env.Admin, id); got != bold {
		t.Fatalf("chat.postMessage md = %s, want %s", got, bold)
	}

	forged := `[{"type":"PARAGRAPH","value":[{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"javascript:alert(1)"}}}]}]`
	sent := env.Admin.Post(t, "/api/v1/chat.sendMessage", map[string]any{
		"message": map[string]any{"rid": "GENERAL", "msg": "plain", "md": json.RawMessage(forged)},
	}).MustOK(t)
	sid := sent["message"].(map[string]any)["_id"].(string)
	if got, want := mdOf(t, env.Admin, sid), `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"plain"}]}]`; got != want {
		t.Fatalf("chat.sendMessage with a client md: md = %s, want the server's %s", got, want)
	}

	env.Admin.Post(t, "/api/v1/chat.update", map[string]any{"roomId": "GENERAL", "msgId": id, "text": "~gone~"}).MustOK(t)
	if got, want := mdOf(t, env.Admin, id), `[{"type":"PARAGRAPH","value":[{"type":"STRIKE","value":[{"type":"PLAIN_TEXT","value":"gone"}]}]}]`; got != want {
		t.Fatalf("after chat.update md = %s, want %s", got, want)
	}
}

// TestMarkdownWhereRocketChatSetsIt checks the other places Rocket.Chat
// gives a tree: a file's description gets descriptionMd (a client's own is
// replaced), while a message without text and system messages get no md.
func TestMarkdownWhereRocketChatSetsIt(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "notes.txt")
	fw.Write([]byte("some notes"))
	mw.WriteField("description", "**read** me")
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.BaseURL+"/api/v1/rooms.upload/GENERAL", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	up := env.Admin.Do(t, req).MustOK(t)["message"].(map[string]any)
	if _, ok := up["md"]; ok {
		t.Fatalf("a file without text got md: %v", up["md"])
	}
	att := up["attachments"].([]any)[0].(map[string]any)
	got, _ := json.Marshal(att["descriptionMd"])
	if want := `[{"type":"PARAGRAPH","value":[{"type":"BOLD","value":[{"type":"PLAIN_TEXT","value":"read"}]},{"type":"PLAIN_TEXT","value":" me"}]}]`; string(got) != want {
		t.Fatalf("descriptionMd = %s, want %s", got, want)
	}

	sent := env.Admin.Post(t, "/api/v1/chat.sendMessage", map[string]any{"message": map[string]any{
		"rid": "GENERAL", "attachments": []any{map[string]any{"description": "_mine_", "descriptionMd": []any{"forged"}}},
	}}).MustOK(t)["message"].(map[string]any)
	if _, ok := sent["md"]; ok {
		t.Fatalf("a message without text got md: %v", sent["md"])
	}
	got, _ = json.Marshal(sent["attachments"].([]any)[0].(map[string]any)["descriptionMd"])
	if want := `[{"type":"PARAGRAPH","value":[{"type":"ITALIC","value":[{"type":"PLAIN_TEXT","value":"mine"}]}]}]`; string(got) != want {
		t.Fatalf("client descriptionMd kept: %s", got)
	}

	// A topic change writes a system message; Rocket.Chat stores those
	// without md, and so does Liftoff.
	env.Admin.Post(t, "/api/v1/channels.setTopic", map[string]any{"roomId": "GENERAL", "topic": "*news*"}).MustOK(t)
	msgs := env.Admin.Get(t, "/api/v1/channels.messages", map[string]string{"roomId": "GENERAL", "count": "1"}).MustOK(t)["messages"].([]any)
	sys := msgs[0].(map[string]any)
	if sys["t"] != "room_changed_topic" {
		t.Fatalf("newest message %v, want the topic change", sys)
	}
	if _, ok := sys["md"]; ok {
		t.Fatalf("system message got md: %v", sys["md"])
	}
}
