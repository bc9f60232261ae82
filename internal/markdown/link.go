package markdown

// references is MaybeReferences: "[label](url)" or "<url|label>", unless a
// link is already being parsed.
func (p *parser) references(i int) int {
	if p.flags&skipRefs != 0 || i >= p.n || p.s[i] != '[' && p.s[i] != '<' {
		return -1
	}
	if end, ok := p.lookup(ruleRefs, i); ok {
		return end
	}
	p.steps++
	entry := p.flags
	p.flags |= skipRefs
	var end int
	if p.s[i] == '[' {
		end = p.markdownLink(i)
	} else {
		end = p.angleLink(i)
	}
	p.flags = entry
	return p.remember(ruleRefs, i, end)
}

func (p *parser) markdownLink(i int) int {
	j := p.linkTitlesEnd(i + 1)
	if !p.is(j, "](") {
		return -1
	}
	href, e := p.markdownLinkRef(j + 2)
	if e < 0 || p.at(e) != ')' || e >= p.n {
		return -1
	}
	if j == i+1 || p.flags&measure != 0 {
		p.res = linkNode(href, nil)
		return e + 1
	}
	base := len(p.stack)
	for k := i + 1; k < j; {
		k = p.linkTitle(k)
		p.stack = append(p.stack, p.res)
	}
	p.res = linkNode(href, p.reduceFrom(base))
	return e + 1
}

// linkNode is the reference's link(src, label): the label defaults to the
// src as text.
func linkNode(src string, label []Node) Node {
	if label == nil {
		label = []Node{plainText(src)}
	}
	n := node(Link, label)
	n.Text = src
	return n
}

// angleLink is "<" LinkRef "|" LinkTitle2 ">".
func (p *parser) angleLink(i int) int {
	href, j := p.linkRef(i + 1)
	if j < 0 || p.at(j) != '|' || j >= p.n {
		return -1
	}
	k := j + 1
	for k < p.n && isLinkTitle2(p.s[k]) {
		k++
	}
	p.steps += k - j
	if k == j+1 || p.at(k) != '>' || k >= p.n {
		return -1
	}
	p.res = linkNode(href, p.one(p.plain(j+1, k)))
	return k + 1
}

// linkTitlesEnd returns where LinkTitle* starting at i stops. Every title
// item start it passes shares that answer, so it is cached for all of them:
// "[a [a [a …" would otherwise rescan the rest of the text at every "[".
func (p *parser) linkTitlesEnd(i int) int {
	var visited []int
	k, end := i, -1
	// Only the end matters here; the label is built once the link is
	// known to be complete.
	entry := p.flags
	p.flags |= measure
	for {
		if e, ok := p.lookupEnd(ruleLinkTitle, k); ok {
			end = e
			break
		}
		visited = append(visited, k)
		e := p.linkTitle(k)
		if e < 0 {
			end = k
			break
		}
		k = e
	}
	for _, v := range visited {
		p.rememberEnd(ruleLinkTitle, v, end)
	}
	p.flags = entry
	return end
}

// linkTitle is LinkTitle: a blank run, an emphasis, a run of plain units, or
// any unit that does not close the label.
func (p *parser) linkTitle(i int) int {
	p.steps++
	if i >= p.n {
		return -1
	}
	if end := p.whitespace(i); end >= 0 {
		return end
	}
	if end := p.emphasis(i); end >= 0 {
		return end
	}
	if j := p.runEnd(&p.titleRun, i, &titleRunClass); j > i {
		return p.setPlain(i, j)
	}
	if p.is(i, "](") && i+2 < p.n {
		return -1
	}
	if p.is(i, "] [") {
		k := i + 3
		for k < p.n && p.s[k] != ']' {
			k++
		}
		p.steps += k - i
		if p.is(k, "](") {
			return -1
		}
	}
	p.res = p.plain(i, i+1)
	return i + 1
}

// markdownLinkRef is MarkdownLinkRef, the target of [label](target): a URL
// whose path may hold balanced parentheses, a scheme and a path, or a phone
// number. It depends on the position only, so it is memoized.
func (p *parser) markdownLinkRef(i int) (string, int) {
	if p.linkRefs == nil {
		p.linkRefs = map[int]linkRefMemo{}
	}
	if m, ok := p.linkRefs[i]; ok {
		return m.href, m.end
	}
	href, end := p.markdownLinkRefUncached(i)
	p.linkRefs[i] = linkRefMemo{href, end}
	return href, end
}

