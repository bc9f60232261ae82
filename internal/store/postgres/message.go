package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// messageColumns reads a message: the fields kept in columns of their own,
// then the document with the rest.
const messageColumns = `m.id, m.rid, m.seq, m.msg, m.starred, m.replies, m.doc`

// scanMessage reads one row into m, decoding through d, which callers reuse
// across rows.
func scanMessage(sc scanner, d *messageDoc, m *chat.Message) error {
	var (
		id, rid, text    string
		seq              int64
		starred, replies []string
		doc              []byte
	)
	if err := sc.Scan(&id, &rid, &seq, &text, &starred, &replies, &doc); err != nil {
		return err
	}
	*d = messageDoc{}
	if err := json.Unmarshal(doc, d); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	d.ID, d.RoomID, d.Seq, d.Text = id, rid, seq, text
	d.Starred, d.Replies = orNil(starred), orNil(replies)
	d.Apply(m)
	return nil
}

// collectMessages reads every row; capHint sizes the result.
func collectMessages(rows pgx.Rows, err error, capHint int) ([]chat.Message, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out []chat.Message
		d   messageDoc
	)
	if capHint > 0 {
		out = make([]chat.Message, 0, min(capHint, 1000))
	}
	for rows.Next() {
		out = append(out, chat.Message{})
		if err := scanMessage(rows, &d, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, rows.Err()
	}
	return out, rows.Err()
}

// messageRowDoc encodes a message for its row: the whole message but the
// fields that live in their own columns only. The indexed columns (ts, tmid,
// ...) are copies of document fields, written together with it.
func messageRowDoc(m *chat.Message) ([]byte, error) {
	d, err := newMessageDoc(m)
	if err != nil {
		return nil, err
	}
	d.ID, d.RoomID, d.Seq, d.Text, d.Starred, d.Replies = "", "", 0, "", nil, nil
	return jsonDoc(d)
}

