package markdown

import (
	"strings"
	"unicode/utf8"
)

func decodeRune(s string) (rune, int)     { return utf8.DecodeRuneInString(s) }
func decodeLastRune(s string) (rune, int) { return utf8.DecodeLastRuneInString(s) }

// reduceFrom reduces the items pushed on the scratch stack since base and
// pops them.
func (p *parser) reduceFrom(base int) []Node {
	// The popped slots keep their nodes until they are overwritten or the
	// parse ends (release clears them): clearing here would cost write
	// barriers on every list.
	out := p.reduce(p.stack[base:])
	p.stack = p.stack[:base]
	return out
}

// pieces merges adjacent pieces of the input into one PLAIN_TEXT while a
// list is collected on p.stack: lists are mostly runs of words and blanks,
// each a PLAIN_TEXT that reduce would merge anyway, and a short list is
// cheaper to reduce. The one thing reduce looks at piece by piece is the
// neighbours of short-code emoji and emoticons, so the pieces on either
// side of those are kept separate.
type pieces struct {
	p *parser
	// start and end bound the run being merged, whose last piece starts at
	// last; start is -1 when there is none.
	start, end, last int
	// afterEmoji is set after a short-code emoji: the next piece stays
	// apart.
	afterEmoji bool
}

// addRange adds the pieces of the input from i to j, the last of which
// starts at last.
func (r *pieces) addRange(i, j, last int) {
	if r.start < 0 || i != r.end {
		r.restart(i, j, last)
		return
	}
	r.last, r.end = last, j
}

// restart pushes the run and starts another one; it is addRange's slow
// path, kept out of line so that addRange inlines.
//
//go:noinline
func (r *pieces) restart(i, j, last int) {
	r.flush(false)
	r.start, r.end, r.last = i, j, last
}

// add adds node n.
func (r *pieces) add(n *Node) {
	if n.Type == PlainText && n.hasPos() && !r.afterEmoji {
		r.addRange(int(n.start), n.end(), int(n.start))
		return
	}
	r.addNode(n)
}

// addNode is add for a node that does not join the run.
func (r *pieces) addNode(n *Node) {
	p := r.p
	converts := n.Type == Emoji && n.Attrs != nil && n.Attrs.ShortCode != ""
	r.flush(converts)
	p.stack = append(p.stack, *n)
	r.afterEmoji = converts
}

// flush pushes the run, its last piece apart when splitLast is set.
func (r *pieces) flush(splitLast bool) {
	if r.start < 0 {
		return
	}
	p := r.p
	if splitLast && r.last > r.start {
		p.pushPlain(r.start, r.last)
		p.pushPlain(r.last, r.end)
	} else {
		p.pushPlain(r.start, r.end)
	}
	r.start = -1
}

// reduce is the reference parser's reducePlainTexts, which every rule that
// collects inline nodes applies to its list. It merges adjacent PLAIN_TEXT
// nodes and flattens nested lists one level. When the list has an emoji, it
// also demotes short-code emoji and emoticons that touch another emoji or a
// non-blank text back to text: ":smile:" next to "word" becomes plain
// ":smile:", an emoticon becomes its own characters. The result is a new
// slice; items may be overwritten.
func (p *parser) reduce(items []Node) []Node {
	p.steps += len(items)
	lists, emoji := false, false
	for i := range items {
		switch items[i].Type {
		case typeList:
			lists = true
		case Emoji:
			emoji = true
		}
	}
	if !lists && !emoji {
		return mergePlain(p, items)
	}
	// The callers own items, so demotion can rewrite it in place; only
	// flattening needs a copy.
	flat := items
	if lists {
		flat = p.flatBuf[:0]
		for i := range items {
			if items[i].Type == typeList {
				flat = append(flat, items[i].Children...)
			} else {
				flat = append(flat, items[i])
			}
		}
	}
	// The reference looks at each element with its raw neighbours, before
	// any merging or demotion; flat[k+1] is still raw when flat[k] is
	// looked at, and the raw predecessor is remembered.
	var prevType NodeType
	var prevText string
	for k := range flat {
		raw := flat[k]
		if raw.Type == Emoji && raw.Attrs != nil && raw.Attrs.ShortCode != "" && len(flat) > 1 {
			hasPrev, hasNext := k > 0, k+1 < len(flat)
			nearEmoji := hasPrev && prevType == Emoji || hasNext && flat[k+1].Type == Emoji
			nearText := hasPrev && prevType == PlainText && jsTrim(prevText) != "" ||
				hasNext && flat[k+1].Type == PlainText && jsTrim(flat[k+1].Text) != ""
			if nearEmoji || nearText {
				if raw.Attrs.ShortCode != raw.Text {
					// An emoticon: its value is the emoticon's own text.
					flat[k] = raw.emoticonText()
				} else {
					// The text is the short code's own source, so it keeps
					// its position too.
					t := plainText(":" + raw.Text + ":")
					t.start, t.spanHi, t.spanLo = raw.start, raw.spanHi, raw.spanLo
					flat[k] = t
				}
			}
		}
		prevType, prevText = raw.Type, raw.Text
	}
	out := mergePlain(p, flat)
	if lists {
		p.flatBuf = flat[:0]
	}
	return out
}

// emoticonText returns the PLAIN_TEXT an emoticon EMOJI wraps, keeping its
// source position so that it can merge with its neighbours cheaply.
func (n *Node) emoticonText() Node {
	t := plainText(n.Text)
	t.start, t.spanHi, t.spanLo = n.start, n.spanHi, n.spanLo
	return t
}

// mergePlain copies items into a new slice, merging each run of PLAIN_TEXT
// nodes into one.
func mergePlain(p *parser, items []Node) []Node {
	size := 0
	for i := range items {
		if items[i].Type != PlainText || i == 0 || items[i-1].Type != PlainText {
			size++
		}
	}
	out := p.nodes(size)
	if size == len(items) {
		// Nothing to merge: one bulk copy.
		return append(out, items...)
	}
	for i := 0; i < len(items); {
		if items[i].Type != PlainText {
			out = append(out, items[i])
			i++
			continue
		}
		j := i + 1
		for j < len(items) && items[j].Type == PlainText {
			j++
		}
		if j == i+1 {
			out = append(out, items[i])
		} else {
			out = append(out, joinPlain(p, items[i:j]))
		}
		i = j
	}
	return out
}

// joinPlain merges a run of PLAIN_TEXT nodes. Adjacent slices of the input
// become one slice; anything else is concatenated once, so merging stays
// linear however long the run.
func joinPlain(p *parser, run []Node) Node {
	if len(run) == 1 {
		return run[0]
	}
	contiguous := run[0].hasPos()
	size := len(run[0].Text)
	for i := 1; i < len(run); i++ {
		size += len(run[i].Text)
		if !run[i].hasPos() || int(run[i].start) != run[i-1].end() {
			contiguous = false
		}
	}
	if contiguous {
		return p.plain(int(run[0].start), run[len(run)-1].end())
	}
	p.steps += size
	var b strings.Builder
	b.Grow(size)
	for i := 0; i < len(run); {
		// Adjacent slices of the input are still joined by position: a
		// surrogate pair split between two of them must come out whole.
		j := i + 1
		for run[i].hasPos() && j < len(run) && run[j].hasPos() && int(run[j].start) == run[j-1].end() {
			j++
		}
		if j > i+1 {
			b.WriteString(p.str(int(run[i].start), run[j-1].end()))
		} else {
			b.WriteString(run[i].Text)
		}
		i = j
	}
	return plainText(b.String())
}
