package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// subColumns reads a subscription with what it copies from its room (alias
// r) and its computed counts.
//
// The counts follow chat.Subscription: messages after the read mark, not
// the user's own, not system messages, and shown in the room (thread
// replies only with tshow). The conditions on t, tmid and tshow repeat the
// WHERE clause of the partial index messages_unread word for word: SQLite
// uses a partial index only when the query contains its terms, and with it a
// count reads O(log n + unread) index entries and no table rows.
const subColumns = `s.id, s.rid, s.u_id, s.u_username, s.u_name, r.t, s.name, s.fname, s.open,
	s.favorite, s.roles, s.read_seq, s.ls, s.force_alert, s.notifications, s.created_at, s.updated_at,
	r.archived, r.prid, r.team_id, r.team_main,
	(SELECT count(*) FROM messages m
		WHERE m.rid = s.rid AND m.seq > s.read_seq AND m.u_id <> s.u_id
		AND m.t = '' AND (m.tmid = '' OR m.tshow = 1)),
	(SELECT count(*) FROM messages m
		WHERE m.rid = s.rid AND m.seq > s.read_seq AND m.u_id <> s.u_id AND m.group_mention = 1
		AND m.t = '' AND (m.tmid = '' OR m.tshow = 1)),
	(SELECT count(*) FROM mentions mn JOIN messages m ON m.id = mn.message_id
		WHERE mn.user_id = s.u_id AND mn.rid = s.rid AND mn.seq > s.read_seq AND m.u_id <> s.u_id
		AND m.t = '' AND (m.tmid = '' OR m.tshow = 1))`

const subFrom = ` FROM subscriptions s JOIN rooms r ON r.id = s.rid`

// memberColumns are subColumns with the counts left at zero, for
// membership checks that must not pay for counting unread messages.
const memberColumns = `s.id, s.rid, s.u_id, s.u_username, s.u_name, r.t, s.name, s.fname, s.open,
	s.favorite, s.roles, s.read_seq, s.ls, s.force_alert, s.notifications, s.created_at, s.updated_at,
	r.archived, r.prid, r.team_id, r.team_main, 0, 0, 0`

func scanSubscription(sc scanner) (*chat.Subscription, error) {
	var (
		s                       chat.Subscription
		t, roles, notifications string
		ls, created, updated    int64
	)
	if err := sc.Scan(&s.ID, &s.RoomID, &s.User.ID, &s.User.Username, &s.User.Name, &t, &s.Name, &s.FName,
		&s.Open, &s.Favorite, &roles, &s.ReadSeq, &ls, &s.ForceAlert, &notifications, &created, &updated,
		&s.Archived, &s.ParentID, &s.TeamID, &s.TeamMain,
		&s.Unread, &s.GroupMentions, &s.UserMentions); err != nil {
		return nil, err
	}
	s.Type = chat.RoomType(t)
	s.LastSeen, s.CreatedAt, s.UpdatedAt = fromMS(ls), fromMS(created), fromMS(updated)
	s.Alert = s.ForceAlert || s.Unread > 0
	if err := fromJSON(roles, &s.Roles); err != nil {
		return nil, err
	}
	if err := fromJSON(notifications, &s.Notifications); err != nil {
		return nil, err
	}
	return &s, nil
}

func collectSubscriptions(rows *sql.Rows, err error) ([]chat.Subscription, error) {
	return collect(rows, err, scanSubscription)
}

