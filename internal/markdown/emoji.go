package markdown

// emoji is Emoji: a short code such as ":smile:" or a unicode emoji.
func (p *parser) emoji(i int) int {
	if p.at(i) == ':' && i < p.n {
		j := i + 1
		for j < p.n && shortCodeSet.has(p.s[j]) {
			j++
		}
		p.steps += j - i
		if j > i+1 && p.at(j) == ':' && j < p.n {
			code := p.str(i+1, j)
			n := textNode(Emoji, code)
			n.Attrs = p.attrs(Attrs{ShortCode: code})
			n.setPos(i, j+1)
			p.res = n
			return j + 1
		}
		return -1
	}
	end := p.unicodeEmoji(i)
	if end < 0 {
		return -1
	}
	n := node(Emoji, nil)
	n.Attrs = p.attrs(Attrs{Unicode: p.str(i, end)})
	p.res = n
	return end
}

// optVS skips an optional variation selector (U+FE00 to U+FE0F).
func (p *parser) optVS(i int) int {
	if i < p.n && p.s[i] >= 0xFE00 && p.s[i] <= 0xFE0F {
		return i + 1
	}
	return i
}

// pair reports whether the units at i are lead, then a trail in [lo, hi].
func (p *parser) pair(i int, lead, lo, hi uint16) bool {
	return i+1 < p.n && p.s[i] == lead && p.s[i+1] >= lo && p.s[i+1] <= hi
}

// unicodeEmoji is UnicodeEmoji. It returns the end of the emoji or -1.
func (p *parser) unicodeEmoji(i int) int {
	if i >= p.n {
		return -1
	}
	c := p.s[i]
	// Every emoji starts with a keycap base, U+00A9, U+00AE or a unit from
	// U+2000 on.
	if c < 0x2000 && c != 0xA9 && c != 0xAE && !(c >= '0' && c <= '9' || c == '#' || c == '*') {
		return -1
	}
	// Subdivision flags: a black flag and tag characters.
	if p.pair(i, 0xD83C, 0xDFF4, 0xDFF4) {
		j := i + 2
		for p.pair(j, 0xDB40, 0xDC20, 0xDC7E) {
			j += 2
		}
		if j > i+2 && p.pair(j, 0xDB40, 0xDC7F, 0xDC7F) {
			return j + 2
		}
	}
	// Keycaps.
	if c >= '0' && c <= '9' || c == '#' || c == '*' {
		j := i + 1
		if p.at(j) == 0xFE0F && j < p.n {
			j++
		}
		if p.at(j) == 0x20E3 && j < p.n {
			return j + 1
		}
		return -1
	}
	// ZWJ sequences of pictographs: the repetition is greedy and does not
	// give back, as in the grammar.
	j := i
	for {
		e := p.zwjElement(j)
		if e < 0 || p.at(e) != 0x200D || e >= p.n {
			break
		}
		j = e + 1
	}
	if e := p.zwjElement(j); e >= 0 {
		return e
	}
	if e := p.emoticonsBlock(i); e >= 0 {
		return e
	}
	if e := p.transportBlock(i); e >= 0 {
		return e
	}
	if c >= 0x2300 && c <= 0x23FF {
		return p.optVS(i + 1)
	}
	if e := p.miscSymbols(i); e >= 0 {
		return e
	}
	if e := p.dingbats(i); e >= 0 {
		return e
	}
	if e := p.squaresAndCircles(i); e >= 0 {
		return e
	}
	if i+1 < p.n && c == 0xD83C {
		switch t := p.s[i+1]; {
		case t == 0xDCCF, t == 0xDD8E, t >= 0xDD91 && t <= 0xDD9A, t == 0xDE01,
			t >= 0xDE32 && t <= 0xDE3A, t == 0xDE50, t == 0xDE51:
			return p.optVS(i + 2)
		}
	}
	// Symbols that are emoji only with the emoji presentation selector.
	if isTextSymbol(c) && p.at(i+1) == 0xFE0F && i+1 < p.n {
		return i + 2
	}
	if i+2 < p.n && c == 0xD83C && p.s[i+2] == 0xFE0F {
		switch t := p.s[i+1]; {
		case t == 0xDC04, t == 0xDD70, t == 0xDD71, t == 0xDD7E, t == 0xDD7F,
			t == 0xDE02, t == 0xDE1A, t == 0xDE2F:
			return i + 3
		}
	}
	// Regional indicator pairs.
	if p.pair(i, 0xD83C, 0xDDE6, 0xDDFF) && p.pair(i+2, 0xD83C, 0xDDE6, 0xDDFF) {
		return i + 4
	}
	return -1
}

