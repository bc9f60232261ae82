package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Options size the pool. Zero values take the defaults.
type Options struct {
	// MaxConns caps the connections this instance opens to PostgreSQL
	// (LIFTOFF_DB_MAX_CONNS); default 20, at least 2.
	MaxConns int32
	// ConnectTimeout bounds each attempt to open a connection, dial and
	// authentication included (LIFTOFF_DB_CONNECT_TIMEOUT); default 5s.
	ConnectTimeout time.Duration
	// AcquireTimeout bounds how long an operation waits for a connection
	// of the pool when all are busy or none can be opened, before it
	// fails with chat.EUnavailable; default ConnectTimeout.
	AcquireTimeout time.Duration
}

const (
	defaultMaxConns       = 20
	defaultConnectTimeout = 5 * time.Second
	// maxTxAttempts bounds the runs of a transaction that PostgreSQL keeps
	// aborting for deadlocks or serialisation failures.
	maxTxAttempts = 8
)

// Store is chat.Store on PostgreSQL.
//
// The Store returned by Open owns the pool; the Store that WithTx passes to
// its function is bound to one transaction and shares it.
type Store struct {
	pool *pgxpool.Pool
	// tx is set on a Store bound to a transaction: every read and write
	// of that Store goes through it, so reads see the transaction's writes.
	tx pgx.Tx
	// txSlots bounds the transactions open at once to fewer than the
	// pool's connections. A transaction's function may read through the
	// outer Store, which takes a second connection; were every connection
	// held by a transaction waiting for one, they would wait forever.
	txSlots        chan struct{}
	acquireTimeout time.Duration
	logger         *slog.Logger
}

var _ chat.Store = (*Store)(nil)

// Open connects to the database at url (postgres://...), applies the pending
// migrations and returns the Store. Connections are opened as they are
// needed; Open fails with chat.EUnavailable when the database cannot be
// reached at all.
func Open(ctx context.Context, url string, opts Options, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = defaultMaxConns
	}
	opts.MaxConns = max(opts.MaxConns, 2)
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = defaultConnectTimeout
	}
	if opts.AcquireTimeout <= 0 {
		opts.AcquireTimeout = opts.ConnectTimeout
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgconn's parse errors leave the password out.
		return nil, chat.ErrInvalidParam("postgres: %v", err)
	}
	cfg.MaxConns = opts.MaxConns
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "liftoff"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, wrap("postgres: open", err)
	}
	// A quarter of the connections, at least one, stays free of
	// transactions.
	slots := opts.MaxConns - max(1, opts.MaxConns/4)
	s := &Store{pool: pool, txSlots: make(chan struct{}, slots), acquireTimeout: opts.AcquireTimeout, logger: logger}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	logger.Debug("postgres store opened", "host", cfg.ConnConfig.Host, "database", cfg.ConnConfig.Database,
		"max_conns", opts.MaxConns)
	return s, nil
}

// Close closes the pool. Calling it on a transaction's Store is an error.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("postgres: close called on a transaction's store")
	}
	s.pool.Close()
	return nil
}

// Ping checks that the database answers. A connection that broke while idle
// (the server restarted) is dropped and the ping tried once more on a new
// one, so that readiness reflects the database, not a stale connection.
func (s *Store) Ping(ctx context.Context) error {
	if s.tx != nil {
		var one int
		if err := s.tx.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
			return wrap("postgres: ping", err)
		}
		return nil
	}
	var err error
	for range 2 {
		var c *pgxpool.Conn
		if c, err = s.acquire(ctx); err != nil {
			return err
		}
		err = c.Ping(ctx)
		c.Release()
		if err == nil {
			return nil
		}
		if isCallerDone(err) {
			return fmt.Errorf("postgres: ping: %w", err)
		}
	}
	return unavailable("postgres: ping", err)
}

// WithTx runs fn in one transaction. The Store given to fn sees its own
// writes, and its reads of single rows lock them until the end (see the
// package documentation); nested calls of WithTx on it join the same
// transaction. A panic in fn rolls back its writes and goes on.
//
// fn may run more than once: when PostgreSQL aborts the transaction for a
// deadlock or a serialisation failure, it is run again from the start, so it
// must not keep effects of a failed run. Inside fn, write only through tx: a
// write through the outer Store runs in another transaction and may wait for
// a lock that fn's own transaction holds.
func (s *Store) WithTx(ctx context.Context, fn func(tx chat.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return s.runTx(ctx, func(tx pgx.Tx) error {
		bound := *s
		bound.tx = tx
		return fn(&bound)
	})
}

// runTx runs fn in a new transaction, again when PostgreSQL aborts it for a
// deadlock or a serialisation failure.
func (s *Store) runTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || !isRetryable(err) || ctx.Err() != nil {
			return err
		}
		if attempt == maxTxAttempts {
			return wrap("postgres: transaction", err)
		}
		s.logger.Debug("transaction retried", "attempt", attempt, "error", err)
		if err := s.backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// backoff waits before the next run of something PostgreSQL aborted: a
// random time that grows with the attempts, so that the transactions that
// collided do not collide again.
func (s *Store) backoff(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6))))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("postgres: retry: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	leave, err := s.enterTx(ctx)
	if err != nil {
		return err
	}
	defer leave()
	c, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	tx, err := c.Begin(ctx)
	if err != nil {
		return wrap("postgres: begin", err)
	}
	finished := false
	defer func() {
		if finished {
			return
		}
		// Roll back even when ctx is done, and on panics. If it fails,
		// the connection is broken, and Release drops it.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.acquireTimeout)
		defer cancel()
		if err := tx.Rollback(rctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
			s.logger.Debug("rollback failed", "error", err)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	finished = true
	if err := tx.Commit(ctx); err != nil {
		return wrap("postgres: commit", err)
	}
	return nil
}

// enterTx takes one of the transaction slots, waiting at most the acquire
// timeout; the returned function gives it back.
func (s *Store) enterTx(ctx context.Context) (func(), error) {
	leave := func() { <-s.txSlots }
	select {
	case s.txSlots <- struct{}{}:
		return leave, nil
	default:
	}
	t := time.NewTimer(s.acquireTimeout)
	defer t.Stop()
	select {
	case s.txSlots <- struct{}{}:
		return leave, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("postgres: begin: %w", ctx.Err())
	case <-t.C:
		return nil, unavailable("postgres: begin", fmt.Errorf("no transaction slot free within %s", s.acquireTimeout))
	}
}

// acquire takes a connection of the pool, waiting at most the acquire
// timeout.
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, s.acquireTimeout)
	defer cancel()
	c, err := s.pool.Acquire(actx)
	switch {
	case err == nil:
		return c, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("postgres: acquire connection: %w", ctx.Err())
	case actx.Err() != nil:
		return nil, unavailable("postgres: acquire connection",
			fmt.Errorf("no connection within %s: %w", s.acquireTimeout, err))
	}
	// The caller still waits: the pool could not open a connection.
	return nil, unavailable("postgres: acquire connection", err)
}

