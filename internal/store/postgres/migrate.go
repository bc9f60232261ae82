package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// migrations holds the schema changes, applied in the order of their
// numeric prefix. A released migration is never edited; changes ship as a
// new file (and as the same change for SQLite).
//
//go:embed migrations/*.sql
var migrations embed.FS

// loadMigrations reads the embedded migrations, ordered by version.
func loadMigrations() ([]storedoc.Migration, error) {
	all, err := storedoc.LoadMigrations(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return all, nil
}

// migrateLockKey is the first key of the advisory lock that migrations run
// under ("LFTF"); the second is a hash of the schema, so that deployments in
// separate schemas of one database do not wait for each other.
const migrateLockKey = 0x4C465446

// Migrate applies the migrations the database has not seen yet, each in its
// own transaction, and records them in schema_migrations. Open calls it; it
// is exported for the `liftoff migrate` command.
//
// Every migration transaction first takes a transaction-level advisory lock
// (pg_advisory_xact_lock), then reads the recorded versions: instances
// started together on an empty database queue on the lock, the first applies
// each migration and the others find it recorded. The lock goes with its
// transaction, on commit, rollback or a lost connection alike, so none is
// ever left to remove by hand.
//
// It refuses a database that records a version newer than this binary knows,
// because running old code on a newer schema can lose data.
func (s *Store) Migrate(ctx context.Context) error {
	if s.tx != nil {
		return errors.New("postgres: migrate called inside a transaction")
	}
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return nil
	}
	known := all[len(all)-1].Version
	for _, m := range all {
		var applied bool
		err := s.runTx(ctx, func(tx pgx.Tx) (err error) {
			applied, err = s.applyMigration(ctx, tx, m, known)
			return err
		})
		if err != nil {
			return err
		}
		if applied {
			s.logger.Info("migration applied", "store", "postgres", "version", m.Version, "name", m.Name)
		}
	}
	return nil
}

// applyMigration applies m in tx unless it is recorded, and reports
// whether it did.
func (s *Store) applyMigration(ctx context.Context, tx pgx.Tx, m storedoc.Migration, known int) (bool, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))`, migrateLockKey); err != nil {
		return false, wrap("postgres: migration lock", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    bigint PRIMARY KEY,
		applied_at bigint NOT NULL
	)`); err != nil {
		return false, wrap("postgres: create schema_migrations", err)
	}
	var newest int
	var applied bool
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0), bool_or(version = $1) IS TRUE FROM schema_migrations`,
		m.Version).Scan(&newest, &applied); err != nil {
		return false, wrap("postgres: read schema version", err)
	}
	if newest > known {
		return false, fmt.Errorf("postgres: database schema version %d is newer than this binary's %d", newest, known)
	}
	if applied {
		return false, nil
	}
	// No arguments: pgx sends the file with the simple protocol, which
	// runs several statements.
	if _, err := tx.Exec(ctx, m.Body); err != nil {
		return false, wrap("postgres: migration "+m.Name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
		m.Version, time.Now().UnixMilli()); err != nil {
		return false, wrap("postgres: record migration "+m.Name, err)
	}
	return true, nil
}
