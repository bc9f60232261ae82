package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// messageColumns reads a message: its document and the fields kept apart
// from it. Every column read costs a driver call per row, so a history
// page reads four, not one per indexed field.
const messageColumns = `m.seq, m.msg, m.starred, m.doc`

// scanMessage reads one row into m, decoding through d, which callers
// reuse across rows: a history page is read often enough that the
// allocations per row show in its tail latency.
func scanMessage(sc scanner, d *messageDoc, m *chat.Message) error {
	var (
		seq           int64
		text, starred string
		js            sql.RawBytes
	)
	if err := sc.Scan(&seq, &text, &starred, &js); err != nil {
		return err
	}
	*d = messageDoc{}
	if err := json.Unmarshal(js, d); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	d.Seq, d.Text = seq, text
	if err := fromJSON(starred, &d.Starred); err != nil {
		return err
	}
	d.Apply(m)
	return nil
}

// collectMessages reads every row; capHint sizes the result.
func collectMessages(rows *sql.Rows, err error, capHint int) ([]chat.Message, error) {
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
// fields that live in their own columns only. The indexed columns (rid, ts,
// tmid, ...) are copies of document fields, written together with it.
func messageRowDoc(m *chat.Message) (string, error) {
	d, err := newMessageDoc(m)
	if err != nil {
		return "", err
	}
	// seq is assigned in the transaction, the text is the column the
	// full-text index reads, and stars change on their own.
	d.Seq, d.Text, d.Starred = 0, "", nil
	return jsonText(d)
}

func insertMentions(ctx context.Context, tx querier, m *chat.Message, rid string, seq int64) error {
	for _, uid := range storedoc.MentionedUserIDs(m) {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO mentions (message_id, user_id, rid, seq)
			VALUES (?, ?, ?, ?)`, m.ID, uid, rid, seq); err != nil {
			return fmt.Errorf("insert mention: %w", err)
		}
	}
	return nil
}

// InsertMessage stores m and assigns m.Seq. It writes one row of rooms (the
// sequence, the counter and, with updateLast, the last message), the
// message, and one mention row per mentioned user: nothing per member. Stars
// listed in m.Starred are recorded too, for imports.
func (s *Store) InsertMessage(ctx context.Context, m *chat.Message, updateLast bool) error {
	doc, err := messageRowDoc(m)
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	starred := slices.Compact(slices.Sorted(slices.Values(m.Starred)))
	var last string
	if updateLast {
		// The room row gets the whole message; its seq is set in SQL, from
		// the same UPDATE that assigns it.
		full, err := newMessageDoc(m)
		if err != nil {
			return fmt.Errorf("insert message: %w", err)
		}
		full.Seq, full.Starred = 0, starred
		if last, err = jsonText(full); err != nil {
			return fmt.Errorf("insert message: %w", err)
		}
	}
	return s.write(ctx, func(tx querier) error {
		var seq int64
		var err error
		if updateLast {
			err = tx.QueryRowContext(ctx, `UPDATE rooms SET seq = seq + 1, msgs = msgs + 1, lm = ?,
				last_message = json_set(?, '$.seq', seq + 1), updated_at = max(updated_at, ?)
				WHERE id = ? RETURNING seq`, ms(m.TS), last, ms(m.TS), m.RoomID).Scan(&seq)
		} else {
			err = tx.QueryRowContext(ctx, `UPDATE rooms SET seq = seq + 1, msgs = msgs + 1
				WHERE id = ? RETURNING seq`, m.RoomID).Scan(&seq)
		}
		if err != nil {
			return notFound(err, "room", "insert message: advance room")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO messages (id, rid, seq, ts, updated_at, u_id, t, tmid, tshow,
			pinned, drid, tcount, tlm, group_mention, msg, starred, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.RoomID, seq, ms(m.TS), ms(m.UpdatedAt), m.User.ID, m.Type, m.TMID, m.TShow,
			m.Pinned, m.DRID, m.TCount, ms(m.TLM), m.GroupMention, m.Text, stringsText(starred), doc)
		switch {
		case isUnique(err, ""):
			return conflict("error-duplicate", "message "+m.ID+" already exists", err)
		case err != nil:
			return fmt.Errorf("insert message: %w", err)
		}
		if err := insertMentions(ctx, tx, m, m.RoomID, seq); err != nil {
			return err
		}
		for _, uid := range starred {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stars (message_id, user_id) VALUES (?, ?)`, m.ID, uid); err != nil {
				return fmt.Errorf("insert message: star: %w", err)
			}
		}
		m.Seq = seq
		return nil
	})
}