// querier is what pool connections and transactions (and savepoints) have
// in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// conn is where statements run: a pool connection, a transaction or a
// savepoint. It cleans the strings it binds (see clean).
type conn struct{ q querier }

func (c conn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return c.q.Exec(ctx, sql, cleanArgs(args)...)
}

func (c conn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return c.q.Query(ctx, sql, cleanArgs(args)...)
}

func (c conn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return c.q.QueryRow(ctx, sql, cleanArgs(args)...)
}

func (c conn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	for _, q := range b.QueuedQueries {
		q.Arguments = cleanArgs(q.Arguments)
	}
	return c.q.SendBatch(ctx, b)
}

// cleanArgs applies clean to string arguments and string lists, copying
// only what changes.
func cleanArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if c := clean(v); c != v {
				args[i] = c
			}
		case []string:
			for j, s := range v {
				if c := clean(s); c != s {
					cp := append([]string(nil), v...)
					for k := j; k < len(cp); k++ {
						cp[k] = clean(cp[k])
					}
					args[i] = cp
					break
				}
			}
		}
	}
	return args
}

// with runs fn on the transaction s is bound to, or on a connection of the
// pool. Reads and single-statement writes, which are atomic by themselves,
// go through it; outside a transaction, a statement that PostgreSQL aborts
// for a deadlock runs again, as a transaction would.
func (s *Store) with(ctx context.Context, fn func(c conn) error) error {
	if s.tx != nil {
		return fn(conn{s.tx})
	}
	for attempt := 1; ; attempt++ {
		err := s.withConn(ctx, fn)
		if err == nil || !isRetryable(err) || ctx.Err() != nil || attempt == maxTxAttempts {
			return err
		}
		if err := s.backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

func (s *Store) withConn(ctx context.Context, fn func(c conn) error) error {
	c, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	return fn(conn{c})
}

// unit runs fn's statements as one all-or-nothing unit: in a transaction of
// their own, or, on a Store bound to a transaction, in a savepoint, so that a
// statement that fails (a unique violation) undoes the unit alone and leaves
// the transaction usable, as a failed statement does in SQLite.
func (s *Store) unit(ctx context.Context, fn func(c conn) error) error {
	if s.tx == nil {
		return s.runTx(ctx, func(tx pgx.Tx) error { return fn(conn{tx}) })
	}
	sp, err := s.tx.Begin(ctx)
	if err != nil {
		return wrap("postgres: savepoint", err)
	}
	if err := fn(conn{sp}); err != nil {
		if rbErr := sp.Rollback(ctx); rbErr != nil {
			// The transaction is broken; its commit will fail.
			s.logger.Debug("rollback to savepoint failed", "error", rbErr)
		}
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		return wrap("postgres: release savepoint", err)
	}
	return nil
}

// exec runs one statement that cannot fail on a constraint.
func (s *Store) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := s.with(ctx, func(c conn) error {
		var err error
		tag, err = c.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// snapshot sends the queries of b on one snapshot, in one round trip: in
// the transaction s is bound to, or in a read-only REPEATABLE READ one.
// Listings use it, so that a page and its total agree.
func (s *Store) snapshot(ctx context.Context, b *pgx.Batch) error {
	return s.with(ctx, func(c conn) error {
		if s.tx == nil {
			full := &pgx.Batch{}
			full.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
			full.QueuedQueries = append(full.QueuedQueries, b.QueuedQueries...)
			full.Queue(`COMMIT`)
			b = full
		}
		// On an error the connection is left inside the transaction, and
		// the pool drops it on release.
		return c.SendBatch(ctx, b).Close()
	})
}

// lock returns the locking clause for single-row reads: on a Store bound to
// a transaction they lock the row for its remainder (see the package
// documentation). of names the table when the query joins several.
func (s *Store) lock(of string) string {
	if s.tx == nil {
		return ""
	}
	if of != "" {
		return " FOR NO KEY UPDATE OF " + of
	}
	return " FOR NO KEY UPDATE"
}
