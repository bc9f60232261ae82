package storedoc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func testMessage() *chat.Message {
	groupable := false
	ts := time.UnixMilli(1700000000123).UTC()
	return &chat.Message{
		ID: "m1", RoomID: "r1", Seq: 7, Text: "a <b> & c",
		User: chat.UserRef{ID: "u1", Username: "bob", Name: "Bob"}, TS: ts, UpdatedAt: ts.Add(time.Second),
		EditedAt: ts.Add(2 * time.Second), EditedBy: &chat.UserRef{ID: "u2", Username: "al"},
		Mentions:     []chat.Mention{{ID: "u3", Username: "cy", Type: "user"}, {ID: "all", Username: "all"}},
		Channels:     []chat.ChannelRef{{ID: "r9", Name: "general"}},
		GroupMention: true,
		MD:           json.RawMessage(`[ {"type":"PARAGRAPH", "value":[{"type":"PLAIN_TEXT","value":"a <b>"}]} ]`),
		Alias:        "al", Emoji: ":x:", Avatar: "/a.png", Groupable: &groupable, Bot: map[string]any{"i": "x"},
		Reactions: map[string]*chat.Reaction{":a:": {Usernames: []string{"bob"}, Names: []string{"Bob"}}},
		Pinned:    true, PinnedAt: ts, PinnedBy: &chat.UserRef{ID: "u4"}, Starred: []string{"u1"},
		TMID: "t1", TShow: true, TCount: 3, TLM: ts, Replies: []string{"u1", "u3"},
		DRID: "d1", DCount: 2, DLM: ts,
		Attachments: []map[string]any{{"title": "x"}},
		File:        &chat.FileRef{ID: "f1", Name: "f.png", Type: "image/png", Size: 3, Format: "png"},
		Files:       []chat.FileRef{{ID: "f1"}}, URLs: []map[string]any{{"url": "https://x"}}, Role: "owner", Hidden: true,
		CustomFields: map[string]any{"k": "v"},
	}
}

// The stored documents, as the stores wrote them before the documents moved
// here: databases hold these bytes, so names, order and forms must not
// change. Only md differs between the two forms.
const (
	goldenHead   = `{"_id":"m1","rid":"r1","seq":7,"msg":"a \u003cb\u003e \u0026 c","u":{"_id":"u1","username":"bob","name":"Bob"},"ts":1700000000123,"_updatedAt":1700000001123,"editedAt":1700000002123,"editedBy":{"_id":"u2","username":"al"},"mentions":[{"_id":"u3","username":"cy","type":"user"},{"_id":"all","username":"all"}],"channels":[{"_id":"r9","name":"general"}],"groupMention":true,`
	goldenTail   = `,"alias":"al","emoji":":x:","avatar":"/a.png","groupable":false,"bot":{"i":"x"},"reactions":{":a:":{"usernames":["bob"],"names":["Bob"]}},"pinned":true,"pinnedAt":1700000000123,"pinnedBy":{"_id":"u4"},"starred":["u1"],"tmid":"t1","tshow":true,"tcount":3,"tlm":1700000000123,"replies":["u1","u3"],"drid":"d1","dcount":2,"dlm":1700000000123,"attachments":[{"title":"x"}],"file":{"_id":"f1","name":"f.png","type":"image/png","size":3,"format":"png"},"files":[{"_id":"f1"}],"urls":[{"url":"https://x"}],"role":"owner","_hidden":true,"customFields":{"k":"v"}}`
	goldenRawMD  = `"md":[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"a \u003cb\u003e"}]}]`
	goldenTextMD = `"md":"[{\"type\":\"PARAGRAPH\",\"value\":[{\"type\":\"PLAIN_TEXT\",\"value\":\"a \u003cb\u003e\"}]}]"`
)

// checkMessage encodes testMessage in the form MD, compares it with want,
// and checks that decoding and encoding again gives the same bytes.
func checkMessage[MD MDForm](t *testing.T, want string) {
	t.Helper()
	d, err := NewMessage[MD](testMessage())
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("encoded\n got %s\nwant %s", got, want)
	}
	var back Message[MD]
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	var m chat.Message
	back.Apply(&m)
	d, err = NewMessage[MD](&m)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(d); string(again) != want {
		t.Fatalf("encoded after a round trip\n got %s\nwant %s", again, want)
	}
	m.MD = testMessage().MD // read back compacted, and escaped in the raw form
	if want := testMessage(); !reflect.DeepEqual(&m, want) {
		t.Fatalf("decoded\n got %#v\nwant %#v", m, *want)
	}
}

