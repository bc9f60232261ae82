package server_test

import (
	"encoding/json"
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
