package markdown

// Character classes of the grammar, over UTF-16 code units. The names follow
// the grammar's rule names where it has one.

// isSpace is Space: a blank or a tab.
func isSpace(c uint16) bool { return c == ' ' || c == '\t' }

// isEOLUnit reports a unit that starts an EndOfLine.
func isEOLUnit(c uint16) bool { return c == '\n' || c == '\r' }

func isDigit(c uint16) bool { return c >= '0' && c <= '9' }

func isHex(c uint16) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isASCIIAlpha(c uint16) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isAlphaDigit is AlphaDigit, [a-zA-Z0-9].
func isAlphaDigit(c uint16) bool { return isASCIIAlpha(c) || isDigit(c) }

// isAnyText is AnyText: printable ASCII except ( ) * [ \ ] ^ _ ` { | } ~ and
// DEL, plus everything from U+0080 on (surrogate halves included).
func isAnyText(c uint16) bool {
	return c >= 0x20 && c <= 0x27 || c >= 0x2B && c <= 0x5A || c >= 0x61 && c <= 0x7A || c >= 0x80
}

// asciiSet is a set of ASCII characters.
type asciiSet [2]uint64

func newASCIISet(chars string) asciiSet {
	var s asciiSet
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		s[c>>6] |= 1 << (c & 63)
	}
	return s
}

// minus returns the characters of s that are not in t.
func (s asciiSet) minus(t asciiSet) asciiSet {
	return asciiSet{s[0] &^ t[0], s[1] &^ t[1]}
}

func (s *asciiSet) has(c uint16) bool {
	return c < 128 && s[c>>6]&(1<<(c&63)) != 0
}

var (
	// Units that end a PlainRun.
	plainRunStop = newASCIISet("*_~`:\n<[]! \t()\\|")
	// Units that end a plain run inside a link title.
	linkTitleStop = newASCIISet("]()*_~ \t\r\n")
	// Extra: punctuation that may not end a URL.
	extraSet = newASCIISet(".,!%~*\"':;()=")
	// MarkdownLinkExtra: the same for URLs in [label](url).
	linkExtraSet = newASCIISet(".,!%*\"':;=")
	// Safe: characters a user name in a URL may have besides letters.
	safeSet = newASCIISet("$@&+_#?-")
	// Characters a DomainChar may never be.
	domainStop = newASCIISet("\\/|><%`[]")
	// LocalPartSpecialChars of an e-mail address.
	localSpecialSet = newASCIISet("!#$%&'*+/=?^_`{|}~-")
	// Units that end the run scanned by the e-mail lookahead.
	emailLookStop = newASCIISet(" \t\r\n@")
	// Units that end the run scanned by the URL lookahead.
	urlLookStop = newASCIISet(" \t\r\n:./@")
	// Units that AutoLinkURLBody can take without a lookahead.
	autoURLSlow = newASCIISet(" \t\r\n.,!%~*\"':;()=")
	// BoldPlainRun, AnyBold, ItalicPlainRun, AnyItalic, StrikePlainRun and
	// AnyStrike exclusions.
	boldRunStop    = newASCIISet("\n* _~")
	boldAnyStop    = newASCIISet("\n* ")
	italicRunStop  = newASCIISet("\n_ *~")
	italicAnyStop  = newASCIISet("\n_ ")
	strikeRunStop  = newASCIISet("\n~ *_:`@#[]\\<!|")
	strikeAnyStop  = newASCIISet("\n~ ")
	shortCodeSet   = newASCIISet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_+.")
	codeLangSet    = newASCIISet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ _-.")
	urlSchemeSet   = newASCIISet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-")
	escapableSet   = newASCIISet("*_~`#.")
	emoticonStarts = newASCIISet(":;<>=DB8'O0*X#%(-\\")
	asciiLetters   = newASCIISet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	colorStarts    = newASCIISet("c")
)

func isPlainRun(c uint16) bool { return !plainRunStop.has(c) }

// isLinkTitle2 is the class of the label in <url|label>: anything from blank
// on except < > and |.
func isLinkTitle2(c uint16) bool {
	return c >= 0x20 && c <= 0x3B || c == 0x3D || c >= 0x3F && c <= 0x7B || c >= 0x7D
}

// isMarkdownURLChar is AnyText plus * [ / ] ^ _ ` { } ~ : what a URL inside
// [label](url) may contain, parentheses aside.
func isMarkdownURLChar(c uint16) bool {
	return c >= 0x20 && c <= 0x27 || c >= 0x2A && c <= 0x5B || c >= 0x5D && c <= 0x7B || c == 0x7D || c == 0x7E || c >= 0x80
}

// isURLChar adds ( to isMarkdownURLChar: the body of bare URLs.
func isURLChar(c uint16) bool { return c == '(' || isMarkdownURLChar(c) }

func isBoldRun(c uint16) bool   { return !boldRunStop.has(c) }
func isItalicRun(c uint16) bool { return !italicRunStop.has(c) }

// isStrikeRun also stops at the lead units of emoji so that they can be
// parsed inside strikes.
func isStrikeRun(c uint16) bool {
	if strikeRunStop.has(c) {
		return false
	}
	return !(c == 0xD83C || c == 0xD83D || c == 0xD83E || c >= 0x2300 && c <= 0x27BF)
}

// isMentionChar is UTF8NamesValidation's class: letters, digits, - . and _.
func isMentionChar(c uint16) bool {
	return c == '-' || c == '.' || c == '_' || isAlphaNumeric(c)
}

// isAlphaNumeric is AlphaNumericChar: letters and decimal digits of the BMP
// as the grammar lists them (Unicode 9).
func isAlphaNumeric(c uint16) bool {
	if c < 0x80 {
		return isAlphaDigit(c)
	}
	return inRanges(alphaNumericRanges, c)
}

// isAlphaNumericOrMark is AlphaNumericOrMarkChar: AlphaNumericChar plus
// combining marks and the grammar's emoji characters, surrogates included.
func isAlphaNumericOrMark(c uint16) bool {
	if c < 0x80 {
		return isAlphaDigit(c)
	}
	return inRanges(alphaNumericOrMarkRanges, c)
}

// inRanges reports whether c falls in one of the sorted, inclusive ranges.
func inRanges(ranges [][2]uint16, c uint16) bool {
	lo, hi := 0, len(ranges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case c < ranges[m][0]:
			hi = m
		case c > ranges[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// isJSSpace reports the characters that JavaScript's trim and \s remove.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// jsTrim is JavaScript's String#trim.
func jsTrim(s string) string {
	return jsTrimRight(jsTrimLeft(s))
}

func jsTrimLeft(s string) string {
	for len(s) > 0 {
		r, size := decodeRune(s)
		if !isJSSpace(r) {
			break
		}
		s = s[size:]
	}
	return s
}

func jsTrimRight(s string) string {
	for len(s) > 0 {
		r, size := decodeLastRune(s)
		if !isJSSpace(r) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}