type linkRefMemo struct {
	href string
	end  int
}

// markdownLinkRefUncached tries the alternatives of MarkdownLinkRef.
func (p *parser) markdownLinkRefUncached(i int) (string, int) {
	if h := p.urlHead(i); h >= 0 {
		end := p.markdownURLBody(h)
		return p.str(i, end), end
	}
	if s := p.urlScheme(i); s >= 0 {
		if end := p.markdownURLBody(s); end > s {
			return p.str(i, end), end
		}
	}
	if number, end := p.phone(i); end >= 0 {
		return "tel:" + number, end
	}
	return "", -1
}

// linkRef is LinkRef, the target of <target|label>.
func (p *parser) linkRef(i int) (string, int) {
	if h := p.urlHead(i); h >= 0 {
		end := p.urlBody(h)
		return p.str(i, end), end
	}
	if s := p.urlScheme(i); s >= 0 {
		if end := p.urlBody(s); end > s {
			return p.str(i, end), end
		}
	}
	if number, end := p.phone(i); end >= 0 {
		return "tel:" + number, end
	}
	return "", -1
}

// image is Image: "![" optional Line "](" target ")".
func (p *parser) image(i int) int {
	if !p.is(i, "![") {
		return -1
	}
	j := i + 2
	var label *Node
	if end := p.line(j); end >= 0 {
		t := p.res
		label = &t
		j = end
	}
	if !p.is(j, "](") {
		return -1
	}
	href, e := p.markdownLinkRef(j + 2)
	if e < 0 || p.at(e) != ')' || e >= p.n {
		return -1
	}
	n := node(Image, nil)
	n.Text = href
	if label != nil {
		n.Attrs = p.attrs(Attrs{Label: label})
	}
	p.res = n
	return e + 1
}

// phone is Phone: "+", then digits with an optional "(area)" prefix and one
// optional dash. It returns the digits alone and the end; the text is the
// input up to the end.
func (p *parser) phone(i int) (string, int) {
	if p.at(i) != '+' || i >= p.n {
		return "", -1
	}
	k := i + 1
	// PhonePrefix: digits, or digits in parentheses.
	prefix := func(k int) (string, int) {
		if e := p.digits(k); e > k {
			return p.str(k, e), e
		}
		if p.at(k) == '(' && k < p.n {
			if e := p.digits(k + 1); e > k+1 && p.at(e) == ')' && e < p.n {
				return p.str(k+1, e), e + 1
			}
		}
		return "", -1
	}
	if num, e := prefix(k); e >= 0 {
		if p.at(e) == '-' && e < p.n {
			if d := p.digits(e + 1); d > e+1 {
				return num + p.str(e+1, d), d
			}
		}
		if d1 := p.digits(e); d1 > e {
			if p.at(d1) == '-' && d1 < p.n {
				if d2 := p.digits(d1 + 1); d2 > d1+1 {
					return num + p.str(e, d1) + p.str(d1+1, d2), d2
				}
			}
			return num + p.str(e, d1), d1
		}
	}
	if d := p.digits(k); d > k {
		return p.str(k, d), d
	}
	return "", -1
}

// autolinkedPhone is AutolinkedPhone: a phone number links to "tel:" when it
// has at least five digits.
func (p *parser) autolinkedPhone(i int) int {
	number, end := p.phone(i)
	if end < 0 {
		return -1
	}
	if len(number) < 5 {
		return p.setPlain(i, end)
	}
	p.res = linkNode("tel:"+number, p.one(p.plain(i, end)))
	return end
}

// emailAhead is the lookahead before AutolinkedEmail: the word reaches an
// "@" before any blank.
func (p *parser) emailAhead(i int) bool {
	switch p.s[i] {
	case ' ', '\t', '\r', '\n':
		// The run before the "@" is empty.
		return false
	}
	e := p.runEndAt(i, stopEmail)
	return e < p.n && p.s[e] == '@'
}

