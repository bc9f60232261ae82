package markdown

// Rules return the end of their match, or -1, and leave the node in p.res;
// see parser.res.

// inlineItem is InlineItemPattern, the choice of every inline construct.
// The emoticon lookahead evaluates it ahead of the main loop, recursively
// for a run of emoticons, so results computed inside a lookahead are
// memoized by position (it always runs with no skip flag set); other calls
// are not stored, which keeps the common path cheap.
func (p *parser) inlineItem(i int) int {
	if i >= p.n {
		return -1
	}
	if p.flags != 0 {
		return p.inlineItemUncached(i)
	}
	// The memo only exists once a lookahead has stored something.
	if len(p.inlineMemo) == 0 {
		if p.lookahead == 0 {
			return p.inlineItemUncached(i)
		}
		if cap(p.inlineMemo) > p.n {
			p.inlineMemo = p.inlineMemo[:p.n+1]
			clear(p.inlineMemo)
		} else {
			p.inlineMemo = make([]int32, p.n+1)
		}
	}
	if v := p.inlineMemo[i]; v != 0 {
		if v < 0 {
			return -1
		}
		e := &p.memo[v-1]
		p.res = e.node
		return e.end
	}
	end := p.inlineItemUncached(i)
	if p.lookahead == 0 {
		return end
	}
	if end < 0 {
		p.inlineMemo[i] = -1
	} else {
		p.memo = append(p.memo, memoEntry{node: p.res, end: end})
		p.inlineMemo[i] = int32(len(p.memo))
	}
	return end
}

// inlineItemUncached tries the constructs that the unit at i can start,
// then the general choice that every position gets.
func (p *parser) inlineItemUncached(i int) int {
	p.steps++
	end := -1
	switch p.s[i] {
	case ' ', '\t':
		return p.whitespace(i)
	case '\\':
		if end = p.escapedTimestamp(i); end >= 0 {
			return p.setPlain(i+1, end)
		}
		if end = p.katexInline(i); end >= 0 {
			return end
		}
		if escapableSet.has(p.at(i + 1)) {
			return p.setPlain(i+1, i+2)
		}
	case '[':
		end = p.references(i)
	case '<':
		if end = p.timestamp(i); end < 0 {
			if end = p.references(i); end < 0 {
				end = p.inlineEmoticon(i)
			}
		}
	case '!':
		end = p.image(i)
	case '|':
		end = p.spoiler(i)
	case '@':
		end = p.userMention(i)
	case '`':
		end = p.inlineCode(i)
	case '+':
		end = p.autolinkedPhone(i)
	case '$':
		end = p.katexInline(i)
	case ':':
		if end = p.emoji(i); end < 0 {
			end = p.inlineEmoticon(i)
		}
	case '*':
		if end = p.emphasisWithWhitespace(i); end < 0 {
			if end = p.emphasis(i); end < 0 {
				end = p.inlineEmoticon(i)
			}
		}
	case '~':
		if end = p.emphasisWithWhitespace(i); end < 0 {
			end = p.emphasis(i)
		}
	case '-':
		if end = p.plainBeforeEmoticon(i); end < 0 {
			end = p.inlineEmoticon(i)
		}
	}
	if end >= 0 {
		return end
	}
	return p.inlineGeneral(i)
}

// inlineGeneral is the part of InlineItemPattern that is tried at every
// position, in the grammar's order. Each construct is only called when the
// unit at i can start it: most positions are plain words, and the failed
// calls would dominate the parse.
func (p *parser) inlineGeneral(i int) int {
	if p.emailAhead(i) {
		if end := p.autolinkedEmail(i); end >= 0 {
			return end
		}
	}
	c := p.s[i]
	if c == '_' {
		if end := p.underscoreDomain(i); end >= 0 {
			return p.setPlain(i, end)
		}
	}
	if p.urlAhead(i) {
		if end := p.autolinkedURL(i); end >= 0 {
			return end
		}
	}
	switch {
	case c == '*' || c == '~':
		if end := p.emphasisWithWhitespace(i); end >= 0 {
			return end
		}
		if end := p.emphasis(i); end >= 0 {
			return end
		}
	case c == '_':
		if end := p.emphasisWithWhitespace(i); end >= 0 {
			return end
		}
		if end := p.italic(i); end >= 0 {
			return end
		}
	case isAlphaDigit(c):
		// Only the word alternative of Italic can start with a letter or
		// digit; it needs an "_" after the word.
		if p.flags&skipItalic == 0 {
			if k := p.runEndAt(i, stopAlnum); k < p.n && p.s[k] == '_' {
				if end := p.italicWord(i); end >= 0 {
					return end
				}
			}
		}
	}
	if c == '#' || i+1 < p.n && p.s[i+1] == '#' {
		if end := p.channelMention(i); end >= 0 {
			return end
		}
	}
	if c == ':' || c >= 0x2000 || c == 0xA9 || c == 0xAE || c == '#' || c == '*' || isDigit(c) {
		if end := p.emoji(i); end >= 0 {
			return end
		}
	}
	if c == '-' {
		if end := p.plainBeforeEmoticon(i); end >= 0 {
			return end
		}
	}
	if p.emoticons && emoticonStarts.has(c) {
		if end := p.inlineEmoticon(i); end >= 0 {
			return end
		}
	}
	if p.colors && c == 'c' {
		if end := p.color(i); end >= 0 {
			return end
		}
	}
	return p.plainRun(i)
}

