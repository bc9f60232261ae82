package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
)

// committer runs every write of a Store on its one write connection, and
// commits them in groups.
//
// One transaction function runs at a time (the turn, mu). When it ends and
// other writers are queued, the SQLite transaction stays open and the next
// function runs in it; the last of the group commits for all. Each function
// but the first runs inside a savepoint, so one that fails undoes only its
// own writes. A caller returns only once the commit that holds its writes is
// done (or failed, and then it gets the error), so what WithTx promises is
// unchanged. What grouping saves is a WAL commit and a full-text index flush
// per transaction, which are most of the cost of posting a message.
type committer struct {
	db     *sql.DB // one connection
	cache  *stmtCache
	logger *slog.Logger
	// checkpointed is called after each commit (checkpointer.committed).
	checkpointed func()

	mu     sync.Mutex   // the turn; guards open
	queued atomic.Int32 // writers waiting for the turn
	open   *group       // the open transaction, if any
}

// maxGroup bounds how many functions share one commit, so that readers see
// new writes within a few milliseconds even under a steady stream of them.
const maxGroup = 64

// group is one SQLite transaction shared by several functions.
type group struct {
	tx     *sql.Tx
	size   int
	broken error         // set when the transaction itself failed
	done   chan struct{} // closed after commit or rollback
	err    error         // the commit's outcome, for every member
}

// run runs fn in a write transaction and returns once its writes are
// committed: fn's error, or the commit's.
func (w *committer) run(ctx context.Context, fn func(q querier) error) error {
	w.queued.Add(1)
	// The turn is taken without regard to ctx: a queued writer must come
	// through, since the one before it may have left the transaction open
	// for it. It then gives up right away if ctx is done.
	w.mu.Lock()
	w.queued.Add(-1)
	if err := ctx.Err(); err != nil {
		w.release()
		return err
	}
	g, err := w.current()
	if err != nil {
		w.release()
		return err
	}
	if err := w.member(ctx, g, fn); err != nil {
		return err
	}
	w.release()
	<-g.done
	return g.err
}

// current returns the open group, or begins one. The transaction is not tied
// to any caller's context: it outlives the callers that join it.
func (w *committer) current() (*group, error) {
	if w.open != nil {
		return w.open, nil
	}
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, unavailable("sqlite: begin", err)
	}
	w.open = &group{tx: tx, done: make(chan struct{})}
	return w.open, nil
}

// member runs fn as the next member of g. When fn fails or panics, its
// writes are undone and the turn is released before member returns (or the
// panic goes on); when it succeeds, the caller still holds the turn.
//
// The first member needs no savepoint: if it fails, nobody else is in the
// transaction yet, and the whole of it is rolled back. Uncontended writes
// thus cost no more statements than a plain transaction.
func (w *committer) member(ctx context.Context, g *group, fn func(q querier) error) (err error) {
	bg, q := context.Background(), txQuerier{g.tx, w.cache}
	first := g.size == 0
	if !first {
		if _, err := q.ExecContext(bg, `SAVEPOINT member`); err != nil {
			g.fail(fmt.Errorf("sqlite: savepoint: %w", err))
			w.release()
			return g.broken
		}
	}
	g.size++
	returned := false
	defer func() {
		if !returned {
			// fn panicked or called runtime.Goexit.
			w.undo(g, first, errAbandoned)
			w.release()
		}
	}()
	err = fn(q)
	returned = true
	if err != nil {
		w.undo(g, first, err)
		w.release()
		return err
	}
	if !first {
		if _, err := q.ExecContext(bg, `RELEASE member`); err != nil {
			g.fail(fmt.Errorf("sqlite: release savepoint: %w", err))
			w.release()
			return g.broken
		}
	}
	return nil
}

// errAbandoned ends a transaction whose only function panicked.
var errAbandoned = errors.New("sqlite: transaction function panicked")

// undo undoes the current member's writes: its savepoint, or the whole
// transaction when it is the first member (release then rolls it back).
func (w *committer) undo(g *group, first bool, cause error) {
	if first {
		g.fail(cause)
		return
	}
	bg, q := context.Background(), txQuerier{g.tx, w.cache}
	if _, err := q.ExecContext(bg, `ROLLBACK TO member`); err != nil {
		g.fail(fmt.Errorf("sqlite: rollback to savepoint: %w", err))
		return
	}
	if _, err := q.ExecContext(bg, `RELEASE member`); err != nil {
		g.fail(fmt.Errorf("sqlite: release savepoint: %w", err))
	}
}

func (g *group) fail(err error) {
	if g.broken == nil {
		g.broken = err
	}
}

// release ends a turn. It commits the open group unless a queued writer
// will join it (and it has room), then hands the turn on.
func (w *committer) release() {
	g := w.open
	if g != nil && g.broken == nil && g.size < maxGroup && w.queued.Load() == 0 {
		// Writers that just returned from the last group are usually
		// about to call again: let them run and queue before committing
		// without them. With nothing else runnable this returns at once.
		runtime.Gosched()
	}
	if g != nil && (g.broken != nil || g.size >= maxGroup || w.queued.Load() == 0) {
		w.open = nil
		if g.broken != nil {
			if err := g.tx.Rollback(); err != nil {
				w.logger.Error("sqlite rollback failed", "error", err)
			}
			g.err = g.broken
		} else if err := g.tx.Commit(); err != nil {
			g.err = unavailable("sqlite: commit", err)
		} else if w.checkpointed != nil {
			w.checkpointed()
		}
		close(g.done)
		// The connection is free and the turn is ours: the one moment the
		// statements the group missed can be prepared.
		w.cache.prepareWanted(context.Background())
	}
	w.mu.Unlock()
}

// txQuerier runs statements in a group's transaction, prepared when the
// writer's cache has them. A cancelled context stops the next statement, but
// never interrupts one that runs: SQLite rolls back the whole transaction on
// an interrupt, and it holds other callers' writes too.
type txQuerier struct {
	tx    *sql.Tx
	cache *stmtCache
}

func (q txQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	if st := q.cache.cached(query); st != nil {
		return q.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	if st := q.cache.cached(query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext reports a cancelled context through the row's Scan, as
// database/sql does.
func (q txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if ctx.Err() != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	ctx = context.WithoutCancel(ctx)
	if st := q.cache.cached(query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, query, args...)
}
