package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Driver errors are translated here, at the boundary, and nowhere else.

func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isUnique reports whether err is a unique or primary key violation,
// optionally of the given "table.column" constraint.
func isUnique(err error, constraint string) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return constraint == "" || strings.Contains(err.Error(), constraint)
	}
	return false
}

func isForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// conflict is the error for a unique violation; typ is Rocket.Chat's
// errorType for it.
func conflict(typ, message string, err error) error {
	return &chat.Error{Kind: chat.EConflict, Type: typ, Message: message, Err: err}
}

// unavailable marks errors of reaching the database at all; a cancelled
// or expired context is the caller's doing and stays as it is.
func unavailable(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &chat.Error{Kind: chat.EUnavailable, Type: "error-database-unavailable", Message: "database unavailable", Err: fmt.Errorf("%s: %w", op, err)}
}

// notFound turns sql.ErrNoRows into chat's not-found error for what, and
// wraps anything else with op.
func notFound(err error, what, op string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return chat.ErrNotFound(what)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// mustAffect returns chat's not-found error for what when a write changed no
// row.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return chat.ErrNotFound(what)
	}
	return nil
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// collect reads every row with scan and closes rows. err is the query's,
// so that a query's two results can be passed on as they are.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (*T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// where accumulates the conditions and arguments of a listing query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN list". The list is passed as one JSON array argument, so
// the statement is the same whatever its length.
func (w *where) in(col string, values []string) {
	w.add(col+" IN (SELECT value FROM json_each(?))", stringsJSON(values))
}

// since adds "col > since" unless since is zero, which means "all".
func (w *where) since(col string, since time.Time) {
	if !since.IsZero() {
		w.add(col+" > ?", ms(since))
	}
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// stringsJSON encodes a list as a JSON array, "[]" when empty.
func stringsJSON(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	return stringsText(v)
}

// page returns the LIMIT/OFFSET clause; limit 0 means no limit.
func page(offset, limit int) string {
	if limit <= 0 && offset <= 0 {
		return ""
	}
	if limit <= 0 {
		limit = -1
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(offset, 0))
}
