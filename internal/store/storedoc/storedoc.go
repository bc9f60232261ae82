package storedoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Millis encodes a time as both stores keep it, UTC milliseconds, with 0
// for the zero time.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMillis decodes a time written by Millis.
func FromMillis(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// Fold returns the key that case-insensitive lookups and searches compare:
// Go's Unicode lower-casing, since SQLite's lower() and NOCASE fold ASCII
// only, and both stores must match the same things.
func Fold(s string) string { return strings.ToLower(s) }

// searchText joins folded fields for a search column. The newline keeps a
// search from matching across two fields.
func searchText(fields ...string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(Fold(f))
	}
	return b.String()
}

// UserRef is a user reference as Rocket.Chat writes it. It converts to and
// from chat.UserRef directly.
type UserRef struct {
	ID       string `json:"_id,omitempty"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
}

func newUserRefPtr(r *chat.UserRef) *UserRef {
	if r == nil {
		return nil
	}
	d := UserRef(*r)
	return &d
}

func (d *UserRef) refPtr() *chat.UserRef {
	if d == nil {
		return nil
	}
	r := chat.UserRef(*d)
	return &r
}

// compactJSON returns raw as compact JSON text, "" when empty.
func compactJSON(what string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return "", fmt.Errorf("encode %s: %w", what, err)
	}
	return buf.String(), nil
}

func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}
