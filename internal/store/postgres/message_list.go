package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// messageWhere translates a filter. ok is false when the filter can match
// nothing (a text search without a single word), so callers skip the query.
func messageWhere(f chat.MessageFilter) (w *where, ok bool) {
	w = &where{}
	if f.RoomID != "" {
		w.add("m.rid = " + w.arg(f.RoomID))
	}
	lt, gt := " < ", " > "
	if f.Inclusive {
		lt, gt = " <= ", " >= "
	}
	if !f.Before.IsZero() {
		w.add("m.ts" + lt + w.arg(ms(f.Before)))
	}
	if !f.After.IsZero() {
		w.add("m.ts" + gt + w.arg(ms(f.After)))
	}
	w.since("m.updated_at", f.UpdatedSince)
	if f.TMID != "" {
		// The second term is implied, but the planner matches the
		// partial index messages_thread only when the query states its
		// condition (a generic plan does not know the parameter).
		w.add("m.tmid = " + w.arg(f.TMID) + " AND m.tmid <> ''")
	}
	if f.ThreadRoots {
		w.add("m.tcount > 0")
	}
	if f.HideThreads {
		w.add("(m.tmid = '' OR m.tshow)")
	}
	if f.HideSystem {
		w.add("m.t = ''")
	}
	if len(f.Types) > 0 {
		w.in("m.t", f.Types)
	}
	if f.Pinned {
		w.add("m.pinned")
	}
	if f.StarredBy != "" {
		w.add("m.starred @> ARRAY[" + w.arg(f.StarredBy) + "::text] AND cardinality(m.starred) > 0")
	}
	if f.MentionedUser != "" {
		w.add("m.id IN (SELECT message_id FROM mentions WHERE user_id = " + w.arg(f.MentionedUser) + ")")
	}
	if f.FollowedBy != "" {
		w.add("m.tcount > 0 AND " + followsThread(w.arg(f.FollowedBy)+"::text"))
	}
	if f.UnreadBy != "" {
		w.add(unreadThread(w.arg(f.UnreadBy) + "::text"))
	}
	if f.Discussions {
		w.add("m.drid <> ''")
	}
	if len(f.IDs) > 0 {
		w.in("m.id", f.IDs)
	}
	if f.Text != "" {
		q := searchQuery(f.Text)
		if q == "" {
			return nil, false
		}
		w.add("m.tsv @@ " + w.arg(q) + "::tsquery")
	}
	if f.FromUserID != "" {
		w.add("m.u_id = " + w.arg(f.FromUserID))
	}
	return w, true
}

// messageOrder returns the ORDER BY of a listing. Within a room, ts and seq
// are the order of messages_room_ts, and unique, so a history page reads
// exactly its rows from the index; across rooms the id breaks ties.
func messageOrder(f chat.MessageFilter) string {
	dir := " DESC"
	if f.Ascending {
		dir = " ASC"
	}
	tie := ""
	if f.RoomID == "" && f.TMID == "" {
		tie = ", m.id" + dir
	}
	if f.SortByTLM {
		return " ORDER BY m.tlm" + dir + ", m.seq" + dir + tie
	}
	return " ORDER BY m.ts" + dir + ", m.seq" + dir + tie
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
	var (
		msgs  []chat.Message
		total int
	)
	if !f.WithTotal {
		err := s.with(ctx, func(c conn) error {
			rows, err := c.Query(ctx, query, w.args...)
			msgs, err = collectMessages(rows, err, f.Limit)
			return err
		})
		if err != nil {
			return nil, 0, wrap("list messages", err)
		}
		return msgs, 0, nil
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM messages m`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(query, w.args...).Query(func(rows pgx.Rows) (err error) {
		msgs, err = collectMessages(rows, nil, f.Limit)
		return err
	})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list messages", err)
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
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `SELECT count(*) FROM messages m`+w.String(), w.args...).Scan(&n)
	})
	if err != nil {
		return 0, wrap("count messages", err)
	}
	return n, nil
}