// InsertMessage stores m and assigns m.Seq, in one statement: it advances
// the room's row (the sequence, the counter and, with updateLast, the last
// message), which locks that row until the end of the transaction and so
// serialises posts per room, inserts the message and one mention row per
// mentioned user: nothing per member. Stars listed in m.Starred are recorded
// too, for imports.
//
// A taken id is checked in the same statement instead of left to the
// primary key, so that the conflict is reported without aborting the
// caller's transaction (only two posts racing with one id reach the key).
func (s *Store) InsertMessage(ctx context.Context, m *chat.Message, updateLast bool) error {
	doc, err := messageRowDoc(m)
	if err != nil {
		return wrap("insert message", err)
	}
	starred := slices.Compact(slices.Sorted(slices.Values(m.Starred)))
	var last []byte
	if updateLast {
		// The room row gets the whole message; its seq is set in SQL, from
		// the same UPDATE that assigns it.
		full, err := newMessageDoc(m)
		if err != nil {
			return wrap("insert message", err)
		}
		full.Seq, full.Starred = 0, starred
		if last, err = jsonDoc(full); err != nil {
			return wrap("insert message", err)
		}
	}
	var (
		seq        int64
		roomExists bool
	)
	err = s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH room AS (
				UPDATE rooms SET seq = seq + 1, msgs = msgs + 1,
					lm = CASE WHEN $20 THEN $4 ELSE lm END,
					last_message = CASE WHEN $20 THEN $21::jsonb || jsonb_build_object('seq', seq + 1) ELSE last_message END,
					updated_at = CASE WHEN $20 THEN greatest(updated_at, $4) ELSE updated_at END
				WHERE id = $2 AND NOT EXISTS (SELECT 1 FROM messages WHERE id = $1)
				RETURNING seq),
			msg AS (
				INSERT INTO messages (id, rid, seq, ts, updated_at, u_id, t, tmid, tshow, pinned, drid, tcount, tlm,
					group_mention, msg, starred, replies, tsv, doc)
				SELECT $1, $2, room.seq, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
					$17, array_to_tsvector($18::text[]), $19
				FROM room RETURNING seq),
			mention AS (
				INSERT INTO mentions (message_id, user_id, rid, seq)
				SELECT $1, u, $2, msg.seq FROM msg, unnest($3::text[]) AS u)
			SELECT coalesce((SELECT seq FROM msg), 0), EXISTS (SELECT 1 FROM rooms WHERE id = $2)`,
			m.ID, m.RoomID, list(storedoc.MentionedUserIDs(m)), ms(m.TS), ms(m.UpdatedAt), m.User.ID, m.Type, m.TMID, m.TShow,
			m.Pinned, m.DRID, m.TCount, ms(m.TLM), m.GroupMention, m.Text, list(starred), list(m.Replies),
			indexWords(m.Text), doc, updateLast, last).Scan(&seq, &roomExists)
	})
	switch {
	case isUnique(err, "messages_pkey"):
		return conflict("error-duplicate", "message "+m.ID+" already exists", err)
	case err != nil:
		return wrap("insert message", err)
	case !roomExists:
		return chat.ErrNotFound("room")
	case seq == 0:
		return conflict("error-duplicate", "message "+m.ID+" already exists", nil)
	}
	m.Seq = seq
	return nil
}

// UpdateMessage rewrites the message and its mentions, in one statement.
// Its room and Seq never change, and its stars belong to StarMessage and
// UnstarMessage, so that a read-modify-write of the message cannot lose a
// concurrent star. When the message is its room's last message, the room's
// copy is rewritten too.
func (s *Store) UpdateMessage(ctx context.Context, m *chat.Message) error {
	doc, err := messageRowDoc(m)
	if err != nil {
		return wrap("update message", err)
	}
	full, err := newMessageDoc(m)
	if err != nil {
		return wrap("update message", err)
	}
	// rid, seq and stars are the stored ones, added in SQL.
	full.RoomID, full.Seq, full.Starred = "", 0, nil
	last, err := jsonDoc(full)
	if err != nil {
		return wrap("update message", err)
	}
	var n int
	err = s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH msg AS (
				UPDATE messages SET ts = $2, updated_at = $3, u_id = $4, t = $5, tmid = $6, tshow = $7,
					pinned = $8, drid = $9, tcount = $10, tlm = $11, group_mention = $12, msg = $13,
					replies = $14, tsv = CASE WHEN msg = $13 THEN tsv ELSE array_to_tsvector($15::text[]) END,
					doc = $16
				WHERE id = $1 RETURNING rid, seq, starred),
			unmentioned AS (
				DELETE FROM mentions WHERE message_id = $1 AND user_id <> ALL($17::text[])),
			mentioned AS (
				INSERT INTO mentions (message_id, user_id, rid, seq)
				SELECT $1, u, msg.rid, msg.seq FROM msg, unnest($17::text[]) AS u
				ON CONFLICT DO NOTHING),
			room AS (
				UPDATE rooms r SET last_message = $18::jsonb || jsonb_build_object('rid', msg.rid, 'seq', msg.seq)
					|| CASE WHEN cardinality(msg.starred) > 0 THEN jsonb_build_object('starred', msg.starred)
						ELSE '{}'::jsonb END
				FROM msg WHERE r.id = msg.rid AND r.last_message ->> '_id' = $1)
			SELECT count(*) FROM msg`,
			m.ID, ms(m.TS), ms(m.UpdatedAt), m.User.ID, m.Type, m.TMID, m.TShow, m.Pinned, m.DRID, m.TCount,
			ms(m.TLM), m.GroupMention, m.Text, list(m.Replies), indexWords(m.Text), doc, list(storedoc.MentionedUserIDs(m)),
			last).Scan(&n)
	})
	if err != nil {
		return wrap("update message", err)
	}
	if n == 0 {
		return chat.ErrNotFound("message")
	}
	return nil
}

// DeleteMessage removes a message, with its mentions and thread read marks
// (by cascade), and records its removal in its room.
func (s *Store) DeleteMessage(ctx context.Context, id string, at time.Time) error {
	var n int
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH gone AS (DELETE FROM messages WHERE id = $1 RETURNING rid),
			removed AS (
				INSERT INTO removals (kind, id, rid, user_id, deleted_at)
				SELECT 'message', $1, rid, '', $2 FROM gone
				ON CONFLICT (kind, id, user_id) DO UPDATE SET rid = excluded.rid, deleted_at = excluded.deleted_at)
			SELECT count(*) FROM gone`, id, ms(at)).Scan(&n)
	})
	if err != nil {
		return wrap("delete message", err)
	}
	if n == 0 {
		return chat.ErrNotFound("message")
	}
	return nil
}

// MessageByID returns one message; on a Store bound to a transaction the row
// stays locked.
func (s *Store) MessageByID(ctx context.Context, id string) (*chat.Message, error) {
	var msgs []chat.Message
	err := s.with(ctx, func(c conn) (err error) {
		rows, err := c.Query(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id = $1`+s.lock(""), id)
		msgs, err = collectMessages(rows, err, 1)
		return err
	})
	switch {
	case err != nil:
		return nil, wrap("message by id", err)
	case len(msgs) == 0:
		return nil, chat.ErrNotFound("message")
	}
	return &msgs[0], nil
}

