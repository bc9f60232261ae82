package markdown

// The grammar backtracks: the reference re-evaluates rules at the same
// position over and over, which makes it quadratic (and worse) on some
// inputs. The port memoizes the rules that get re-evaluated and caches the
// scans that many positions share, so that parsing stays linear.

// Rule ids for ruleMemo keys.
const (
	ruleBold = iota + 1
	ruleItalic
	ruleStrike
	ruleRefs
	ruleBoldItem
	ruleItalicItem
	ruleLinkTitle
	ruleLinkRef
	ruleBoldContent
	ruleItalicContent
	ruleStrikeContent
	ruleMentionName
)

func memoKey(rule int, flags uint8, pos int) uint64 {
	return uint64(rule)<<40 | uint64(flags)<<32 | uint64(pos)
}

type memoEntry struct {
	node Node
	end  int
}

// lookup finds a memoized rule result; on a hit it returns the end and,
// for a match, puts the node in p.res.
func (p *parser) lookup(rule int, pos int) (int, bool) {
	v, ok := p.ruleMemo.get(memoKey(rule, p.flags, pos))
	if !ok && p.flags&measure != 0 {
		// Whatever was built in full serves a measuring parse as well.
		v, ok = p.ruleMemo.get(memoKey(rule, p.flags&^measure, pos))
	}
	if !ok {
		return 0, false
	}
	if v < 0 {
		return -1, true
	}
	e := &p.memo[v]
	p.res = e.node
	return e.end, true
}

// remember memoizes a rule result (the node is p.res when end >= 0) and
// returns end.
func (p *parser) remember(rule int, pos int, end int) int {
	flags := p.flags
	if flags&measure != 0 && (end < 0 || complete(p.res.Type)) {
		// Where a rule ends does not depend on measuring, and these nodes
		// are the same either way: share them with the full parse.
		flags &^= measure
	}
	k := memoKey(rule, flags, pos)
	if end < 0 {
		p.ruleMemo.put(k, -1)
		return -1
	}
	p.ruleMemo.put(k, int32(len(p.memo)))
	p.memo = append(p.memo, memoEntry{node: p.res, end: end})
	return end
}

// complete reports whether a node of type t is built the same when
// measuring: it has no emphasis or link label inside.
func complete(t NodeType) bool {
	switch t {
	case PlainText, Emoji, MentionUser, MentionChannel, InlineCode, Timestamp:
		return true
	}
	return false
}

// lookupEnd and rememberEnd memoize rules whose result is only an end,
// which measuring does not change.
func (p *parser) lookupEnd(rule int, pos int) (int, bool) {
	v, ok := p.ruleMemo.get(memoKey(rule, p.flags&^measure, pos))
	if !ok {
		return 0, false
	}
	return int(-v) - 2, true
}

func (p *parser) rememberEnd(rule int, pos int, end int) {
	p.ruleMemo.put(memoKey(rule, p.flags&^measure, pos), int32(-(end + 2)))
}

// memoTable is an open-addressing hash map from non-zero keys to int32,
// cheaper than a Go map for this many short-lived small entries.
type memoTable struct {
	keys  []uint64
	vals  []int32
	count int
}

func (t *memoTable) reset() {
	if t.count > 0 {
		clear(t.keys)
		t.count = 0
	}
}

func (t *memoTable) slot(k uint64) int {
	h := k * 0x9E3779B97F4A7C15
	return int(h >> 32)
}

func (t *memoTable) get(k uint64) (int32, bool) {
	if t.count == 0 {
		return 0, false
	}
	mask := len(t.keys) - 1
	for i := t.slot(k) & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

func (t *memoTable) put(k uint64, v int32) {
	if 2*(t.count+1) > len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	for i := t.slot(k) & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			t.vals[i] = v
			return
		case 0:
			t.keys[i], t.vals[i] = k, v
			t.count++
			return
		}
	}
}

func (t *memoTable) grow() {
	oldKeys, oldVals := t.keys, t.vals
	size := 2 * len(oldKeys)
	if size < 256 {
		size = 256
	}
	t.keys, t.vals, t.count = make([]uint64, size), make([]int32, size), 0
	for i, k := range oldKeys {
		if k != 0 {
			t.put(k, oldVals[i])
		}
	}
}

// scanEnd walks from i with next, which returns the position after the
// step at j or -1 to stop there, and returns where the walk stops. The walk
// from any position it visits stops at the same place, so that end is cached
// for all of them: URL bodies are scanned from every "<" or "[" of a line
// otherwise.
func (p *parser) scanEnd(cache *scanCache, i int, next func(j int) int) int {
	// Most walks are a few steps long (the rest of a URL, a domain); they
	// cost less to repeat than to record, and repeating a bounded walk
	// keeps the parse linear. A walk that goes on is walked again below,
	// recording it.
	j := i
	for step := 0; step < shortWalk; step++ {
		k := -1
		if j < p.n {
			k = next(j)
		}
		if k < 0 {
			p.steps += step + 1
			return j
		}
		j = k
	}
	p.prepare(cache)
	// A step may run a scan of its own (a domain group scans its labels),
	// so the visited positions are kept as a stack above base.
	base := len(p.visited)
	j = i
	end := -1
	for {
		if v, ok := cache.load(j); ok {
			end = v
			break
		}
		p.visited = append(p.visited, int32(j))
		k := -1
		if j < p.n {
			k = next(j)
		}
		if k < 0 {
			end = j
			break
		}
		j = k
	}
	p.steps += len(p.visited) - base + 1
	for _, v := range p.visited[base:] {
		cache.store(int(v), end)
	}
	p.visited = p.visited[:base]
	return end
}

