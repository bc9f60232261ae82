package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// backup writes a consistent copy of the embedded database to dest while
// the server keeps serving: SQLite's VACUUM INTO reads one snapshot and
// does not block writers.
func backup(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("backup: want DEST (a file that does not exist yet)")
	}
	if cfg.IsPostgres() {
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump (see docs/backups.md)")
	}
	src := cfg.SQLitePath()
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: no database at %s: %w", src, err)
	}
	st, err := sqlite.Open(ctx, src, log)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, args[0]); err != nil {
		return err
	}
	info, err := os.Stat(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes in %s)\n", src, args[0], info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// restore replaces the embedded database with a backup. The server must be
// stopped: restore refuses when something answers on the configured port.
func restore(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("restore: want SRC (a file written by liftoff backup)")
	}
	if cfg.IsPostgres() {
		return errors.New("restore: the database is PostgreSQL; restore it with pg_restore (see docs/backups.md)")
	}
	if serverRunning(cfg) {
		return fmt.Errorf("restore: a server answers on port %d; stop it first", cfg.Port)
	}
	src, dst := args[0], cfg.SQLitePath()
	// Open the backup first: it must be a Liftoff database, migrated to
	// this version's schema.
	check, err := sqlite.Open(ctx, src, log)
	if err != nil {
		return fmt.Errorf("restore: %s is not a usable database: %w", src, err)
	}
	if err := check.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	// Write next to the target, then rename over it, so a failure never
	// leaves half a database; stale WAL files of the old database go.
	tmp := dst + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", dst, src)
	return nil
}

// serverRunning reports whether something accepts connections on the
// configured port on this host.
func serverRunning(cfg config.Config) bool {
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)), 500*time.Millisecond)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
