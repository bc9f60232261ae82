package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Full-text search runs on PostgreSQL's own machinery, a tsvector column
// with a GIN index matched by a tsquery, but the words on both sides are cut
// and folded here rather than by a text search configuration: PostgreSQL's
// parsers keep "well-known" or an e-mail address as one token, and its
// dictionaries stem and drop stop words, where the SQLite store (FTS5's
// unicode61 tokenizer with remove_diacritics 2) indexes every run of letters
// and digits, folded, and matches prefixes. Doing the folding in Go gives
// both stores the same answers.
//
// A message's words become its tsvector through array_to_tsvector, which
// stores them as they are; a search becomes a tsquery literal of prefix
// terms, all required, that is built here and so can never be a syntax
// error whatever the user typed.

const (
	// maxWordBytes cuts long words, here and in queries alike, well below
	// PostgreSQL's limit on a lexeme (2 kB); a query word cut the same way
	// still matches as a prefix.
	maxWordBytes = 200
	// maxIndexBytes bounds a message's words, under the 1 MB limit of a
	// tsvector.
	maxIndexBytes = 256 << 10
	// maxQueryWords: a longer query is no better a search, and each term
	// costs a posting-list scan.
	maxQueryWords = 16
)

// isWordRune reports whether r belongs to a word: letters, digits and
// other numbers, marks, and private-use characters, as in unicode61.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Co, r)
}

// searchWords returns the words of text, lower-cased, with the diacritics of
// Latin letters removed (é → e, ü → u, but not й, whose breve makes it
// another letter), and cut to maxWordBytes.
func searchWords(text string) []string {
	text = norm.NFD.String(strings.ToLower(text))
	var (
		words []string
		cur   []byte
		latin bool // the base letter the current marks attach to is Latin
	)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, cut(norm.NFC.String(string(cur))))
			cur = cur[:0]
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsMark(r):
			if latin {
				continue
			}
			cur = utf8.AppendRune(cur, r)
		case isWordRune(r):
			latin = unicode.Is(unicode.Latin, r)
			cur = utf8.AppendRune(cur, r)
		default:
			latin = false
			flush()
		}
	}
	flush()
	return words
}

// cut shortens w to maxWordBytes at a character boundary.
func cut(w string) string {
	if len(w) <= maxWordBytes {
		return w
	}
	n := maxWordBytes
	for n > 0 && !utf8.RuneStart(w[n]) {
		n--
	}
	return w[:n]
}

// indexWords returns the distinct words of a message, for its tsvector.
func indexWords(text string) []string {
	words := searchWords(text)
	out := words[:0]
	seen := make(map[string]bool, len(words))
	size := 0
	for _, w := range words {
		if seen[w] {
			continue
		}
		if size += len(w); size > maxIndexBytes {
			break
		}
		seen[w] = true
		out = append(out, w)
	}
	return list(out)
}

// searchQuery turns what a user typed into a tsquery that matches messages
// containing every word of it, each as a word or the start of one; quotes,
// operators and parentheses are plain separators. It returns "" when there
// is no word at all, and the search then finds nothing.
func searchQuery(text string) string {
	words := searchWords(text)
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteString(" & ")
		}
		// A quoted lexeme takes any character; quotes and backslashes
		// are escaped, though words never hold them.
		b.WriteByte('\'')
		for _, r := range w {
			if r == '\'' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteString("':*")
	}
	return b.String()
}
