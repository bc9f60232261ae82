package markdown

// Rules return the end of their match, or -1, and leave the node in p.res;
// see parser.res.

// emphasisWithWhitespace is EmphasisWithWhitespace: markers, blanks and
// markers of the same kind ("** **", "_ _", "~~ ~") stay plain text.
func (p *parser) emphasisWithWhitespace(i int) int {
	if i >= p.n {
		return -1
	}
	// Marker and blank runs are cached: a long run of markers is tried from
	// each of its positions.
	var cache *scanCache
	var class *runClass
	switch p.s[i] {
	case '*':
		cache, class = &p.starRun, &starClass
	case '_':
		cache, class = &p.underscoreRun, &underscoreClass
	case '~':
		cache, class = &p.tildeRun, &tildeClass
	default:
		return -1
	}
	j := p.runEnd(cache, i, class)
	k := p.runEnd(&p.spaceRun, j, &spaceClass)
	if k == j {
		return -1
	}
	e := p.runEnd(cache, k, class)
	if e == k {
		return -1
	}
	return p.setPlain(i, e)
}

// emphasis is Emphasis: bold, italic or strike.
func (p *parser) emphasis(i int) int {
	if end := p.bold(i); end >= 0 {
		return end
	}
	if end := p.italic(i); end >= 0 {
		return end
	}
	return p.strike(i)
}

// bold is MaybeBold: "**content**" or "*content*", unless a bold is already
// being parsed.
func (p *parser) bold(i int) int {
	if p.flags&skipBold != 0 || p.at(i) != '*' || i >= p.n {
		return -1
	}
	if end, ok := p.lookup(ruleBold, i); ok {
		return end
	}
	p.steps++
	entry := p.flags
	p.flags |= skipBold
	end := -1
	if p.at(i+1) == '*' {
		if e, items := p.closedContent(ruleBoldContent, i+2, "**"); e >= 0 {
			p.res, end = node(Bold, items), e+2
		}
	}
	if end < 0 {
		if e, items := p.closedContent(ruleBoldContent, i+1, "*"); e >= 0 {
			p.res, end = node(Bold, items), e+1
		}
	}
	p.flags = entry
	return p.remember(ruleBold, i, end)
}

// boldContentItem is one item of BoldContent: a preferential item, a run
// of plain units, any unit but a line break, "*" or a blank, or a Line.
func (p *parser) boldContentItem(i int) int {
	if c := p.s[i]; c == ' ' || c == '\t' {
		// Whitespace is boldItem's first alternative; it always matches
		// here, so the memo would only cost.
		return p.whitespace(i)
	}
	if !p.plainLetter(i) {
		if end := p.boldItem(i); end >= 0 {
			return end
		}
	}
	j := i
	for j < p.n && isBoldRun(p.s[j]) {
		j++
	}
	p.steps += j - i
	if j > i {
		return p.setPlain(i, j)
	}
	if !boldAnyStop.has(p.s[i]) {
		return p.setPlain(i, i+1)
	}
	return p.line(i)
}

// content parses the items of an emphasis from i and returns where they
// stop, or -1 if there are none. The caller builds the items with items
// only once the emphasis is known to close there.
//
// An emphasis that never closes makes the reference scan to the end of the
// line from every marker, which is quadratic; the item boundaries it passes
// all lead to the same end, so the end is cached per boundary and later
// scans stop at the first boundary already seen. For the same reason the
// scan only measures: emphases opening at different markers can share one
// long content, and building it for each would be quadratic again.
func (p *parser) content(rule int, i int) int {
	// Contents nest (a bold inside an italic), so the list is per call.
	var buf [32]int32
	visited := buf[:0]
	k, end := i, -1
	entry := p.flags
	p.flags |= measure
	for {
		if e, ok := p.lookupEnd(rule, k); ok {
			end = e
			break
		}
		visited = append(visited, int32(k))
		e := -1
		if k < p.n {
			e = p.contentItem(rule, k)
		}
		if e < 0 {
			end = k
			break
		}
		k = e
	}
	for _, v := range visited {
		p.rememberEnd(rule, int(v), end)
	}
	p.flags = entry
	if end == i {
		return -1
	}
	return end
}

