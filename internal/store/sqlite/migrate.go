package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// migrations holds the schema changes, applied in the order of their
// numeric prefix. A released migration is never edited; changes ship as a
// new file (and as the same change for PostgreSQL).
//
//go:embed migrations/*.sql
var migrations embed.FS

// loadMigrations reads the embedded migrations, ordered by version.
func loadMigrations() ([]storedoc.Migration, error) {
	all, err := storedoc.LoadMigrations(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return all, nil
}

// Migrate applies the migrations the database has not seen yet, each in its
// own transaction, and records them in schema_migrations. Open calls it; it
// is exported for the `liftoff migrate` command.
//
// It refuses a database that records a version newer than this binary
// knows, because running old code on a newer schema can lose data.
func (s *Store) Migrate(ctx context.Context) error {
	if s.tx != nil {
		return errors.New("sqlite: migrate called inside a transaction")
	}
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	var newest int
	if err := s.writer.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("sqlite: read schema version: %w", err)
	}
	if len(all) > 0 && newest > all[len(all)-1].Version {
		return fmt.Errorf("sqlite: database schema version %d is newer than this binary's %d", newest, all[len(all)-1].Version)
	}
	for _, m := range all {
		if err := s.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless it is recorded. The check runs inside the
// write transaction, so two processes opening the same file cannot both
// apply it.
func (s *Store) applyMigration(ctx context.Context, m storedoc.Migration) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return unavailable("sqlite: begin migration", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.Body); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.Version, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("sqlite: record migration %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit migration %s: %w", m.Name, err)
	}
	s.logger.Info("migration applied", "store", "sqlite", "version", m.Version, "name", m.Name)
	return nil
}

// Backup writes a consistent copy of the database to destPath with VACUUM
// INTO, while the Store keeps serving: it reads one snapshot on a
// connection of its own (the readers are query_only, which VACUUM INTO
// refuses, and the writer must stay free), so writers are not blocked.
// destPath must not exist yet. The copy is compacted and can be opened
// directly with Open.
func (s *Store) Backup(ctx context.Context, destPath string) error {
	if s.tx != nil {
		return errors.New("sqlite: backup called inside a transaction")
	}
	if destPath == "" {
		return errors.New("sqlite: backup: empty destination path")
	}
	if _, err := os.Stat(destPath); err == nil {
		return fmt.Errorf("sqlite: backup: %s already exists", destPath)
	}
	db, err := sql.Open("sqlite", s.dsn)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, destPath); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", destPath, err)
	}
	return nil
}
