package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// migrations holds the schema changes, applied in the order of their
// numeric prefix. A released migration is never edited; changes ship as a
// new file (and as the same change for SQLite).
//
//go:embed migrations/*.sql
var migrations embed.FS

// migration is one embedded schema change.
type migration struct {
	version int
	name    string
	body    string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: read migrations: %w", err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		prefix, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %q: name must start with a positive number and '_'", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("postgres: migrations %q and %q share version %d", other, name, v)
		}
		seen[v] = name
		body, err := migrations.ReadFile("migrations/" + name)
		if err != nil {
			return nil, fmt.Errorf("postgres: read migration %q: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, body: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
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
	known := all[len(all)-1].version
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
			s.logger.Info("migration applied", "store", "postgres", "version", m.version, "name", m.name)
		}
	}
	return nil
}

// applyMigration applies m in tx unless it is recorded, and reports
// whether it did.
func (s *Store) applyMigration(ctx context.Context, tx pgx.Tx, m migration, known int) (bool, error) {
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
		m.version).Scan(&newest, &applied); err != nil {
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
	if _, err := tx.Exec(ctx, m.body); err != nil {
		return false, wrap("postgres: migration "+m.name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
		m.version, time.Now().UnixMilli()); err != nil {
		return false, wrap("postgres: record migration "+m.name, err)
	}
	return true, nil
}