// closedContent parses the content of rule from i and, when it is followed
// by the closing marker, returns where it stops and its reduced items (nil
// when measuring); otherwise -1.
//
// It is content and items in one pass: outside a measuring parse the items
// are built as they are scanned, and dropped if the marker does not
// follow. Ends already known stop the scan as in content, which keeps
// the work linear; the items after such an end are then built once the
// marker is found, as items would.
func (p *parser) closedContent(rule int, i int, marker string) (int, []Node) {
	if p.flags&measure != 0 {
		if e := p.content(rule, i); e >= 0 && p.is(e, marker) {
			return e, nil
		}
		return -1, nil
	}
	var buf [32]int32
	visited := buf[:0]
	base := len(p.stack)
	run := pieces{p: p, start: -1}
	k, end := i, -1
	for {
		if e, ok := p.lookupEnd(rule, k); ok {
			end = e
			break
		}
		visited = append(visited, int32(k))
		e := -1
		if k < p.n {
			e = p.contentItem(rule, k)
		}
		if e < 0 {
			end = k
			break
		}
		run.add(&p.res)
		k = e
	}
	for _, v := range visited {
		p.rememberEnd(rule, int(v), end)
	}
	if end == i || !p.is(end, marker) {
		p.stack = p.stack[:base]
		return -1, nil
	}
	for k < end && k >= 0 {
		k = p.contentItem(rule, k)
		run.add(&p.res)
	}
	run.flush(false)
	return end, p.reduceFrom(base)
}

// items builds the reduced list of the content items from i to end, which
// content returned; when measuring, the list is left out.
func (p *parser) items(rule int, i, end int) []Node {
	if p.flags&measure != 0 {
		return nil
	}
	base := len(p.stack)
	run := pieces{p: p, start: -1}
	for k := i; k < end && k >= 0; {
		k = p.contentItem(rule, k)
		run.add(&p.res)
	}
	run.flush(false)
	return p.reduceFrom(base)
}

// contentItem parses one item of the content of rule at k.
func (p *parser) contentItem(rule int, k int) int {
	switch rule {
	case ruleBoldContent:
		return p.boldContentItem(k)
	case ruleItalicContent:
		return p.italicContentItem(k)
	}
	return p.strikeItem(k)
}

// plainLetter reports whether the unit at i is a letter that starts none of
// the preferential items of emphasis content, so that the item there is a
// plain run: it is no emoticon, no "x@y" or "x#1", and no "word_".
// Content is mostly such words, and skipping the alternatives (and the memo
// of boldItem and italicItem) for them saves much of the work.
func (p *parser) plainLetter(i int) bool {
	c := p.s[i]
	if !isASCIIAlpha(c) || p.emoticons && emoticonStarts.has(c) {
		return false
	}
	if i+1 < p.n {
		if d := p.s[i+1]; d == '@' || d == '#' {
			return false
		}
	}
	a := p.runEndAt(i, stopAlnum)
	return a >= p.n || p.s[a] != '_'
}

// boldItem is BoldContentPreferentialItemPattern. With emoticons on, its
// emoticon alternative looks ahead with boldItem itself, so it is memoized
// to keep runs of emoticons linear.
func (p *parser) boldItem(i int) int {
	if p.emoticons {
		if end, ok := p.lookup(ruleBoldItem, i); ok {
			return end
		}
	}
	p.steps++
	end := p.whitespace(i)
	if end < 0 {
		end = p.inlineCode(i)
	}
	if end < 0 {
		end = p.timestamp(i)
	}
	if end < 0 {
		end = p.references(i)
	}
	if end < 0 {
		end = p.mentionOrText(i)
	}
	if end < 0 {
		end = p.channelMention(i)
	}
	if end < 0 {
		end = p.italic(i)
	}
	if end < 0 {
		end = p.strike(i)
	}
	if end < 0 {
		end = p.emoji(i)
	}
	if end < 0 && p.emoticons {
		if k := p.emoticon(i); k >= 0 {
			e := p.res
			if p.emoticonNeighbor(k) || p.boldItem(k) >= 0 {
				p.res, end = e, k
			}
		}
	}
	if p.emoticons {
		return p.remember(ruleBoldItem, i, end)
	}
	return end
}

