package markdown

import (
	"strconv"
	"strings"
)

// canParseURL is the part of the WHATWG URL parser's URL.canParse (without
// a base) that autolinked text can reach: the text must start with a scheme,
// and if an authority follows ("scheme://…") its host and port must be
// valid. Schemes here never are special ones (http, https, …), because text
// starting with those and "//" is linked without asking the parser.
func canParseURL(s string) bool {
	if strings.IndexByte(s, ':') < 0 {
		// No scheme can end; most bare URLs ("www.example.org") stop here.
		return false
	}
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	if s == "" || !isASCIIAlpha(uint16(s[0])) {
		return false
	}
	i := 1
	for i < len(s) && (isAlphaDigit(uint16(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.') {
		i++
	}
	if i >= len(s) || s[i] != ':' {
		return false
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https", "ws", "wss", "ftp", "file":
		// Unreachable from the grammar (see above); accept like the
		// regular-expression fallback would.
		return true
	}
	rest := s[i+1:]
	if !strings.HasPrefix(rest, "//") {
		// A path or an opaque path: never a failure.
		return true
	}
	return validAuthority(rest[2:])
}

// validAuthority checks the authority of a non-special URL: optional
// credentials, an opaque host (or a bracketed IPv6 address) and a port.
func validAuthority(s string) bool {
	if k := strings.IndexAny(s, "/?#"); k >= 0 {
		s = s[:k]
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[at+1:]
		if s == "" {
			return false
		}
	}
	host, port := s, ""
	inBrackets := false
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				host, port = s[:k], s[k+1:]
				if host == "" {
					return false
				}
				k = len(s)
			}
		}
	}
	if !validOpaqueHost(host) {
		return false
	}
	if port != "" {
		for k := 0; k < len(port); k++ {
			if port[k] < '0' || port[k] > '9' {
				return false
			}
		}
		digits := strings.TrimLeft(port, "0")
		if len(digits) > 5 {
			return false
		}
		if n, _ := strconv.Atoi(digits); n > 65535 {
			return false
		}
	}
	return true
}

// validOpaqueHost is the host parser for non-special URLs.
func validOpaqueHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		if !strings.HasSuffix(h, "]") {
			return false
		}
		return validIPv6(h[1 : len(h)-1])
	}
	for k := 0; k < len(h); k++ {
		switch h[k] {
		case 0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
			return false
		}
	}
	return true
}

// validIPv6 is the WHATWG IPv6 parser, reduced to accepting or rejecting.
func validIPv6(s string) bool {
	pieces := 0
	compress := -1
	i := 0
	at := func(k int) byte {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	if at(0) == ':' {
		if at(1) != ':' {
			return false
		}
		i = 2
		pieces++
		compress = pieces
	}
	for i < len(s) {
		if pieces == 8 {
			return false
		}
		if s[i] == ':' {
			if compress != -1 {
				return false
			}
			i++
			pieces++
			compress = pieces
			continue
		}
		length := 0
		for length < 4 && i < len(s) && isHex(uint16(s[i])) {
			i++
			length++
		}
		if at(i) == '.' {
			if length == 0 {
				return false
			}
			i -= length
			if pieces > 6 {
				return false
			}
			numbers := 0
			for i < len(s) {
				if numbers > 0 {
					if s[i] == '.' && numbers < 4 {
						i++
					} else {
						return false
					}
				}
				if i >= len(s) || s[i] < '0' || s[i] > '9' {
					return false
				}
				value := -1
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					d := int(s[i] - '0')
					switch {
					case value == -1:
						value = d
					case value == 0:
						return false
					default:
						value = value*10 + d
					}
					if value > 255 {
						return false
					}
					i++
				}
				numbers++
				if numbers == 2 || numbers == 4 {
					pieces++
				}
			}
			if numbers != 4 {
				return false
			}
			break
		}
		if at(i) == ':' {
			i++
			if i >= len(s) {
				return false
			}
		} else if i < len(s) {
			return false
		}
		pieces++
	}
	if compress != -1 {
		return pieces <= 8
	}
	return pieces == 8
}
