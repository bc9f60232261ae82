package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const userColumns = `u.id, u.username, u.name, u.type, u.active, u.status, u.status_default,
	u.status_connection, u.status_text, u.roles, u.created_at, u.updated_at, u.last_login, u.doc`

// scanner is what pgx.Row and pgx.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

func scanUser(sc scanner, extra ...any) (*chat.User, error) {
	var (
		u                           chat.User
		doc                         []byte
		created, updated, lastLogin int64
	)
	dest := []any{&u.ID, &u.Username, &u.Name, &u.Type, &u.Active, &u.Status, &u.StatusDefault,
		&u.StatusConnection, &u.StatusText, &u.Roles, &created, &updated, &lastLogin, &doc}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	u.Roles = orNil(u.Roles)
	u.CreatedAt, u.UpdatedAt, u.LastLogin = fromMS(created), fromMS(updated), fromMS(lastLogin)
	var d storedoc.User
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&u)
	return &u, nil
}

func collectUsers(rows pgx.Rows, err error) ([]chat.User, error) {
	return collect(rows, err, func(sc scanner) (*chat.User, error) { return scanUser(sc) })
}

// userRow is the encoded form of a user's columns, shared by create and
// update.
type userRow struct {
	search string
	doc    []byte
	emails []string // the distinct lower-cased addresses
}

func encodeUser(u *chat.User) (userRow, error) {
	var emails []string
	for _, e := range u.Emails {
		if key := fold(e.Address); key != "" && !slices.Contains(emails, key) {
			emails = append(emails, key)
		}
	}
	doc, err := jsonDoc(storedoc.NewUser(u))
	if err != nil {
		return userRow{}, err
	}
	return userRow{search: storedoc.UserSearch(u), doc: doc, emails: list(emails)}, nil
}

// userConflict translates the unique violations of writing u.
func userConflict(u *chat.User, err error) error {
	switch {
	case isUnique(err, "users_username_key"):
		return conflict("error-field-unavailable", u.Username+" is already in use :(", err)
	case isUnique(err, "user_emails_pkey"):
		// The address in use is not named by the error's message alone;
		// the detail holds it, but a generic reason reads as well.
		return conflict("error-field-unavailable", emailInUse(u, err)+" is already in use :(", err)
	case isUnique(err, ""):
		return conflict("error-duplicate", "user "+u.ID+" already exists", err)
	}
	return nil
}

// emailInUse finds which of u's addresses the violation detail names.
func emailInUse(u *chat.User, err error) string {
	if e := pgError(err); e != nil {
		for _, a := range u.Emails {
			if a.Address != "" && strings.Contains(e.Detail, "("+fold(a.Address)+")") {
				return a.Address
			}
		}
	}
	return "Email"
}

// writeUserEmails makes the user's address rows those of the list: it
// removes the others and adds the new ones, so that an address taken by
// another user fails with a unique violation.
func writeUserEmails(ctx context.Context, c conn, id string, emails []string) error {
	if _, err := c.Exec(ctx, `DELETE FROM user_emails WHERE user_id = $1 AND address_key <> ALL($2::text[])`,
		id, emails); err != nil {
		return err
	}
	_, err := c.Exec(ctx, `INSERT INTO user_emails (address_key, user_id)
		SELECT a, $1 FROM unnest($2::text[]) a
		WHERE NOT EXISTS (SELECT 1 FROM user_emails e WHERE e.address_key = a AND e.user_id = $1)`, id, emails)
	return err
}

