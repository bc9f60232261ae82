package markdown

// The URL rules of the grammar, shared by links, images and autolinks.

// urlHead is the head shared by the URL rules: a scheme with an authority,
// or a bare host.
func (p *parser) urlHead(i int) int {
	if s := p.urlScheme(i); s >= 0 {
		if a := p.urlAuthority(s); a >= 0 {
			return a
		}
	}
	return p.urlHost(i)
}

// urlScheme is URLScheme: up to 32 of [A-Za-z0-9+-], then ":".
func (p *parser) urlScheme(i int) int {
	j := i
	for j < p.n && j-i < 32 && urlSchemeSet.has(p.s[j]) {
		j++
	}
	if j == i || p.at(j) != ':' || j >= p.n {
		return -1
	}
	return j + 1
}

// urlAuthority is URLAuthority: "//", optional user info, a host.
func (p *parser) urlAuthority(i int) int {
	if !p.is(i, "//") {
		return -1
	}
	j := i + 2
	if u := p.userInfo(j); u >= 0 {
		if h := p.urlHost(u); h >= 0 {
			return h
		}
		// The grammar commits to the user info once it matched.
		return -1
	}
	return p.urlHost(j)
}

// userInfo is URLAuthorityUserInfo: user, optional ":password", "@".
func (p *parser) userInfo(i int) int {
	name := func(k int) int {
		j := k
		defer func() { p.steps += j - k }()
		for j < p.n {
			c := p.s[j]
			if isAlphaDigit(c) || c != '@' && c != '/' && safeSet.has(c) {
				j++
				continue
			}
			break
		}
		return j
	}
	j := name(i)
	if j == i {
		return -1
	}
	if p.at(j) == ':' && j < p.n {
		if k := name(j + 1); k > j+1 {
			j = k
		}
	}
	if p.at(j) != '@' || j >= p.n {
		return -1
	}
	return j + 1
}

// urlHost is URLAuthorityHost: a domain name or four dotted numbers, and an
// optional port.
func (p *parser) urlHost(i int) int {
	j := p.domainName(i)
	if j < 0 {
		j = p.dottedNumbers(i)
	}
	if j < 0 {
		return -1
	}
	if p.at(j) == ':' && j < p.n {
		if k := p.digits(j + 1); k > j+1 {
			j = k
		}
	}
	return j
}

func (p *parser) digits(i int) int {
	j := i
	for j < p.n && isDigit(p.s[j]) {
		j++
	}
	p.steps += j - i
	return j
}

// dottedNumbers is Digits|4, "."|: exactly four digit groups.
func (p *parser) dottedNumbers(i int) int {
	j := p.digits(i)
	if j == i {
		return -1
	}
	for groups := 1; groups < 4; groups++ {
		if p.at(j) != '.' || j >= p.n {
			return -1
		}
		k := p.digits(j + 1)
		if k == j+1 {
			return -1
		}
		j = k
	}
	return j
}

// domainName is DomainName: "localhost", or a label followed by one or more
// "." DomainChar DomainNameLabel* groups, not starting with "_".
func (p *parser) domainName(i int) int {
	if p.is(i, "localhost") {
		return i + 9
	}
	if i >= p.n || p.s[i] == '_' {
		return -1
	}
	j := p.domainLabel(i)
	if j < 0 {
		return -1
	}
	// The groups form a walk through the text that every later domain
	// name in the same word repeats, so it is cached (see scanEnd).
	end := p.scanEnd(&p.domainGroupEnd, j, p.domainGroup)
	if end == j {
		return -1
	}
	return end
}

// domainGroup is one "." DomainChar DomainNameLabel* group of DomainName.
func (p *parser) domainGroup(j int) int {
	if p.s[j] != '.' {
		return -1
	}
	e := p.domainChar(j + 1)
	if e < 0 {
		return -1
	}
	j = e
	for {
		e := p.domainLabel(j)
		if e < 0 {
			return j
		}
		j = e
	}
}

// domainLabel is DomainNameLabel: DomainChar+ ("-" DomainChar+)*.
func (p *parser) domainLabel(i int) int {
	j := p.domainChars(i)
	if j < 0 {
		return -1
	}
	for p.at(j) == '-' && j < p.n {
		e := p.domainChars(j + 1)
		if e < 0 {
			break
		}
		j = e
	}
	return j
}

