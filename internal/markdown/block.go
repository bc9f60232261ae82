package markdown

import "strconv"

// parse is the Start rule: the whole input as one BIG_EMOJI, or else a
// sequence of blocks, paragraphs and empty lines.
func (p *parser) parse() []Node {
	if end := p.bigEmoji(0); end == p.n {
		return []Node{p.res}
	}
	// Blocks are collected on the scratch stack and copied once at the end.
	base := len(p.stack)
	i := 0
	for i < p.n {
		p.blockStart = i
		if end := p.block(i); end >= 0 {
			p.stack = append(p.stack, p.res)
			i = end
			continue
		}
		if end := p.paragraph(i); end >= 0 {
			p.stack = append(p.stack, p.res)
			i = end
			continue
		}
		if end := p.eol(i); end >= 0 {
			p.stack = append(p.stack, emptyParagraph())
			i = end
			continue
		}
		// Unreachable: a paragraph takes any unit but a line break.
		p.stack = p.stack[:base]
		return nil
	}
	blocks := make([]Node, len(p.stack)-base)
	copy(blocks, p.stack[base:])
	p.stack = p.stack[:base]
	return blocks
}

func emptyParagraph() Node {
	return node(Paragraph, []Node{plainText("")})
}

// eol is EndOfLine: \r\n, \n or \r.
func (p *parser) eol(i int) int {
	if i < p.n {
		switch p.s[i] {
		case '\r':
			if i+1 < p.n && p.s[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		case '\n':
			return i + 1
		}
	}
	return -1
}

// skipSpaces skips [ \t]*.
func (p *parser) skipSpaces(i int) int {
	j := i
	for j < p.n && isSpace(p.s[j]) {
		j++
	}
	p.steps += j - i
	return j
}

// block is the Blocks rule.
func (p *parser) block(i int) int {
	p.steps++
	switch p.s[i] {
	case '>':
		return p.blockquote(i)
	case '|':
		if end := p.spoilerBlock(i); end >= 0 {
			return end
		}
		if end := p.table(i); end >= 0 {
			return end
		}
	case '`':
		if end := p.codeBlock(i); end >= 0 {
			return end
		}
	case '#':
		if end := p.heading(i); end >= 0 {
			return end
		}
	case '-':
		if end := p.horizontalRule(i); end >= 0 {
			return end
		}
		if end := p.tasks(i); end >= 0 {
			return end
		}
		if end := p.unorderedList(i); end >= 0 {
			return end
		}
	case '*':
		if end := p.unorderedList(i); end >= 0 {
			return end
		}
	case ' ', '\t':
		if end := p.horizontalRule(i); end >= 0 {
			return end
		}
	default:
		if isDigit(p.s[i]) {
			if end := p.orderedList(i); end >= 0 {
				return end
			}
		}
	}
	if end := p.katexBlock(i); end >= 0 {
		return end
	}
	return p.lineBreak(i)
}

// blockquote is Blockquote: lines starting with ">", each a paragraph.
func (p *parser) blockquote(i int) int {
	base := len(p.stack)
	for i < p.n && p.s[i] == '>' {
		j := p.skipSpaces(i + 1)
		if end := p.eol(j); end >= 0 {
			p.stack = append(p.stack, emptyParagraph())
			i = end
			continue
		}
		end := p.paragraph(j)
		n := p.res
		if end < 0 {
			break
		}
		p.stack = append(p.stack, n)
		i = end
	}
	lines := p.popList(base)
	if lines == nil {
		return -1
	}
	p.res = node(Quote, lines)
	return i
}

// spoilerBlock is BlockSpoiler: "||", a line break, paragraphs that do not
// start with "||", and a closing "||".
func (p *parser) spoilerBlock(i int) int {
	if !p.is(i, "||") {
		return -1
	}
	j := p.eol(i + 2)
	if j < 0 {
		return -1
	}
	var paras []Node
	for !p.is(j, "||") {
		end := p.paragraph(j)
		n := p.res
		if end < 0 {
			break
		}
		paras = append(paras, n)
		j = end
	}
	if paras == nil {
		return -1
	}
	if end := p.eol(j); end >= 0 {
		j = end
	}
	if !p.is(j, "||") {
		return -1
	}
	p.res = node(SpoilerBlock, paras)
	return j + 2
}

// codeBlock is Code: a fence with an optional language, lines, a line break
// and a closing fence.
func (p *parser) codeBlock(i int) int {
	if !p.is(i, "```") {
		return -1
	}
	j := i + 3
	langEnd := j
	for langEnd < p.n && codeLangSet.has(p.s[langEnd]) {
		langEnd++
	}
	lang := p.str(j, langEnd)
	j = p.eol(langEnd)
	if j < 0 {
		return -1
	}
	base := len(p.stack)
	for {
		end := p.codeLine(j)
		n := p.res
		if end < 0 {
			break
		}
		p.stack = append(p.stack, n)
		j = end
	}
	lines := p.popList(base)
	if lines == nil {
		return -1
	}
	j = p.eol(j)
	if j < 0 || !p.is(j, "```") {
		return -1
	}
	if lang == "" {
		lang = "none"
	}
	n := node(Code, lines)
	n.Attrs = p.attrs(Attrs{Language: lang})
	p.res = n
	return j + 3
}

// codeLine is CodeLine: a chunk, or a line feed and a chunk, or a line feed
// not followed by the closing fence (an empty line).
func (p *parser) codeLine(i int) int {
	p.steps++
	if end := p.codeChunk(i); end >= 0 {
		p.res = textNode(CodeLine, p.str(i, end))
		return end
	}
	if i < p.n && p.s[i] == '\n' {
		if end := p.codeChunk(i + 1); end >= 0 {
			p.res = textNode(CodeLine, p.str(i+1, end))
			return end
		}
		if !p.is(i+1, "```") {
			p.res = textNode(CodeLine, "")
			return i + 1
		}
	}
	return -1
}

// codeChunk is CodeChunk: units up to the end of the line that never start a
// "```"; a backtick or two may end the line.
func (p *parser) codeChunk(i int) int {
	j := i
	for j < p.n {
		c := p.s[j]
		if c != '`' {
			if isEOLUnit(c) {
				break
			}
			j++
			continue
		}
		// "`" followed by a non-backtick, "``" followed by one, or "`"/"``"
		// at the end of the line or input.
		c1 := p.at(j + 1)
		if j+1 < p.n && c1 != '`' && !isEOLUnit(c1) {
			j += 2
			continue
		}
		if j+1 < p.n && c1 == '`' {
			c2 := p.at(j + 2)
			if j+2 < p.n && c2 != '`' && !isEOLUnit(c2) {
				j += 3
				continue
			}
			if j+2 >= p.n || isEOLUnit(c2) {
				j += 2
				continue
			}
			break
		}
		// c1 is a line break or the end.
		j++
	}
	p.steps += j - i
	if j == i {
		return -1
	}
	return j
}

// horizontalRule is HorizontalRule: three or more dashes alone on a line,
// blanks allowed around them. Its fallback is the range of the dashes.
func (p *parser) horizontalRule(i int) int {
	start := p.skipSpaces(i)
	j := start
	for j < p.n && p.s[j] == '-' {
		j++
	}
	if j-start < 3 {
		return -1
	}
	end := p.skipSpaces(j)
	if e := p.eol(end); e >= 0 {
		end = e
	} else if end < p.n {
		return -1
	}
	n := node(HorizontalRule, nil)
	n.Attrs = &Attrs{Fallback: &[2]int{start, j}}
	p.res = n
	return end
}

// heading is Heading: one to four "#", blanks, and inline content.
func (p *parser) heading(i int) int {
	j := i
	for j < p.n && j-i < 4 && p.s[j] == '#' {
		j++
	}
	level := j - i
	if level == 0 || j >= p.n || !isSpace(p.s[j]) {
		return -1
	}
	j = p.skipSpaces(j)
	base := len(p.stack)
	for j < p.n {
		if end := p.inlineItem(j); end >= 0 {
			p.stack = append(p.stack, p.res)
			j = end
			continue
		}
		if isEOLUnit(p.s[j]) {
			break
		}
		p.stack = append(p.stack, p.plain(j, j+1))
		j++
	}
	if len(p.stack) == base {
		return -1
	}
	value := p.reduceFrom(base)
	if end := p.eol(j); end >= 0 {
		j = end
	}
	n := node(Heading, value)
	n.Attrs = p.attrs(Attrs{Level: uint8(level)})
	p.res = n
	return j
}

// tasks is Tasks: lines "- [x] " or "- [ ] " followed by inline content.
func (p *parser) tasks(i int) int {
	base := len(p.stack)
	for p.is(i, "- [") {
		var done bool
		switch p.at(i + 3) {
		case 'x':
			done = true
		case ' ':
		default:
			return p.listResult(Tasks, base, i)
		}
		if !p.is(i+4, "]") || !isSpace(p.at(i+5)) {
			break
		}
		value, end := p.inline(p.skipSpaces(i + 5))
		if end < 0 {
			break
		}
		t := node(Task, value)
		t.Attrs = p.attrs(Attrs{Status: done})
		p.stack = append(p.stack, t)
		i = end
	}
	return p.listResult(Tasks, base, i)
}

func (p *parser) listResult(t NodeType, base int, end int) int {
	items := p.popList(base)
	if items == nil {
		return -1
	}
	p.res = node(t, items)
	return end
}

// popList moves the nodes pushed on the scratch stack since base into a
// list of the tree, nil if there are none. Blocks gather their lines there
// rather than appending to a list of their own, which would allocate as
// it grows.
func (p *parser) popList(base int) []Node {
	n := len(p.stack) - base
	if n == 0 {
		return nil
	}
	out := append(p.nodes(n), p.stack[base:]...)
	p.stack = p.stack[:base]
	return out
}

// orderedList is OrderedList: lines "<digits>. " followed by inline content.
func (p *parser) orderedList(i int) int {
	base := len(p.stack)
	for {
		j := i
		for j < p.n && isDigit(p.s[j]) {
			j++
		}
		if j == i || p.at(j) != '.' || j+1 >= p.n || !isSpace(p.s[j+1]) {
			break
		}
		value, end := p.inline(p.skipSpaces(j + 1))
		if end < 0 {
			break
		}
		// parseInt of the digits: a double, which JSON writes like
		// JavaScript does.
		num, _ := strconv.ParseFloat(p.str(i, j), 64)
		item := node(ListItem, value)
		item.Attrs = p.attrs(Attrs{HasNumber: true, Number: num})
		p.stack = append(p.stack, item)
		i = end
	}
	return p.listResult(OrderedList, base, i)
}

// unorderedList is UnorderedList: items all starting with "- " or all with
// "* ".
func (p *parser) unorderedList(i int) int {
	base := len(p.stack)
	if p.at(i) == '-' {
		for p.at(i) == '-' && i < p.n && isSpace(p.at(i+1)) && i+1 < p.n {
			value, end := p.inline(p.skipSpaces(i + 1))
			if end < 0 {
				break
			}
			p.stack = append(p.stack, node(ListItem, value))
			i = end
		}
		return p.listResult(UnorderedList, base, i)
	}
	for p.at(i) == '*' && i < p.n && isSpace(p.at(i+1)) && i+1 < p.n {
		value, end := p.asteriskItem(p.skipSpaces(i + 1))
		if end < 0 {
			break
		}
		p.stack = append(p.stack, node(ListItem, value))
		i = end
	}
	return p.listResult(UnorderedList, base, i)
}

// asteriskItem is UnorderedListItemContent: inline items (a bare "*" cannot
// be one), not followed by "*", then an optional line break.
func (p *parser) asteriskItem(i int) ([]Node, int) {
	base := len(p.stack)
	for i < p.n {
		if end := p.inlineItem(i); end >= 0 {
			p.stack = append(p.stack, p.res)
			i = end
			continue
		}
		c := p.s[i]
		if c == '*' || isEOLUnit(c) {
			break
		}
		p.stack = append(p.stack, p.plain(i, i+1))
		i++
	}
	if len(p.stack) == base || p.at(i) == '*' && i < p.n {
		p.stack = p.stack[:base]
		return nil, -1
	}
	value := p.reduceFrom(base)
	if end := p.eol(i); end >= 0 {
		i = end
	}
	return value, i
}

// katexBlock is Katex: a \[ or $$ block up to the first enabled closing
// delimiter, which may be either kind.
func (p *parser) katexBlock(i int) int {
	var start int
	switch {
	case p.katexParen && p.is(i, `\[`):
		start = i + 2
	case p.katexDollar && p.is(i, "$$"):
		start = i + 2
	default:
		return -1
	}
	end := p.katexBlockClose(start)
	if end < 0 {
		return -1
	}
	p.res = textNode(Katex, p.str(start, end))
	return end + 2
}

// katexBlockClose finds the first enabled block delimiter at or after i. The
// answer is shared by every position before it, so it is cached.
func (p *parser) katexBlockClose(i int) int {
	return p.nextMatch(&p.katexBlockEnd, i, func(k int) bool {
		return p.katexParen && p.is(k, `\]`) || p.katexDollar && p.is(k, "$$")
	})
}

// lineBreak is LineBreak: blanks and a line break.
func (p *parser) lineBreak(i int) int {
	j := p.skipSpaces(i)
	if end := p.eol(j); end >= 0 {
		p.res = node(LineBreak, nil)
		return end
	}
	return -1
}

// paragraph is Paragraph: one Inline.
func (p *parser) paragraph(i int) int {
	value, end := p.inline(i)
	if end < 0 {
		return -1
	}
	p.res = node(Paragraph, value)
	return end
}

// plainWordEnd returns where a run of blanks or a plain word starting at i
// ends, or i when the unit c at i may start anything else. For a word it
// answers what InlineItemPattern would, without trying every construct:
// a word of letters that reaches no "@", "://", "." or "_", is not followed
// by "#" and cannot start an emoticon or a color is a PlainRun.
func (p *parser) plainWordEnd(i int, c uint16) int {
	if c == ' ' || c == '\t' {
		return p.skipSpaces(i)
	}
	if !isASCIIAlpha(c) || p.emoticons && emoticonStarts.has(c) || p.colors && c == 'c' ||
		i+1 < p.n && p.s[i+1] == '#' {
		return i
	}
	w := p.word(i)
	if e := int(w.email); e < p.n && p.s[e] == '@' {
		return i
	}
	if u := int(w.url); p.is(u, "://") || p.at(u) == '.' && u < p.n {
		return i
	}
	if a := int(w.alnum); a < p.n && p.s[a] == '_' {
		return i
	}
	p.steps++
	return int(w.plain)
}

// simpleWords skips the blanks and simple words from i: letters and digits
// that start with a letter and end at a blank, a line feed or the end.
// Those are the plain words of plainWordEnd whose four word runs all end
// at the blank, which this loop finds without asking word. It returns
// where they stop and where the last of them (or of the runs of blanks)
// starts; i, i when there are none.
func (p *parser) simpleWords(i int) (end, last int) {
	// setText leaves p.s n units long, and p.cls one longer.
	s, cls := p.s, p.cls
	start, last := i, i
	for i < len(s) {
		c := s[i]
		j := i + 1
		if c == ' ' || c == '\t' {
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
		} else {
			if !p.wordStarts.has(c) {
				break
			}
			// The end of the input stops every run, so this loop ends
			// there at the latest.
			for cls[j]&stopAlnum == 0 {
				j++
			}
			if cls[j]&stopBreak == 0 {
				break
			}
		}
		last, i = i, j
	}
	p.steps += i - start
	return i, last
}

// inline is Inline: inline items (or any unit but a line break), then an
// optional line break.
//
// Paragraphs are mostly runs of words and blanks, each a PLAIN_TEXT that
// reduce would merge with its neighbours; merging adjacent pieces of the
// input as they come keeps the list short (see pieces).
func (p *parser) inline(i int) ([]Node, int) {
	base := len(p.stack)
	items := 0
	run := pieces{p: p, start: -1}
	for i < p.n {
		if !run.afterEmoji {
			// Blanks and plain words, most of a message, extend the run
			// without a node of their own.
			j, last := p.simpleWords(i)
			if j == i {
				if j = p.plainWordEnd(i, p.s[i]); j > i {
					last = i
				}
			}
			if j > i {
				items++
				run.addRange(i, j, last)
				i = j
				continue
			}
		}
		c := p.s[i]
		var end int
		if c == ' ' || c == '\t' {
			// Blanks are always Whitespace; skip the general dispatch.
			end = p.setPlain(i, p.skipSpaces(i))
		} else if end = p.inlineItem(i); end < 0 {
			if isEOLUnit(c) {
				break
			}
			end = p.setPlain(i, i+1)
		}
		items++
		run.add(&p.res)
		i = end
	}
	run.flush(false)
	if items == 0 {
		return nil, -1
	}
	value := p.reduceFrom(base)
	if end := p.eol(i); end >= 0 {
		i = end
	}
	return value, i
}