// italic is MaybeItalic. Its alternatives: a word ending in "_" or "__"
// stays text ("snake_"); "__x__word" and "_x_word" stay text; "__x__" and
// "_x_" are italics.
func (p *parser) italic(i int) int {
	if p.flags&skipItalic != 0 || i >= p.n {
		return -1
	}
	c := p.s[i]
	if c != '_' {
		if !isAlphaDigit(c) {
			return -1
		}
		// A word: cheap and never recursive, so not memoized.
		return p.italicWord(i)
	}
	if end, ok := p.lookup(ruleItalic, i); ok {
		return end
	}
	p.steps++
	entry := p.flags
	p.flags |= skipItalic
	end := p.italicAlternatives(i)
	p.flags = entry
	return p.remember(ruleItalic, i, end)
}

// italicWord is the first alternative of Italic: letters and digits
// followed by "_" or "__" stay text.
func (p *parser) italicWord(i int) int {
	k := p.runEndAt(i, stopAlnum)
	if p.at(k) != '_' || k >= p.n {
		return -1
	}
	k++
	if p.at(k) == '_' && k < p.n {
		k++
	}
	return p.setPlain(i, k)
}

func (p *parser) italicAlternatives(i int) int {
	// The content after "__" and after "_" is each parsed once and shared
	// by the two alternatives that need it.
	double := p.at(i+1) == '_' && i+1 < p.n
	wordEnd := func(k int, in func(uint16) bool) int {
		start := k
		for k < p.n && in(p.s[k]) {
			k++
		}
		p.steps += k - start
		return k
	}
	if !double {
		// Only the "_" alternatives: like bold, build the items while
		// measuring the content.
		end1, items := p.closedContent(ruleItalicContent, i+1, "_")
		if end1 < 0 {
			return -1
		}
		if w := wordEnd(end1+1, isASCIIAlpha); w > end1+1 {
			p.res = p.textList(i, i+1, items, end1, end1+1, w)
			return w
		}
		p.res = node(Italic, items)
		return end1 + 1
	}
	end2 := p.content(ruleItalicContent, i+2)
	end1 := p.content(ruleItalicContent, i+1)
	items2 := func() []Node { return p.items(ruleItalicContent, i+2, end2) }
	items1 := func() []Node { return p.items(ruleItalicContent, i+1, end1) }
	if end2 >= 0 && p.is(end2, "__") {
		if w := wordEnd(end2+2, isAlphaDigit); w > end2+2 {
			p.res = p.textList(i, i+2, items2(), end2, end2+2, w)
			return w
		}
	}
	if end1 >= 0 && p.at(end1) == '_' && end1 < p.n {
		if w := wordEnd(end1+1, isASCIIAlpha); w > end1+1 {
			p.res = p.textList(i, i+1, items1(), end1, end1+1, w)
			return w
		}
	}
	if end2 >= 0 && p.is(end2, "__") {
		p.res = node(Italic, items2())
		return end2 + 2
	}
	if end1 >= 0 && p.at(end1) == '_' && end1 < p.n {
		p.res = node(Italic, items1())
		return end1 + 1
	}
	return -1
}

// textList builds the list that the "_x_word" alternatives return: the
// opening markers, the content, the closing markers and the word, reduced.
func (p *parser) textList(open, openEnd int, items []Node, close, closeEnd, wordEnd int) Node {
	all := make([]Node, 0, len(items)+3)
	all = append(all, p.plain(open, openEnd))
	all = append(all, items...)
	all = append(all, p.plain(close, closeEnd), p.plain(closeEnd, wordEnd))
	return node(typeList, p.reduce(all))
}

