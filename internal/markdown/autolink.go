package markdown

import (
	"strings"
	"unicode/utf16"
)

// The reference parser decides whether a bare URL or e-mail address becomes
// a link with tldts (a public-suffix library) and, for URLs, the WHATWG URL
// parser. This file reproduces the parts of both that those decisions use.
// Host names are handled as UTF-16, like the JavaScript originals.

// autoLink is the reference's autoLink for the URL text between i and j:
// it becomes a link when its host is an IP address, is under a public
// suffix, or is (a subdomain of) localhost or a custom domain. The link's
// src gets "//" in front unless the text already parses as an absolute URL
// or starts with a scheme and "//".
func (p *parser) autoLink(i, j int) (string, bool) {
	host, ok := extractHostname(p.s[i:j])
	if !ok {
		return "", false
	}
	linked := isIPv6(host) || isIPv4(host)
	if !linked {
		if !isValidHostname(host) {
			return "", false
		}
		linked = pslMatch(host) || p.customHost(host)
	}
	if !linked {
		return "", false
	}
	text := p.str(i, j)
	if strings.HasPrefix(text, "//") || hasSchemeSlashes(text) || canParseURL(text) {
		return text, true
	}
	return "//" + text, true
}

// customHost reports whether host is localhost, a custom domain, or a
// subdomain of one (tldts's validHosts).
func (p *parser) customHost(host []uint16) bool {
	if hostHasSuffix(host, "localhost") {
		return true
	}
	for _, v := range p.customDomains {
		// An empty domain would match but yields an empty, falsy domain.
		if v != "" && hostHasSuffix(host, v) {
			return true
		}
	}
	return false
}

// hostHasSuffix reports whether host is domain or ends with "." + domain.
func hostHasSuffix(host []uint16, domain string) bool {
	ascii := true
	for k := 0; k < len(domain); k++ {
		if domain[k] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		if len(domain) > len(host) {
			return false
		}
		k := len(host) - len(domain)
		for x := 0; x < len(domain); x++ {
			if host[k+x] != uint16(domain[x]) {
				return false
			}
		}
		return k == 0 || host[k-1] == '.'
	}
	d := utf16.Encode([]rune(domain))
	if len(d) > len(host) {
		return false
	}
	k := len(host) - len(d)
	for x := range d {
		if host[k+x] != d[x] {
			return false
		}
	}
	return k == 0 || host[k-1] == '.'
}

// emailKnown is the test of the reference's autoEmail for the address
// between i and j: the host of "mailto:address" must be under a public
// suffix (IP addresses are not detected for e-mail).
func (p *parser) emailKnown(i, j int) bool {
	u := append(p.scratch16[:0], 'm', 'a', 'i', 'l', 't', 'o', ':')
	u = append(u, p.s[i:j]...)
	p.scratch16 = u
	host, ok := extractHostname(u)
	if !ok || !isValidHostname(host) {
		return false
	}
	return pslMatch(host)
}

// hasSchemeSlashes reports /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\//.
func hasSchemeSlashes(s string) bool {
	if s == "" || !isASCIIAlpha(uint16(s[0])) {
		return false
	}
	for i := 1; i < len(s) && i <= 32; i++ {
		c := s[i]
		switch {
		case c == ':':
			return strings.HasPrefix(s[i:], "://")
		case isAlphaDigit(uint16(c)) || c == '+' || c == '.' || c == '-':
		default:
			return false
		}
	}
	return false
}