// whitespace is Whitespace: blanks and tabs as one PLAIN_TEXT.
func (p *parser) whitespace(i int) int {
	j := p.skipSpaces(i)
	if j == i {
		return -1
	}
	return p.setPlain(i, j)
}

// plainRun is PlainRun: units that start no construct.
func (p *parser) plainRun(i int) int {
	j := p.runEndAt(i, stopPlain)
	if j == i {
		return -1
	}
	return p.setPlain(i, j)
}

// line is Line: blanks, AnyText units, blanks, as one PLAIN_TEXT. Emphasis
// content falls back to it.
func (p *parser) line(i int) int {
	j := p.skipSpaces(i)
	k := p.runEnd(&p.textRun, j, &anyTextClass)
	if k == j {
		return -1
	}
	k = p.skipSpaces(k)
	return p.setPlain(i, k)
}

// plainBeforeEmoticon is PlainRunBeforeEmoticon: the "-" of "-_-" when more
// follows, so that "-_-italic_" is a dash and an italic rather than an
// emoticon.
func (p *parser) plainBeforeEmoticon(i int) int {
	if p.at(i) == '-' && p.is(i+1, "_-") && i+3 < p.n {
		p.res = p.plain(i, i+1)
		return i + 1
	}
	return -1
}

// inlineEmoticon is InlineEmoticon: an emoticon followed by a line break,
// blank, "*", the end, or another inline construct.
func (p *parser) inlineEmoticon(i int) int {
	if !p.emoticons {
		return -1
	}
	end := p.emoticon(i)
	if end < 0 {
		return -1
	}
	if p.emoticonNeighbor(end) {
		return end
	}
	n := p.res
	p.lookahead++
	e := p.inlineItem(end)
	p.lookahead--
	if e < 0 {
		return -1
	}
	p.res = n
	return end
}

// emoticonNeighbor is EmoticonNeighbor: a line break, a blank, "*" or the
// end of the input.
func (p *parser) emoticonNeighbor(i int) bool {
	if i >= p.n {
		return true
	}
	switch p.s[i] {
	case '\r', '\n', ' ', '\t', '*':
		return true
	}
	return false
}

// inlineCode is InlineCode: text between backticks on one line.
func (p *parser) inlineCode(i int) int {
	if p.at(i) != '`' || i >= p.n {
		return -1
	}
	j := i + 1
	for j < p.n && p.s[j] != '`' && p.s[j] != '\n' {
		j++
	}
	p.steps += j - i
	if j == i+1 || j >= p.n || p.s[j] != '`' {
		return -1
	}
	p.res = textNode(InlineCode, p.str(i+1, j))
	return j + 1
}

