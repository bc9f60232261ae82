package markdown

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin in TestTimestampClockAndZone
)

// TestParse shows one example per construct; the expected trees are the
// npm parser's output for the same input and options.
func TestParse(t *testing.T) {
	colors := Options{Colors: true}
	dollar := Options{Katex: &KatexOptions{DollarSyntax: true}}
	paren := Options{Katex: &KatexOptions{ParenthesisSyntax: true}}
	emoticons := Options{Emoticons: true}
	tests := []struct {
		name  string
		input string
		opts  Options
		want  string
	}{
		{"paragraph", "plain text", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"plain text"}]}]`},
		{"emphasis and code", "**bold** _italic_ ~~strike~~ `code`", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"BOLD","value":[{"type":"PLAIN_TEXT","value":"bold"}]},{"type":"PLAIN_TEXT","value":" "},{"type":"ITALIC","value":[{"type":"PLAIN_TEXT","value":"italic"}]},{"type":"PLAIN_TEXT","value":" "},{"type":"STRIKE","value":[{"type":"PLAIN_TEXT","value":"strike"}]},{"type":"PLAIN_TEXT","value":" "},{"type":"INLINE_CODE","value":{"type":"PLAIN_TEXT","value":"code"}}]}]`},
		{"heading", "# Title", Options{}, `[{"type":"HEADING","level":1,"value":[{"type":"PLAIN_TEXT","value":"Title"}]}]`},
		{"code block", "```go\nx := 1\n```", Options{}, `[{"type":"CODE","language":"go","value":[{"type":"CODE_LINE","value":{"type":"PLAIN_TEXT","value":"x := 1"}}]}]`},
		{"quote", "> quoted", Options{}, `[{"type":"QUOTE","value":[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"quoted"}]}]}]`},
		{"ordered list", "1. one\n2. two", Options{}, `[{"type":"ORDERED_LIST","value":[{"type":"LIST_ITEM","value":[{"type":"PLAIN_TEXT","value":"one"}],"number":1},{"type":"LIST_ITEM","value":[{"type":"PLAIN_TEXT","value":"two"}],"number":2}]}]`},
		{"unordered list", "- a\n- b", Options{}, `[{"type":"UNORDERED_LIST","value":[{"type":"LIST_ITEM","value":[{"type":"PLAIN_TEXT","value":"a"}]},{"type":"LIST_ITEM","value":[{"type":"PLAIN_TEXT","value":"b"}]}]}]`},
		{"tasks", "- [x] done\n- [ ] todo", Options{}, `[{"type":"TASKS","value":[{"type":"TASK","status":true,"value":[{"type":"PLAIN_TEXT","value":"done"}]},{"type":"TASK","status":false,"value":[{"type":"PLAIN_TEXT","value":"todo"}]}]}]`},
		{"line break", "a\n\nb", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"a"}]},{"type":"LINE_BREAK"},{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"b"}]}]`},
		{"link with label", "[docs](https://docs.rocket.chat)", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"https://docs.rocket.chat"},"label":[{"type":"PLAIN_TEXT","value":"docs"}]}}]}]`},
		{"autolinked host", "see rocket.chat", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"see "},{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"//rocket.chat"},"label":[{"type":"PLAIN_TEXT","value":"rocket.chat"}]}}]}]`},
		{"unknown suffix stays text", "see foo.zzz", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"see foo.zzz"}]}]`},
		{"custom domain", "see srv.intranet", Options{CustomDomains: []string{"intranet"}}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"see "},{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"//srv.intranet"},"label":[{"type":"PLAIN_TEXT","value":"srv.intranet"}]}}]}]`},
		{"email", "mail me@example.com", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"mail "},{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"mailto:me@example.com"},"label":[{"type":"PLAIN_TEXT","value":"me@example.com"}]}}]}]`},
		{"phone", "+5511999999999", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"LINK","value":{"src":{"type":"PLAIN_TEXT","value":"tel:5511999999999"},"label":[{"type":"PLAIN_TEXT","value":"+5511999999999"}]}}]}]`},
		{"image", "![logo](https://rocket.chat/logo.png)", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"IMAGE","value":{"src":{"type":"PLAIN_TEXT","value":"https://rocket.chat/logo.png"},"label":{"type":"PLAIN_TEXT","value":"logo"}}}]}]`},
		{"mentions", "hi @maria and #general", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"hi "},{"type":"MENTION_USER","value":{"type":"PLAIN_TEXT","value":"maria"}},{"type":"PLAIN_TEXT","value":" and "},{"type":"MENTION_CHANNEL","value":{"type":"PLAIN_TEXT","value":"general"}}]}]`},
		{"emoji", "hi :smile: 😀", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"hi "},{"type":"EMOJI","value":{"type":"PLAIN_TEXT","value":"smile"},"shortCode":"smile"},{"type":"PLAIN_TEXT","value":" "},{"type":"EMOJI","unicode":"😀"}]}]`},
		{"short code touching text", "hello :smile:!", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"hello :smile:!"}]}]`},
		{"big emoji", "😀 😀", Options{}, `[{"type":"BIG_EMOJI","value":[{"type":"EMOJI","unicode":"😀"},{"type":"EMOJI","unicode":"😀"}]}]`},
		{"emoticon", "smile :)", emoticons, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"smile "},{"type":"EMOJI","value":{"type":"PLAIN_TEXT","value":":)"},"shortCode":"slight_smile"}]}]`},
		{"color", "color:#ff0000", colors, `[{"type":"PARAGRAPH","value":[{"type":"COLOR","value":{"r":255,"g":0,"b":0,"a":255}}]}]`},
		{"color disabled", "color:#ff0000", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"color:#ff0000"}]}]`},
		{"timestamp", "<t:1735725600:R>", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"TIMESTAMP","value":{"timestamp":"1735725600","format":"R"},"fallback":[0,16]}]}]`},
		{"spoiler", "||secret||", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"SPOILER","value":[{"type":"PLAIN_TEXT","value":"secret"}]}]}]`},
		{"inline katex", "$x^2$", dollar, `[{"type":"PARAGRAPH","value":[{"type":"INLINE_KATEX","value":"x^2"}]}]`},
		{"katex block", `\[x\]`, paren, `[{"type":"KATEX","value":"x"}]`},
		{"table", "| a |\n|:-:|\n| 1 |", Options{}, `[{"type":"TABLE","value":{"header":[{"type":"TABLE_CELL","align":"center","value":[{"type":"PLAIN_TEXT","value":"a"}]}],"rows":[{"type":"TABLE_ROW","value":[{"type":"TABLE_CELL","align":"center","value":[{"type":"PLAIN_TEXT","value":"1"}]}]}]},"fallback":[0,17]}]`},
		{"horizontal rule", "---", Options{}, `[{"type":"HORIZONTAL_RULE","fallback":[0,3]}]`},
		{"nesting and snake case", "snake_case *a _b_ c*", Options{}, `[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"snake_case "},{"type":"BOLD","value":[{"type":"PLAIN_TEXT","value":"a "},{"type":"ITALIC","value":[{"type":"PLAIN_TEXT","value":"b"}]},{"type":"PLAIN_TEXT","value":" c"}]}]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(Parse(tt.input, tt.opts))
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(got, []byte(tt.want)) {
				t.Errorf("Parse(%q):\n got %s\nwant %s", tt.input, got, tt.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	if got := Parse("", Options{}); got != nil {
		t.Errorf("Parse(\"\") = %v, want nil (the npm parser throws)", got)
	}
}

// TestMarshalJSON checks that encoding/json and AppendJSON agree.
func TestMarshalJSON(t *testing.T) {
	for _, in := range readCorpusFile(t, "testdata/corpus/handwritten.txt")[:300] {
		nodes := Parse(in, optionSets[1].goOptions())
		std, err := json.Marshal(nodes)
		if err != nil {
			t.Fatal(err)
		}
		if own := AppendJSON(nil, nodes); !sameJSON(std, own) {
			t.Fatalf("%q: encoding/json %s, AppendJSON %s", in, std, own)
		}
	}
}

// TestTimestampClockAndZone checks the two inputs the reference takes from
// its environment: the current date for time-of-day tags and the local zone
// for dates without an offset.
func TestTimestampClockAndZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2030, 6, 15, 23, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		input string
		loc   *time.Location
		want  string
	}{
		{"unix seconds", "<t:1735725600>", tokyo, "1735725600"},
		{"date in UTC", "<t:2025-01-01T10:00:00>", time.UTC, "1735725600"},
		{"date in the local zone", "<t:2025-01-01T10:00:00>", tokyo, "1735693200"},
		{"date with offset ignores the zone", "<t:2025-01-01T10:00:00+01:00>", tokyo, "1735722000"},
		{"time of day uses today's UTC date", "<t:10:00+01:00>", tokyo, "1907744400"},
		{"time of day without offset is invalid", "<t:10:00>", tokyo, "0"},
		{"day 31 rolls over", "<t:2025-02-31T00:00:00>", time.UTC, "1740960000"},
		{"24:00 is the next midnight", "<t:2025-01-01T24:00:00>", time.UTC, "1735776000"},
		{"seconds wrap to 32 bits", "<t:2050-01-01T00:00:00>", time.UTC, "-1770359296"},
		{"repeated local time is the first one", "<t:2025-10-26T02:30:00>", berlin, "1761438600"},
		{"skipped local time keeps the old offset", "<t:2025-03-30T02:30:00>", berlin, "1743298200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes := Parse(tt.input, Options{Now: now, Location: tt.loc})
			b, _ := json.Marshal(nodes)
			if !strings.Contains(string(b), `"timestamp":"`+tt.want+`"`) {
				t.Errorf("Parse(%q) = %s, want timestamp %s", tt.input, b, tt.want)
			}
		})
	}
}

