package rest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

// historyBase is when seeded messages start, one second apart.
var historyBase = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// seedHistory stores n messages from the admin into rid straight through
// the store, with known timestamps (h00 at historyBase, h01 a second
// later...). Every fourth (h04, h08...) is a thread reply to h00.
func (f *chatFixture) seedHistory(t *testing.T, rid string, n int) {
	t.Helper()
	ctx := context.Background()
	st := f.env.Server.Core().Store()
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		m := &chat.Message{
			ID: fmt.Sprintf("h%02d", i), RoomID: rid, Text: fmt.Sprintf("history %d", i),
			User: admin.Ref(), TS: historyBase.Add(time.Duration(i) * time.Second),
		}
		m.UpdatedAt = m.TS
		if i > 0 && i%4 == 0 {
			m.TMID = "h00"
		}
		if err := st.InsertMessage(ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
}

func msgIDs(body map[string]any) string {
	var out []string
	for _, m := range body["messages"].([]any) {
		out = append(out, m.(map[string]any)["_id"].(string))
	}
	return fmt.Sprint(out)
}

func at(sec int) string { return wire.FormatISO(historyBase.Add(time.Duration(sec) * time.Second)) }

func TestRoomHistory(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	f.seedHistory(t, f.pubID, 10) // h04 and h08 are thread replies

	get := func(q map[string]string) map[string]any {
		t.Helper()
		q["roomId"] = f.pubID
		return f.bob.Get(t, "/api/v1/channels.history", q).MustOK(t)
	}
	body := get(map[string]string{"count": "3"})
	if got := msgIDs(body); got != "[h09 h07 h06]" {
		t.Fatalf("newest page = %s", got)
	}
	m := body["messages"].([]any)[0].(map[string]any)
	wantISO(t, m, "ts")
	if _, ok := body["unreadNotLoaded"]; ok {
		t.Fatal("unreadNotLoaded without unreads=true")
	}
	if got := msgIDs(get(map[string]string{"count": "3", "latest": at(8), "showThreadMessages": "true"})); got != "[h07 h06 h05]" {
		t.Fatalf("before latest = %s", got)
	}
	if got := msgIDs(get(map[string]string{"count": "3", "latest": at(8), "inclusive": "true", "showThreadMessages": "true"})); got != "[h08 h07 h06]" {
		t.Fatalf("inclusive = %s", got)
	}
	if got := msgIDs(get(map[string]string{"count": "3", "offset": "1"})); got != "[h07 h06 h05]" {
		t.Fatalf("offset = %s", got)
	}
	body = get(map[string]string{"count": "2", "oldest": at(1), "unreads": "true"})
	if got := msgIDs(body); got != "[h09 h07]" {
		t.Fatalf("above oldest = %s", got)
	}
	// h02, h03, h05, h06 are after the mark and not loaded (h04 is a reply).
	if body["unreadNotLoaded"] != float64(4) || body["firstUnread"].(map[string]any)["_id"] != "h02" {
		t.Fatalf("unreads = %v / %v", body["unreadNotLoaded"], body["firstUnread"])
	}
	body = f.bob.Get(t, "/api/v1/channels.history", map[string]string{"roomName": f.pubName, "count": "1"}).MustOK(t)
	if got := msgIDs(body); got != "[h09]" {
		t.Fatalf("by roomName = %s", got)
	}

	// A public channel's history is open to non-members; a group's is not,
	// and each endpoint serves its own room type only.
	f.carol.Get(t, "/api/v1/channels.history", map[string]string{"roomId": f.pubID}).MustOK(t)
	wantError(t, f.carol.Get(t, "/api/v1/groups.history", map[string]string{"roomId": f.privID}), 400, "error-room-not-found")
	wantError(t, f.bob.Get(t, "/api/v1/groups.history", map[string]string{"roomId": f.pubID}), 400, "error-room-not-found")
	wantError(t, f.bob.Get(t, "/api/v1/channels.history", map[string]string{"roomId": f.privID}), 400, "error-room-not-found")
	wantError(t, f.bob.Get(t, "/api/v1/channels.history", map[string]string{"roomId": f.pubID, "latest": "noon"}), 400, "")
	wantError(t, f.bob.Get(t, "/api/v1/channels.history", map[string]string{}), 400, "")
	f.bob.Get(t, "/api/v1/groups.history", map[string]string{"roomId": f.privID}).MustOK(t)
}

func TestDirectHistory(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	body := f.bob.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "@carol", "text": "hi carol"}).MustOK(t)
	rid := body["message"].(map[string]any)["rid"].(string)
	for _, ep := range []string{"im", "dm"} {
		h := f.carol.Get(t, "/api/v1/"+ep+".history", map[string]string{"roomId": rid}).MustOK(t)
		if ms := h["messages"].([]any); len(ms) != 1 || ms[0].(map[string]any)["msg"] != "hi carol" {
			t.Fatalf("%s.history = %v", ep, h)
		}
		l := f.carol.Get(t, "/api/v1/"+ep+".messages", map[string]string{"roomId": rid}).MustOK(t)
		if l["total"] != float64(1) {
			t.Fatalf("%s.messages = %v", ep, l)
		}
	}
	byName := f.carol.Get(t, "/api/v1/im.messages", map[string]string{"username": "bob"}).MustOK(t)
	if byName["total"] != float64(1) {
		t.Fatalf("im.messages by username = %v", byName)
	}
	wantError(t, f.carol.Get(t, "/api/v1/im.history", nil), 400, "error-room-param-not-provided")
	wantError(t, f.admin.Get(t, "/api/v1/im.history", map[string]string{"roomId": rid}), 400, "error-room-not-found")
	wantError(t, f.bob.Get(t, "/api/v1/im.history", map[string]string{"roomId": f.pubID}), 400, "error-room-not-found")
}

