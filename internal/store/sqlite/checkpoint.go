package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// checkpointEvery is the least time between two checkpoints. Writes in
// between only grow the WAL, which readers find pages in as fast as in the
// database file.
const checkpointEvery = 250 * time.Millisecond

// checkpointer copies the WAL back into the database file on a connection
// of its own, after commits, at most every checkpointEvery.
//
// SQLite would otherwise checkpoint inside the commit that crosses
// wal_autocheckpoint pages, and a checkpoint syncs the WAL and the database
// file to disk: milliseconds, during which every writer waits. In the
// background it costs writers nothing, and PASSIVE mode never blocks them
// or the readers.
type checkpointer struct {
	db     *sql.DB
	logger *slog.Logger
	kick   chan struct{} // a commit happened; capacity 1
	stop   context.CancelFunc
	done   chan struct{}
}

func startCheckpointer(dsn string, logger *slog.Logger) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: db, logger: logger, kick: make(chan struct{}, 1), stop: stop, done: make(chan struct{})}
	go c.loop(ctx)
	return c, nil
}

// committed tells the checkpointer that there is something to copy. It
// never blocks.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		}
		var busy, logPages, done int
		err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &done)
		if err != nil && ctx.Err() == nil {
			c.logger.Warn("sqlite checkpoint failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// close stops the loop; the last connection to close checkpoints what is
// left.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return c.db.Close()
}
