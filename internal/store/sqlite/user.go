package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const userColumns = `u.id, u.username, u.name, u.type, u.active, u.status, u.status_default,
	u.status_connection, u.status_text, u.roles, u.created_at, u.updated_at, u.last_login, u.doc`

func scanUser(sc scanner) (*chat.User, error) {
	var (
		u                           chat.User
		roles, doc                  string
		created, updated, lastLogin int64
	)
	if err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Type, &u.Active, &u.Status, &u.StatusDefault,
		&u.StatusConnection, &u.StatusText, &roles, &created, &updated, &lastLogin, &doc); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.LastLogin = fromMS(created), fromMS(updated), fromMS(lastLogin)
	if err := fromJSON(roles, &u.Roles); err != nil {
		return nil, err
	}
	var d storedoc.User
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&u)
	return &u, nil
}

func collectUsers(rows *sql.Rows, err error) ([]chat.User, error) {
	return collect(rows, err, scanUser)
}

// userRow is the encoded form of a user's columns, shared by create and
// update.
type userRow struct {
	roles, search, doc string
}

func encodeUser(u *chat.User) (userRow, error) {
	doc, err := jsonText(storedoc.NewUser(u))
	if err != nil {
		return userRow{}, err
	}
	return userRow{roles: stringsText(u.Roles), search: storedoc.UserSearch(u), doc: doc}, nil
}

// writeUserKeys replaces the rows that index a user's addresses and roles.
func writeUserKeys(ctx context.Context, tx querier, u *chat.User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_emails WHERE user_id = ?`, u.ID); err != nil {
		return fmt.Errorf("clear emails: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, u.ID); err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	seen := map[string]bool{}
	for _, e := range u.Emails {
		key := fold(e.Address)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_emails (address_key, user_id) VALUES (?, ?)`, key, u.ID); err != nil {
			if isUnique(err, "") {
				return conflict("error-field-unavailable", e.Address+" is already in use :(", err)
			}
			return fmt.Errorf("insert email: %w", err)
		}
	}
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO user_roles (role, user_id) VALUES (?, ?)`, r, u.ID); err != nil {
			return fmt.Errorf("insert role: %w", err)
		}
	}
	return nil
}

// CreateUser inserts u; a taken id, username or address is EConflict.
func (s *Store) CreateUser(ctx context.Context, u *chat.User) error {
	row, err := encodeUser(u)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, username_key, name, type, active,
			status, status_default, status_connection, status_text, roles, search,
			created_at, updated_at, last_login, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Username, fold(u.Username), u.Name, u.Type, u.Active,
			u.Status, u.StatusDefault, u.StatusConnection, u.StatusText, row.roles, row.search,
			ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastLogin), row.doc)
		switch {
		case isUnique(err, "users.username_key"):
			return conflict("error-field-unavailable", u.Username+" is already in use :(", err)
		case isUnique(err, ""):
			return conflict("error-duplicate", "user "+u.ID+" already exists", err)
		case err != nil:
			return fmt.Errorf("create user: %w", err)
		}
		return writeUserKeys(ctx, tx, u)
	})
}

// UpdateUser writes every field of u.
func (s *Store) UpdateUser(ctx context.Context, u *chat.User) error {
	row, err := encodeUser(u)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return s.write(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, username_key = ?, name = ?, type = ?,
			active = ?, status = ?, status_default = ?, status_connection = ?, status_text = ?,
			roles = ?, search = ?, created_at = ?, updated_at = ?, last_login = ?, doc = ?
			WHERE id = ?`,
			u.Username, fold(u.Username), u.Name, u.Type, u.Active,
			u.Status, u.StatusDefault, u.StatusConnection, u.StatusText, row.roles, row.search,
			ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastLogin), row.doc, u.ID)
		switch {
		case isUnique(err, "users.username_key"):
			return conflict("error-field-unavailable", u.Username+" is already in use :(", err)
		case err != nil:
			return fmt.Errorf("update user: %w", err)
		}
		if err := mustAffect(res, "user"); err != nil {
			return err
		}
		return writeUserKeys(ctx, tx, u)
	})
}