// DeletedMessages lists a page of the message removals in a room after
// since, oldest first, and their number. limit 0 means no limit.
func (s *Store) DeletedMessages(ctx context.Context, roomID string, since time.Time, offset, limit int) ([]chat.Removal, int, error) {
	var (
		out   []chat.Removal
		total int
	)
	const cond = ` FROM removals WHERE kind = 'message' AND rid = $1 AND deleted_at > $2`
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*)`+cond, roomID, ms(since)).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT id, rid, user_id, deleted_at`+cond+` ORDER BY deleted_at, id`+page(offset, limit), roomID, ms(since)).
		Query(func(rows pgx.Rows) (err error) {
			out, err = collect(rows, nil, scanRemoval)
			return err
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("deleted messages", err)
	}
	return out, total, nil
}

// StarMessage records one user's star; starring twice is no error. The
// stars are a sorted array on the message row, updated in place, so a
// concurrent star is never lost.
func (s *Store) StarMessage(ctx context.Context, messageID, userID string) error {
	tag, err := s.exec(ctx, `UPDATE messages
		SET starred = ARRAY(SELECT DISTINCT x FROM unnest(array_append(starred, $2::text)) AS x ORDER BY x)
		WHERE id = $1`, messageID, userID)
	if err != nil {
		return wrap("star message", err)
	}
	return mustAffect(tag, "message")
}

// UnstarMessage removes one user's star; removing a missing star is no
// error, an unknown message is ENotFound.
func (s *Store) UnstarMessage(ctx context.Context, messageID, userID string) error {
	tag, err := s.exec(ctx, `UPDATE messages SET starred = array_remove(starred, $2::text) WHERE id = $1`,
		messageID, userID)
	if err != nil {
		return wrap("unstar message", err)
	}
	return mustAffect(tag, "message")
}

// SetThreadRead records that a user has read the thread of root tmid up to
// at; an unknown root is ENotFound.
func (s *Store) SetThreadRead(ctx context.Context, tmid, userID string, at time.Time) error {
	tag, err := s.exec(ctx, `INSERT INTO thread_reads (tmid, user_id, ls)
		SELECT $1::text, $2::text, $3::bigint WHERE EXISTS (SELECT 1 FROM messages WHERE id = $1)
		ON CONFLICT (user_id, tmid) DO UPDATE SET ls = excluded.ls`, tmid, userID, ms(at))
	switch {
	case isForeignKey(err): // the root was deleted meanwhile
		return chat.ErrNotFound("message")
	case err != nil:
		return wrap("set thread read", err)
	}
	return mustAffect(tag, "message")
}

// followsThread is the condition "user p follows the thread of root m":
// Rocket.Chat's followers are the root's replies list.
func followsThread(p string) string { return p + ` = ANY(m.replies)` }

// unreadThread is the condition "root m has a reply newer than user p's
// mark on it", for threads the user follows (with no mark, every reply is
// new).
func unreadThread(p string) string {
	return `m.tcount > 0 AND m.tlm > coalesce((SELECT tr.ls FROM thread_reads tr
		WHERE tr.user_id = ` + p + ` AND tr.tmid = m.id), 0) AND ` + followsThread(p)
}

// UnreadThreads returns the ids of the thread roots in the room that the
// user follows (is among the root's Replies) and whose last reply is newer
// than the user's mark on them, most recent reply first.
func (s *Store) UnreadThreads(ctx context.Context, roomID, userID string) ([]string, error) {
	var out []string
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT m.id FROM messages m
			WHERE m.rid = $1 AND `+unreadThread("$2::text")+` ORDER BY m.tlm DESC, m.seq DESC`, roomID, userID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, wrap("unread threads", err)
	}
	return orNil(out), nil
}
