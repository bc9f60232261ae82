package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const roomColumns = `r.id, r.t, r.name, r.fname, r.prid, r.team_id, r.team_main, r.team_default,
	r.is_default, r.archived, r.msgs, r.seq, r.users_count, r.lm, r.last_message, r.created_at,
	r.updated_at, r.doc`

func scanRoom(sc scanner) (*chat.Room, error) {
	var (
		r                   chat.Room
		t                   string
		last, doc           []byte
		lm, created, update int64
	)
	if err := sc.Scan(&r.ID, &t, &r.Name, &r.FName, &r.ParentID, &r.TeamID, &r.TeamMain, &r.TeamDefault,
		&r.Default, &r.Archived, &r.Msgs, &r.Seq, &r.UsersCount, &lm, &last, &created, &update, &doc); err != nil {
		return nil, err
	}
	r.Type = chat.RoomType(t)
	r.LastMsgAt, r.CreatedAt, r.UpdatedAt = fromMS(lm), fromMS(created), fromMS(update)
	if len(last) > 0 {
		var d messageDoc
		if err := json.Unmarshal(last, &d); err != nil {
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

func collectRooms(rows pgx.Rows, err error) ([]chat.Room, error) {
	return collect(rows, err, scanRoom)
}

// encodeRoom returns the room's document and its last message (nil for
// none), encoded.
func encodeRoom(r *chat.Room) (doc, last []byte, err error) {
	doc, err = jsonDoc(storedoc.NewRoom(r))
	if err != nil {
		return nil, nil, err
	}
	if r.LastMessage != nil {
		d, err := newMessageDoc(r.LastMessage)
		if err != nil {
			return nil, nil, err
		}
		if last, err = jsonDoc(d); err != nil {
			return nil, nil, err
		}
	}
	return doc, last, nil
}

func roomConflict(r *chat.Room, err error) error {
	if isUnique(err, "rooms_name") {
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
		return wrap("create room", err)
	}
	return s.unit(ctx, func(c conn) error {
		_, err := c.Exec(ctx, `WITH ins AS (
				INSERT INTO rooms (id, t, name, fname, search, prid, team_id, team_main, team_default,
					is_default, archived, msgs, seq, users_count, lm, last_message, created_at, updated_at, doc)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
				RETURNING id)
			DELETE FROM removals WHERE kind = 'room' AND id = (SELECT id FROM ins)`,
			r.ID, string(r.Type), r.Name, r.FName, storedoc.RoomSearch(r), r.ParentID, r.TeamID, r.TeamMain,
			r.TeamDefault, r.Default, r.Archived, r.Msgs, r.Seq, r.UsersCount, ms(r.LastMsgAt), last,
			ms(r.CreatedAt), ms(r.UpdatedAt), doc)
		switch {
		case isUnique(err, ""):
			return roomConflict(r, err)
		case err != nil:
			return wrap("create room", err)
		}
		return nil
	})
}

// UpdateRoom writes every field of r except Seq and Msgs.
func (s *Store) UpdateRoom(ctx context.Context, r *chat.Room) error {
	doc, last, err := encodeRoom(r)
	if err != nil {
		return wrap("update room", err)
	}
	return s.unit(ctx, func(c conn) error {
		tag, err := c.Exec(ctx, `UPDATE rooms SET t = $1, name = $2, fname = $3, search = $4, prid = $5,
			team_id = $6, team_main = $7, team_default = $8, is_default = $9, archived = $10, users_count = $11,
			lm = $12, last_message = $13, created_at = $14, updated_at = $15, doc = $16 WHERE id = $17`,
			string(r.Type), r.Name, r.FName, storedoc.RoomSearch(r), r.ParentID,
			r.TeamID, r.TeamMain, r.TeamDefault, r.Default, r.Archived, r.UsersCount, ms(r.LastMsgAt),
			last, ms(r.CreatedAt), ms(r.UpdatedAt), doc, r.ID)
		switch {
		case isUnique(err, ""):
			return roomConflict(r, err)
		case err != nil:
			return wrap("update room", err)
		}
		return mustAffect(tag, "room")
	})
}

// DeleteRoom removes the room with its subscriptions and messages (by
// cascade, with their mentions and thread marks), and records, for each
// member, the removal of the room and of their subscription. One statement,
// so it needs no transaction of its own.
func (s *Store) DeleteRoom(ctx context.Context, id string, at time.Time) error {
	var n int
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH gone AS (DELETE FROM rooms WHERE id = $1 RETURNING id),
			removed AS (
				INSERT INTO removals (kind, id, rid, user_id, deleted_at)
				SELECT k.kind, CASE k.kind WHEN 'room' THEN s.rid ELSE s.id END, s.rid, s.u_id, $2
				FROM subscriptions s CROSS JOIN (VALUES ('subscription'), ('room')) AS k (kind)
				WHERE s.rid = $1 AND EXISTS (SELECT 1 FROM gone)
				ON CONFLICT (kind, id, user_id) DO UPDATE SET rid = excluded.rid, deleted_at = excluded.deleted_at)
			SELECT count(*) FROM gone`, id, ms(at)).Scan(&n)
	})
	if err != nil {
		return wrap("delete room", err)
	}
	if n == 0 {
		return chat.ErrNotFound("room")
	}
	return nil
}

// roomBy reads the one room that the condition selects; on a Store bound to
// a transaction the row stays locked.
func (s *Store) roomBy(ctx context.Context, op, cond string, arg any) (*chat.Room, error) {
	var r *chat.Room
	err := s.with(ctx, func(c conn) (err error) {
		r, err = scanRoom(c.QueryRow(ctx, `SELECT `+roomColumns+` FROM rooms r WHERE `+cond+s.lock(""), arg))
		return err
	})
	if err != nil {
		return nil, notFound(err, "room", op)
	}
	return r, nil
}

// RoomByID returns one room.
func (s *Store) RoomByID(ctx context.Context, id string) (*chat.Room, error) {
	return s.roomBy(ctx, "room by id", `r.id = $1`, id)
}

// RoomByName returns the room with that exact name; direct messages have
// none.
func (s *Store) RoomByName(ctx context.Context, name string) (*chat.Room, error) {
	return s.roomBy(ctx, "room by name", `r.name = $1 AND r.t <> 'd'`, name)
}

// roomSortColumns maps the sort fields of Rocket.Chat's rooms endpoints.
var roomSortColumns = map[string]string{
	"name":       nocase("r.name"),
	"fname":      nocase("r.fname"),
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
		w.contains("r.search", f.Text)
	}
	if len(f.IDs) > 0 {
		w.in("r.id", f.IDs)
	}
	if f.TeamID != "" {
		w.add("r.team_id = " + w.arg(f.TeamID))
	}
	if f.OnlyTeams {
		w.add("r.team_main")
	}
	if f.Default != nil {
		w.add("r.is_default = " + w.arg(*f.Default))
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
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM rooms r`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+roomColumns+` FROM rooms r`+w.String()+order+page(f.Offset, f.Limit), w.args...).
		Query(func(rows pgx.Rows) (err error) {
			rooms, err = collectRooms(rows, nil)
			return err
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list rooms", err)
	}
	return rooms, total, nil
}

// RoomsOfUser returns the rooms the user is subscribed to that changed
// after since (all when since is zero), by id.
func (s *Store) RoomsOfUser(ctx context.Context, userID string, since time.Time) ([]chat.Room, error) {
	w := &where{}
	w.add("s.u_id = " + w.arg(userID))
	w.since("r.updated_at", since)
	var rooms []chat.Room
	err := s.with(ctx, func(c conn) (err error) {
		rooms, err = collectRooms(c.Query(ctx, `SELECT `+roomColumns+`
			FROM subscriptions s JOIN rooms r ON r.id = s.rid`+w.String()+` ORDER BY r.id`, w.args...))
		return err
	})
	if err != nil {
		return nil, wrap("rooms of user", err)
	}
	return rooms, nil
}

// RoomRemovalsForUser lists the deletions, after since, of rooms the user
// was a member of, oldest first.
func (s *Store) RoomRemovalsForUser(ctx context.Context, userID string, since time.Time) ([]chat.Removal, error) {
	out, err := s.removals(ctx, "room", "user_id", userID, since)
	if err != nil {
		return nil, wrap("room removals", err)
	}
	return out, nil
}

// IncrementRoomUsers adds delta to the room's usersCount.
func (s *Store) IncrementRoomUsers(ctx context.Context, id string, delta int) error {
	tag, err := s.exec(ctx, `UPDATE rooms SET users_count = users_count + $1 WHERE id = $2`, delta, id)
	if err != nil {
		return wrap("increment room users", err)
	}
	return mustAffect(tag, "room")
}

// removals lists the removals of one kind for a user or a room (by is
// "user_id" or "rid"), after since, oldest first.
func (s *Store) removals(ctx context.Context, kind, by, key string, since time.Time) ([]chat.Removal, error) {
	var out []chat.Removal
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT id, rid, user_id, deleted_at FROM removals
			WHERE kind = $1 AND `+by+` = $2 AND deleted_at > $3 ORDER BY deleted_at, id`, kind, key, ms(since))
		out, err = collect(rows, err, scanRemoval)
		return err
	})
	return out, err
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
