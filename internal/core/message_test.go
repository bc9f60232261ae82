package core

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// msgEnv is a Service on a temporary SQLite store and an in-process bus,
// with an admin and helpers to make users and rooms.
type msgEnv struct {
	t     *testing.T
	ctx   context.Context
	s     *Service
	st    chat.Store
	bus   chat.Bus
	admin *chat.User
}

func newMsgEnv(t *testing.T) *msgEnv {
	t.Helper()
	return newMsgEnvWith(t, Config{})
}

// newMsgEnvWith is newMsgEnv with the service's other options from cfg.
func newMsgEnvWith(t *testing.T, cfg Config) *msgEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "liftoff.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := memory.New(log)
	t.Cleanup(func() { bus.Close() })
	cfg.Store, cfg.Bus, cfg.Logger = st, bus, log
	s := New(cfg)
	t.Cleanup(s.Close)
	if err := s.Init(ctx, InitOptions{Env: map[string]string{
		"ADMIN_USERNAME": "admin", "ADMIN_PASS": "admin-pass", "ADMIN_EMAIL": "admin@example.com",
	}}); err != nil {
		t.Fatal(err)
	}
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	return &msgEnv{t: t, ctx: ctx, s: s, st: st, bus: bus, admin: admin}
}

// user creates a user without a password (no bcrypt: tests stay fast).
func (e *msgEnv) user(name string, roles ...string) *chat.User {
	e.t.Helper()
	u, err := e.s.AdminCreateUser(e.ctx, NewUser{Username: name, Name: name + " N", Roles: roles})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *msgEnv) room(t chat.RoomType, name string, owner *chat.User, members ...string) *chat.Room {
	e.t.Helper()
	r, err := e.s.CreateRoom(e.ctx, owner, NewRoom{Type: t, Name: name, Members: members})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *msgEnv) send(u *chat.User, rid, text string) *chat.Message {
	e.t.Helper()
	m, err := e.s.SendMessage(e.ctx, u, NewMessage{RoomID: rid, Text: text})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *msgEnv) message(id string) *chat.Message {
	e.t.Helper()
	m, err := e.st.MessageByID(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *msgEnv) count(rid string) int {
	e.t.Helper()
	n, err := e.st.CountMessages(e.ctx, chat.MessageFilter{RoomID: rid})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// errType returns the Rocket.Chat error type of err ("" for none).
func errType(err error) string {
	if ce, ok := err.(*chat.Error); ok {
		return ce.Type
	}
	return "<not a chat.Error: " + err.Error() + ">"
}

func wantErr(t *testing.T, err error, kind chat.Kind, typ string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s/%s, got success", kind, typ)
	}
	if chat.ErrorKind(err) != kind || errType(err) != typ {
		t.Fatalf("want error %s/%s, got %s/%s: %v", kind, typ, chat.ErrorKind(err), errType(err), err)
	}
}

func TestSendMessageThreads(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	bob := e.user("bob")
	r := e.room(chat.RoomChannel, "threads", e.admin, "bob")
	other := e.room(chat.RoomChannel, "elsewhere", e.admin)

	root := e.send(e.admin, r.ID, "root")
	reply, err := e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: r.ID, Text: "reply", TMID: root.ID, TShow: true})
	if err != nil {
		t.Fatal(err)
	}
	if reply.TMID != root.ID || !reply.TShow {
		t.Fatalf("reply lost tmid/tshow: %+v", reply)
	}
	// A reply to a reply joins the first thread: threads do not nest.
	nested, err := e.s.SendMessage(e.ctx, e.admin, NewMessage{RoomID: r.ID, Text: "nested", TMID: reply.ID})
	if err != nil {
		t.Fatal(err)
	}
	if nested.TMID != root.ID {
		t.Fatalf("nested reply tmid = %q, want the root %q", nested.TMID, root.ID)
	}
	got := e.message(root.ID)
	if got.TCount != 2 || !got.TLM.Equal(nested.TS) {
		t.Fatalf("root tcount=%d tlm=%v, want 2 and %v", got.TCount, got.TLM, nested.TS)
	}
	if !contains(got.Replies, e.admin.ID) || !contains(got.Replies, bob.ID) {
		t.Fatalf("root replies %v should hold both senders", got.Replies)
	}

	before := e.count(other.ID)
	_, err = e.s.SendMessage(e.ctx, e.admin, NewMessage{RoomID: other.ID, Text: "x", TMID: root.ID})
	wantErr(t, err, chat.EInvalid, "error-invalid-message")
	_, err = e.s.SendMessage(e.ctx, e.admin, NewMessage{RoomID: r.ID, Text: "x", TMID: "nope"})
	wantErr(t, err, chat.EInvalid, "error-invalid-message")
	_, err = e.s.SendMessage(e.ctx, e.admin, NewMessage{RoomID: r.ID, Text: "x", TShow: true})
	wantErr(t, err, chat.EInvalid, "invalid-params")
	if e.count(other.ID) != before {
		t.Fatal("a refused reply was stored")
	}

	// Deleting a reply uncounts it; deleting a root with replies leaves a
	// placeholder so the thread stays readable.
	if _, err := e.s.DeleteMessage(e.ctx, bob, reply.ID, r.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := e.message(root.ID); got.TCount != 1 {
		t.Fatalf("after deleting a reply tcount=%d, want 1", got.TCount)
	}
	if _, err := e.s.DeleteMessage(e.ctx, e.admin, root.ID, r.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := e.message(root.ID); got.Type != "rm" || got.Text != "" || got.TCount != 1 {
		t.Fatalf("deleted root = %+v, want an rm placeholder keeping tcount", got)
	}
}

func TestSendMessageRules(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	bob := e.user("bob")
	carol := e.user("carol")
	bot := e.user("helper", "bot")
	priv := e.room(chat.RoomGroup, "secret", e.admin, "bob")
	pub := e.room(chat.RoomChannel, "open", e.admin, "bob")

	_, err := e.s.SendMessage(e.ctx, carol, NewMessage{RoomID: priv.ID, Text: "let me in"})
	wantErr(t, err, chat.EForbidden, "error-not-allowed")

	// Rocket.Chat's canSendMessage lets anyone with view-c-room post to a
	// public channel, member or not.
	if _, err := e.s.SendMessage(e.ctx, carol, NewMessage{RoomID: pub.ID, Text: "hello"}); err != nil {
		t.Fatal(err)
	}

	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: pub.ID, Text: strings.Repeat("é", 5001)})
	wantErr(t, err, chat.EInvalid, "error-message-size-exceeded")
	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: pub.ID, Text: "x", Type: "uj"})
	if chat.ErrorKind(err) != chat.EInvalid {
		t.Fatalf("system type: %v", err)
	}
	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: "nope", Text: "x"})
	wantErr(t, err, chat.EInvalid, "error-invalid-room")
	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: pub.ID, Text: "x", Alias: "Boss"})
	wantErr(t, err, chat.EForbidden, "")

	// A client-chosen id is kept; reusing it fails and stores nothing.
	m, err := e.s.SendMessage(e.ctx, bob, NewMessage{ID: "client-id-1", RoomID: pub.ID, Text: "mine"})
	if err != nil || m.ID != "client-id-1" {
		t.Fatalf("client id: %v %+v", err, m)
	}
	n := e.count(pub.ID)
	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{ID: "client-id-1", RoomID: pub.ID, Text: "again"})
	wantErr(t, err, chat.EInvalid, "error-message-already-exists")
	if e.count(pub.ID) != n || e.message("client-id-1").Text != "mine" {
		t.Fatal("a duplicate id changed the room")
	}

	// The bot label is kept for bots only.
	label := map[string]any{"i": "js.SDK"}
	m = mustSend(t, e, bob, NewMessage{RoomID: pub.ID, Text: "human", Bot: label})
	if m.Bot != nil {
		t.Fatalf("a user's bot label was kept: %v", m.Bot)
	}
	m = mustSend(t, e, bot, NewMessage{RoomID: pub.ID, Text: "robot", Bot: label})
	if m.Bot["i"] != "js.SDK" {
		t.Fatalf("a bot's label was dropped: %v", m.Bot)
	}

	// Read-only rooms take posts from post-readonly holders only; archived
	// rooms from nobody.
	pub.ReadOnly = true
	if err := e.st.UpdateRoom(e.ctx, pub); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.SendMessage(e.ctx, bob, NewMessage{RoomID: pub.ID, Text: "x"})
	wantErr(t, err, chat.EForbidden, "error-not-allowed")
	mustSend(t, e, e.admin, NewMessage{RoomID: pub.ID, Text: "announcement"})
	pub.Archived = true
	if err := e.st.UpdateRoom(e.ctx, pub); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.SendMessage(e.ctx, e.admin, NewMessage{RoomID: pub.ID, Text: "x"})
	wantErr(t, err, chat.EInvalid, "error-room-archived")
}

