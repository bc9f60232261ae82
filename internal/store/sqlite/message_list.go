package sqlite

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// messageWhere translates a filter. ok is false when the filter can match
// nothing (a text search without a single word), so callers skip the query.
func messageWhere(f chat.MessageFilter) (w *where, ok bool) {
	w = &where{}
	if f.RoomID != "" {
		w.add("m.rid = ?", f.RoomID)
	}
	lt, gt := "<", ">"
	if f.Inclusive {
		lt, gt = "<=", ">="
	}
	if !f.Before.IsZero() {
		w.add("m.ts "+lt+" ?", ms(f.Before))
	}
	if !f.After.IsZero() {
		w.add("m.ts "+gt+" ?", ms(f.After))
	}
	w.since("m.updated_at", f.UpdatedSince)
	if f.TMID != "" {
		// The second term is implied, but SQLite uses the partial index
		// messages_thread only when the query states its condition.
		w.add("m.tmid = ? AND m.tmid <> ''", f.TMID)
	}
	if f.ThreadRoots {
		w.add("m.tcount > 0")
	}
	if f.HideThreads {
		w.add("(m.tmid = '' OR m.tshow = 1)")
	}
	if f.HideSystem {
		w.add("m.t = ''")
	}
	if len(f.Types) > 0 {
		w.in("m.t", f.Types)
	}
	if f.Pinned {
		w.add("m.pinned = 1")
	}
	if f.StarredBy != "" {
		w.add("m.id IN (SELECT message_id FROM stars WHERE user_id = ?)", f.StarredBy)
	}
	if f.MentionedUser != "" {
		w.add("m.id IN (SELECT message_id FROM mentions WHERE user_id = ?)", f.MentionedUser)
	}
	if f.FollowedBy != "" {
		w.add("m.tcount > 0 AND "+followsThread("?"), f.FollowedBy)
	}
	if f.UnreadBy != "" {
		w.add(unreadThread("?"), f.UnreadBy, f.UnreadBy)
	}
	if f.Discussions {
		w.add("m.drid <> ''")
	}
	if len(f.IDs) > 0 {
		w.in("m.id", f.IDs)
	}
	if f.Text != "" {
		q := ftsQuery(f.Text)
		if q == "" {
			return nil, false
		}
		w.add("m.pk IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)", q)
	}
	if f.FromUserID != "" {
		w.add("m.u_id = ?", f.FromUserID)
	}
	return w, true
}

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: every run of letters, numbers, marks and private-use
// characters becomes a quoted prefix term, and all terms must match, in any
// order. Quotes, operators (AND, OR, NOT, NEAR, -, *, ^, :) and parentheses
// are therefore plain text, and the words between them are searched. A
// word that the tokenizer splits further (at a vowel sign it counts as a
// separator) becomes a phrase, which matches the same split of the stored
// text. The unicode61 tokenizer folds case and diacritics on both sides.
// It returns "" when there is no word at all.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) && !unicode.Is(unicode.Co, r)
	})
	if len(words) > 16 {
		// A longer query is no better a search, and each term costs a
		// posting-list scan.
		words = words[:16]
	}
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// messageOrder returns the ORDER BY of a listing. Within a room, ts and seq
// are the order of messages_room_ts, whose entries end with the rowid (pk),
// so a history page reads exactly its rows from the index.
func messageOrder(f chat.MessageFilter) string {
	dir := " DESC"
	if f.Ascending {
		dir = " ASC"
	}
	if f.SortByTLM {
		return " ORDER BY m.tlm" + dir + ", m.pk" + dir
	}
	return " ORDER BY m.ts" + dir + ", m.seq" + dir + ", m.pk" + dir
}

// ListMessages returns matching messages, newest first by ts unless
// f.Ascending (or f.SortByTLM, by last reply), and the total when
// f.WithTotal is set.
func (s *Store) ListMessages(ctx context.Context, f chat.MessageFilter) ([]chat.Message, int, error) {
	w, ok := messageWhere(f)
	if !ok {
		return nil, 0, nil
	}
	query := `SELECT ` + messageColumns + ` FROM messages m` + w.String() + messageOrder(f) + page(f.Offset, f.Limit)
	if !f.WithTotal {
		rows, err := s.rd().QueryContext(ctx, query, w.args...)
		msgs, err := collectMessages(rows, err, f.Limit)
		if err != nil {
			return nil, 0, fmt.Errorf("list messages: %w", err)
		}
		return msgs, 0, nil
	}
	var (
		msgs  []chat.Message
		total int
	)
	err := s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM messages m`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, query, w.args...)
		msgs, err = collectMessages(rows, err, f.Limit)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list messages: %w", err)
	}
	return msgs, total, nil
}

// CountMessages counts matching messages; paging and order are ignored.
func (s *Store) CountMessages(ctx context.Context, f chat.MessageFilter) (int, error) {
	w, ok := messageWhere(f)
	if !ok {
		return 0, nil
	}
	var n int
	if err := s.rd().QueryRowContext(ctx, `SELECT count(*) FROM messages m`+w.String(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages: %w", err)
	}
	return n, nil
}