// italicContentItem is one item of ItalicContentItems: a preferential
// item, a run of plain units, any unit but a line break, "_" or a blank, or
// a Line.
func (p *parser) italicContentItem(i int) int {
	if c := p.s[i]; c == ' ' || c == '\t' {
		// As in boldContentItem: italicItem would match Whitespace.
		return p.whitespace(i)
	}
	if !p.plainLetter(i) {
		if end := p.italicItem(i); end >= 0 {
			return end
		}
	}
	j := i
	for j < p.n && isItalicRun(p.s[j]) {
		j++
	}
	p.steps += j - i
	if j > i {
		return p.setPlain(i, j)
	}
	if !italicAnyStop.has(p.s[i]) {
		return p.setPlain(i, i+1)
	}
	return p.line(i)
}

// italicItem is ItalicContentPreferentialItemPattern; like boldItem it is
// memoized because its emoticon alternative looks ahead with itself.
func (p *parser) italicItem(i int) int {
	if p.emoticons {
		if end, ok := p.lookup(ruleItalicItem, i); ok {
			return end
		}
	}
	p.steps++
	end := p.whitespace(i)
	if end < 0 {
		end = p.inlineCode(i)
	}
	if end < 0 {
		end = p.timestamp(i)
	}
	if end < 0 {
		end = p.references(i)
	}
	if end < 0 {
		end = p.mentionOrText(i)
	}
	if end < 0 {
		end = p.channelMention(i)
	}
	if end < 0 {
		end = p.bold(i)
	}
	if end < 0 {
		end = p.strike(i)
	}
	if end < 0 {
		end = p.emoji(i)
	}
	if end < 0 && p.emoticons {
		if k := p.emoticon(i); k >= 0 {
			e := p.res
			if p.emoticonNeighbor(k) || p.at(k) == '_' && k < p.n || p.italicItem(k) >= 0 {
				p.res, end = e, k
			}
		}
	}
	if p.emoticons {
		return p.remember(ruleItalicItem, i, end)
	}
	return end
}

// strike is MaybeStrikethrough: "~~content~~" or "~content~".
func (p *parser) strike(i int) int {
	if p.flags&skipStrike != 0 || p.at(i) != '~' || i >= p.n {
		return -1
	}
	if end, ok := p.lookup(ruleStrike, i); ok {
		return end
	}
	p.steps++
	entry := p.flags
	p.flags |= skipStrike
	end := -1
	if p.at(i+1) == '~' {
		if e, items := p.closedContent(ruleStrikeContent, i+2, "~~"); e >= 0 {
			p.res, end = node(Strike, items), e+2
		}
	}
	if end < 0 {
		if e, items := p.closedContent(ruleStrikeContent, i+1, "~"); e >= 0 {
			p.res, end = node(Strike, items), e+1
		}
	}
	p.flags = entry
	return p.remember(ruleStrike, i, end)
}

// strikeItem is one item of StrikethroughContent, in the grammar's order.
func (p *parser) strikeItem(i int) int {
	p.steps++
	j := i
	for j < p.n && isStrikeRun(p.s[j]) {
		j++
	}
	p.steps += j - i
	if j > i {
		return p.setPlain(i, j)
	}
	if end := p.escapedTimestamp(i); end >= 0 {
		return p.setPlain(i+1, end)
	}
	end := p.timestamp(i)
	if end < 0 {
		end = p.whitespace(i)
	}
	if end < 0 {
		end = p.inlineCode(i)
	}
	if end < 0 {
		end = p.references(i)
	}
	if end < 0 {
		end = p.mentionOrText(i)
	}
	if end < 0 {
		end = p.channelMention(i)
	}
	if end < 0 {
		end = p.italic(i)
	}
	if end < 0 {
		end = p.bold(i)
	}
	if end < 0 {
		end = p.emoji(i)
	}
	if end < 0 && p.emoticons {
		end = p.emoticon(i)
	}
	if end < 0 && !strikeAnyStop.has(p.s[i]) {
		end = p.setPlain(i, i+1)
	}
	if end < 0 {
		end = p.line(i)
	}
	return end
}