func TestMessageRawMD(t *testing.T) {
	checkMessage[json.RawMessage](t, goldenHead+goldenRawMD+goldenTail)
}

func TestMessageTextMD(t *testing.T) {
	checkMessage[string](t, goldenHead+goldenTextMD+goldenTail)
}

func TestMessageEmptyAndInvalidMD(t *testing.T) {
	d, err := NewMessage[string](&chat.Message{ID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(d); string(b) != `{"_id":"x","u":{}}` {
		t.Errorf("empty message encoded as %s", b)
	}
	if _, err := NewMessage[json.RawMessage](&chat.Message{MD: json.RawMessage(`[{`)}); err == nil {
		t.Error("invalid md: no error")
	}
}

func TestMentionedUserIDs(t *testing.T) {
	m := &chat.Message{Mentions: []chat.Mention{
		{ID: "u1"}, {ID: "all"}, {ID: "here"}, {ID: ""}, {ID: "t1", Type: "team"}, {ID: "u2"}, {ID: "u1"},
	}}
	if got := MentionedUserIDs(m); !reflect.DeepEqual(got, []string{"u1", "u2"}) {
		t.Errorf("got %v", got)
	}
	if got := MentionedUserIDs(&chat.Message{}); got != nil {
		t.Errorf("no mentions: got %v", got)
	}
}

func TestSearch(t *testing.T) {
	u := &chat.User{Username: "Bob", Name: "Bob ÄLM", Emails: []chat.Email{{Address: "B@X.org"}}}
	if got := UserSearch(u); got != "bob\nbob älm\nb@x.org" {
		t.Errorf("user search %q", got)
	}
	if got := RoomSearch(&chat.Room{Name: "Gen", FName: "General"}); got != "gen\ngeneral" {
		t.Errorf("room search %q", got)
	}
}

func TestSettingRoundTrip(t *testing.T) {
	st := &chat.Setting{Type: "select", PackageValue: map[string]any{"a": 1.0}, Public: true, Group: "g",
		Values: []chat.SettingOption{{Key: "k", I18nLabel: "l"}}}
	d, err := NewSetting(st)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	const want = `{"type":"select","packageValue":{"a":1},"public":true,"group":"g","values":[{"key":"k","i18nLabel":"l"}]}`
	if string(b) != want {
		t.Fatalf("got %s", b)
	}
	var back Setting
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var got chat.Setting
	if err := back.Apply(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, st) {
		t.Errorf("got %#v", got)
	}
	if _, err := NewSetting(&chat.Setting{PackageValue: make(chan int)}); err == nil {
		t.Error("unencodable default: no error")
	}
}

func TestOrderBy(t *testing.T) {
	cols := map[string]string{"name": "lower(r.name)", "ts": "r.created_at"}
	def := []chat.SortField{{Field: "name"}}
	tests := []struct {
		name string
		sort []chat.SortField
		want string
	}{
		{"default", nil, " ORDER BY lower(r.name) ASC, r.id ASC"},
		{"several", []chat.SortField{{Field: "ts", Desc: true}, {Field: "name"}}, " ORDER BY r.created_at DESC, lower(r.name) ASC, r.id ASC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OrderBy(tt.sort, cols, def, "r.id")
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	_, err := OrderBy([]chat.SortField{{Field: "password"}}, cols, def, "r.id")
	var ce *chat.Error
	if !errors.As(err, &ce) || ce.Kind != chat.EInvalid {
		t.Errorf("unknown field: got %v, want EInvalid", err)
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	got, err := LoadMigrations(fstest.MapFS{
		"m/0010_ten.sql": file("ten"), "m/0002_two.sql": file("two"), "m/1_one.sql": file("one"),
	}, "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []Migration{{1, "1_one.sql", "one"}, {2, "0002_two.sql", "two"}, {10, "0010_ten.sql", "ten"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	tests := []struct {
		name, file, errText string
	}{
		{"no number", "init.sql", "must start with a positive number"},
		{"zero", "0_init.sql", "must start with a positive number"},
		{"shared version", "02_again.sql", "share version 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadMigrations(fstest.MapFS{"m/0002_two.sql": file("two"), "m/" + tt.file: file("x")}, "m")
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("got %v, want an error with %q", err, tt.errText)
			}
		})
	}
}