// CreateSubscription inserts s. The user already in the room, or a taken
// id, is EConflict; an unknown room is ENotFound. Type, Archived, ParentID,
// TeamID and TeamMain are the room's and are not stored; the counts are
// computed. Creating a subscription with the id of a removed one forgets
// that removal, so that syncing clients do not drop it.
func (s *Store) CreateSubscription(ctx context.Context, sub *chat.Subscription) error {
	notifications, err := jsonText(sub.Notifications)
	if err != nil {
		return fmt.Errorf("create subscription: %w", err)
	}
	return s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (id, rid, u_id, u_username, u_name, name, fname,
			open, favorite, roles, read_seq, ls, force_alert, notifications, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.ID, sub.RoomID, sub.User.ID, sub.User.Username, sub.User.Name, sub.Name, sub.FName,
			sub.Open, sub.Favorite, stringsText(sub.Roles), sub.ReadSeq, ms(sub.LastSeen), sub.ForceAlert,
			notifications, ms(sub.CreatedAt), ms(sub.UpdatedAt))
		switch {
		case isUnique(err, "subscriptions.rid"):
			return conflict("error-duplicate", "user "+sub.User.ID+" is already in room "+sub.RoomID, err)
		case isUnique(err, ""):
			return conflict("error-duplicate", "subscription "+sub.ID+" already exists", err)
		case isForeignKey(err):
			return chat.ErrNotFound("room")
		case err != nil:
			return fmt.Errorf("create subscription: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM removals WHERE kind = 'subscription' AND id = ? AND user_id = ?`,
			sub.ID, sub.User.ID); err != nil {
			return fmt.Errorf("create subscription: forget removal: %w", err)
		}
		return nil
	})
}

// UpdateSubscription writes the user-settable fields of the membership of
// sub.User.ID in sub.RoomID: open, favorite, roles, read state (ReadSeq,
// LastSeen), ForceAlert, notifications, name and fname, and UpdatedAt.
func (s *Store) UpdateSubscription(ctx context.Context, sub *chat.Subscription) error {
	notifications, err := jsonText(sub.Notifications)
	if err != nil {
		return fmt.Errorf("update subscription: %w", err)
	}
	res, err := s.exec(ctx, `UPDATE subscriptions SET open = ?, favorite = ?, roles = ?,
		read_seq = ?, ls = ?, force_alert = ?, notifications = ?, name = ?, fname = ?, updated_at = ?
		WHERE rid = ? AND u_id = ?`,
		sub.Open, sub.Favorite, stringsText(sub.Roles), sub.ReadSeq, ms(sub.LastSeen), sub.ForceAlert,
		notifications, sub.Name, sub.FName, ms(sub.UpdatedAt), sub.RoomID, sub.User.ID)
	if err != nil {
		return fmt.Errorf("update subscription: %w", err)
	}
	return mustAffect(res, "subscription")
}

