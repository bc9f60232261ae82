package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const roomColumns = `r.id, r.t, r.name, r.fname, r.prid, r.team_id, r.team_main, r.team_default,
	r.is_default, r.archived, r.msgs, r.seq, r.users_count, r.lm, r.last_message, r.created_at,
	r.updated_at, r.doc`

func scanRoom(sc scanner) (*chat.Room, error) {
	var (
		r                   chat.Room
		t, last, doc        string
		lm, created, update int64
	)
	if err := sc.Scan(&r.ID, &t, &r.Name, &r.FName, &r.ParentID, &r.TeamID, &r.TeamMain, &r.TeamDefault,
		&r.Default, &r.Archived, &r.Msgs, &r.Seq, &r.UsersCount, &lm, &last, &created, &update, &doc); err != nil {
		return nil, err
	}
	r.Type = chat.RoomType(t)
	r.LastMsgAt, r.CreatedAt, r.UpdatedAt = fromMS(lm), fromMS(created), fromMS(update)
	if last != "" {
		var d messageDoc
		if err := json.Unmarshal([]byte(last), &d); err != nil {
			return nil, fmt.Errorf("decode last message: %w", err)
		}
		r.LastMessage = &chat.Message{}
		d.Apply(r.LastMessage)
	}
	var d storedoc.Room
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&r)
	return &r, nil
}

func collectRooms(rows *sql.Rows, err error) ([]chat.Room, error) {
	return collect(rows, err, scanRoom)
}

// encodeRoom returns the room's document and its last message, encoded.
func encodeRoom(r *chat.Room) (doc, last string, err error) {
	doc, err = jsonText(storedoc.NewRoom(r))
	if err != nil {
		return "", "", err
	}
	if r.LastMessage != nil {
		d, err := newMessageDoc(r.LastMessage)
		if err != nil {
			return "", "", err
		}
		if last, err = jsonText(d); err != nil {
			return "", "", err
		}
	}
	return doc, last, nil
}

func roomConflict(r *chat.Room, err error) error {
	if isUnique(err, "rooms.name") {
		return conflict("error-duplicate-channel-name", "A channel with name '"+r.Name+"' exists", err)
	}
	return conflict("error-duplicate", "room "+r.ID+" already exists", err)
}

// CreateRoom inserts r. A name taken by another room that is not a direct
// message, or a taken id, is EConflict. Creating a room again with the id
// of a deleted one (a direct-message room has a fixed id) forgets that
// deletion, so that syncing clients do not drop the new room.
func (s *Store) CreateRoom(ctx context.Context, r *chat.Room) error {
	doc, last, err := encodeRoom(r)
	if err != nil {
		return fmt.Errorf("create room: %w", err)
	}
	return s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rooms (id, t, name, fname, search, prid, team_id, team_main,
			team_default, is_default, archived, msgs, seq, users_count, lm, last_message, created_at, updated_at, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, string(r.Type), r.Name, r.FName, storedoc.RoomSearch(r), r.ParentID, r.TeamID, r.TeamMain,
			r.TeamDefault, r.Default, r.Archived, r.Msgs, r.Seq, r.UsersCount, ms(r.LastMsgAt), last,
			ms(r.CreatedAt), ms(r.UpdatedAt), doc)
		switch {
		case isUnique(err, ""):
			return roomConflict(r, err)
		case err != nil:
			return fmt.Errorf("create room: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM removals WHERE kind = 'room' AND id = ?`, r.ID); err != nil {
			return fmt.Errorf("create room: forget removal: %w", err)
		}
		return nil
	})
}

// UpdateRoom writes every field of r except Seq and Msgs.
func (s *Store) UpdateRoom(ctx context.Context, r *chat.Room) error {
	doc, last, err := encodeRoom(r)
	if err != nil {
		return fmt.Errorf("update room: %w", err)
	}
	res, err := s.exec(ctx, `UPDATE rooms SET t = ?, name = ?, fname = ?, search = ?, prid = ?,
		team_id = ?, team_main = ?, team_default = ?, is_default = ?, archived = ?, users_count = ?, lm = ?,
		last_message = ?, created_at = ?, updated_at = ?, doc = ? WHERE id = ?`,
		string(r.Type), r.Name, r.FName, storedoc.RoomSearch(r), r.ParentID,
		r.TeamID, r.TeamMain, r.TeamDefault, r.Default, r.Archived, r.UsersCount, ms(r.LastMsgAt),
		last, ms(r.CreatedAt), ms(r.UpdatedAt), doc, r.ID)
	switch {
	case isUnique(err, ""):
		return roomConflict(r, err)
	case err != nil:
		return fmt.Errorf("update room: %w", err)
	}
	return mustAffect(res, "room")
}

// DeleteRoom removes the room with its subscriptions and messages, and
// records, for each member, the removal of the room and of their
// subscription.
func (s *Store) DeleteRoom(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(tx querier) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rooms WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("delete room: %w", err)
		}
		if n == 0 {
			return chat.ErrNotFound("room")
		}
		stmts := []string{
			`INSERT INTO removals (kind, id, rid, user_id, deleted_at)
				SELECT 'subscription', s.id, s.rid, s.u_id, ?1 FROM subscriptions s WHERE s.rid = ?2
				ON CONFLICT DO UPDATE SET deleted_at = excluded.deleted_at`,
			`INSERT INTO removals (kind, id, rid, user_id, deleted_at)
				SELECT 'room', s.rid, s.rid, s.u_id, ?1 FROM subscriptions s WHERE s.rid = ?2
				ON CONFLICT DO UPDATE SET deleted_at = excluded.deleted_at`,
			// Mentions, stars and thread marks go with their messages by
			// cascade.
			`DELETE FROM subscriptions WHERE rid = ?2`,
			`DELETE FROM messages WHERE rid = ?2`,
			`DELETE FROM rooms WHERE id = ?2`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, ms(at), id); err != nil {
				return fmt.Errorf("delete room: %w", err)
			}
		}
		return nil
	})
}

