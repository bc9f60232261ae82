package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// subColumns reads a subscription with what it copies from its room (alias
// r) and its computed counts.
//
// The counts follow chat.Subscription: messages after the read mark, not
// the user's own, not system messages, and shown in the room (thread
// replies only with tshow). The conditions on t, tmid and tshow repeat the
// predicate of the partial index messages_unread, so that the planner can
// use it: a count then reads O(log n + unread) index entries.
const subColumns = `s.id, s.rid, s.u_id, s.u_username, s.u_name, r.t, s.name, s.fname, s.open,
	s.favorite, s.roles, s.read_seq, s.ls, s.force_alert, s.notifications, s.created_at, s.updated_at,
	r.archived, r.prid, r.team_id, r.team_main,
	(SELECT count(*) FROM messages m
		WHERE m.rid = s.rid AND m.seq > s.read_seq AND m.u_id <> s.u_id
		AND m.t = '' AND (m.tmid = '' OR m.tshow)),
	(SELECT count(*) FROM messages m
		WHERE m.rid = s.rid AND m.seq > s.read_seq AND m.u_id <> s.u_id AND m.group_mention
		AND m.t = '' AND (m.tmid = '' OR m.tshow)),
	(SELECT count(*) FROM mentions mn JOIN messages m ON m.id = mn.message_id
		WHERE mn.user_id = s.u_id AND mn.rid = s.rid AND mn.seq > s.read_seq AND m.u_id <> s.u_id
		AND m.t = '' AND (m.tmid = '' OR m.tshow))`

const subFrom = ` FROM subscriptions s JOIN rooms r ON r.id = s.rid`

// memberColumns are subColumns with the counts left at zero, for
// membership checks that must not pay for counting unread messages.
const memberColumns = `s.id, s.rid, s.u_id, s.u_username, s.u_name, r.t, s.name, s.fname, s.open,
	s.favorite, s.roles, s.read_seq, s.ls, s.force_alert, s.notifications, s.created_at, s.updated_at,
	r.archived, r.prid, r.team_id, r.team_main, 0::bigint, 0::bigint, 0::bigint`

func scanSubscription(sc scanner) (*chat.Subscription, error) {
	var (
		s                    chat.Subscription
		t                    string
		notifications        []byte
		ls, created, updated int64
	)
	if err := sc.Scan(&s.ID, &s.RoomID, &s.User.ID, &s.User.Username, &s.User.Name, &t, &s.Name, &s.FName,
		&s.Open, &s.Favorite, &s.Roles, &s.ReadSeq, &ls, &s.ForceAlert, &notifications, &created, &updated,
		&s.Archived, &s.ParentID, &s.TeamID, &s.TeamMain,
		&s.Unread, &s.GroupMentions, &s.UserMentions); err != nil {
		return nil, err
	}
	s.Type = chat.RoomType(t)
	s.Roles = orNil(s.Roles)
	s.LastSeen, s.CreatedAt, s.UpdatedAt = fromMS(ls), fromMS(created), fromMS(updated)
	s.Alert = s.ForceAlert || s.Unread > 0
	if err := fromJSON(notifications, &s.Notifications); err != nil {
		return nil, err
	}
	return &s, nil
}

func collectSubscriptions(rows pgx.Rows, err error) ([]chat.Subscription, error) {
	return collect(rows, err, scanSubscription)
}