func mustSend(t *testing.T, e *msgEnv, u *chat.User, nm NewMessage) *chat.Message {
	t.Helper()
	m, err := e.s.SendMessage(e.ctx, u, nm)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendMessageMentions(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	e.user("bob")
	r := e.room(chat.RoomChannel, "mentions", e.admin, "bob")
	m := e.send(e.admin, r.ID, "hi @bob and @nobody in #mentions")
	if len(m.Mentions) != 1 || m.Mentions[0].Username != "bob" {
		t.Fatalf("mentions = %+v", m.Mentions)
	}
	if len(m.Channels) != 1 || m.Channels[0].ID != r.ID {
		t.Fatalf("channels = %+v", m.Channels)
	}
	// Editing re-resolves mentions.
	m, err := e.s.UpdateMessage(e.ctx, e.admin, EditMessage{ID: m.ID, RoomID: r.ID, Text: "no one now"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Mentions) != 0 || m.EditedBy == nil || m.EditedBy.ID != e.admin.ID || m.EditedAt.IsZero() {
		t.Fatalf("after edit: %+v", m)
	}
}

func TestPostMessageIsAtomic(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	bob := e.user("bob")
	a := e.room(chat.RoomChannel, "first", e.admin)
	b := e.room(chat.RoomChannel, "second", e.admin)
	b.ReadOnly = true
	if err := e.st.UpdateRoom(e.ctx, b); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.PostMessage(e.ctx, bob, PostMessage{Channels: []string{"#first", "#second"}, Text: "both"})
	wantErr(t, err, chat.EForbidden, "error-not-allowed")
	if n := e.count(a.ID); n != 0 {
		t.Fatalf("first room got %d messages from a failed post", n)
	}
	if sub, _ := e.s.subscription(e.ctx, e.st, a.ID, bob.ID); sub != nil {
		t.Fatal("a failed post left bob joined")
	}

	// Posting to a channel joins it (with a join message); "@user" opens
	// the direct conversation.
	posted, err := e.s.PostMessage(e.ctx, bob, PostMessage{Channels: []string{"#first", "@admin"}, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posted) != 2 || posted[1].Room.Type != chat.RoomDirect || posted[1].Room.ID != chat.DirectRoomID(bob.ID, e.admin.ID) {
		t.Fatalf("posted = %+v", posted)
	}
	if sub, _ := e.s.subscription(e.ctx, e.st, a.ID, bob.ID); sub == nil {
		t.Fatal("posting to a channel did not join it")
	}
	if n := e.count(a.ID); n != 2 {
		t.Fatalf("first room has %d messages, want the join and the post", n)
	}
	_, err = e.s.PostMessage(e.ctx, bob, PostMessage{Channels: []string{"#nowhere"}, Text: "x"})
	wantErr(t, err, chat.EInvalid, "invalid-channel")
}

func TestMessageChangesArePublished(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	r := e.room(chat.RoomChannel, "events", e.admin)
	m := e.send(e.admin, r.ID, "watch me")
	sub, err := e.bus.Subscribe(e.ctx, chat.RoomTopic(r.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	next := func() (chat.Event, chat.Message) {
		t.Helper()
		select {
		case ev := <-sub.C():
			var got chat.Message
			if len(ev.Data) > 0 {
				if err := json.Unmarshal(ev.Data, &got); err != nil {
					t.Fatal(err)
				}
			}
			return ev, got
		case <-time.After(5 * time.Second):
			t.Fatal("no event")
		}
		panic("unreachable")
	}
	if err := e.s.React(e.ctx, e.admin, m.ID, "thumbsup", nil); err != nil {
		t.Fatal(err)
	}
	ev, got := next()
	if ev.Kind != chat.EventMessage || got.Reactions[":thumbsup:"] == nil {
		t.Fatalf("reaction event %s %+v", ev.Kind, got.Reactions)
	}
	if _, err := e.s.Star(e.ctx, e.admin, m.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, got = next(); !contains(got.Starred, e.admin.ID) {
		t.Fatalf("star event %+v", got.Starred)
	}
	if err := e.s.Follow(e.ctx, e.admin, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, got = next(); !contains(got.Replies, e.admin.ID) {
		t.Fatalf("follow event %+v", got.Replies)
	}
	if _, err := e.s.DeleteMessage(e.ctx, e.admin, m.ID, r.ID, false); err != nil {
		t.Fatal(err)
	}
	if ev, _ = next(); ev.Kind != chat.EventMessageDeleted || ev.MessageID != m.ID {
		t.Fatalf("delete event %+v", ev)
	}
}

func TestReactToggles(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	bob := e.user("bob")
	r := e.room(chat.RoomChannel, "react", e.admin, "bob")
	m := e.send(e.admin, r.ID, "react to me")
	for _, emoji := range []string{":smile:", "smile"} {
		if err := e.s.React(e.ctx, bob, m.ID, emoji, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.message(m.ID); got.Reactions != nil {
		t.Fatalf("toggling twice should leave no reaction, got %+v", got.Reactions)
	}
	yes := true
	for range 2 {
		if err := e.s.React(e.ctx, bob, m.ID, "smile", &yes); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.message(m.ID); len(got.Reactions[":smile:"].Usernames) != 1 {
		t.Fatalf("shouldReact twice = %+v", got.Reactions)
	}
	err := e.s.React(e.ctx, bob, m.ID, "<script>", nil)
	wantErr(t, err, chat.EInvalid, "error-not-allowed")
}

func TestValidateAttachments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		att  string
		ok   bool
	}{
		{"full", `{"color":"#f00","text":"t","ts":"2016-12-09T16:53:06.761Z","title":"T","title_link":"https://x.org",
			"title_link_download":true,"image_url":"http://x.org/a.png","author_link":"/file-upload/a/b",
			"fields":[{"short":true,"title":"a","value":"b"}],"actions":[{"type":"button","text":"go","url":"https://x.org"}]}`, true},
		{"javascript title_link", `{"title_link":"javascript:alert(1)"}`, false},
		{"uppercase javascript", `{"message_link":"JavaScript:alert(1)"}`, false},
		{"data url", `{"image_url":"data:text/html;base64,PHNjcmlwdD4="}`, false},
		{"vbscript", `{"author_link":"vbscript:msgbox"}`, false},
		{"hidden scheme", `{"thumb_url":" javascript:alert(1)"}`, false},
		{"action url", `{"actions":[{"type":"button","url":"javascript:alert(1)"}]}`, false},
		{"action image", `{"actions":[{"type":"button","image_url":"javascript:x"}]}`, false},
		{"nested quote", `{"attachments":[{"title_link":"javascript:x"}]}`, false},
		{"wrong type", `{"message_link":12}`, false},
		{"fields not array", `{"fields":""}`, false},
		{"field title number", `{"fields":[{"title":12,"value":false}]}`, false},
		{"field without value", `{"fields":[{"title":"a"}]}`, false},
		{"download not bool", `{"title_link_download":"https://x"}`, false},
		{"nulls ignored", `{"title_link":null}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a map[string]any
			dec := json.NewDecoder(strings.NewReader(tt.att))
			dec.UseNumber()
			if err := dec.Decode(&a); err != nil {
				t.Fatal(err)
			}
			err := validateAttachments([]map[string]any{a})
			if (err == nil) != tt.ok {
				t.Fatalf("ok=%v, err=%v", tt.ok, err)
			}
		})
	}
}

func TestValidPartialURL(t *testing.T) {
	t.Parallel()
	for s, ok := range map[string]bool{
		"https://x.org/a.png": true, "/avatar/bob": true, "avatar.png": true, "/file-upload/x/y": true,
		"javascript:alert(1)": false, "data:image/png;base64,x": false, "//evil.org/x": false,
		" javascript:x": false, "java\tscript:x": false, `/\evil.org`: false, "": false,
	} {
		if validPartialURL(s) != ok {
			t.Errorf("validPartialURL(%q) = %v, want %v", s, !ok, ok)
		}
	}
}

func TestNormalizeEmoji(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"smile": ":smile:", ":smile:": ":smile:", ":+1:": ":+1:", "flag-us": ":flag-us:", "<b>": "", "": "", "a b": "",
	} {
		got, ok := NormalizeEmoji(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeEmoji(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}
