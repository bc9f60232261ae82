package storedoc

import (
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// OrderBy builds an ORDER BY clause from Rocket.Chat field names. columns
// maps each accepted field to its SQL expression, which is where the
// dialects differ (how a name sorts without case); an unknown field is an
// EInvalid error. def is the order when sort is empty, and tiebreak ends
// every order, so that pages never overlap.
func OrderBy(sort []chat.SortField, columns map[string]string, def []chat.SortField, tiebreak string) (string, error) {
	if len(sort) == 0 {
		sort = def
	}
	parts := make([]string, 0, len(sort)+1)
	for _, f := range sort {
		col, ok := columns[f.Field]
		if !ok {
			return "", chat.ErrInvalidParam("cannot sort by %q", f.Field)
		}
		dir := " ASC"
		if f.Desc {
			dir = " DESC"
		}
		parts = append(parts, col+dir)
	}
	parts = append(parts, tiebreak+" ASC")
	return " ORDER BY " + strings.Join(parts, ", "), nil
}
