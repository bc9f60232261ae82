package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Driver errors are translated here, at the boundary, and nowhere else.

func pgError(err error) *pgconn.PgError {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// isUnique reports whether err is a unique or primary key violation,
// optionally of the named constraint (or unique index).
func isUnique(err error, constraint string) bool {
	e := pgError(err)
	return e != nil && e.Code == "23505" && (constraint == "" || e.ConstraintName == constraint)
}

func isForeignKey(err error) bool {
	e := pgError(err)
	return e != nil && e.Code == "23503"
}

// isRetryable reports whether PostgreSQL aborted the transaction for a
// serialisation failure or a deadlock, after which running it again from the
// start is the documented remedy.
func isRetryable(err error) bool {
	e := pgError(err)
	return e != nil && (e.Code == "40001" || e.Code == "40P01")
}

// isUnavailable reports whether err means that the database could not be
// reached or went away: a failed connection attempt, a connection lost
// mid-statement, or a server that is shutting down or starting up.
func isUnavailable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if e := pgError(err); e != nil {
		switch {
		case strings.HasPrefix(e.Code, "08"): // connection exception
			return true
		case e.Code == "57P01", e.Code == "57P02", e.Code == "57P03": // admin or crash shutdown, cannot connect now
			return true
		case e.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, pgconn.ErrConnClosed)
}

// isCallerDone reports whether err comes from the caller's context ending,
// which is the caller's doing and stays as it is.
func isCallerDone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func unavailable(op string, err error) error {
	return &chat.Error{Kind: chat.EUnavailable, Type: "error-database-unavailable", Message: "database unavailable",
		Err: fmt.Errorf("%s: %w", op, err)}
}

// wrap translates an error of the driver for operation op: unreachable
// database → EUnavailable, a deadlock that retries did not resolve →
// EUnavailable (the database is too busy), unique violation → EConflict,
// foreign key violation → ENotFound, anything else wrapped. Domain errors
// pass through.
func wrap(op string, err error) error {
	var (
		domain  *chat.Error
		connect *pgconn.ConnectError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &domain):
		return err
	case errors.As(err, &connect):
		// Even when it wraps a deadline: that is the connect timeout's.
		return unavailable(op, err)
	case isCallerDone(err):
		return fmt.Errorf("%s: %w", op, err)
	case isUnavailable(err):
		return unavailable(op, err)
	case isRetryable(err):
		return &chat.Error{Kind: chat.EUnavailable, Type: "error-database-busy", Message: "database busy, try again",
			Err: fmt.Errorf("%s: %w", op, err)}
	case isUnique(err, ""):
		// The methods name their conflicts; this catches the races they
		// do not (two writers of one key at the same moment).
		return conflict("error-duplicate", op+": already exists", err)
	case isForeignKey(err):
		return &chat.Error{Kind: chat.ENotFound, Type: "error-not-found", Message: op + ": refers to something that does not exist", Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// conflict is the error for a unique violation; typ is Rocket.Chat's
// errorType for it.
func conflict(typ, message string, err error) error {
	return &chat.Error{Kind: chat.EConflict, Type: typ, Message: message, Err: err}
}

// notFound turns pgx.ErrNoRows into chat's not-found error for what, and
// translates anything else for op.
func notFound(err error, what, op string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return chat.ErrNotFound(what)
	}
	return wrap(op, err)
}

// mustAffect returns chat's not-found error for what when a write changed no
// row.
func mustAffect(tag pgconn.CommandTag, what string) error {
	if tag.RowsAffected() == 0 {
		return chat.ErrNotFound(what)
	}
	return nil
}

// collect reads every row with scan and closes rows. err is the query's,
// so that a query's two results can be passed on as they are.
func collect[T any](rows pgx.Rows, err error, scan func(scanner) (*T, error)) ([]T, error) {
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
// Arguments are numbered as they are added: arg returns the placeholder.
type where struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

// in adds "col = ANY(list)": one array argument, so the statement is the
// same whatever the list's length.
func (w *where) in(col string, values []string) {
	w.add(col + " = ANY(" + w.arg(list(values)) + "::text[])")
}

// since adds "col > since" unless since is zero, which means "all".
func (w *where) since(col string, since time.Time) {
	if !since.IsZero() {
		w.add(col + " > " + w.arg(ms(since)))
	}
}

// contains adds a case-insensitive substring match on a column of folded
// text. strpos takes the text literally, so % and _ mean themselves.
func (w *where) contains(col, text string) {
	w.add("strpos(" + col + ", " + w.arg(fold(text)) + ") > 0")
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page returns the LIMIT/OFFSET clause; limit 0 means no limit.
func page(offset, limit int) string {
	var b strings.Builder
	if limit > 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(limit))
	}
	if offset > 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(offset))
	}
	return b.String()
}

// nocase is the ordering of SQLite's NOCASE collation, which the SQLite
// store sorts names with: ASCII letters folded, the rest bytewise. On a "C"
// column, lower() folds ASCII only.
func nocase(col string) string { return "lower(" + col + ")" }
