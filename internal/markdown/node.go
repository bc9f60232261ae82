package markdown

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// NodeType is the kind of a Node; its String form is the "type" value that
// Rocket.Chat clients switch on.
type NodeType uint8

// The node types of the md tree. Blocks come first, then inline nodes.
const (
	Paragraph NodeType = iota + 1
	Heading
	Code
	CodeLine
	Quote
	SpoilerBlock
	OrderedList
	UnorderedList
	ListItem
	Tasks
	Task
	LineBreak
	HorizontalRule
	Katex
	Table
	TableRow
	TableCell
	BigEmoji
	PlainText
	Bold
	Italic
	Strike
	Spoiler
	InlineCode
	InlineKatex
	Link
	Image
	MentionUser
	MentionChannel
	Emoji
	Color
	Timestamp

	// typeList is never part of a finished tree: some grammar actions return
	// a list where a single node is expected, and the next reducePlainTexts
	// flattens it into its parent, as the reference parser does with arrays.
	typeList
)

var typeNames = [...]string{
	Paragraph:      "PARAGRAPH",
	Heading:        "HEADING",
	Code:           "CODE",
	CodeLine:       "CODE_LINE",
	Quote:          "QUOTE",
	SpoilerBlock:   "SPOILER_BLOCK",
	OrderedList:    "ORDERED_LIST",
	UnorderedList:  "UNORDERED_LIST",
	ListItem:       "LIST_ITEM",
	Tasks:          "TASKS",
	Task:           "TASK",
	LineBreak:      "LINE_BREAK",
	HorizontalRule: "HORIZONTAL_RULE",
	Katex:          "KATEX",
	Table:          "TABLE",
	TableRow:       "TABLE_ROW",
	TableCell:      "TABLE_CELL",
	BigEmoji:       "BIG_EMOJI",
	PlainText:      "PLAIN_TEXT",
	Bold:           "BOLD",
	Italic:         "ITALIC",
	Strike:         "STRIKE",
	Spoiler:        "SPOILER",
	InlineCode:     "INLINE_CODE",
	InlineKatex:    "INLINE_KATEX",
	Link:           "LINK",
	Image:          "IMAGE",
	MentionUser:    "MENTION_USER",
	MentionChannel: "MENTION_CHANNEL",
	Emoji:          "EMOJI",
	Color:          "COLOR",
	Timestamp:      "TIMESTAMP",
	typeList:       "LIST",
}

// String returns the type's name as it appears in the JSON tree.
func (t NodeType) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "NodeType(" + strconv.Itoa(int(t)) + ")"
}

// Node is one node of the md tree. Which fields are meaningful depends on
// Type; MarshalJSON writes exactly the shape the reference parser produces.
//
//   - Text is the value of PLAIN_TEXT, KATEX and INLINE_KATEX; the text of the
//     PLAIN_TEXT wrapped by INLINE_CODE, CODE_LINE, MENTION_USER,
//     MENTION_CHANNEL and short-code EMOJI; the src of LINK and IMAGE; and the
//     timestamp of TIMESTAMP.
//   - Children holds the value array of containers (paragraphs, lists, emphasis,
//     spoilers, BIG_EMOJI), the label array of LINK and the rows of TABLE.
//   - Attrs holds the rarer attributes; it is nil for most nodes.
type Node struct {
	Type NodeType

	// spanHi, spanLo and start locate a PLAIN_TEXT whose Text is the input
	// from start to start+span (in code units), so that merging neighbours
	// can re-slice instead of copying; emoji keep their source range there
	// too. start is -1 otherwise. They fill the padding after Type, which
	// keeps a Node at 56 bytes: see end.
	spanHi uint8
	spanLo uint16
	start  int32

	Text     string
	Children []Node
	Attrs    *Attrs
}

// spanSaturated is the span recorded for ranges too long for 24 bits; end
// then recounts the range from the text.
const spanSaturated = 1<<24 - 1

// setPos records that n covers the input from i to j.
func (n *Node) setPos(i, j int) {
	span := min(j-i, spanSaturated)
	n.start, n.spanHi, n.spanLo = int32(i), uint8(span>>16), uint16(span)
}

// hasPos reports whether n records a range of the input.
func (n *Node) hasPos() bool { return n.start >= 0 }

// end returns the end of the range n records. A saturated span is
// recounted from the text: a PLAIN_TEXT's text has exactly as many code
// units as its range (a lone surrogate became U+FFFD, one unit too), and a
// short-code emoji's is its range without the two colons.
func (n *Node) end() int {
	if n.spanHi != 0xFF {
		return int(n.start) + int(n.spanHi)<<16 + int(n.spanLo)
	}
	return n.longEnd()
}

// longEnd is end for spans of 0xFF0000 units and more, kept out of line so
// that end inlines.
//
//go:noinline
func (n *Node) longEnd() int {
	if n.spanLo != 0xFFFF {
		return int(n.start) + 0xFF<<16 + int(n.spanLo)
	}
	span := utf16Len(n.Text)
	if n.Type == Emoji {
		span += 2
	}
	return int(n.start) + span
}

// utf16Len returns the number of UTF-16 code units of s, decoded the way
// setText decodes the input (an invalid byte is one U+FFFD).
func utf16Len(s string) int {
	k := 0
	for _, r := range s {
		k++
		if r >= 0x10000 {
			k++
		}
	}
	return k
}