// urlAhead is the lookahead before AutolinkedURL: the word reaches "://" or
// "." before any blank, ":", "/" or "@". It is only used there, so it also
// turns away positions where the rule is sure to fail.
func (p *parser) urlAhead(i int) bool {
	e := p.runEndAt(i, stopURL)
	if p.is(e, "://") {
		return true
	}
	if e >= p.n || p.s[e] != '.' {
		return false
	}
	// A "." that ends the word (a blank, a line break or the end follows)
	// passes the lookahead, but AutolinkedURL cannot match then: no scheme
	// can end before that "." and a domain name or four dotted numbers
	// need a character after it, so only "localhost" could. Most of the
	// lookahead's hits are such ends of sentences ("again."), and trying
	// the URL rules there would be wasted; this answers as if they had
	// been tried.
	if e+1 == p.n || isSpace(p.s[e+1]) || isEOLUnit(p.s[e+1]) {
		return p.is(i, "localhost")
	}
	return true
}

// autolinkedEmail is AutolinkedEmail: an optional "mailto:", a local part,
// "@" and a domain, linked when the domain is under a public suffix.
func (p *parser) autolinkedEmail(i int) int {
	start := i
	if p.is(i, "mailto:") {
		start = i + 7
	}
	j := p.localPart(start)
	if j < 0 || p.at(j) != '@' || j >= p.n {
		return -1
	}
	end := p.domainName(j + 1)
	if end < 0 {
		return -1
	}
	if p.emailKnown(start, end) {
		p.res = linkNode("mailto:"+p.str(start, end), p.one(p.plain(start, end)))
		return end
	}
	return p.setPlain(start, end)
}

// localPart is LocalPart: segments of letters, digits or marks each
// followed by special characters, joined by single dots. The walk through
// a long address is cached (see scanEnd), since every word start before the
// "@" tries it.
func (p *parser) localPart(i int) int {
	if i >= p.n || !isAlphaNumericOrMark(p.s[i]) {
		return -1
	}
	return p.scanEnd(&p.localEnd, i, p.localStep)
}

// localStep is one step of LocalPart: letters, digits or marks followed by
// special characters, or a dot that a letter, digit or mark follows.
func (p *parser) localStep(j int) int {
	if c := p.s[j]; c == '.' {
		if j+1 < p.n && isAlphaNumericOrMark(p.s[j+1]) {
			return j + 1
		}
		return -1
	}
	k := j
	for k < p.n && isAlphaNumericOrMark(p.s[k]) {
		k++
	}
	if k == j {
		return -1
	}
	for k < p.n && localSpecialSet.has(p.s[k]) {
		k++
	}
	p.steps += k - j
	return k
}

// underscoreDomain is the rule that keeps "_example.com" as plain text when
// it is not followed by another "_".
func (p *parser) underscoreDomain(i int) int {
	if p.at(i) != '_' || i >= p.n {
		return -1
	}
	end := p.domainName(i + 1)
	if end < 0 {
		return -1
	}
	if end < p.n && p.s[end] == '_' {
		return -1
	}
	return end
}

// autoURLStep is one AutoLinkURLBody: any unit but a blank or a line
// break, where punctuation belongs to the URL unless only punctuation
// follows up to a blank, a line break or the end.
func (p *parser) autoURLStep(j int) int {
	c := p.s[j]
	if !autoURLSlow.has(c) {
		return j + 1
	}
	if isSpace(c) || isEOLUnit(c) {
		return -1
	}
	e := p.runEnd(&p.extraRun, j, &extraClass)
	if e >= p.n || isSpace(p.s[e]) || isEOLUnit(p.s[e]) {
		return -1
	}
	return j + 1
}

// autolinkedURL is AutolinkedURL: a URL head and everything up to a blank,
// a line break or the end, trailing punctuation excluded.
func (p *parser) autolinkedURL(i int) int {
	h := p.urlHead(i)
	if h < 0 {
		return -1
	}
	j := p.scanEnd(&p.autoURLEnd, h, p.autoURLStep)
	if href, ok := p.autoLink(i, j); ok {
		p.res = linkNode(href, p.one(p.plain(i, j)))
		return j
	}
	return p.setPlain(i, j)
}
