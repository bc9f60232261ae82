package storetest

import (
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var searchTests = []test{
	{"WordsAndPrefixes", testSearchWords},
	{"SyntaxIsPlainText", testSearchSyntax},
	{"Unicode", testSearchUnicode},
	{"FollowsEditsAndDeletes", testSearchSync},
	{"WithOtherFilters", testSearchWithFilters},
}

func search(t *testing.T, s chat.Store, roomID, text string) []string {
	t.Helper()
	got, total, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: roomID, Text: text, WithTotal: true})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	equal(t, "total of search "+text, total, len(got))
	n, err := s.CountMessages(ctx(t), chat.MessageFilter{RoomID: roomID, Text: text})
	if err != nil {
		t.Fatalf("count search %q: %v", text, err)
	}
	equal(t, "count of search "+text, n, len(got))
	return sorted(msgIDs(got))
}

func testSearchWords(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m1", "u1", 1, "Deploying the new Release today")
	post(t, s, "r1", "m2", "u1", 2, "release notes are in the wiki")
	post(t, s, "r1", "m3", "u1", 3, "lunch?")
	cases := []struct {
		text string
		want []string
	}{
		{"release", []string{"m1", "m2"}},
		{"RELEASE", []string{"m1", "m2"}},
		{"rel", []string{"m1", "m2"}},     // prefix
		{"deploy", []string{"m1"}},        // prefix of a word
		{"release today", []string{"m1"}}, // every word must match
		{"today release", []string{"m1"}}, // in any order
		{"wiki notes", []string{"m2"}},
		{"lunch", []string{"m3"}},
		{"ease", nil}, // not a word prefix
		{"nothing here", nil},
	}
	for _, c := range cases {
		equal(t, "search "+c.text, search(t, s, "r1", c.text), sorted(c.want))
	}
}

// testSearchSyntax: what users type is searched as words; operators and
// quotes of any search syntax neither fail nor change the meaning.
func testSearchSyntax(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m1", "u1", 1, `she said "hello" to a well-known guest`)
	post(t, s, "r1", "m2", "u1", 2, "this or that, not both")
	post(t, s, "r1", "m3", "u1", 3, "C++ and near-field (NFC) stuff: a*b")
	mustFind := map[string][]string{
		`"hello"`:      {"m1"},
		`"hello`:       {"m1"},
		`hello"`:       {"m1"},
		`well-known`:   {"m1"},
		`-known`:       {"m1"},
		`hel*`:         {"m1"},
		`this OR that`: {"m2"},
		`NOT both`:     {"m2"},
		`this AND`:     nil, // "and" is a word like any other: m2 has none
		`(nfc)`:        {"m3"},
		`near-field`:   {"m3"},
		`NEAR(c b)`:    {"m3"},
		`c++`:          {"m3"},
		`stuff:`:       {"m3"},
		`a*b`:          {"m3"},
		`^this`:        {"m2"},
	}
	for text, want := range mustFind {
		equal(t, "search "+text, search(t, s, "r1", text), sorted(want))
	}
	// Input that has no word at all matches nothing, without error.
	for _, text := range []string{`"`, `*`, `-`, `""`, `()`, `:`, `^`, `'`, `***`, `"*"`, `\`, `%`, `_`} {
		equal(t, "search "+text, len(search(t, s, "r1", text)), 0)
	}
	// Unbalanced and odd input does not fail.
	for _, text := range []string{`"unterminated`, `a OR`, `NEAR(`, `col:value`, `{x y}`, `'quoted'`, `a AND OR NOT b`, "tab\tnewline\n"} {
		search(t, s, "r1", text)
	}
}

func testSearchUnicode(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m1", "u1", 1, "Grüße aus KÖLN")
	post(t, s, "r1", "m2", "u1", 2, "Привет, мир!")
	post(t, s, "r1", "m3", "u1", 3, "Ça va? Très bien")
	post(t, s, "r1", "m4", "u1", 4, "emoji 🎉 party")
	post(t, s, "r1", "m5", "u1", 5, "हिन्दी भाषा में संदेश")
	cases := []struct {
		text string
		want []string
	}{
		{"köln", []string{"m1"}},
		{"GRÜ", []string{"m1"}}, // a prefix, folded
		{"привет", []string{"m2"}},
		{"МИР", []string{"m2"}},
		{"при", []string{"m2"}},
		{"ça", []string{"m3"}},
		{"TRÈS", []string{"m3"}},
		{"party 🎉", []string{"m4"}},
		{"🎉", nil}, // an emoji alone is no word
		{"हिन्दी", []string{"m5"}},
		{"संदेश भाषा", []string{"m5"}},
		{"भा", []string{"m5"}},
	}
	for _, c := range cases {
		equal(t, "search "+c.text, search(t, s, "r1", c.text), sorted(c.want))
	}
}

func testSearchSync(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	m := post(t, s, "r1", "m1", "u1", 1, "original wording")
	post(t, s, "r1", "m2", "u1", 2, "original too")
	m.Text = "edited phrasing"
	must(t, s.UpdateMessage(ctx(t), m))
	equal(t, "old words", search(t, s, "r1", "wording"), []string(nil))
	equal(t, "new words", search(t, s, "r1", "phrasing"), []string{"m1"})
	equal(t, "shared word", search(t, s, "r1", "original"), []string{"m2"})

	// An update that keeps the text keeps it searchable.
	m.Pinned = true
	must(t, s.UpdateMessage(ctx(t), m))
	equal(t, "after another update", search(t, s, "r1", "phrasing"), []string{"m1"})

	must(t, s.DeleteMessage(ctx(t), "m1", at(5)))
	equal(t, "after delete", search(t, s, "r1", "phrasing"), []string(nil))

	must(t, s.DeleteRoom(ctx(t), "r1", at(6)))
	equal(t, "after room delete", search(t, s, "", "original"), []string(nil))
}

func testSearchWithFilters(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "one")
	addRoom(t, s, "r2", chat.RoomChannel, "two")
	post(t, s, "r1", "a1", "u1", 1, "budget meeting")
	post(t, s, "r1", "a2", "u2", 2, "budget review")
	post(t, s, "r1", "a3", "u2", 3, "budget final")
	post(t, s, "r2", "b1", "u1", 4, "budget elsewhere")

	equal(t, "room scoped", search(t, s, "r1", "budget"), []string{"a1", "a2", "a3"})
	equal(t, "all rooms", search(t, s, "", "budget"), []string{"a1", "a2", "a3", "b1"})

	got, total, err := s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Text: "budget", FromUserID: "u2", Limit: 1, WithTotal: true})
	must(t, err)
	equal(t, "newest match of u2", msgIDs(got), []string{"a3"})
	equal(t, "total", total, 2)
	got, _, err = s.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Text: "budget", Before: at(3), Ascending: true})
	must(t, err)
	equal(t, "with a time bound", msgIDs(got), []string{"a1", "a2"})
}
