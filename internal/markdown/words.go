package markdown

import (
	"encoding/binary"
	"math/bits"
)

// Word-level runs. Every inline item that starts a word asks where the run
// of units that may precede an "@" ends (e-mail lookahead), where the run
// before ":" "." "/" or "@" ends (URL lookahead), where the letters and
// digits end (italic "word_") and where the plain text ends.
//
// setText records, for every unit, which of these runs it stops (p.cls),
// so that the end of a run is found eight units at a time (see nextStop).
// Most words are short and are answered that way. A run too long for that
// is filled in with one backward pass that answers for each of its
// positions at once, so that asking again inside it costs nothing: the
// grammar tries a long run of URL or e-mail characters from many of its
// positions. A pass covers a segment, the units up to a blank or a line
// feed, which end all four runs.

// Stop bits of a unit: the runs it ends.
const (
	stopEmail uint8 = 1 << iota // ends the e-mail lookahead run
	stopURL                     // ends the URL lookahead run
	stopAlnum                   // is no letter or digit
	stopPlain                   // ends a PlainRun
	stopBreak                   // a blank or a line feed: ends all four

	// highStops are the stop bits of the units from U+0080 on.
	highStops = stopAlnum
	// endStops mark the end of the input, which ends every run.
	endStops = 0xFF
)

// unitStops maps ASCII units to their stop bits; the upper half is never
// used for units but lets bytes index it without a bounds check.
var unitStops = func() (t [256]uint8) {
	for c := range t {
		if c >= 0x80 {
			t[c] = highStops
			continue
		}
		u := uint16(c)
		if !emailLookClass.in(u) {
			t[c] |= stopEmail
		}
		if !urlLookClass.in(u) {
			t[c] |= stopURL
		}
		if !isAlphaDigit(u) {
			t[c] |= stopAlnum
		}
		if !isPlainRun(u) {
			t[c] |= stopPlain
		}
		if u == ' ' || u == '\t' || u == '\n' {
			t[c] |= stopBreak
		}
	}
	return t
}()

// stopsOf returns the stop bits of unit c.
func stopsOf(c uint16) uint8 {
	if c < 0x80 {
		return unitStops[c]
	}
	return highStops
}

// wordRun holds the ends of the four runs that start at a position.
type wordRun struct {
	email, url, alnum, plain int32
}

// resetWords forgets the runs of the previous parse. Only the bitmap of
// filled positions is cleared; the runs themselves are overwritten when
// filled.
func (p *parser) resetWords() {
	if cap(p.wordRuns) < p.n+1 {
		p.wordRuns = make([]wordRun, p.n+1)
	}
	p.wordRuns = p.wordRuns[:p.n+1]
	words := p.n/64 + 1
	if cap(p.wordKnown) < words {
		p.wordKnown = make([]uint64, words)
	}
	p.wordKnown = p.wordKnown[:words]
	clear(p.wordKnown)
}

// known reports whether the runs at i are filled in.
func (p *parser) known(i int) bool {
	return p.wordKnown[i>>6]&(1<<(i&63)) != 0
}

// markKnown marks the positions from i to j (excluded) as filled in.
func (p *parser) markKnown(i, j int) {
	for i < j {
		w, lo := i>>6, i&63
		hi := min(j-w<<6, 64)
		p.wordKnown[w] |= ^uint64(0) >> (64 - (hi - lo)) << lo
		i = w<<6 + hi
	}
}

// nextStop returns the first position from i on, before lim, whose unit
// has the stop bit bit, or -1 if there is none. lim may be p.n+1: the end
// of the input stops every run.
func (p *parser) nextStop(i, lim int, bit uint8) int {
	c := p.cls[:p.n+1]
	lim = min(lim, len(c))
	m := uint64(bit) * 0x0101010101010101
	k := i
	for k+8 <= lim {
		if w := binary.LittleEndian.Uint64(c[k:]) & m; w != 0 {
			return k + bits.TrailingZeros64(w)>>3
		}
		k += 8
	}
	for ; k < lim; k++ {
		if c[k]&bit != 0 {
			return k
		}
	}
	return -1
}

// wordProbe is how far word looks forward before it fills in the whole
// segment instead. It bounds the work of a call, which keeps parsing
// linear, and is longer than most words.
const wordProbe = 48

// word returns the word-level runs that start at i.
func (p *parser) word(i int) *wordRun {
	if !p.known(i) && !p.probeWord(i) {
		p.fillWord(i)
	}
	return &p.wordRuns[i]
}

// runEndAt returns where the run that the units with stop bit bit end
// starts at i ends: one of the four word runs. Callers that need only one
// run get it with one short scan; a long run is left to word.
func (p *parser) runEndAt(i int, bit uint8) int {
	if !p.known(i) {
		if e := p.nextStop(i, i+wordProbe, bit); e >= 0 {
			return e
		}
	}
	w := p.word(i)
	switch bit {
	case stopEmail:
		return int(w.email)
	case stopURL:
		return int(w.url)
	case stopAlnum:
		return int(w.alnum)
	}
	return int(w.plain)
}

// probeWord finds the runs at i if they all end within wordProbe units and
// reports whether they did. Each run starts where a shorter one ends: the
// letters and digits continue all four runs, and the units that end the
// e-mail run end the URL run too.
func (p *parser) probeWord(i int) bool {
	lim := i + wordProbe
	a := p.nextStop(i, lim, stopAlnum)
	if a < 0 {
		return false
	}
	u := p.nextStop(a, lim, stopURL)
	if u < 0 {
		return false
	}
	e := p.nextStop(u, lim, stopEmail)
	pl := p.nextStop(a, lim, stopPlain)
	if e < 0 || pl < 0 {
		return false
	}
	p.wordRuns[i] = wordRun{int32(e), int32(u), int32(a), int32(pl)}
	p.markKnown(i, i+1)
	p.steps += max(e, pl) - i + 1
	return true
}

// fillWord computes the runs from i to the end of its segment, or to the
// first position already filled in, whose runs continue those before it.
func (p *parser) fillWord(i int) {
	n := p.n
	cls := p.cls[:n+1]
	j := i
	for j < n && cls[j]&stopBreak == 0 && !p.known(j) {
		j++
	}
	w := p.wordRuns[:n+1]
	if j == n || !p.known(j) {
		// A blank, a line feed or the end: every run stops there.
		w[j] = wordRun{int32(j), int32(j), int32(j), int32(j)}
		p.markKnown(j, j+1)
	}
	r := w[j]
	e, u, a, pl := r.email, r.url, r.alnum, r.plain
	for k := j - 1; k >= i; k-- {
		stops := cls[k]
		// Written so that the compiler can use conditional moves: which
		// branch is taken follows the text and predicts badly.
		here := int32(k)
		if stops&stopEmail != 0 {
			e = here
		}
		if stops&stopURL != 0 {
			u = here
		}
		if stops&stopAlnum != 0 {
			a = here
		}
		if stops&stopPlain != 0 {
			pl = here
		}
		w[k] = wordRun{e, u, a, pl}
	}
	p.markKnown(i, j)
	p.steps += j - i + 1
}