// DeleteSubscription removes the membership and records its removal.
func (s *Store) DeleteSubscription(ctx context.Context, roomID, userID string, at time.Time) error {
	return s.write(ctx, func(tx querier) error {
		var id string
		err := tx.QueryRowContext(ctx, `DELETE FROM subscriptions WHERE rid = ? AND u_id = ? RETURNING id`,
			roomID, userID).Scan(&id)
		if err != nil {
			return notFound(err, "subscription", "delete subscription")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO removals (kind, id, rid, user_id, deleted_at)
			VALUES ('subscription', ?, ?, ?, ?) ON CONFLICT DO UPDATE SET deleted_at = excluded.deleted_at`,
			id, roomID, userID, ms(at)); err != nil {
			return fmt.Errorf("delete subscription: record removal: %w", err)
		}
		return nil
	})
}

// Subscription returns one membership with its counts computed.
func (s *Store) Subscription(ctx context.Context, roomID, userID string) (*chat.Subscription, error) {
	sub, err := scanSubscription(s.rd().QueryRowContext(ctx, `SELECT `+subColumns+subFrom+`
		WHERE s.rid = ? AND s.u_id = ?`, roomID, userID))
	if err != nil {
		return nil, notFound(err, "subscription", "subscription")
	}
	return sub, nil
}

// Membership returns one membership without its counts: a cheap check.
func (s *Store) Membership(ctx context.Context, roomID, userID string) (*chat.Subscription, error) {
	sub, err := scanSubscription(s.rd().QueryRowContext(ctx, `SELECT `+memberColumns+subFrom+`
		WHERE s.rid = ? AND s.u_id = ?`, roomID, userID))
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
	w.add("s.u_id = ?", userID)
	if !f.UpdatedSince.IsZero() {
		w.add("(s.updated_at > ? OR r.lm > ?)", ms(f.UpdatedSince), ms(f.UpdatedSince))
	}
	if len(f.Types) > 0 {
		w.in("r.t", storedoc.RoomTypes(f.Types))
	}
	subs, err := collectSubscriptions(s.rd().QueryContext(ctx, `SELECT `+subColumns+subFrom+w.String()+` ORDER BY s.rid`, w.args...))
	if err != nil {
		return nil, fmt.Errorf("subscriptions of user: %w", err)
	}
	return subs, nil
}

// SubscriptionRemovals lists the user's removed memberships after since,
// oldest first.
func (s *Store) SubscriptionRemovals(ctx context.Context, userID string, since time.Time) ([]chat.Removal, error) {
	out, err := s.removals(ctx, "subscription", "user_id", userID, since)
	if err != nil {
		return nil, fmt.Errorf("subscription removals: %w", err)
	}
	return out, nil
}

// SubscriptionsWithRoles returns the room's memberships that carry at least
// one role, by user id.
func (s *Store) SubscriptionsWithRoles(ctx context.Context, roomID string) ([]chat.Subscription, error) {
	subs, err := collectSubscriptions(s.rd().QueryContext(ctx, `SELECT `+subColumns+subFrom+`
		WHERE s.rid = ? AND s.roles <> '' ORDER BY s.u_id`, roomID))
	if err != nil {
		return nil, fmt.Errorf("subscriptions with roles: %w", err)
	}
	return subs, nil
}

// memberSortColumns maps the sort fields of Rocket.Chat's members
// endpoints.
var memberSortColumns = map[string]string{
	"username": "u.username_key",
	"name":     "u.name COLLATE NOCASE",
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
	w.add("s.rid = ?", roomID)
	if f.Text != "" {
		w.add("instr(u.search, ?) > 0", fold(f.Text))
	}
	if len(f.Statuses) > 0 {
		w.in("u.status", f.Statuses)
	}
	const from = ` FROM subscriptions s JOIN users u ON u.id = s.u_id`
	var (
		members []chat.Member
		total   int
	)
	err = s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*)`+from+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+userColumns+`, s.roles`+from+w.String()+order+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var roles string
			u, err := scanUser(memberScanner{rows, &roles})
			if err != nil {
				return err
			}
			m := chat.Member{User: *u}
			if err := fromJSON(roles, &m.Roles); err != nil {
				return err
			}
			members = append(members, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("room members: %w", err)
	}
	return members, total, nil
}

// memberScanner scans a user row followed by the subscription's roles.
type memberScanner struct {
	rows  *sql.Rows
	roles *string
}

func (m memberScanner) Scan(dest ...any) error { return m.rows.Scan(append(dest, m.roles)...) }

// MemberIDs returns the ids of all members, sorted.
func (s *Store) MemberIDs(ctx context.Context, roomID string) ([]string, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT u_id FROM subscriptions WHERE rid = ? ORDER BY u_id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("member ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("member ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RenameSubscriptions sets name and fname on every membership of a room.
func (s *Store) RenameSubscriptions(ctx context.Context, roomID, name, fname string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET name = ?, fname = ?, updated_at = ? WHERE rid = ?`,
		name, fname, ms(at), roomID); err != nil {
		return fmt.Errorf("rename subscriptions: %w", err)
	}
	return nil
}

// TouchSubscriptions bumps the update time of every membership of a room.
func (s *Store) TouchSubscriptions(ctx context.Context, roomID string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET updated_at = ? WHERE rid = ?`, ms(at), roomID); err != nil {
		return fmt.Errorf("touch subscriptions: %w", err)
	}
	return nil
}

// RenameUserInSubscriptions rewrites the user reference of the user's
// memberships after a rename.
func (s *Store) RenameUserInSubscriptions(ctx context.Context, userID, username, name string, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE subscriptions SET u_username = ?, u_name = ?, updated_at = ? WHERE u_id = ?`,
		username, name, ms(at), userID); err != nil {
		return fmt.Errorf("rename user in subscriptions: %w", err)
	}
	return nil
}