// CreateSubscription inserts s. The user already in the room, or a taken
// id, is EConflict; an unknown room is ENotFound. Type, Archived, ParentID,
// TeamID and TeamMain are the room's and are not stored; the counts are
// computed. Creating a subscription with the id of a removed one forgets
// that removal, so that syncing clients do not drop it.
//
// The core joins a public channel on a post by trying this insert, inside
// the post's transaction, so a conflict is reported without raising an
// error, which would abort that transaction.
func (s *Store) CreateSubscription(ctx context.Context, sub *chat.Subscription) error {
	notifications, err := jsonDoc(sub.Notifications)
	if err != nil {
		return wrap("create subscription", err)
	}
	var inserted, roomExists, member bool
	err = s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH ins AS (
				INSERT INTO subscriptions (id, rid, u_id, u_username, u_name, name, fname, open, favorite, roles,
					read_seq, ls, force_alert, notifications, created_at, updated_at)
				SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::boolean,
					$9::boolean, $10::text[], $11::bigint, $12::bigint, $13::boolean, $14::jsonb, $15::bigint, $16::bigint
				WHERE EXISTS (SELECT 1 FROM rooms WHERE id = $2)
				ON CONFLICT DO NOTHING RETURNING id),
			forgot AS (
				DELETE FROM removals WHERE kind = 'subscription' AND id = (SELECT id FROM ins) AND user_id = $3)
			SELECT EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM rooms WHERE id = $2),
				EXISTS (SELECT 1 FROM subscriptions WHERE rid = $2 AND u_id = $3)`,
			sub.ID, sub.RoomID, sub.User.ID, sub.User.Username, sub.User.Name, sub.Name, sub.FName,
			sub.Open, sub.Favorite, list(sub.Roles), sub.ReadSeq, ms(sub.LastSeen), sub.ForceAlert,
			notifications, ms(sub.CreatedAt), ms(sub.UpdatedAt)).Scan(&inserted, &roomExists, &member)
	})
	switch {
	case isForeignKey(err): // the room was deleted meanwhile
		return chat.ErrNotFound("room")
	case err != nil:
		return wrap("create subscription", err)
	case inserted:
		return nil
	case !roomExists:
		return chat.ErrNotFound("room")
	case member:
		return conflict("error-duplicate", "user "+sub.User.ID+" is already in room "+sub.RoomID, nil)
	}
	return conflict("error-duplicate", "subscription "+sub.ID+" already exists", nil)
}

// UpdateSubscription writes the user-settable fields of the membership of
// sub.User.ID in sub.RoomID: open, favorite, roles, read state (ReadSeq,
// LastSeen), ForceAlert, notifications, name and fname, and UpdatedAt.
func (s *Store) UpdateSubscription(ctx context.Context, sub *chat.Subscription) error {
	notifications, err := jsonDoc(sub.Notifications)
	if err != nil {
		return wrap("update subscription", err)
	}
	tag, err := s.exec(ctx, `UPDATE subscriptions SET open = $1, favorite = $2, roles = $3,
		read_seq = $4, ls = $5, force_alert = $6, notifications = $7, name = $8, fname = $9, updated_at = $10
		WHERE rid = $11 AND u_id = $12`,
		sub.Open, sub.Favorite, list(sub.Roles), sub.ReadSeq, ms(sub.LastSeen), sub.ForceAlert,
		notifications, sub.Name, sub.FName, ms(sub.UpdatedAt), sub.RoomID, sub.User.ID)
	if err != nil {
		return wrap("update subscription", err)
	}
	return mustAffect(tag, "subscription")
}

// DeleteSubscription removes the membership and records its removal.
func (s *Store) DeleteSubscription(ctx context.Context, roomID, userID string, at time.Time) error {
	var n int
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH gone AS (DELETE FROM subscriptions WHERE rid = $1 AND u_id = $2 RETURNING id),
			removed AS (
				INSERT INTO removals (kind, id, rid, user_id, deleted_at)
				SELECT 'subscription', id, $1, $2, $3 FROM gone
				ON CONFLICT (kind, id, user_id) DO UPDATE SET rid = excluded.rid, deleted_at = excluded.deleted_at)
			SELECT count(*) FROM gone`, roomID, userID, ms(at)).Scan(&n)
	})
	if err != nil {
		return wrap("delete subscription", err)
	}
	if n == 0 {
		return chat.ErrNotFound("subscription")
	}
	return nil
}

// Subscription returns one membership with its counts computed; on a Store
// bound to a transaction the row stays locked.
func (s *Store) Subscription(ctx context.Context, roomID, userID string) (*chat.Subscription, error) {
	var sub *chat.Subscription
	err := s.with(ctx, func(c conn) (err error) {
		sub, err = scanSubscription(c.QueryRow(ctx, `SELECT `+subColumns+subFrom+`
			WHERE s.rid = $1 AND s.u_id = $2`+s.lock("s"), roomID, userID))
		return err
	})
	if err != nil {
		return nil, notFound(err, "subscription", "subscription")
	}
	return sub, nil
}

// Membership returns one membership without its counts: a cheap check.
func (s *Store) Membership(ctx context.Context, roomID, userID string) (*chat.Subscription, error) {
	var sub *chat.Subscription
	err := s.with(ctx, func(c conn) (err error) {
		sub, err = scanSubscription(c.QueryRow(ctx, `SELECT `+memberColumns+subFrom+`
			WHERE s.rid = $1 AND s.u_id = $2`+s.lock("s"), roomID, userID))
		return err
	})
	if err != nil {
		return nil, notFound(err, "subscription", "subscription")
	}
	sub.Alert = sub.ForceAlert
	return sub, nil
}

