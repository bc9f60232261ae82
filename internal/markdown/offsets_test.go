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