// UpdateMessage rewrites the message and its mentions. Its room and Seq
// never change, and its stars belong to StarMessage and UnstarMessage, so
// that a read-modify-write of the message cannot lose a concurrent star.
// When the message is its room's last message, the room's copy is
// rewritten too.
func (s *Store) UpdateMessage(ctx context.Context, m *chat.Message) error {
	doc, err := messageRowDoc(m)
	if err != nil {
		return fmt.Errorf("update message: %w", err)
	}
	full, err := newMessageDoc(m)
	if err != nil {
		return fmt.Errorf("update message: %w", err)
	}
	return s.write(ctx, func(tx querier) error {
		var (
			rid     string
			seq     int64
			starred string
		)
		err := tx.QueryRowContext(ctx, `UPDATE messages SET ts = ?, updated_at = ?, u_id = ?, t = ?, tmid = ?,
			tshow = ?, pinned = ?, drid = ?, tcount = ?, tlm = ?, group_mention = ?, msg = ?,
			doc = json_set(?, '$.rid', rid) WHERE id = ? RETURNING rid, seq, starred`,
			ms(m.TS), ms(m.UpdatedAt), m.User.ID, m.Type, m.TMID, m.TShow, m.Pinned, m.DRID, m.TCount,
			ms(m.TLM), m.GroupMention, m.Text, doc, m.ID).Scan(&rid, &seq, &starred)
		if err != nil {
			return notFound(err, "message", "update message")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mentions WHERE message_id = ?`, m.ID); err != nil {
			return fmt.Errorf("update message: clear mentions: %w", err)
		}
		if err := insertMentions(ctx, tx, m, rid, seq); err != nil {
			return err
		}
		full.RoomID, full.Seq, full.Starred = rid, seq, nil
		if err := fromJSON(starred, &full.Starred); err != nil {
			return err
		}
		last, err := jsonText(full)
		if err != nil {
			return fmt.Errorf("update message: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rooms SET last_message = ?
			WHERE id = ? AND last_message <> '' AND last_message ->> '$._id' = ?`, last, rid, m.ID); err != nil {
			return fmt.Errorf("update message: room's last message: %w", err)
		}
		return nil
	})
}