// SubscriptionsOfUser returns the user's memberships, by room id.
//
// With f.UpdatedSince, a membership counts as changed when it was written
// after that time or when its room got a new last message since, because
// its computed counts may then have changed although the row did not.
func (s *Store) SubscriptionsOfUser(ctx context.Context, userID string, f chat.SubscriptionFilter) ([]chat.Subscription, error) {
	w := &where{}
	w.add("s.u_id = " + w.arg(userID))
	if !f.UpdatedSince.IsZero() {
		since := w.arg(ms(f.UpdatedSince))
		w.add("(s.updated_at > " + since + " OR r.lm > " + since + ")")
	}
	if len(f.Types) > 0 {
		w.in("r.t", storedoc.RoomTypes(f.Types))
	}
	var subs []chat.Subscription
	err := s.with(ctx, func(c conn) (err error) {
		subs, err = collectSubscriptions(c.Query(ctx, `SELECT `+subColumns+subFrom+w.String()+` ORDER BY s.rid`, w.args...))
		return err
	})
	if err != nil {
		return nil, wrap("subscriptions of user", err)
	}
	return subs, nil
}

// SubscriptionRemovals lists the user's removed memberships after since,
// oldest first.
func (s *Store) SubscriptionRemovals(ctx context.Context, userID string, since time.Time) ([]chat.Removal, error) {
	out, err := s.removals(ctx, "subscription", "user_id", userID, since)
	if err != nil {
		return nil, wrap("subscription removals", err)
	}
	return out, nil
}

// SubscriptionsWithRoles returns the room's memberships that carry at least
// one role, by user id.
func (s *Store) SubscriptionsWithRoles(ctx context.Context, roomID string) ([]chat.Subscription, error) {
	var subs []chat.Subscription
	err := s.with(ctx, func(c conn) (err error) {
		subs, err = collectSubscriptions(c.Query(ctx, `SELECT `+subColumns+subFrom+`
			WHERE s.rid = $1 AND cardinality(s.roles) > 0 ORDER BY s.u_id`, roomID))
		return err
	})
	if err != nil {
		return nil, wrap("subscriptions with roles", err)
	}
	return subs, nil
}

// memberSortColumns maps the sort fields of Rocket.Chat's members
// endpoints.
var memberSortColumns = map[string]string{
	"username": "u.username_key",
	"name":     nocase("u.name"),
	"status":   "u.status",
}

// RoomMembers lists a page of the room's members with their user documents,
// by username unless f.Sort says otherwise, and the number of matches.
// Members whose user no longer exists are left out.
func (s *Store) RoomMembers(ctx context.Context, roomID string, f chat.MemberFilter) ([]chat.Member, int, error) {
	order, err := storedoc.OrderBy(f.Sort, memberSortColumns, []chat.SortField{{Field: "username"}}, "u.id")
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add("s.rid = " + w.arg(roomID))
	if f.Text != "" {
		w.contains("u.search", f.Text)
	}
	if len(f.Statuses) > 0 {
		w.in("u.status", f.Statuses)
	}
	const from = ` FROM subscriptions s JOIN users u ON u.id = s.u_id`
	var (
		members []chat.Member
		total   int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*)`+from+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+userColumns+`, s.roles`+from+w.String()+order+page(f.Offset, f.Limit), w.args...).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var roles []string
				u, err := scanUser(rows, &roles)
				if err != nil {
					return err
				}
				members = append(members, chat.Member{User: *u, Roles: orNil(roles)})
			}
			return rows.Err()
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("room members", err)
	}
	return members, total, nil
}

// MemberIDs returns the ids of all members, sorted.
func (s *Store) MemberIDs(ctx context.Context, roomID string) ([]string, error) {
	var out []string
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT u_id FROM subscriptions WHERE rid = $1 ORDER BY u_id`, roomID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, wrap("member ids", err)
	}
	return orNil(out), nil
}

// RenameSubscriptions sets name and fname on every membership of a room.
func (s *Store) RenameSubscriptions(ctx context.Context, roomID, name, fname string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET name = $1, fname = $2, updated_at = $3 WHERE rid = $4`,
		name, fname, ms(at), roomID); err != nil {
		return wrap("rename subscriptions", err)
	}
	return nil
}

// TouchSubscriptions bumps the update time of every membership of a room.
func (s *Store) TouchSubscriptions(ctx context.Context, roomID string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET updated_at = $1 WHERE rid = $2`, ms(at), roomID); err != nil {
		return wrap("touch subscriptions", err)
	}
	return nil
}

// RenameUserInSubscriptions rewrites the user reference of the user's
// memberships after a rename.
func (s *Store) RenameUserInSubscriptions(ctx context.Context, userID, username, name string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET u_username = $1, u_name = $2, updated_at = $3 WHERE u_id = $4`,
		username, name, ms(at), userID); err != nil {
		return wrap("rename user in subscriptions", err)
	}
	return nil
}