// domainChars is DomainChar+. Every "_" or "." makes the grammar try a
// domain name, so the walk is cached like scanEnd caches its walks. It is
// written out because it is the innermost loop of every URL: a first pass
// finds the end, a second stores it for each step start, letters and
// digits being one-unit steps that need no call.
func (p *parser) domainChars(i int) int {
	// A short walk is repeated rather than recorded, as in scanEnd.
	j := i
	for step := 0; step < shortWalk; step++ {
		if j < p.n && isAlphaDigit(p.s[j]) {
			j++
			continue
		}
		if k := p.domainChar(j); k >= 0 {
			j = k
			continue
		}
		p.steps += j - i + 1
		if j == i {
			return -1
		}
		return j
	}
	c := &p.domainEnd
	p.prepare(c)
	j, end, hit := i, -1, false
	for {
		if v, ok := c.load(j); ok {
			end, hit = v, true
			break
		}
		if j < p.n && isAlphaDigit(p.s[j]) {
			j++
			continue
		}
		k := p.domainChar(j)
		if k < 0 {
			end = j
			break
		}
		j = k
	}
	stop := j
	p.steps += stop - i + 1
	for k := i; k < stop; {
		c.store(k, end)
		if isAlphaDigit(p.s[k]) {
			k++
		} else {
			k = p.domainChar(k)
		}
	}
	if !hit {
		c.store(stop, end)
	}
	if end == i {
		return -1
	}
	return end
}

// domainChar is DomainChar. A letter or digit is one unit. Otherwise the
// unit may not be Extra; "_" and "-" are consumed and the checks that follow
// apply to the next unit, which is consumed too; any other unit must not be
// Safe and is consumed after the checks. The checked unit may not be a line
// break, a blank or one of \ / | > < % ` [ ].
func (p *parser) domainChar(i int) int {
	if i >= p.n {
		return -1
	}
	c := p.s[i]
	if isAlphaDigit(c) {
		return i + 1
	}
	if extraSet.has(c) {
		return -1
	}
	j := i
	if c == '_' || c == '-' {
		j++
	} else if safeSet.has(c) {
		return -1
	}
	if j >= p.n {
		return -1
	}
	d := p.s[j]
	if isEOLUnit(d) || isSpace(d) || domainStop.has(d) {
		return -1
	}
	return j + 1
}

// markdownURLBody is MarkdownLinkURLBody*: units that may be in a URL, where
// punctuation before a blank or line break ends it, ")" ends it, and "(…)"
// groups are taken whole.
func (p *parser) markdownURLBody(i int) int {
	return p.scanEnd(&p.mdURLBodyEnd, i, p.markdownURLStep)
}

func (p *parser) markdownURLStep(j int) int {
	c := p.s[j]
	if isSpace(c) || c == ')' {
		return -1
	}
	if linkExtraSet.has(c) {
		e := p.runEnd(&p.linkExtraRun, j, &linkExtraClass)
		if e < p.n && (isSpace(p.s[e]) || isEOLUnit(p.s[e])) {
			return -1
		}
	}
	if isMarkdownURLChar(c) {
		return j + 1
	}
	if c == '(' {
		k := j + 1
		for k < p.n && !isSpace(p.s[k]) && !isEOLUnit(p.s[k]) && p.s[k] != ')' && isURLChar(p.s[k]) {
			k++
		}
		p.steps += k - j
		if k < p.n && p.s[k] == ')' {
			return k + 1
		}
	}
	return -1
}

// urlBody is URLBody*: like markdownURLBody but without the parentheses
// rule, and punctuation at the very end of the input also ends it.
func (p *parser) urlBody(i int) int {
	return p.scanEnd(&p.urlBodyEnd, i, p.urlStep)
}

func (p *parser) urlStep(j int) int {
	c := p.s[j]
	if isSpace(c) {
		return -1
	}
	if extraSet.has(c) {
		e := p.runEnd(&p.extraRun, j, &extraClass)
		if e >= p.n || isSpace(p.s[e]) || isEOLUnit(p.s[e]) {
			return -1
		}
	}
	if !isURLChar(c) {
		return -1
	}
	return j + 1
}
