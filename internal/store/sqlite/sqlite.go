package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is chat.Store on a SQLite database file.
//
// The Store returned by Open owns the connections; the Store that WithTx
// passes to its function is bound to one transaction and shares them.
type Store struct {
	// writer has exactly one connection, so that concurrent writers queue
	// in Go instead of failing with SQLITE_BUSY; w runs and groups the
	// transactions on it.
	writer *sql.DB
	w      *committer
	// reader is a pool of query_only connections; in WAL mode they read a
	// consistent snapshot while the writer works.
	reader *sql.DB
	rcache *stmtCache
	// tx is set on a Store bound to a transaction: every read and write of
	// that Store goes through it, so reads see the transaction's writes.
	tx     querier
	logger *slog.Logger
	// dsn opens a connection that may write, for Backup.
	dsn string
	cp  *checkpointer
}

var _ chat.Store = (*Store)(nil)

// busyTimeoutMS bounds how long a connection waits for a lock held by
// another process (a backup tool, the sqlite3 shell). Within one process the
// single writer connection makes such waits rare.
const busyTimeoutMS = 10000

// Open opens (creating if needed) the database file at path, applies the
// pending migrations and returns the Store. path is a file name: an
// in-memory database cannot work, because the writer and the readers are
// separate connections.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// The path is passed without "file:", so SQLite takes it literally
	// instead of as a URI that would need escaping.
	path = strings.TrimPrefix(path, "file:")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, chat.ErrInvalidParam("sqlite: a database file is required, not %q", path)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, chat.ErrInvalidParam("sqlite: the database path %q must not contain '?' or '#'", path)
	}

	common := url.Values{}
	common.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	common.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable across application crashes in WAL mode; only a power
	// loss can lose the last transactions, never corrupt the file.
	common.Add("_pragma", "synchronous(NORMAL)")
	common.Add("_pragma", "cache_size(-16000)")

	w := cloneValues(common)
	w.Add("_pragma", "journal_mode(WAL)")
	// The checkpointer copies the WAL into the database file in the
	// background; after it, a WAL that grew under load is cut back.
	w.Add("_pragma", "wal_autocheckpoint(0)")
	w.Add("_pragma", "journal_size_limit(67108864)")
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction that
	// reads before it writes cannot fail with SQLITE_BUSY when it upgrades.
	w.Set("_txlock", "immediate")
	writer, err := sql.Open("sqlite", path+"?"+w.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open writer: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)

	s := &Store{writer: writer, w: &committer{db: writer, cache: newStmtCache(writer), logger: logger}, logger: logger}
	if err := s.checkWAL(ctx); err != nil {
		writer.Close()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		writer.Close()
		return nil, err
	}
	// Let the planner gather the statistics it lacks, as SQLite advises
	// for long-lived connections; cheap when nothing changed.
	if _, err := writer.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: optimize: %w", err)
	}

	s.dsn = path + "?" + common.Encode()
	if s.cp, err = startCheckpointer(s.dsn, logger); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open checkpointer: %w", err)
	}
	s.w.checkpointed = s.cp.committed
	r := cloneValues(common)
	// query_only makes a write through the read pool an error instead of a
	// second writer racing the first.
	r.Add("_pragma", "query_only(1)")
	reader, err := sql.Open("sqlite", path+"?"+r.Encode())
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	reader.SetConnMaxLifetime(0)
	reader.SetConnMaxIdleTime(0)
	s.reader, s.rcache = reader, newStmtCache(reader)
	if err := reader.PingContext(ctx); err != nil {
		s.Close()
		return nil, unavailable("sqlite: open readers", err)
	}
	logger.Debug("sqlite store opened", "path", path, "readers", n)
	return s, nil
}

// checkWAL fails when the file could not be put in WAL mode (for example on
// a file system without shared memory), since readers would then block the
// writer.
func (s *Store) checkWAL(ctx context.Context) error {
	var mode string
	if err := s.writer.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return unavailable("sqlite: open", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("sqlite: journal mode is %q, want wal", mode)
	}
	return nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Close closes the database. Calling it on a transaction's Store is an error.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("sqlite: close called on a transaction's store")
	}
	var errs []error
	if s.reader != nil {
		s.rcache.close()
		errs = append(errs, s.reader.Close())
	}
	s.w.mu.Lock()
	s.w.cache.close()
	// Statistics for the next start, from what this run has seen.
	if _, err := s.writer.Exec(`PRAGMA optimize`); err != nil {
		s.logger.Warn("sqlite optimize failed", "error", err)
	}
	s.w.mu.Unlock()
	errs = append(errs, s.writer.Close())
	if s.cp != nil {
		// Last, so that its connection checkpoints what is left.
		errs = append(errs, s.cp.close())
	}
	return errors.Join(errs...)
}

// Ping checks that both the writer and the readers answer.
func (s *Store) Ping(ctx context.Context) error {
	if s.tx != nil {
		var one int
		if err := s.tx.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
			return unavailable("sqlite: ping", err)
		}
		return nil
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return unavailable("sqlite: ping readers", err)
	}
	if err := s.writer.PingContext(ctx); err != nil {
		return unavailable("sqlite: ping writer", err)
	}
	return nil
}

// WithTx runs fn in one transaction on the writer connection. The Store
// given to fn sees its own writes; nested calls of WithTx on it join the
// same transaction. A panic in fn rolls back its writes and goes on.
//
// Inside fn, use only tx: a write through the outer Store would wait for
// the turn that fn itself holds, forever. Transactions run one at a time,
// so a read-modify-write inside fn cannot lose a concurrent update.
func (s *Store) WithTx(ctx context.Context, fn func(tx chat.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return s.w.run(ctx, func(q querier) error {
		bound := *s
		bound.tx = q
		return fn(&bound)
	})
}

// querier is what *sql.DB, *sql.Tx and txQuerier have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rd returns where single-statement reads go: the transaction, or the
// read pool.
func (s *Store) rd() querier {
	if s.tx != nil {
		return s.tx
	}
	return cachedDB{s.reader, s.rcache}
}

// write runs fn in a write transaction: the one s is bound to, or a new one,
// committed when fn returns nil. Every write goes through here, so that
// writes queue for the writer connection in one line.
func (s *Store) write(ctx context.Context, fn func(tx querier) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	return s.w.run(ctx, fn)
}

// exec runs one write statement through write.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.write(ctx, func(tx querier) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// read runs fn on one consistent snapshot: the transaction s is bound to, or
// a read transaction on the pool. Listings use it so that a page and its
// total agree.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return unavailable("sqlite: begin read", err)
	}
	defer func() {
		_ = tx.Rollback()
		// With the connection back in the pool, prepare what the
		// transaction missed.
		s.rcache.prepareWanted(ctx)
	}()
	return fn(cachedTx{tx, s.rcache})
}