// shortWalk is how many steps scanEnd, domainChars and runEnd take
// before they start recording a walk.
const shortWalk = 24

// runClass is a class of units given by an ASCII set and whether units
// from U+0080 on belong to it; neg inverts the ASCII set.
type runClass struct {
	set  asciiSet
	neg  bool
	high bool
}

func (r *runClass) in(c uint16) bool {
	if c >= 0x80 {
		return r.high
	}
	return r.set[c>>6]&(1<<(c&63)) != 0 != r.neg
}

var (
	alnumClass      = runClass{set: newASCIISet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}
	extraClass      = runClass{set: extraSet}
	linkExtraClass  = runClass{set: linkExtraSet}
	emailLookClass  = runClass{set: emailLookStop, neg: true, high: true}
	urlLookClass    = runClass{set: urlLookStop, neg: true, high: true}
	titleRunClass   = runClass{set: linkTitleStop, neg: true, high: true}
	anyTextClass    = runClass{set: anyTextASCII, high: true}
	starClass       = runClass{set: newASCIISet("*")}
	underscoreClass = runClass{set: newASCIISet("_")}
	tildeClass      = runClass{set: newASCIISet("~")}
	spaceClass      = runClass{set: newASCIISet(" \t")}
	atClass         = runClass{set: newASCIISet("@")}
	anyTextASCII    = asciiRange(0x20, 0x27, 0x2B, 0x5A, 0x61, 0x7A)
)

// asciiRange builds a set from inclusive ranges given as pairs.
func asciiRange(bounds ...int) asciiSet {
	var s asciiSet
	for k := 0; k+1 < len(bounds); k += 2 {
		for c := bounds[k]; c <= bounds[k+1]; c++ {
			s[c>>6] |= 1 << (c & 63)
		}
	}
	return s
}

// runEnd returns the end of the maximal run of units of class r that starts
// at i. Several lookaheads of the grammar scan such runs from every
// position of a word; the cache makes each unit be scanned once, because
// every position inside a run shares its end.
func (p *parser) runEnd(cache *scanCache, i int, r *runClass) int {
	// Most runs are short: scanning them again costs less than the cache,
	// and a bounded scan keeps the work linear.
	s := p.s
	j := i
	for j < len(s) && j-i < shortWalk && r.in(s[j]) {
		j++
	}
	if j == len(s) || !r.in(s[j]) {
		p.steps += j - i + 1
		return j
	}
	p.prepare(cache)
	if v, ok := cache.load(i); ok {
		return v
	}
	for j < len(s) && r.in(s[j]) {
		j++
	}
	p.steps += j - i + 1
	for k := i; k <= j; k++ {
		if _, ok := cache.load(k); ok {
			break
		}
		cache.store(k, j)
	}
	return j
}

// scanCache caches a position-indexed answer (an end, or -1) for the scans
// above. Entries carry the parse's generation in their top byte, so a new
// parse ignores stale entries instead of clearing the buffer; inputs too long
// for the remaining 24 bits clear it instead.
type scanCache struct {
	buf  []uint32
	gen  uint32 // 0 when the buffer was cleared for this parse
	live bool   // prepared for the current parse
}

const genShift = 24

// prepare readies cache for the current parse on first use.
func (p *parser) prepare(c *scanCache) {
	if c.live {
		return
	}
	if need := p.n + 1; cap(c.buf) < need {
		c.buf = make([]uint32, need)
	} else {
		c.buf = c.buf[:need]
	}
	if p.n+2 < 1<<genShift {
		c.gen = p.gen
	} else {
		clear(c.buf)
		c.gen = 0
		// The values written now may reach into the generation bits, so
		// the next parse must start from clean buffers.
		p.gen = 1<<(32-genShift) - 1
	}
	c.live = true
}

func (c *scanCache) load(k int) (int, bool) {
	v := c.buf[k]
	if c.gen != 0 {
		if v>>genShift != c.gen {
			return 0, false
		}
		return int(v&(1<<genShift-1)) - 2, true
	}
	if v == 0 {
		return 0, false
	}
	return int(v) - 2, true
}

func (c *scanCache) store(k, value int) {
	c.buf[k] = c.gen<<genShift | uint32(value+2)
}

// nextMatch returns the first k >= i where match(k) holds, or -1. The
// answer is the same for every position up to k, so it is cached for all of
// them and each unit is tested once per cache.
func (p *parser) nextMatch(cache *scanCache, i int, match func(int) bool) int {
	p.prepare(cache)
	if v, ok := cache.load(i); ok {
		return v
	}
	k, found := i, -1
	for ; k < p.n; k++ {
		if v, ok := cache.load(k); ok {
			found = v
			break
		}
		if match(k) {
			found = k
			break
		}
	}
	p.steps += k - i + 1
	for j := i; j <= k && j <= p.n; j++ {
		cache.store(j, found)
	}
	return found
}
