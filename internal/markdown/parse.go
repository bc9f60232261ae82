package markdown

import (
	"encoding/binary"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Parse parses a message text into its md tree, exactly as
// @rocket.chat/message-parser 0.32.0 does with the same options. It is safe
// for concurrent use.
//
// It returns nil for the empty string, the one input the reference parser
// rejects with a syntax error (Rocket.Chat then stores no md at all). See the
// package documentation for the two places where it deliberately differs.
func Parse(text string, opts Options) []Node {
	if text == "" {
		return nil
	}
	p := parserPool.Get().(*parser)
	p.reset(text, opts)
	out := p.parse()
	p.release()
	parserPool.Put(p)
	return out
}

// parserPool recycles the parsers' buffers (input units, memo tables, scan
// caches), which are as large as the input and would otherwise dominate
// the garbage a parse leaves behind.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// Skip flags: the grammar refuses to start an emphasis or a link while one of
// the same kind is being parsed, which stops infinite recursion and decides
// how markers nest. Rule results depend on them, so they are part of every
// memo key.
const (
	skipBold uint8 = 1 << iota
	skipItalic
	skipStrike
	skipRefs
	// measure marks a parse whose nodes will be thrown away: only where
	// rules end matters. Emphasis skips building its content then, because
	// building it once per start is quadratic when many starts share one
	// long content (see content).
	measure
)

// parser holds the state of one Parse call. Positions are indexes into s,
// the input as UTF-16 code units, because the grammar matches code units and
// reports source ranges in them.
type parser struct {
	src string
	s   []uint16
	// off maps a code-unit index to its byte offset in src; it is -1 for the
	// second half of a surrogate pair, which has no byte offset of its own.
	// It is only built when src is not all ASCII, and then only for the
	// blocks of eight units that are not all ASCII: blockOff holds the
	// offset of the first unit of the others, -1 for those (see byteOff).
	// Messages are mostly ASCII, and writing an offset for every unit
	// would cost more than the rest of setText.
	off      []int32
	blockOff []int32
	ascii    bool
	n        int

	colors, emoticons bool
	// wordStarts holds the letters that start a plain word with these
	// options: no emoticon or color can start with them (see simpleWords).
	wordStarts              asciiSet
	katexDollar, katexParen bool
	customDomains           []string
	now                     func() time.Time
	loc                     *time.Location

	// res is the node of the rule that matched last. Rules return the end
	// of their match (-1 when they fail) and leave the node here: copying
	// nodes through every level of the recursive descent would cost more
	// than the parsing itself.
	res Node

	flags uint8
	// lookahead counts the emoticon lookaheads being evaluated.
	lookahead int
	// steps counts units of work; the fuzz test uses it to check that the
	// work grows linearly with the input.
	steps int

	// inlineMemo caches InlineItemPattern results computed inside emoticon
	// lookaheads, by position (the rule only ever runs with no skip flag
	// set); the value is an index into memo plus one, 0 when unknown, -1
	// when the rule failed there. It is empty until first needed.
	inlineMemo []int32
	// ruleMemo caches the other memoized rules by (rule, flags, position).
	ruleMemo memoTable
	memo     []memoEntry

	// chunk is where nodes(n) carves lists of the tree from; see nodes.
	chunk []Node
	// blockStart is where the block being parsed starts; nodes sizes
	// chunks by what is left of the input.
	blockStart int
	// attrChunk is where attrs carves attributes from; like chunk it
	// belongs to the tree.
	attrChunk []Attrs
	pairChunk [][2]int

	// linkRefs memoizes markdownLinkRef, which only depends on the position.
	linkRefs map[int]linkRefMemo

	// stack holds the items of the lists being collected, nested lists on
	// top of outer ones; flatBuf is reduce's scratch space.
	stack, flatBuf []Node
	// scratch16 builds the "mailto:" URLs whose host is checked.
	scratch16 []uint16

	// cls holds the stop bits of each unit (see words.go), and endStops
	// at the end of the input.
	cls []uint8

	// Lazily filled scan caches; see runEnd and nextMatch.
	wordRuns                      []wordRun
	wordKnown                     []uint64
	extraRun, linkExtraRun        scanCache
	urlBodyEnd, mdURLBodyEnd      scanCache
	autoURLEnd, titleRun, textRun scanCache
	domainEnd, domainGroupEnd     scanCache
	localEnd, atRun, spaceRun     scanCache
	starRun, underscoreRun        scanCache
	tildeRun                      scanCache
	katexInlineEnd, katexBlockEnd scanCache
	// visited is scanEnd's scratch stack.
	visited []int32
	// gen is the generation of this parse in the scan caches.
	gen uint32
}

// newParser returns a parser for text; tests use it to look inside.
func newParser(text string, o Options) *parser {
	p := new(parser)
	p.reset(text, o)
	return p
}

// reset prepares the parser for text, reusing its buffers.
func (p *parser) reset(text string, o Options) {
	p.src = text
	p.colors, p.emoticons = o.Colors, o.Emoticons
	p.wordStarts = asciiLetters
	if p.emoticons {
		p.wordStarts = p.wordStarts.minus(emoticonStarts)
	}
	if p.colors {
		p.wordStarts = p.wordStarts.minus(colorStarts)
	}
	p.katexDollar, p.katexParen = false, false
	if o.Katex != nil {
		p.katexDollar = o.Katex.DollarSyntax
		p.katexParen = o.Katex.ParenthesisSyntax
	}
	p.customDomains = o.CustomDomains
	p.now, p.loc = o.Now, o.Location
	if p.now == nil {
		p.now = time.Now
	}
	if p.loc == nil {
		p.loc = time.Local
	}
	p.flags, p.steps, p.lookahead, p.blockStart = 0, 0, 0, 0
	p.setText(text)
	p.inlineMemo = p.inlineMemo[:0]
	p.memo = p.memo[:0]
	p.visited = p.visited[:0]
	p.ruleMemo.reset()
	clear(p.linkRefs)
	// A new generation invalidates every cached scan; see scanCache.
	p.gen++
	if p.gen >= 1<<(32-genShift) {
		p.gen = 1
		for _, c := range p.caches() {
			clear(c.buf[:cap(c.buf)])
		}
	}
	for _, c := range p.caches() {
		c.live = false
	}
	p.resetWords()
}

// setText converts text to UTF-16 code units in p.s and, unless it is all
// ASCII, maps the units to byte offsets in p.off. Messages are mostly ASCII,
// so runs of ASCII are copied eight bytes at a time.
func (p *parser) setText(text string) {
	if cap(p.s) < len(text) {
		p.s = make([]uint16, len(text))
	}
	if cap(p.cls) < len(text)+1 {
		p.cls = make([]uint8, len(text)+1)
	}
	s, cls := p.s[:len(text)], p.cls[:len(text)+1]
	k := copyASCII(s, cls, text)
	p.ascii = k == len(text)
	if p.ascii {
		// Units and bytes coincide; off is not needed.
		cls[k] = endStops
		p.s, p.cls, p.n = s, cls, len(text)
		return
	}
	if cap(p.off) < len(text)+1 {
		p.off = make([]int32, len(text)+1)
	}
	if cap(p.blockOff) < len(text)/8+1 {
		p.blockOff = make([]int32, len(text)/8+1)
	}
	off, blockOff := p.off[:len(text)+1], p.blockOff[:len(text)/8+1]
	p.off, p.blockOff = off, blockOff
	p.asciiOffsets(0, k, 0)
	n := k
	for i := k; i < len(text); {
		if text[i] < utf8.RuneSelf {
			m := copyASCII(s[n:], cls[n:], text[i:])
			p.asciiOffsets(n, n+m, i)
			n += m
			i += m
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			s[n], s[n+1] = uint16(hi), uint16(lo)
			cls[n], cls[n+1] = highStops, highStops
			off[n], off[n+1] = int32(i), -1
			blockOff[n>>3], blockOff[(n+1)>>3] = -1, -1
			n += 2
		} else {
			s[n] = uint16(r)
			cls[n] = highStops
			off[n] = int32(i)
			blockOff[n>>3] = -1
			n++
		}
		i += size
	}
	s, cls = s[:n], cls[:n+1]
	cls[n] = endStops
	off[n] = int32(len(text))
	blockOff[n>>3] = -1
	p.s, p.cls, p.n = s, cls, n
}

// asciiOffsets records the byte offsets of the units from lo to hi, ASCII
// units that start at byte i. Blocks of eight units that the run covers
// get one offset in blockOff; the units of the blocks it shares with other
// units get theirs in off, and the block is marked -1.
func (p *parser) asciiOffsets(lo, hi, i int) {
	if lo >= hi {
		return
	}
	d := i - lo
	first, last := (lo+7)&^7, hi&^7
	if first >= last {
		// No whole block: every unit gets its own offset.
		first, last = hi, hi
		p.blockOff[(hi-1)>>3] = -1
	}
	for u := lo; u < first; u++ {
		p.off[u] = int32(u + d)
	}
	if lo < first {
		p.blockOff[lo>>3] = -1
	}
	for b := first; b < last; b += 8 {
		p.blockOff[b>>3] = int32(b + d)
	}
	for u := last; u < hi; u++ {
		p.off[u] = int32(u + d)
	}
	if last < hi {
		p.blockOff[last>>3] = -1
	}
}

// copyASCII copies the leading ASCII bytes of src to dst, which has room
// for them, as units, records their stop bits in cls, and returns how many
// there are.
func copyASCII(dst []uint16, cls []uint8, src string) int {
	k := 0
	for ; k+8 <= len(src); k += 8 {
		b := src[k : k+8]
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if w&0x8080808080808080 != 0 {
			break
		}
		d := dst[k : k+8 : k+8]
		d[0], d[1], d[2], d[3] = uint16(w&0xff), uint16(w>>8&0xff), uint16(w>>16&0xff), uint16(w>>24&0xff)
		d[4], d[5], d[6], d[7] = uint16(w>>32&0xff), uint16(w>>40&0xff), uint16(w>>48&0xff), uint16(w>>56)
		binary.LittleEndian.PutUint64(cls[k:], uint64(unitStops[b[0]])|uint64(unitStops[b[1]])<<8|
			uint64(unitStops[b[2]])<<16|uint64(unitStops[b[3]])<<24|uint64(unitStops[b[4]])<<32|
			uint64(unitStops[b[5]])<<40|uint64(unitStops[b[6]])<<48|uint64(unitStops[b[7]])<<56)
	}
	for ; k < len(src); k++ {
		c := src[k]
		if c >= utf8.RuneSelf {
			break
		}
		dst[k] = uint16(c)
		cls[k] = unitStops[c]
	}
	return k
}

// caches lists the parser's scan caches.
func (p *parser) caches() [17]*scanCache {
	return [...]*scanCache{&p.extraRun, &p.linkExtraRun,
		&p.katexInlineEnd, &p.katexBlockEnd, &p.urlBodyEnd, &p.mdURLBodyEnd, &p.autoURLEnd,
		&p.titleRun, &p.textRun, &p.domainEnd, &p.domainGroupEnd, &p.localEnd, &p.atRun,
		&p.spaceRun, &p.starRun, &p.underscoreRun, &p.tildeRun}
}

// release drops the parser's direct references into the finished parse.
// The scratch stacks and the memo keep stale nodes until they are
// overwritten by the next parse; clearing them costs more than it saves,
// and sync.Pool lets the garbage collector drop idle parsers anyway.
func (p *parser) release() {
	p.stack = p.stack[:0]
	p.flatBuf = p.flatBuf[:0]
	p.memo = p.memo[:0]
	p.res = Node{}
	p.chunk = nil
	p.attrChunk, p.pairChunk = nil, nil
	p.src = ""
	p.customDomains = nil
	p.now, p.loc = nil, nil
	if cap(p.s) > 1<<16 || cap(p.memo) > 1<<16 || cap(p.stack) > 1<<14 {
		// Do not let one huge message pin huge buffers.
		*p = parser{}
	}
}

// at returns the code unit at i, or 0 past the end. No rule matches NUL in a
// way that end-of-input would not, except where callers check i < n first.
func (p *parser) at(i int) uint16 {
	if i < p.n {
		return p.s[i]
	}
	return 0
}

// is reports whether the input at i starts with the ASCII literal lit.
func (p *parser) is(i int, lit string) bool {
	if i+len(lit) > p.n {
		return false
	}
	for k := 0; k < len(lit); k++ {
		if p.s[i+k] != uint16(lit[k]) {
			return false
		}
	}
	return true
}

// byteOff returns the byte offset of code unit i in src, or -1 for the
// second half of a surrogate pair.
func (p *parser) byteOff(i int) int32 {
	if p.ascii {
		return int32(i)
	}
	if b := p.blockOff[i>>3]; b >= 0 {
		return b + int32(i&7)
	}
	return p.off[i]
}

// str returns the input between code units i and j as a Go string.
func (p *parser) str(i, j int) string {
	if i >= j {
		return ""
	}
	if a, b := p.byteOff(i), p.byteOff(j); a >= 0 && b >= 0 {
		return p.src[a:b]
	}
	// A slice that cuts a surrogate pair: decode the units, which turns the
	// lone half into U+FFFD.
	p.steps += j - i
	return string(utf16.Decode(p.s[i:j]))
}

// setPlain puts a PLAIN_TEXT for the input between i and j in p.res and
// returns j.
func (p *parser) setPlain(i, j int) int {
	a, b := p.byteOff(i), p.byteOff(j)
	r := &p.res
	if a >= 0 && b >= 0 {
		r.Text = p.src[a:b]
	} else {
		// A range that splits a surrogate pair still records its position:
		// merging it with its neighbour by position puts the pair back
		// together, as concatenating JavaScript strings does.
		r.Text = p.str(i, j)
	}
	r.setPos(i, j)
	r.Type = PlainText
	if r.Children != nil {
		r.Children = nil
	}
	if r.Attrs != nil {
		r.Attrs = nil
	}
	return j
}

// plain makes a PLAIN_TEXT node for the input between i and j.
func (p *parser) plain(i, j int) Node {
	n := Node{Type: PlainText}
	if a, b := p.byteOff(i), p.byteOff(j); a >= 0 && b >= 0 {
		n.Text = p.src[a:b]
	} else {
		n.Text = p.str(i, j)
	}
	n.setPos(i, j)
	return n
}

// pushPlain pushes a PLAIN_TEXT for the input between i and j on p.stack,
// built in place: returning the node and appending it would copy it twice.
func (p *parser) pushPlain(i, j int) {
	p.stack = append(p.stack, Node{Type: PlainText})
	n := &p.stack[len(p.stack)-1]
	if a, b := p.byteOff(i), p.byteOff(j); a >= 0 && b >= 0 {
		n.Text = p.src[a:b]
	} else {
		n.Text = p.str(i, j)
	}
	n.setPos(i, j)
}

// plainText makes a PLAIN_TEXT node for text that is not a slice of the input.
func plainText(s string) Node {
	return Node{Type: PlainText, Text: s, start: -1}
}

// node makes a container node.
func node(t NodeType, children []Node) Node {
	return Node{Type: t, Children: children, start: -1}
}

// textNode makes a node whose value is a string (or a PLAIN_TEXT of it).
func textNode(t NodeType, text string) Node {
	return Node{Type: t, Text: text, start: -1}
}

// one returns a list of the tree holding just n.
func (p *parser) one(n Node) []Node {
	return append(p.nodes(1), n)
}

// attrs returns a copy of a in the tree's storage. Attributes are carved
// from chunks like lists: emoji alone would otherwise cost an allocation
// each.
func (p *parser) attrs(a Attrs) *Attrs {
	if len(p.attrChunk) == cap(p.attrChunk) {
		p.attrChunk = make([]Attrs, 0, 16)
	}
	p.attrChunk = append(p.attrChunk, a)
	return &p.attrChunk[len(p.attrChunk)-1]
}

// fallback returns a source range for Attrs.Fallback, from the tree's storage.
func (p *parser) fallback(i, j int) *[2]int {
	if len(p.pairChunk) == cap(p.pairChunk) {
		p.pairChunk = make([][2]int, 0, 16)
	}
	p.pairChunk = append(p.pairChunk, [2]int{i, j})
	return &p.pairChunk[len(p.pairChunk)-1]
}

// nodes returns an empty slice with room for n nodes, for a list of the
// tree. Small lists are carved from a shared chunk: a message's tree has
// hundreds of them, and one allocation per list would dominate the parse.
// The chunk belongs to the tree, so it is never reused across parses.
func (p *parser) nodes(n int) []Node {
	const most = 32
	if n > most {
		return make([]Node, 0, n)
	}
	if cap(p.chunk)-len(p.chunk) < n {
		// Chat text takes about one list entry per dozen units; sizing the
		// chunk for the rest of the input leaves little of the last chunk
		// unused, and unused room is garbage the collector has to chase.
		rest := p.n - p.blockStart
		size := max(n, min(max(rest/12, 16), 256))
		p.chunk = make([]Node, 0, size)
	}
	k := len(p.chunk)
	p.chunk = p.chunk[:k+n]
	return p.chunk[k : k : k+n]
}