// Attrs carries the attributes that only some node types have. The fields
// are ordered and sized to keep it small: a message has one per emoji.
type Attrs struct {
	ShortCode string  // EMOJI: the short code (":smile:" gives "smile").
	Unicode   string  // EMOJI: the emoji itself, for unicode emoji.
	Language  string  // CODE: the fence's language, "none" when absent.
	Format    string  // TIMESTAMP: one of t T d D f F R.
	Align     string  // TABLE_CELL: "left", "center", "right" or "" (absent).
	Label     *Node   // IMAGE: the label node.
	Header    []Node  // TABLE: the header cells.
	Fallback  *[2]int // TIMESTAMP, HORIZONTAL_RULE, TABLE: source range in UTF-16 units.
	Number    float64 // LIST_ITEM: the number, when HasNumber.
	Level     uint8   // HEADING: 1 to 4.
	R, G, B   uint8   // COLOR: the channels.
	A         uint8   // COLOR: alpha.
	HasNumber bool    // LIST_ITEM: whether the item is numbered.
	Status    bool    // TASK: whether the box is ticked.
}

// MarshalJSON encodes the node in the reference parser's shape.
func (n Node) MarshalJSON() ([]byte, error) {
	return n.appendJSON(make([]byte, 0, 64)), nil
}

// AppendJSON appends the JSON encoding of nodes (an md array) to b. It is
// what MarshalJSON uses, without encoding/json's extra validation pass.
func AppendJSON(b []byte, nodes []Node) []byte {
	return appendNodes(b, nodes)
}

func appendNodes(b []byte, nodes []Node) []byte {
	b = append(b, '[')
	for i := range nodes {
		if i > 0 {
			b = append(b, ',')
		}
		b = nodes[i].appendJSON(b)
	}
	return append(b, ']')
}

// appendPlain writes {"type":"PLAIN_TEXT","value":s}.
func appendPlain(b []byte, s string) []byte {
	b = append(b, `{"type":"PLAIN_TEXT","value":`...)
	b = appendString(b, s)
	return append(b, '}')
}

func (n *Node) appendJSON(b []byte) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, n.Type.String()...)
	b = append(b, '"')
	a := n.Attrs
	if a == nil {
		a = &Attrs{}
	}
	switch n.Type {
	case PlainText, Katex, InlineKatex:
		b = append(b, `,"value":`...)
		b = appendString(b, n.Text)
	case InlineCode, CodeLine, MentionUser, MentionChannel:
		b = append(b, `,"value":`...)
		b = appendPlain(b, n.Text)
	case LineBreak:
		// The reference sets value to undefined, which JSON omits.
	case HorizontalRule:
		b = appendFallback(b, a.Fallback)
	case Heading:
		b = append(b, `,"level":`...)
		b = strconv.AppendInt(b, int64(a.Level), 10)
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
	case Code:
		b = append(b, `,"language":`...)
		b = appendString(b, a.Language)
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
	case ListItem:
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
		if a.HasNumber {
			b = append(b, `,"number":`...)
			b = appendJSNumber(b, a.Number)
		}
	case Task:
		b = append(b, `,"status":`...)
		b = strconv.AppendBool(b, a.Status)
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
	case Link:
		b = append(b, `,"value":{"src":`...)
		b = appendPlain(b, n.Text)
		b = append(b, `,"label":`...)
		b = appendNodes(b, n.Children)
		b = append(b, '}')
	case Image:
		b = append(b, `,"value":{"src":`...)
		b = appendPlain(b, n.Text)
		b = append(b, `,"label":`...)
		if a.Label != nil {
			b = a.Label.appendJSON(b)
		} else {
			b = appendPlain(b, n.Text)
		}
		b = append(b, '}')
	case Emoji:
		if a.Unicode != "" || a.ShortCode == "" {
			b = append(b, `,"unicode":`...)
			b = appendString(b, a.Unicode)
		} else {
			b = append(b, `,"value":`...)
			b = appendPlain(b, n.Text)
			b = append(b, `,"shortCode":`...)
			b = appendString(b, a.ShortCode)
		}
	case Color:
		b = append(b, `,"value":{"r":`...)
		b = strconv.AppendInt(b, int64(a.R), 10)
		b = append(b, `,"g":`...)
		b = strconv.AppendInt(b, int64(a.G), 10)
		b = append(b, `,"b":`...)
		b = strconv.AppendInt(b, int64(a.B), 10)
		b = append(b, `,"a":`...)
		b = strconv.AppendInt(b, int64(a.A), 10)
		b = append(b, '}')
	case Timestamp:
		b = append(b, `,"value":{"timestamp":`...)
		b = appendString(b, n.Text)
		b = append(b, `,"format":`...)
		b = appendString(b, a.Format)
		b = append(b, '}')
		b = appendFallback(b, a.Fallback)
	case Table:
		b = append(b, `,"value":{"header":`...)
		b = appendNodes(b, a.Header)
		b = append(b, `,"rows":`...)
		b = appendNodes(b, n.Children)
		b = append(b, '}')
		b = appendFallback(b, a.Fallback)
	case TableCell:
		if a.Align != "" {
			b = append(b, `,"align":`...)
			b = appendString(b, a.Align)
		}
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
	default:
		b = append(b, `,"value":`...)
		b = appendNodes(b, n.Children)
	}
	return append(b, '}')
}

func appendFallback(b []byte, f *[2]int) []byte {
	if f == nil {
		return b
	}
	b = append(b, `,"fallback":[`...)
	b = strconv.AppendInt(b, int64(f[0]), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(f[1]), 10)
	return append(b, ']')
}

// appendJSNumber formats a non-negative f the way JSON.stringify does: plain
// digits below 1e21, exponent form above, and null for infinity (parseInt of
// a few hundred digits overflows).
func appendJSNumber(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 0) || math.IsNaN(f):
		return append(b, "null"...)
	case f < 1e21:
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	default:
		// Exponents here are at least 21, so Go's form matches JavaScript's.
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way JSON.stringify does:
// quotes, backslashes and control characters are escaped, everything else is
// written as is. Invalid UTF-8 becomes U+FFFD, as encoding/json would do.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