// zwjElement is one pictograph of a ZWJ sequence, with an optional skin
// tone.
func (p *parser) zwjElement(i int) int {
	e := -1
	switch {
	case p.pair(i, 0xD83E, 0xDD00, 0xDFFF):
		e = i + 2
	case p.pair(i, 0xD83C, 0xDF00, 0xDFFF), p.pair(i, 0xD83D, 0xDC00, 0xDDFF):
		e = p.optVS(i + 2)
	}
	if e < 0 {
		e = p.emoticonsBlock(i)
	}
	if e < 0 {
		e = p.transportBlock(i)
	}
	if e < 0 {
		e = p.dingbats(i)
	}
	if e < 0 {
		e = p.miscSymbols(i)
	}
	if e < 0 && i < p.n && (p.s[i] == 0x2194 || p.s[i] == 0x2195) {
		e = p.optVS(i + 1)
	}
	if e < 0 {
		e = p.squaresAndCircles(i)
	}
	if e < 0 {
		return -1
	}
	if p.pair(e, 0xD83C, 0xDFFB, 0xDFFF) {
		e += 2
	}
	return e
}

// emoticonsBlock matches U+1F600 to U+1F64F.
func (p *parser) emoticonsBlock(i int) int {
	if p.pair(i, 0xD83D, 0xDE00, 0xDE4F) {
		return p.optVS(i + 2)
	}
	return -1
}

// transportBlock matches U+1F680 to U+1F6FF.
func (p *parser) transportBlock(i int) int {
	if p.pair(i, 0xD83D, 0xDE80, 0xDEFF) {
		return p.optVS(i + 2)
	}
	return -1
}

// miscSymbols matches U+2600 to U+26FF.
func (p *parser) miscSymbols(i int) int {
	if i < p.n && p.s[i] >= 0x2600 && p.s[i] <= 0x26FF {
		return p.optVS(i + 1)
	}
	return -1
}

// dingbats matches U+2700 to U+27BF.
func (p *parser) dingbats(i int) int {
	if i < p.n && p.s[i] >= 0x2700 && p.s[i] <= 0x27BF {
		return p.optVS(i + 1)
	}
	return -1
}

// squaresAndCircles matches the large squares U+2B1B, U+2B1C and the
// coloured circles and squares U+1F7E0 to U+1F7EB, U+1F7F0.
func (p *parser) squaresAndCircles(i int) int {
	if i < p.n && (p.s[i] == 0x2B1B || p.s[i] == 0x2B1C) {
		return p.optVS(i + 1)
	}
	if i+1 < p.n && p.s[i] == 0xD83D {
		if t := p.s[i+1]; t >= 0xDFE0 && t <= 0xDFEB || t == 0xDFF0 {
			return p.optVS(i + 2)
		}
	}
	return -1
}

// isTextSymbol lists the BMP symbols that need U+FE0F to count as emoji.
func isTextSymbol(c uint16) bool {
	switch {
	case c == 0xA9, c == 0xAE, c == 0x203C, c == 0x2049, c == 0x2122, c == 0x2139,
		c >= 0x2196 && c <= 0x2199, c == 0x21A9, c == 0x21AA, c == 0x24C2,
		c == 0x25AA, c == 0x25AB, c == 0x25B6, c == 0x25C0, c >= 0x25FB && c <= 0x25FE,
		c == 0x2934, c == 0x2935, c >= 0x2B05 && c <= 0x2B07, c == 0x2B50, c == 0x2B55,
		c == 0x3030, c == 0x303D, c == 0x3297, c == 0x3299:
		return true
	}
	return false
}

// bigEmoji is BigEmoji: one to three emoji (or emoticons) and nothing else
// but blanks and line breaks.
func (p *parser) bigEmoji(i int) int {
	skip := func(j int) int {
		for j < p.n {
			if e := p.eol(j); e >= 0 {
				j = e
			} else if isSpace(p.s[j]) {
				j++
			} else {
				break
			}
		}
		return j
	}
	j := skip(i)
	var list []Node
	for len(list) < 3 {
		end := p.emoji(j)
		if end < 0 && p.emoticons {
			end = p.emoticon(j)
		}
		if end < 0 {
			break
		}
		list = append(list, p.res)
		j = skip(end)
	}
	if list == nil {
		return -1
	}
	p.res = node(BigEmoji, list)
	return j
}

// emoticon is Emoticon (EmoticonPattern): the text emoticons, tried in the
// grammar's order within each leading character.
func (p *parser) emoticon(i int) int {
	if !p.emoticons || i >= p.n || !emoticonStarts.has(p.s[i]) {
		return -1
	}
	// Most candidates fail on the second unit; check it before the list.
	if c2 := p.at(i + 1); i+1 >= p.n || c2 >= 0x80 && c2 != 0xDE || c2 < 0x80 && !emoticonSecond[p.s[i]].has(c2) {
		return -1
	}
	for _, g := range emoticonTable[p.s[i]] {
		for _, e := range g.texts {
			if end := p.matchText(i, e); end >= 0 {
				n := textNode(Emoji, p.str(i, end))
				n.Attrs = p.attrs(Attrs{ShortCode: g.code})
				n.setPos(i, end)
				p.res = n
				return end
			}
		}
	}
	return -1
}