// RoomByID returns one room.
func (s *Store) RoomByID(ctx context.Context, id string) (*chat.Room, error) {
	r, err := scanRoom(s.rd().QueryRowContext(ctx, `SELECT `+roomColumns+` FROM rooms r WHERE r.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "room", "room by id")
	}
	return r, nil
}

// RoomByName returns the room with that exact name; direct messages have
// none.
func (s *Store) RoomByName(ctx context.Context, name string) (*chat.Room, error) {
	r, err := scanRoom(s.rd().QueryRowContext(ctx, `SELECT `+roomColumns+` FROM rooms r
		WHERE r.name = ? AND r.t <> 'd'`, name))
	if err != nil {
		return nil, notFound(err, "room", "room by name")
	}
	return r, nil
}

// roomSortColumns maps the sort fields of Rocket.Chat's rooms endpoints.
var roomSortColumns = map[string]string{
	"name":       "r.name COLLATE NOCASE",
	"fname":      "r.fname COLLATE NOCASE",
	"ts":         "r.created_at",
	"_updatedAt": "r.updated_at",
	"msgs":       "r.msgs",
	"usersCount": "r.users_count",
	"lm":         "r.lm",
}

// ListRooms returns a page of matching rooms, by name unless f.Sort says
// otherwise, and the number of matches.
func (s *Store) ListRooms(ctx context.Context, f chat.RoomFilter) ([]chat.Room, int, error) {
	order, err := storedoc.OrderBy(f.Sort, roomSortColumns, []chat.SortField{{Field: "name"}}, "r.id")
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if len(f.Types) > 0 {
		w.in("r.t", storedoc.RoomTypes(f.Types))
	}
	if f.Text != "" {
		w.add("instr(r.search, ?) > 0", fold(f.Text))
	}
	if len(f.IDs) > 0 {
		w.in("r.id", f.IDs)
	}
	if f.TeamID != "" {
		w.add("r.team_id = ?", f.TeamID)
	}
	if f.OnlyTeams {
		w.add("r.team_main = 1")
	}
	if f.Default != nil {
		w.add("r.is_default = ?", *f.Default)
	}
	if f.Discussion != nil {
		if *f.Discussion {
			w.add("r.prid <> ''")
		} else {
			w.add("r.prid = ''")
		}
	}
	var (
		rooms []chat.Room
		total int
	)
	err = s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM rooms r`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rooms, err = collectRooms(q.QueryContext(ctx, `SELECT `+roomColumns+` FROM rooms r`+w.String()+order+page(f.Offset, f.Limit), w.args...))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list rooms: %w", err)
	}
	return rooms, total, nil
}

// RoomsOfUser returns the rooms the user is subscribed to that changed
// after since (all when since is zero), by id.
func (s *Store) RoomsOfUser(ctx context.Context, userID string, since time.Time) ([]chat.Room, error) {
	w := &where{}
	w.add("s.u_id = ?", userID)
	w.since("r.updated_at", since)
	rooms, err := collectRooms(s.rd().QueryContext(ctx, `SELECT `+roomColumns+`
		FROM subscriptions s JOIN rooms r ON r.id = s.rid`+w.String()+` ORDER BY r.id`, w.args...))
	if err != nil {
		return nil, fmt.Errorf("rooms of user: %w", err)
	}
	return rooms, nil
}

// RoomRemovalsForUser lists the deletions, after since, of rooms the user
// was a member of, oldest first.
func (s *Store) RoomRemovalsForUser(ctx context.Context, userID string, since time.Time) ([]chat.Removal, error) {
	out, err := s.removals(ctx, "room", "user_id", userID, since)
	if err != nil {
		return nil, fmt.Errorf("room removals: %w", err)
	}
	return out, nil
}

// IncrementRoomUsers adds delta to the room's usersCount.
func (s *Store) IncrementRoomUsers(ctx context.Context, id string, delta int) error {
	res, err := s.exec(ctx, `UPDATE rooms SET users_count = users_count + ? WHERE id = ?`, delta, id)
	if err != nil {
		return fmt.Errorf("increment room users: %w", err)
	}
	return mustAffect(res, "room")
}

// removals lists the removals of one kind for a user or a room (by is
// "user_id" or "rid"), after since, oldest first.
func (s *Store) removals(ctx context.Context, kind, by, key string, since time.Time) ([]chat.Removal, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT id, rid, user_id, deleted_at FROM removals
		WHERE kind = ? AND `+by+` = ? AND deleted_at > ? ORDER BY deleted_at, id`, kind, key, ms(since))
	return collect(rows, err, scanRemoval)
}

// scanRemoval reads a row of removals (id, rid, user_id, deleted_at).
func scanRemoval(sc scanner) (*chat.Removal, error) {
	var (
		r  chat.Removal
		at int64
	)
	if err := sc.Scan(&r.ID, &r.RoomID, &r.UserID, &at); err != nil {
		return nil, err
	}
	r.DeletedAt = fromMS(at)
	return &r, nil
}