// spoiler is Spoiler: "||", inline content that does not start with "||",
// "||".
func (p *parser) spoiler(i int) int {
	if !p.is(i, "||") {
		return -1
	}
	j := i + 2
	base := len(p.stack)
	for j < p.n && !p.is(j, "||") {
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
	if len(p.stack) == base || !p.is(j, "||") {
		p.stack = p.stack[:base]
		return -1
	}
	p.res = node(Spoiler, p.reduceFrom(base))
	return j + 2
}

// katexInline is KatexInline: \( or $ (as enabled), then everything up to
// the first enabled closing delimiter, \) or $.
func (p *parser) katexInline(i int) int {
	var start int
	switch {
	case p.katexParen && p.is(i, `\(`):
		start = i + 2
	case p.katexDollar && p.at(i) == '$' && i < p.n:
		start = i + 1
	default:
		return -1
	}
	k := p.nextMatch(&p.katexInlineEnd, start, func(k int) bool {
		return p.katexParen && p.is(k, `\)`) || p.katexDollar && p.s[k] == '$'
	})
	if k < 0 {
		return -1
	}
	end := k + 1
	if p.katexParen && p.is(k, `\)`) {
		end = k + 2
	}
	p.res = textNode(InlineKatex, p.str(start, k))
	return end
}

// color is Color: "color:#" and three or four hex bytes or nibbles, not
// followed by text.
func (p *parser) color(i int) int {
	if !p.colors || !p.is(i, "color:#") {
		return -1
	}
	j := i + 7
	var ch []int
	// HexByte|3..4| first, HexNible|3..4| if that fails.
	k := j
	for len(ch) < 4 && k+1 < p.n && isHex(p.s[k]) && isHex(p.s[k+1]) {
		ch = append(ch, hexVal(p.s[k])*16+hexVal(p.s[k+1]))
		k += 2
	}
	if len(ch) < 3 {
		ch, k = ch[:0], j
		for len(ch) < 4 && k < p.n && isHex(p.s[k]) {
			ch = append(ch, hexVal(p.s[k])*17)
			k++
		}
		if len(ch) < 3 {
			return -1
		}
	}
	if k < p.n && isAnyText(p.s[k]) {
		return -1
	}
	a := 255
	if len(ch) == 4 {
		a = ch[3]
	}
	n := node(Color, nil)
	n.Attrs = p.attrs(Attrs{R: uint8(ch[0]), G: uint8(ch[1]), B: uint8(ch[2]), A: uint8(a)})
	p.res = n
	return k
}

func hexVal(c uint16) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	default:
		return int(c-'A') + 10
	}
}

// mentionName scans UTF8NamesValidation: letters, digits, - . and _.
func (p *parser) mentionName(i int) int {
	j := i
	for j < p.n && isMentionChar(p.s[j]) {
		j++
	}
	p.steps += j - i
	return j
}

// userMention is the second alternative of UserMention: "@"s, a name with
// an optional ":name" or "@name" part (federated users), not ending in "__".
func (p *parser) userMention(i int) int {
	if i >= p.n || p.s[i] != '@' {
		return -1
	}
	// The name after the "@"s is the same for every "@" of the run, so it
	// is looked at once.
	j := p.runEnd(&p.atRun, i, &atClass)
	end, ok := p.lookupEnd(ruleMentionName, j)
	if !ok {
		end = p.mentionNameEnd(j)
		p.rememberEnd(ruleMentionName, j, end)
	}
	if end < 0 {
		return -1
	}
	p.res = textNode(MentionUser, p.str(j, end))
	return end
}

// mentionNameEnd is the name part of UserMention: a name with an optional
// ":name" or "@name" part (federated users), not ending in "__".
func (p *parser) mentionNameEnd(j int) int {
	end := p.mentionName(j)
	if end == j {
		return -1
	}
	if end < p.n && (p.s[end] == ':' || p.s[end] == '@') {
		if e := p.mentionName(end + 1); e > end+1 {
			end = e
		}
	}
	if end-j >= 2 && p.s[end-1] == '_' && p.s[end-2] == '_' {
		return -1
	}
	return end
}

// mentionOrText is UserMention inside emphasis: a character, "@"s and a
// letter or digit make plain text with a single "@" (so "a@@b" is "a@b");
// otherwise a user mention.
func (p *parser) mentionOrText(i int) int {
	if i < p.n && isAnyText(p.s[i]) {
		j := p.runEnd(&p.atRun, i+1, &atClass)
		if j > i+1 && j < p.n && isAlphaNumeric(p.s[j]) {
			if j == i+2 {
				p.res = p.plain(i, j+1)
				return j + 1
			}
			p.res = plainText(p.str(i, i+1) + "@" + p.str(j, j+1))
			return j + 1
		}
	}
	return p.userMention(i)
}

// channelMention is ChannelMention: a character, "#" and a letter or digit
// make plain text (so "C#1" is not a mention); otherwise "#name".
func (p *parser) channelMention(i int) int {
	if i+2 < p.n && isAnyText(p.s[i]) && p.s[i+1] == '#' && isAlphaNumeric(p.s[i+2]) {
		p.res = p.plain(i, i+3)
		return i + 3
	}
	if p.at(i) == '#' && i < p.n {
		if end := p.mentionName(i + 1); end > i+1 {
			p.res = textNode(MentionChannel, p.str(i+1, end))
			return end
		}
	}
	return -1
}
