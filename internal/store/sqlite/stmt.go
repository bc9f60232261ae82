package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds each statement cache. Statements are keyed by their
// text, and listings build theirs from the filter, so the set is finite but
// can be large; past the bound statements are simply prepared each time.
const maxCachedStmts = 256

// stmtCache keeps prepared statements by query text, so that a statement
// run again skips SQLite's parser and planner, which cost about a fifth of
// a small write. The statements belong to db, which prepares them on each
// of its connections as they are used.
//
// Preparing takes a connection of db, so it must never happen while the
// caller holds one: a transaction on the single writer connection, or read
// transactions holding every reader, would wait for themselves. Inside
// transactions the cache is therefore only looked up, and misses are noted
// and prepared later by a caller that holds no connection. mu is never held
// while preparing, for the same reason.
type stmtCache struct {
	db     *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// cached returns the statement for query, or nil after noting that it is
// wanted.
func (c *stmtCache) cached(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[query]
	if !ok && len(c.m)+len(c.wanted) < maxCachedStmts {
		c.wanted[query] = true
	}
	return st
}

// get returns the statement for query, preparing it (and any other wanted
// ones) if needed; nil means "run it unprepared". The caller must hold no
// connection of db.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if st := c.cached(query); st != nil {
		return st
	}
	c.prepareWanted(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepareWanted prepares the statements that lookups missed. The caller must
// hold no connection of db.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range queries {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			// Run unprepared, the query reports its error then.
			continue
		}
		c.mu.Lock()
		if _, dup := c.m[q]; dup || len(c.m) >= maxCachedStmts {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// cachedDB runs statements on a pool through its cache.
type cachedDB struct {
	db    *sql.DB
	cache *stmtCache
}

func (d cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := d.cache.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return d.db.ExecContext(ctx, query, args...)
}

func (d cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.db.QueryContext(ctx, query, args...)
}

func (d cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.db.QueryRowContext(ctx, query, args...)
}

// cachedTx runs statements in a transaction through the cache of its pool,
// without preparing (see stmtCache).
type cachedTx struct {
	tx    *sql.Tx
	cache *stmtCache
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cache.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.cache.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cache.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