// CreateUser inserts u; a taken id, username or address is EConflict.
func (s *Store) CreateUser(ctx context.Context, u *chat.User) error {
	row, err := encodeUser(u)
	if err != nil {
		return wrap("create user", err)
	}
	return s.unit(ctx, func(c conn) error {
		_, err := c.Exec(ctx, `INSERT INTO users (id, username, username_key, name, type, active,
			status, status_default, status_connection, status_text, roles, search,
			created_at, updated_at, last_login, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			u.ID, u.Username, fold(u.Username), u.Name, u.Type, u.Active,
			u.Status, u.StatusDefault, u.StatusConnection, u.StatusText, list(u.Roles), row.search,
			ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastLogin), row.doc)
		if err == nil {
			err = writeUserEmails(ctx, c, u.ID, row.emails)
		}
		if cerr := userConflict(u, err); cerr != nil {
			return cerr
		}
		return wrap("create user", err)
	})
}

// UpdateUser writes every field of u.
func (s *Store) UpdateUser(ctx context.Context, u *chat.User) error {
	row, err := encodeUser(u)
	if err != nil {
		return wrap("update user", err)
	}
	return s.unit(ctx, func(c conn) error {
		tag, err := c.Exec(ctx, `UPDATE users SET username = $1, username_key = $2, name = $3, type = $4,
			active = $5, status = $6, status_default = $7, status_connection = $8, status_text = $9,
			roles = $10, search = $11, created_at = $12, updated_at = $13, last_login = $14, doc = $15
			WHERE id = $16`,
			u.Username, fold(u.Username), u.Name, u.Type, u.Active,
			u.Status, u.StatusDefault, u.StatusConnection, u.StatusText, list(u.Roles), row.search,
			ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastLogin), row.doc, u.ID)
		if err == nil {
			if err := mustAffect(tag, "user"); err != nil {
				return err
			}
			err = writeUserEmails(ctx, c, u.ID, row.emails)
		}
		if cerr := userConflict(u, err); cerr != nil {
			return cerr
		}
		return wrap("update user", err)
	})
}

// DeleteUser removes the user with their tokens. Their subscriptions,
// messages and team memberships stay; the core removes what it means to.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	tag, err := s.exec(ctx, `DELETE FROM users WHERE id = $1`, id)
	if err != nil {
		return wrap("delete user", err)
	}
	return mustAffect(tag, "user")
}

// userBy reads the one user that the condition selects; on a Store bound to
// a transaction the row stays locked.
func (s *Store) userBy(ctx context.Context, op, from, cond string, arg any) (*chat.User, error) {
	var u *chat.User
	err := s.with(ctx, func(c conn) error {
		var err error
		u, err = scanUser(c.QueryRow(ctx, `SELECT `+userColumns+from+` WHERE `+cond+s.lock("u"), arg))
		return err
	})
	if err != nil {
		return nil, notFound(err, "user", op)
	}
	return u, nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id string) (*chat.User, error) {
	return s.userBy(ctx, "user by id", ` FROM users u`, `u.id = $1`, id)
}

// UserByUsername returns the user with that username, case-insensitively.
func (s *Store) UserByUsername(ctx context.Context, username string) (*chat.User, error) {
	if username == "" {
		return nil, chat.ErrNotFound("user")
	}
	return s.userBy(ctx, "user by username", ` FROM users u`, `u.username_key = $1`, fold(username))
}

// UserByEmail returns the user with that address among any of theirs,
// case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*chat.User, error) {
	return s.userBy(ctx, "user by email", ` FROM user_emails e JOIN users u ON u.id = e.user_id`,
		`e.address_key = $1`, fold(email))
}

// UsersByIDs returns the users that exist among ids, by username.
func (s *Store) UsersByIDs(ctx context.Context, ids []string) ([]chat.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var users []chat.User
	err := s.with(ctx, func(c conn) (err error) {
		users, err = collectUsers(c.Query(ctx, `SELECT `+userColumns+` FROM users u
			WHERE u.id = ANY($1::text[]) ORDER BY u.username_key, u.id`, ids))
		return err
	})
	if err != nil {
		return nil, wrap("users by ids", err)
	}
	return users, nil
}

// UsersByUsernames returns the users that exist among usernames, matched
// case-insensitively, by username.
func (s *Store) UsersByUsernames(ctx context.Context, usernames []string) ([]chat.User, error) {
	if len(usernames) == 0 {
		return nil, nil
	}
	keys := make([]string, len(usernames))
	for i, u := range usernames {
		keys[i] = fold(u)
	}
	var users []chat.User
	err := s.with(ctx, func(c conn) (err error) {
		users, err = collectUsers(c.Query(ctx, `SELECT `+userColumns+` FROM users u
			WHERE u.username_key = ANY($1::text[]) ORDER BY u.username_key, u.id`, keys))
		return err
	})
	if err != nil {
		return nil, wrap("users by usernames", err)
	}
	return users, nil
}

// userSortColumns maps the sort fields of Rocket.Chat's users endpoints.
var userSortColumns = map[string]string{
	"username":   "u.username_key",
	"name":       nocase("u.name"),
	"createdAt":  "u.created_at",
	"status":     "u.status",
	"_updatedAt": "u.updated_at",
	"lastLogin":  "u.last_login",
}

func userWhere(f chat.UserFilter) *where {
	w := &where{}
	if f.Text != "" {
		w.contains("u.search", f.Text)
	}
	if len(f.IDs) > 0 {
		w.in("u.id", f.IDs)
	}
	if f.Role != "" {
		w.add("u.roles @> ARRAY[" + w.arg(f.Role) + "::text]")
	}
	if len(f.Types) > 0 {
		w.in("u.type", f.Types)
	}
	if f.Active != nil {
		w.add("u.active = " + w.arg(*f.Active))
	}
	if len(f.Statuses) > 0 {
		w.in("u.status", f.Statuses)
	}
	return w
}

// ListUsers returns a page of matching users, by username unless f.Sort
// says otherwise, and the number of matches.
func (s *Store) ListUsers(ctx context.Context, f chat.UserFilter) ([]chat.User, int, error) {
	order, err := storedoc.OrderBy(f.Sort, userSortColumns, []chat.SortField{{Field: "username"}}, "u.id")
	if err != nil {
		return nil, 0, err
	}
	w := userWhere(f)
	var (
		users []chat.User
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM users u`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+userColumns+` FROM users u`+w.String()+order+page(f.Offset, f.Limit), w.args...).
		Query(func(rows pgx.Rows) (err error) {
			users, err = collectUsers(rows, nil)
			return err
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list users", err)
	}
	return users, total, nil
}

// countUsersLock keys the advisory lock of CountUsers in transactions
// ("LFTU").
const countUsersLock = 0x4C465455

// CountUsers counts matching users; paging and sorting are ignored.
//
// Inside a transaction it first takes a transaction-level advisory lock, so
// that transactions that decide on a count of users (the first user to
// register becomes an administrator) run one after the other, and the
// second counts what the first created: rows that do not exist yet cannot
// be locked.
func (s *Store) CountUsers(ctx context.Context, f chat.UserFilter) (int, error) {
	w := userWhere(f)
	var n int
	err := s.with(ctx, func(c conn) error {
		if s.tx != nil {
			if _, err := c.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(countUsersLock)); err != nil {
				return err
			}
		}
		return c.QueryRow(ctx, `SELECT count(*) FROM users u`+w.String(), w.args...).Scan(&n)
	})
	if err != nil {
		return 0, wrap("count users", err)
	}
	return n, nil
}

// SetUserStatus changes only the presence fields and the update time.
func (s *Store) SetUserStatus(ctx context.Context, id, status, statusDefault, statusConnection, statusText string, at time.Time) error {
	tag, err := s.exec(ctx, `UPDATE users SET status = $1, status_default = $2, status_connection = $3,
		status_text = $4, updated_at = $5 WHERE id = $6`, status, statusDefault, statusConnection, statusText, ms(at), id)
	if err != nil {
		return wrap("set user status", err)
	}
	return mustAffect(tag, "user")
}