func TestOptionsFromSettings(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]any
		want     Options
	}{
		{
			name: "defaults",
			want: Options{Colors: true, Emoticons: true, Katex: &KatexOptions{ParenthesisSyntax: true}},
		},
		{
			name: "everything off",
			settings: map[string]any{
				SettingHexColorPreview: false,
				SettingKatexEnabled:    false,
			},
			want: Options{Emoticons: true},
		},
		{
			name: "dollar syntax and custom domains",
			settings: map[string]any{
				SettingKatexDollar:      true,
				SettingKatexParenthesis: false,
				SettingCustomDomains:    " intranet , corp.example,",
			},
			want: Options{Colors: true, Emoticons: true, Katex: &KatexOptions{DollarSyntax: true}, CustomDomains: []string{"intranet", "corp.example", ""}},
		},
		{
			name: "values are read as JavaScript truthiness",
			settings: map[string]any{
				SettingHexColorPreview: "",
				SettingKatexEnabled:    1,
				SettingKatexDollar:     "yes",
				SettingCustomDomains:   nil,
			},
			want: Options{Emoticons: true, Katex: &KatexOptions{DollarSyntax: true, ParenthesisSyntax: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OptionsFromSettings(func(id string) (any, bool) {
				v, ok := tt.settings[id]
				return v, ok
			})
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(tt.want)
			if string(gj) != string(wj) {
				t.Errorf("OptionsFromSettings = %s, want %s", gj, wj)
			}
		})
	}
}

// TestLinear checks inputs on which the npm parser is quadratic (or worse):
// the port's work must grow linearly.
func TestLinear(t *testing.T) {
	opts := optionSets[1].goOptions()
	for _, unit := range []string{
		"[a ", ":)", "a:)", "x:):)", "*a ", "_a ", "~a ", "a(", `\(x `, "$x ", "||a ", "<t:", "a.", "a@", "@a",
		"![", "](", "*:)", "_:)", "*a_:)", "[*a ", "`a", "<a|", "http://a.com/", "-_-", "|a", "> a\n", "||\na\n",
		"```\na\n", "| a |\n", "a_b_", "__a", "**a", "~~a", "a-", "_a.b", "<http://a.com/x", "[a](b.c/d",
	} {
		t.Run(unit, func(t *testing.T) {
			checkLinear(t, unit, opts)
		})
	}
}
