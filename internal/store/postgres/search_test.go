package postgres

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearchWords(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"Deploying the new Release", "deploying the new release"},
		{"well-known C++ (NFC) a*b stuff:", "well known c nfc a b stuff"},
		{"Grüße aus KÖLN", "gruße aus koln"},
		{"Ça va? Très bien", "ca va tres bien"},
		{"Привет, мир! Йод", "привет мир йод"}, // й is a letter of its own
		{"emoji 🎉 party", "emoji party"},
		{"🎉 \"\" *** ()", ""},
		{"x²  ٣ ", "x² ٣"},         // numbers of every kind
		{"e\u0301te\u0301", "ete"}, // decomposed accents
	}
	for _, c := range cases {
		if got := strings.Join(searchWords(c.text), " "); got != c.want {
			t.Errorf("searchWords(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	long := strings.Repeat("é", 300) // 600 bytes
	w := searchWords(long)
	if len(w) != 1 || len(w[0]) != maxWordBytes || !strings.HasPrefix(strings.Repeat("e", 300), w[0]) {
		t.Errorf("a long word is cut to %d bytes: %d words, first %d bytes", maxWordBytes, len(w), len(w[0]))
	}
	if got := indexWords("b a b A c"); strings.Join(got, " ") != "b a c" {
		t.Errorf("indexWords keeps each word once: %q", got)
	}
	if got := indexWords(""); got == nil || len(got) != 0 {
		t.Errorf("indexWords of nothing = %#v, want an empty, non-nil list", got)
	}
}

func TestSearchQuery(t *testing.T) {
	cases := map[string]string{
		`release notes`:     `'release':* & 'notes':*`,
		`"hello" OR -world`: `'hello':* & 'or':* & 'world':*`,
		`NEAR(c b)`:         `'near':* & 'c':* & 'b':*`,
		`'quoted' \ back`:   `'quoted':* & 'back':*`,
		`""`:                ``,
		`***`:               ``,
	}
	for in, want := range cases {
		if got := searchQuery(in); got != want {
			t.Errorf("searchQuery(%q) = %q, want %q", in, got, want)
		}
	}
	many := strings.Repeat("w ", 40)
	if n := strings.Count(searchQuery(many), "&") + 1; n != maxQueryWords {
		t.Errorf("a long query keeps %d words, want %d", n, maxQueryWords)
	}
}

func TestClean(t *testing.T) {
	if got := clean("a\x00b\xffc"); got != "a\uFFFDb\uFFFDc" {
		t.Errorf("clean = %q", got)
	}
	if s := "plain ünïcode"; clean(s) != s {
		t.Errorf("clean changed valid text")
	}
	doc, err := jsonDoc(map[string]any{"nul": "x\x00y", "literal": `\u0000`, "both": "\\\x00"})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]string
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatalf("cleaned JSON does not parse: %v: %s", err, doc)
	}
	if back["nul"] != "x\uFFFDy" || back["literal"] != `\u0000` || back["both"] != "\\\uFFFD" {
		t.Errorf("cleaned document: %q", back)
	}
	args := cleanArgs([]any{"ok", "bad\x00", []string{"fine", "nul\x00"}, 42})
	if args[1] != "bad\uFFFD" || args[2].([]string)[1] != "nul\uFFFD" || args[2].([]string)[0] != "fine" || args[3] != 42 {
		t.Errorf("cleanArgs = %q", args)
	}
}