// matchText returns the end of the BMP literal lit at i, or -1.
func (p *parser) matchText(i int, lit string) int {
	j := i
	for _, r := range lit {
		if j >= p.n || p.s[j] != uint16(r) {
			return -1
		}
		j++
	}
	return j
}

// emoticonTable indexes emoticonGroups by the leading ASCII character, and
// emoticonSecond holds the ASCII characters that follow it in some emoticon
// (only "Þ" follows outside ASCII).
var emoticonTable, emoticonSecond = func() (t [128][]emoticonGroup, second [128]asciiSet) {
	for c, groups := range emoticonGroups {
		t[c] = groups
		for _, g := range groups {
			for _, text := range g.texts {
				if r := []rune(text)[1]; r < 0x80 {
					second[c][r>>6] |= 1 << (r & 63)
				}
			}
		}
	}
	return t, second
}()

type emoticonGroup struct {
	code  string
	texts []string
}

// emoticonGroups lists the emoticons by leading character. Within a
// character the groups and texts keep the grammar's order, which matters
// where one text prefixes another (":-D" before ":D" is irrelevant, but
// "-___-" must come before "-_-").
var emoticonGroups = map[uint16][]emoticonGroup{
	':': {
		{"smiley", []string{":-D", ":D"}},
		{"joy", []string{":')", ":'-)"}},
		{"slight_smile", []string{":-)", ":)", ":]"}},
		{"kissing_heart", []string{":-*", ":*", ":^*"}},
		{"stuck_out_tongue", []string{":-P", ":P", ":-Þ", ":Þ", ":-b", ":b"}},
		{"disappointed", []string{":-(", ":(", ":-[", ":["}},
		{"confused", []string{":-/", ":-.", ":/", ":\\", ":L"}},
		{"cry", []string{":'("}},
		{"angry", []string{":@"}},
		{"flushed", []string{":$"}},
		{"no_mouth", []string{":-X", ":X", ":-#", ":#"}},
		{"open_mouth", []string{":-O", ":O"}},
	},
	';': {
		{"wink", []string{";)", ";-)", ";-]", ";]", ";D", ";^)"}},
		{"cry", []string{";(", ";-("}},
	},
	'<': {
		{"broken_heart", []string{"</3"}},
		{"heart", []string{"<3"}},
	},
	'>': {
		{"laughing", []string{">:)", ">;)", ">:-)", ">=)"}},
		{"persevere", []string{">.<"}},
		{"stuck_out_tongue_winking_eye", []string{">:P"}},
		{"confused", []string{">:\\", ">;/"}},
		{"angry", []string{">:(", ">:-("}},
		{"disappointed", []string{">:["}},
		{"open_mouth", []string{">:O"}},
	},
	'=': {
		{"smiley", []string{"=D"}},
		{"slight_smile", []string{"=]", "=)"}},
		{"kissing_heart", []string{"=*"}},
		{"stuck_out_tongue", []string{"=P"}},
		{"disappointed", []string{"=("}},
		{"confused", []string{"=/", "=\\", "=L"}},
		{"flushed", []string{"=$"}},
		{"no_mouth", []string{"=X", "=#"}},
	},
	'D': {{"fearful", []string{"D:"}}},
	'B': {{"sunglasses", []string{"B-)", "B)", "B-D"}}},
	'8': {{"sunglasses", []string{"8)", "8-)", "8-D"}}},
	'\'': {
		{"sweat_smile", []string{"':)", "':-)", "'=)", "':D", "':-D", "'=D"}},
		{"sweat", []string{"':(", "':-(", "'=("}},
	},
	'O': {
		{"innocent", []string{"O:-)", "O:)", "O;-)", "O=)", "O:-3", "O:3"}},
		{"open_mouth", []string{"O_O"}},
	},
	'0': {{"innocent", []string{"0:-3", "0:3", "0:-)", "0:)", "0;^)", "0;-)"}}},
	'*': {
		{"wink", []string{"*-)", "*)"}},
		{"person_gesturing_ok", []string{"*\\0/*", "*\\O/*"}},
	},
	'X': {
		{"stuck_out_tongue_winking_eye", []string{"X-P"}},
		{"dizzy_face", []string{"X)", "X-)"}},
	},
	'#':  {{"dizzy_face", []string{"#-)", "#)"}}},
	'%':  {{"dizzy_face", []string{"%-)", "%)"}}},
	'(':  {{"thumbsup", []string{"(y)"}}},
	'-':  {{"expressionless", []string{"-___-", "-__-", "-_-"}}},
	'\\': {{"person_gesturing_ok", []string{"\\0\\/", "\\O\\/"}}},
}