// DeleteMessage removes a message, with its mentions, stars and thread read
// marks, and records its removal in its room.
func (s *Store) DeleteMessage(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(tx querier) error {
		var rid string
		if err := tx.QueryRowContext(ctx, `DELETE FROM messages WHERE id = ? RETURNING rid`, id).Scan(&rid); err != nil {
			return notFound(err, "message", "delete message")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO removals (kind, id, rid, user_id, deleted_at)
			VALUES ('message', ?, ?, '', ?) ON CONFLICT DO UPDATE SET deleted_at = excluded.deleted_at`,
			id, rid, ms(at)); err != nil {
			return fmt.Errorf("delete message: record removal: %w", err)
		}
		return nil
	})
}

// MessageByID returns one message.
func (s *Store) MessageByID(ctx context.Context, id string) (*chat.Message, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id = ?`, id)
	msgs, err := collectMessages(rows, err, 1)
	switch {
	case err != nil:
		return nil, fmt.Errorf("message by id: %w", err)
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
	err := s.read(ctx, func(q querier) error {
		const cond = ` FROM removals WHERE kind = 'message' AND rid = ? AND deleted_at > ?`
		if err := q.QueryRowContext(ctx, `SELECT count(*)`+cond, roomID, ms(since)).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT id, rid, user_id, deleted_at`+cond+
			` ORDER BY deleted_at, id`+page(offset, limit), roomID, ms(since))
		out, err = collect(rows, err, scanRemoval)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("deleted messages: %w", err)
	}
	return out, total, nil
}

// refreshStarred copies a message's stars into its starred column, which
// message reads return without a join.
func refreshStarred(ctx context.Context, tx querier, messageID string) error {
	res, err := tx.ExecContext(ctx, `UPDATE messages SET starred = coalesce(nullif(
		(SELECT json_group_array(user_id) FROM (SELECT user_id FROM stars WHERE message_id = ?1 ORDER BY user_id)),
		'[]'), '') WHERE id = ?1`, messageID)
	if err != nil {
		return fmt.Errorf("refresh stars: %w", err)
	}
	return mustAffect(res, "message")
}

// StarMessage records one user's star; starring twice is no error.
func (s *Store) StarMessage(ctx context.Context, messageID, userID string) error {
	return s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO stars (message_id, user_id) VALUES (?, ?)`, messageID, userID)
		switch {
		case isForeignKey(err):
			return chat.ErrNotFound("message")
		case err != nil:
			return fmt.Errorf("star message: %w", err)
		}
		return refreshStarred(ctx, tx, messageID)
	})
}

// UnstarMessage removes one user's star; removing a missing star is no
// error, an unknown message is ENotFound.
func (s *Store) UnstarMessage(ctx context.Context, messageID, userID string) error {
	return s.write(ctx, func(tx querier) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM stars WHERE message_id = ? AND user_id = ?`, messageID, userID); err != nil {
			return fmt.Errorf("unstar message: %w", err)
		}
		return refreshStarred(ctx, tx, messageID)
	})
}

// SetThreadRead records that a user has read the thread of root tmid up to
// at; an unknown root is ENotFound.
func (s *Store) SetThreadRead(ctx context.Context, tmid, userID string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO thread_reads (tmid, user_id, ls) VALUES (?, ?, ?)
		ON CONFLICT (user_id, tmid) DO UPDATE SET ls = excluded.ls`, tmid, userID, ms(at))
	switch {
	case isForeignKey(err):
		return chat.ErrNotFound("message")
	case err != nil:
		return fmt.Errorf("set thread read: %w", err)
	}
	return nil
}

// followsThread is the condition "user ?N follows the thread of root m":
// Rocket.Chat's followers are the root's replies list. The list lives in
// the document; only thread roots are ever searched, so it needs no table.
func followsThread(param string) string {
	return `EXISTS (SELECT 1 FROM json_each(m.doc, '$.replies') WHERE value = ` + param + `)`
}

// unreadThread is the condition "root m has a reply newer than user ?N's
// mark on it", for threads the user follows (with no mark, every reply is
// new).
func unreadThread(param string) string {
	return `m.tcount > 0 AND m.tlm > coalesce((SELECT tr.ls FROM thread_reads tr
		WHERE tr.user_id = ` + param + ` AND tr.tmid = m.id), 0) AND ` + followsThread(param)
}

// UnreadThreads returns the ids of the thread roots in the room that the
// user follows (is among the root's Replies) and whose last reply is newer
// than the user's mark on them, most recent reply first.
func (s *Store) UnreadThreads(ctx context.Context, roomID, userID string) ([]string, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT m.id FROM messages m
		WHERE m.rid = ?1 AND `+unreadThread("?2")+` ORDER BY m.tlm DESC, m.pk DESC`, roomID, userID)
	if err != nil {
		return nil, fmt.Errorf("unread threads: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("unread threads: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unread threads: %w", err)
	}
	return out, nil
}
