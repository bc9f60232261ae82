package sqlite

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// The encodings of times (UTC milliseconds, 0 for the zero time) and of
// case-insensitive keys are the two stores' shared ones; these short names
// keep the many statements that bind them readable.

func ms(t time.Time) int64     { return storedoc.Millis(t) }
func fromMS(v int64) time.Time { return storedoc.FromMillis(v) }
func fold(s string) string     { return storedoc.Fold(s) }

// jsonText encodes v for a JSON column, or returns "" for an empty value so
// that it reads back as nil.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %T: %w", v, err)
	}
	switch string(b) {
	case "null", "[]", "{}":
		return "", nil
	}
	return string(b), nil
}

// stringsText encodes a string list, which cannot fail.
func stringsText(v []string) string {
	if len(v) == 0 {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// fromJSON decodes a JSON column; "" leaves v untouched.
func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

// userRefText encodes a user reference for a column.
func userRefText(r chat.UserRef) string {
	if r == (chat.UserRef{}) {
		return ""
	}
	b, _ := json.Marshal(storedoc.UserRef(r))
	return string(b)
}

func fromUserRefText(s string) (chat.UserRef, error) {
	var d storedoc.UserRef
	err := fromJSON(s, &d)
	return chat.UserRef(d), err
}

// messageDoc is a message as SQLite keeps it, its markdown as nested JSON.
type messageDoc = storedoc.Message[json.RawMessage]

func newMessageDoc(m *chat.Message) (messageDoc, error) {
	return storedoc.NewMessage[json.RawMessage](m)
}
