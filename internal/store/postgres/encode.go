package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// The encodings of times (UTC milliseconds, 0 for the zero time) and of
// case-insensitive keys are the two stores' shared ones, so that both match
// the same things; these short names keep the many statements that bind
// them readable.

func ms(t time.Time) int64     { return storedoc.Millis(t) }
func fromMS(v int64) time.Time { return storedoc.FromMillis(v) }
func fold(s string) string     { return storedoc.Fold(s) }

// Text that PostgreSQL refuses: it stores no NUL character (neither in text
// nor in jsonb) and no invalid UTF-8, where SQLite takes both. Strings bound
// to statements go through clean (see cleanArgs), and JSON documents through
// cleanJSON, so such input is stored with U+FFFD in their place instead of
// failing the request.

const replacement = "\uFFFD"

func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, replacement), "\x00", replacement)
}

// cleanJSON replaces the escaped NULs (\u0000) of encoding/json's output,
// which jsonb rejects. Escaped backslashes are skipped, so the text \\u0000
// stays as it is.
func cleanJSON(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
			out = append(out, `\ufffd`...)
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

// jsonDoc encodes v for a jsonb column that holds an object: "{}" when v is
// empty, so that it reads back as nothing.
func jsonDoc(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	if string(b) == "null" {
		return []byte("{}"), nil
	}
	return cleanJSON(b), nil
}

// jsonValue encodes a setting value for its jsonb column, null included.
func jsonValue(v any) ([]byte, error) {
	b, err := storedoc.EncodeSettingValue(v)
	if err != nil {
		return nil, err
	}
	return cleanJSON(b), nil
}

// fromJSON decodes a jsonb column; SQL NULL, null and the empty object
// leave v untouched, so that empty maps read back as nil.
func fromJSON(b []byte, v any) error {
	switch string(b) {
	case "", "null", "{}":
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

// list returns v as a non-nil slice, since a nil slice binds as SQL NULL
// and the array columns are NOT NULL.
func list(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// orNil returns nil for an empty slice: the stores read empty lists back as
// nil.
func orNil(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

// messageDoc is a message as PostgreSQL keeps it, its markdown as a JSON
// string holding its compact text (see storedoc.MDForm).
type messageDoc = storedoc.Message[string]

func newMessageDoc(m *chat.Message) (messageDoc, error) {
	return storedoc.NewMessage[string](m)
}
