package markdown

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestByteOffsets checks byteOff against offsets counted rune by rune, on
// texts that mix ASCII runs of every length with multi-byte characters,
// surrogate pairs and invalid bytes.
func TestByteOffsets(t *testing.T) {
	pieces := []string{"a", "bc", "defghij", "klmnopqrstu", "\u00e9", "\u2014", "\U0001F44D", "\xff", " "}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 2000; round++ {
		var b strings.Builder
		for k := rng.IntN(40); k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String() + "x"
		p := newParser(text, Options{})
		unit := 0
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			if got := p.byteOff(unit); got != int32(i) {
				t.Fatalf("%q: byteOff(%d) = %d, want %d", text, unit, got, i)
			}
			unit++
			if r >= 0x10000 {
				if got := p.byteOff(unit); got != -1 {
					t.Fatalf("%q: byteOff(%d) = %d, want -1 (second half of a pair)", text, unit, got)
				}
				unit++
			}
			i += size
		}
		if unit != p.n || p.byteOff(p.n) != int32(len(text)) {
			t.Fatalf("%q: %d units, byteOff(n) = %d; want %d units ending at %d", text, p.n, p.byteOff(p.n), unit, len(text))
		}
	}
}

// TestNodeSpan checks that a node's range survives packing its length
// into 24 bits, including lengths that saturate them and are recounted
// from the text.
func TestNodeSpan(t *testing.T) {
	for _, tt := range []struct {
		name string
		typ  NodeType
		text string
		span int
	}{
		{"short", PlainText, "abc", 3},
		{"empty", PlainText, "", 0},
		{"below saturation", PlainText, "", spanSaturated - 1},
		{"high byte set", PlainText, "", 0xFF0000 + 7},
		{"saturated text", PlainText, strings.Repeat("a\U0001F44D", spanSaturated/3+1), 3 * (spanSaturated/3 + 1)},
		{"saturated invalid utf-8", PlainText, strings.Repeat("\xff", spanSaturated+2), spanSaturated + 2},
		{"saturated emoji", Emoji, strings.Repeat("x", spanSaturated), spanSaturated + 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := Node{Type: tt.typ, Text: tt.text}
			n.setPos(11, 11+tt.span)
			if !n.hasPos() || int(n.start) != 11 || n.end() != 11+tt.span {
				t.Fatalf("range %d..%d, want 11..%d", n.start, n.end(), 11+tt.span)
			}
		})
	}
}
