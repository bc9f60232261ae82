package markdown

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// stepsFor parses text and returns the parser's work counter.
func stepsFor(text string, opts Options) int {
	p := newParser(text, opts)
	p.parse()
	return p.steps
}

// maxGrowth is how much more work than proportional a parse of the text
// repeated 8k times may take compared with the text repeated k times, where
// k copies make at least 1,500 units. The first copies of a text can parse
// differently from the following ones (an unclosed "*" finds its partner in
// a later copy, and a one-line text offers ever longer lines to emphasis),
// so the comparison starts from a text of some length and allows some
// slack; a quadratic parser would need 64 times the work for eight times the
// text, a linear one 8.
const maxGrowth = 3

// checkLinear fails when parsing text×8k costs more than maxGrowth×8 the
// steps of text×k (plus a constant for very small inputs).
func checkLinear(t *testing.T, text string, opts Options) {
	if text == "" {
		return
	}
	k := max(4, (1500+len(text)-1)/len(text))
	small := stepsFor(strings.Repeat(text, k), opts)
	big := stepsFor(strings.Repeat(text, 8*k), opts)
	if limit := maxGrowth*8*small + 4000; big > limit {
		t.Fatalf("%d steps for %q repeated %d times but %d repeated %d times (limit %d): parsing is not linear", small, text, k, big, 8*k, limit)
	}
}

// FuzzParse checks that parsing never panics, is deterministic, stays
// linear in the input (measured with the parser's step counter rather than
// the clock), and that the tree always encodes as JSON.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"hello", "*a* _b_ ~c~ `d`", "# h\n> q\n- l\n1. o\n- [x] t", "```js\nx\n```",
		"https://rocket.chat a@b.com +5511999999999", "@u #c :smile: :) 😀", "||s||", "[l](x.com) ![i](y.com)",
		"<t:1735725600:R>", "color:#fff", "$x$ \\(y\\) $$z$$", "| a |\n|---|\n| b |", "---", ":):):)", "[a [a [a",
		"*a _b ~c", "a\r\nb\rc", "\\<t:10:00>", "-_-x", "O_O:D", "__a__b _a_b",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(0xff))
	}
	f.Fuzz(func(t *testing.T, text string, bits uint8) {
		opts := Options{
			Colors:    bits&1 != 0,
			Emoticons: bits&2 != 0,
		}
		if bits&4 != 0 {
			opts.Katex = &KatexOptions{DollarSyntax: bits&8 != 0, ParenthesisSyntax: bits&16 != 0}
		}
		if bits&32 != 0 {
			opts.CustomDomains = []string{"intranet", "corp.example"}
		}
		opts.Now = func() time.Time { return fixedNow }
		first := AppendJSON(nil, Parse(text, opts))
		second := AppendJSON(nil, Parse(text, opts))
		if !bytes.Equal(first, second) {
			t.Fatalf("parse of %q is not deterministic:\n%s\n%s", text, first, second)
		}
		if text != "" && !json.Valid(first) {
			t.Fatalf("invalid JSON for %q: %s", text, first)
		}
		checkLinear(t, text, opts)
	})
}
