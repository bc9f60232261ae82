package core

import (
	"context"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestListensTo(t *testing.T) {
	pub := &chat.Room{ID: "R1", Type: chat.RoomChannel, Name: "dev"}
	grp := &chat.Room{ID: "R2", Type: chat.RoomGroup, Name: "ops"}
	dm := &chat.Room{ID: "u1u2", Type: chat.RoomDirect, UIDs: []string{"u1", "u2"}, Usernames: []string{"ann", "bob"}}
	tests := []struct {
		name     string
		event    string
		channels []string
		room     *chat.Room
		sender   string
		want     bool
	}{
		{"no channels means public channels", eventSendMessage, nil, pub, "ann", true},
		{"no channels skips groups", eventSendMessage, nil, grp, "ann", false},
		{"by name", eventSendMessage, []string{"#dev"}, pub, "ann", true},
		{"by id", eventSendMessage, []string{"#R2"}, grp, "ann", true},
		{"other room", eventSendMessage, []string{"#ops"}, pub, "ann", false},
		{"all private groups", eventSendMessage, []string{allPrivateGroups}, grp, "ann", true},
		{"all private groups skips channels", eventSendMessage, []string{allPrivateGroups}, pub, "ann", false},
		{"all direct messages", eventSendMessage, []string{allDirectMessages}, dm, "ann", true},
		{"dm by member id, even the sender's", eventSendMessage, []string{"@u1"}, dm, "ann", true},
		{"dm by member username", eventSendMessage, []string{"@bob"}, dm, "ann", true},
		{"dm by the sender's username", eventSendMessage, []string{"@ann"}, dm, "ann", false},
		{"dm of others", eventSendMessage, []string{"@carl"}, dm, "ann", false},
		{"events without rooms see every room", eventRoomArchived, nil, grp, "ann", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &chat.Integration{Event: tt.event, Channels: tt.channels}
			if got := listensTo(it, tt.room, tt.sender); got != tt.want {
				t.Fatalf("listensTo = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOutgoingMatches(t *testing.T) {
	room := &chat.Room{ID: "GENERAL", Type: chat.RoomChannel, Name: "general"}
	msg := func(text string, edit func(*chat.Message)) *chat.Message {
		m := &chat.Message{ID: "m", Text: text, User: chat.UserRef{ID: "ann", Username: "ann"}}
		if edit != nil {
			edit(m)
		}
		return m
	}
	base := chat.Integration{ID: "hook", Event: eventSendMessage, UserID: "bot", TriggerWords: []string{"!deploy", "!ship"}}
	tests := []struct {
		name     string
		edit     func(*chat.Integration)
		m        *chat.Message
		origin   string
		wantWord string
		want     bool
	}{
		{"word at the start", nil, msg("!ship it", nil), "", "!ship", true},
		{"word elsewhere", nil, msg("please !ship it", nil), "", "", false},
		{"word anywhere", func(it *chat.Integration) { it.TriggerWordAnywhere = true }, msg("please !ship it", nil), "", "!ship", true},
		{"no words: every message", func(it *chat.Integration) { it.TriggerWords = nil }, msg("hello", nil), "", "", true},
		{"edit without runOnEdits", nil, msg("!ship", func(m *chat.Message) { m.EditedAt = time.Now() }), "", "", false},
		{"edit with runOnEdits", func(it *chat.Integration) { it.RunOnEdits = true }, msg("!ship", func(m *chat.Message) { m.EditedAt = time.Now() }), "", "!ship", true},
		{"written by the webhook's account", nil, msg("!ship", func(m *chat.Message) { m.User.ID = "bot" }), "", "", false},
		{"labelled with the webhook's id", nil, msg("!ship", func(m *chat.Message) { m.Bot = map[string]any{"i": "hook"} }), "", "", false},
		{"another webhook's answer", nil, msg("!ship", func(m *chat.Message) { m.Bot = map[string]any{"i": "other"} }), "", "!ship", true},
		{"the webhook's impersonated answer", nil, msg("!ship", nil), "hook", "", false},
	}
	o := &outgoing{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := base
			if tt.edit != nil {
				tt.edit(&it)
			}
			word, ok := o.matches(&it, &outgoingEvent{room: room, message: tt.m, user: tt.m.User, origin: tt.origin})
			if ok != tt.want || word != tt.wantWord {
				t.Fatalf("matches = %q, %v; want %q, %v", word, ok, tt.wantWord, tt.want)
			}
		})
	}
}

func TestNewOutgoingEvent(t *testing.T) {
	r := &chat.Room{ID: "R", Type: chat.RoomChannel}
	ctx := context.WithValue(context.Background(), outgoingOriginKey{}, "hook")
	tests := []struct {
		m    chat.Message
		want []string
	}{
		{chat.Message{Text: "hi"}, []string{eventSendMessage}},
		{chat.Message{File: &chat.FileRef{ID: "f"}}, []string{eventSendMessage, eventFileUploaded}},
		{chat.Message{File: &chat.FileRef{ID: "f"}, EditedAt: time.Now()}, []string{eventSendMessage}},
		{chat.Message{Type: chat.MsgUserJoined}, []string{eventRoomJoined}},
		{chat.Message{Type: chat.MsgUserLeft}, []string{eventRoomLeft}},
		{chat.Message{Type: chat.MsgArchived}, []string{eventRoomArchived}},
		{chat.Message{Type: chat.MsgRoomRenamed}, nil},
	}
	for _, tt := range tests {
		ev := newOutgoingEvent(ctx, r, &tt.m)
		var got []string
		if ev != nil {
			got = ev.names
			if ev.origin != "hook" {
				t.Errorf("origin %q", ev.origin)
			}
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[len(got)-1] != tt.want[len(tt.want)-1]) {
			t.Errorf("type %q file %v: events %v, want %v", tt.m.Type, tt.m.File != nil, got, tt.want)
		}
	}
}

func TestRetryWait(t *testing.T) {
	tests := []struct {
		delay string
		tries int
		want  time.Duration
		ok    bool
	}{
		{retryPowersOfTen, 0, 100 * time.Millisecond, true},
		{retryPowersOfTen, 1, time.Second, true},
		{retryPowersOfTen, 3, 100 * time.Second, true},
		{retryPowersOfTen, 40, 24 * time.Hour, true},
		{retryPowersOfTwo, 0, 2 * time.Second, true},
		{retryPowersOfTwo, 2, 8 * time.Second, true},
		{retryPowersOfTwo, 60, 24 * time.Hour, true},
		{retryIncrementsOfTwo, 0, 2 * time.Second, true},
		{retryIncrementsOfTwo, 2, 6 * time.Second, true},
		{"soonish", 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := retryWait(tt.delay, tt.tries)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryWait(%q, %d) = %v, %v; want %v, %v", tt.delay, tt.tries, got, ok, tt.want, tt.ok)
		}
	}
}