// DeleteUser removes the user with their tokens. Their subscriptions,
// messages and team memberships stay; the core removes what it means to.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM users WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return mustAffect(res, "user")
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id string) (*chat.User, error) {
	u, err := scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "user", "user by id")
	}
	return u, nil
}

// UserByUsername returns the user with that username, case-insensitively.
func (s *Store) UserByUsername(ctx context.Context, username string) (*chat.User, error) {
	if username == "" {
		return nil, chat.ErrNotFound("user")
	}
	u, err := scanUser(s.rd().QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users u WHERE u.username_key = ?`, fold(username)))
	if err != nil {
		return nil, notFound(err, "user", "user by username")
	}
	return u, nil
}

// UserByEmail returns the user with that address among any of theirs,
// case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*chat.User, error) {
	u, err := scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM user_emails e JOIN users u ON u.id = e.user_id WHERE e.address_key = ?`, fold(email)))
	if err != nil {
		return nil, notFound(err, "user", "user by email")
	}
	return u, nil
}

// UsersByIDs returns the users that exist among ids, by username.
func (s *Store) UsersByIDs(ctx context.Context, ids []string) ([]chat.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	users, err := collectUsers(s.rd().QueryContext(ctx, `SELECT `+userColumns+` FROM users u
		WHERE u.id IN (SELECT value FROM json_each(?)) ORDER BY u.username_key, u.id`, stringsJSON(ids)))
	if err != nil {
		return nil, fmt.Errorf("users by ids: %w", err)
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
	users, err := collectUsers(s.rd().QueryContext(ctx, `SELECT `+userColumns+` FROM users u
		WHERE u.username_key IN (SELECT value FROM json_each(?)) ORDER BY u.username_key, u.id`, stringsJSON(keys)))
	if err != nil {
		return nil, fmt.Errorf("users by usernames: %w", err)
	}
	return users, nil
}

// userSortColumns maps the sort fields of Rocket.Chat's users endpoints.
var userSortColumns = map[string]string{
	"username":   "u.username_key",
	"name":       "u.name COLLATE NOCASE",
	"createdAt":  "u.created_at",
	"status":     "u.status",
	"_updatedAt": "u.updated_at",
	"lastLogin":  "u.last_login",
}

func userWhere(f chat.UserFilter) *where {
	w := &where{}
	if f.Text != "" {
		w.add("instr(u.search, ?) > 0", fold(f.Text))
	}
	if len(f.IDs) > 0 {
		w.in("u.id", f.IDs)
	}
	if f.Role != "" {
		w.add("u.id IN (SELECT user_id FROM user_roles WHERE role = ?)", f.Role)
	}
	if len(f.Types) > 0 {
		w.in("u.type", f.Types)
	}
	if f.Active != nil {
		w.add("u.active = ?", *f.Active)
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
	err = s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users u`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		users, err = collectUsers(q.QueryContext(ctx, `SELECT `+userColumns+` FROM users u`+w.String()+order+page(f.Offset, f.Limit), w.args...))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	return users, total, nil
}

// CountUsers counts matching users; paging and sorting are ignored.
func (s *Store) CountUsers(ctx context.Context, f chat.UserFilter) (int, error) {
	w := userWhere(f)
	var n int
	if err := s.rd().QueryRowContext(ctx, `SELECT count(*) FROM users u`+w.String(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetUserStatus changes only the presence fields and the update time.
func (s *Store) SetUserStatus(ctx context.Context, id, status, statusDefault, statusConnection, statusText string, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE users SET status = ?, status_default = ?, status_connection = ?,
		status_text = ?, updated_at = ? WHERE id = ?`, status, statusDefault, statusConnection, statusText, ms(at), id)
	if err != nil {
		return fmt.Errorf("set user status: %w", err)
	}
	return mustAffect(res, "user")
}