func TestRoomMessages(t *testing.T) {
	t.Parallel()
	f := newChatFixture(t)
	f.seedHistory(t, f.privID, 9) // h04 and h08 are thread replies
	mention := chatSend(t, f.admin, f.privID, "ping @bob")["_id"].(string)
	f.admin.Post(t, "/api/v1/chat.pinMessage", map[string]any{"messageId": "h01"}).MustOK(t) // adds a system message
	f.bob.Post(t, "/api/v1/chat.starMessage", map[string]any{"messageId": "h02"}).MustOK(t)

	get := func(q map[string]string) map[string]any {
		t.Helper()
		q["roomId"] = f.privID
		return f.bob.Get(t, "/api/v1/groups.messages", q).MustOK(t)
	}
	body := get(map[string]string{"count": "3", "offset": "2"})
	if body["total"] != float64(11) || body["count"] != float64(3) || body["offset"] != float64(2) {
		t.Fatalf("page = count %v offset %v total %v", body["count"], body["offset"], body["total"])
	}
	if got := msgIDs(body); got != "[h08 h07 h06]" {
		t.Fatalf("page = %s", got)
	}
	body = get(map[string]string{"query": `{"tmid":{"$exists":false}}`, "count": "100"})
	if body["total"] != float64(9) {
		t.Fatalf("without thread replies total = %v", body["total"])
	}
	if got := msgIDs(get(map[string]string{"sort": `{"ts":1}`, "count": "2"})); got != "[h00 h01]" {
		t.Fatalf("ascending = %s", got)
	}
	if got := msgIDs(get(map[string]string{"pinned": "true"})); got != "[h01]" {
		t.Fatalf("pinned = %s", got)
	}
	if got := msgIDs(get(map[string]string{"starredIds": f.bob.UserID})); got != "[h02]" {
		t.Fatalf("starred = %s", got)
	}
	if got := msgIDs(get(map[string]string{"mentionIds": f.bob.UserID})); got != fmt.Sprint([]string{mention}) {
		t.Fatalf("mentioned = %s", got)
	}
	wantError(t, f.bob.Get(t, "/api/v1/groups.messages", map[string]string{"roomId": f.privID, "query": "{not json"}), 400, "")
	wantError(t, f.carol.Get(t, "/api/v1/groups.messages", map[string]string{"roomId": f.privID}), 400, "error-room-not-found")

	// Bots (view-joined-room) read only the channels they joined.
	f.admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": "robo", "name": "Robo", "email": "robo@example.com", "password": "pw-robo", "roles": []string{"bot"},
	}).MustOK(t)
	robo := f.env.Login(t, "robo", "pw-robo")
	wantError(t, robo.Get(t, "/api/v1/channels.messages", map[string]string{"roomId": f.pubID}), 403, "")
	f.carol.Get(t, "/api/v1/channels.messages", map[string]string{"roomId": f.pubID}).MustOK(t)
}