// extractHostname is tldts's extractHostname for URLs that may or may not
// carry a scheme. It returns false where tldts returns null.
func extractHostname(u []uint16) ([]uint16, bool) {
	if isValidHostname(u) {
		// A bare host name: only trailing dots go.
		end := len(u)
		for end > 1 && u[end-1] == '.' {
			end--
		}
		return u[:end], true
	}
	if len(u) >= 5 && u[0] == 'd' && u[1] == 'a' && u[2] == 't' && u[3] == 'a' && u[4] == ':' {
		return nil, false
	}
	start, end := 0, len(u)
	for start < len(u) && u[start] <= 32 {
		start++
	}
	for end > start+1 && u[end-1] <= 32 {
		end--
	}
	if start+1 < len(u) && u[start] == '/' && u[start+1] == '/' {
		start += 2
	} else if colon := indexColonSlash(u, start); colon >= 0 {
		scheme := u[start:colon]
		if !isKnownScheme(scheme) {
			for _, c := range scheme {
				c |= 32
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+') {
					return nil, false
				}
			}
		}
		start = colon + 2
		for start < len(u) && u[start] == '/' {
			start++
		}
	}
	at, bracket, colon := -1, -1, -1
	upper := false
	for i := start; i < end; i++ {
		c := u[i]
		if c == '#' || c == '/' || c == '?' {
			end = i
			break
		}
		switch {
		case c == '@':
			at = i
		case c == ']':
			bracket = i
		case c == ':':
			colon = i
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	if at != -1 && at > start && at < end {
		start = at + 1
	}
	if start < len(u) && u[start] == '[' {
		if bracket == -1 {
			return nil, false
		}
		if bracket < start+1 {
			return nil, true
		}
		return lowerUnits(u[start+1 : bracket]), true
	}
	if colon != -1 && colon > start && colon < end {
		end = colon
	}
	for end > start+1 && u[end-1] == '.' {
		end--
	}
	if start > end {
		// tldts slices an empty string here.
		return nil, true
	}
	host := u[start:end]
	if upper {
		host = lowerUnits(host)
	}
	return host, true
}

// indexColonSlash finds ":/" at or after start.
func indexColonSlash(u []uint16, start int) int {
	for i := start; i+1 < len(u); i++ {
		if u[i] == ':' && u[i+1] == '/' {
			return i
		}
	}
	return -1
}

func isKnownScheme(s []uint16) bool {
	eq := func(lit string) bool {
		if len(s) != len(lit) {
			return false
		}
		for k := range s {
			if s[k] != uint16(lit[k]) {
				return false
			}
		}
		return true
	}
	return eq("https") || eq("http") || eq("wss") || eq("ws")
}

// lowerUnits is JavaScript's toLowerCase.
func lowerUnits(u []uint16) []uint16 {
	return utf16.Encode([]rune(jsLower(string(utf16.Decode(u)))))
}

// jsLower lower-cases like JavaScript: Go's ToLower except for the dotted
// capital I, which JavaScript maps to "i" plus a combining dot.
func jsLower(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
}

// isHostUnit is tldts's isValidAscii: a lowercase letter, a digit, or any
// unit above 127.
func isHostUnit(c uint16) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c > 127
}

// isValidHostname is tldts's isValidHostname.
func isValidHostname(h []uint16) bool {
	if len(h) == 0 || len(h) > 255 {
		return false
	}
	if c := h[0]; !isHostUnit(c) && c != '.' && c != '_' {
		return false
	}
	lastDot, prev := -1, -1
	for i, c := range h {
		if c == '.' {
			if i-lastDot > 64 || prev == '.' || prev == '-' || prev == '_' {
				return false
			}
			lastDot = i
		} else if !isHostUnit(c) && c != '-' && c != '_' {
			return false
		}
		prev = int(c)
	}
	return len(h)-lastDot-1 <= 63 && prev != '-'
}

// isIPv4 is tldts's loose IPv4 test: three dots and digits.
func isIPv4(h []uint16) bool {
	if len(h) < 7 || len(h) > 15 {
		return false
	}
	dots := 0
	for _, c := range h {
		if c == '.' {
			dots++
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return dots == 3 && h[0] != '.' && h[len(h)-1] != '.'
}

// isIPv6 is tldts's loose IPv6 test: hex digits (and, as tldts has it, any
// capital letter) with at least one colon.
func isIPv6(h []uint16) bool {
	if len(h) < 3 {
		return false
	}
	start, end := 0, len(h)
	if h[0] == '[' {
		start = 1
	}
	if h[end-1] == ']' {
		end--
	}
	if end-start > 39 {
		return false
	}
	colon := false
	for _, c := range h[start:end] {
		switch {
		case c == ':':
			colon = true
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return colon
}
