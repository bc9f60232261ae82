package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/postgres"
	"github.com/liftoff-chat/liftoff/internal/store/storetest"
)

// serverURL returns the test server's URL, or skips: the PostgreSQL store is
// tested against a real server, which CI always provides.
func serverURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("LIFTOFF_TEST_POSTGRES_URL")
	if u == "" {
		tb.Skip("LIFTOFF_TEST_POSTGRES_URL is not set: the PostgreSQL store's tests need a server " +
			"(CI sets it, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

// withParam returns the connection string u with one more parameter.
func withParam(tb testing.TB, u, key, value string) string {
	tb.Helper()
	if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		return u + " " + key + "=" + value // keyword/value form
	}
	p, err := url.Parse(u)
	if err != nil {
		tb.Fatal(err)
	}
	q := p.Query()
	q.Set(key, value)
	p.RawQuery = q.Encode()
	return p.String()
}

// freshSchema creates an empty schema with a random name, drops it when the
// test ends, and returns the connection string that selects it.
func freshSchema(tb testing.TB) (connString, schema string) {
	tb.Helper()
	base := serverURL(tb)
	schema = newSchema(tb, base)
	tb.Cleanup(func() { admin(tb, base, `DROP SCHEMA `+schema+` CASCADE`) })
	return withParam(tb, base, "search_path", schema), schema
}

func newSchema(tb testing.TB, base string) string {
	schema := "lt_" + strings.ToLower(chat.RandomString(12))
	admin(tb, base, `CREATE SCHEMA `+schema)
	return schema
}

// admin runs one statement on a connection of its own.
func admin(tb testing.TB, connString, sql string, args ...any) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, connString)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

func pgxConnect(ctx context.Context, connString string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, connString)
}

// queryInt runs a query that returns one integer.
func queryInt(tb testing.TB, connString, sql string, args ...any) int {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, connString)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return n
}

// open opens a Store on a fresh schema, closed when the test ends.
func open(tb testing.TB, opts postgres.Options) *postgres.Store {
	tb.Helper()
	connString, _ := freshSchema(tb)
	return openAt(tb, connString, opts)
}

func openAt(tb testing.TB, connString string, opts postgres.Options) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), connString, opts, nil)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func wantKind(tb testing.TB, err error, k chat.Kind) {
	tb.Helper()
	if got := chat.ErrorKind(err); err == nil || got != k {
		tb.Fatalf("got error %v (kind %s), want kind %s", err, got, k)
	}
}

func addRoom(tb testing.TB, s chat.Store, id string) {
	tb.Helper()
	must(tb, s.CreateRoom(tb.Context(), &chat.Room{ID: id, Type: chat.RoomChannel, Name: "room-" + id}))
}

func TestStore(t *testing.T) {
	serverURL(t)
	// Generous timeouts: the suite checks behaviour, not the machine's
	// speed, and a loaded test machine may take seconds to start a
	// database connection.
	opts := postgres.Options{MaxConns: 4, ConnectTimeout: 30 * time.Second}
	storetest.Run(t, func(t *testing.T) chat.Store { return open(t, opts) })
}

// migrationVersions lists the versions of the migration files.
func migrationVersions(t *testing.T) []string {
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		v, _, _ := strings.Cut(e.Name(), "_")
		out = append(out, strings.TrimLeft(v, "0"))
	}
	return out
}

// lockedWriter collects log output from several goroutines.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestConcurrentMigrations: three instances started at the same moment on an
// empty schema all come up, the schema is migrated once, and no advisory
// lock is left behind.
func TestConcurrentMigrations(t *testing.T) {
	connString, schema := freshSchema(t)
	var logs lockedWriter
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	start := make(chan struct{})
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, 3)
	errs := make([]error, 3)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			stores[i], errs[i] = postgres.Open(t.Context(), connString, postgres.Options{MaxConns: 2}, logger)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}

	versions := migrationVersions(t)
	for _, v := range versions {
		if n := queryInt(t, connString, `SELECT count(*) FROM schema_migrations WHERE version = $1`, v); n != 1 {
			t.Errorf("migration %s recorded %d times, want once", v, n)
		}
	}
	if n := queryInt(t, connString, `SELECT count(*) FROM schema_migrations`); n != len(versions) {
		t.Errorf("%d migrations recorded, want %d", n, len(versions))
	}
	if n := strings.Count(logs.String(), "migration applied"); n != len(versions) {
		t.Errorf("migrations applied %d times by the three instances, want %d:\n%s", n, len(versions), logs.String())
	}
	if n := queryInt(t, serverURL(t), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
		AND classid = x'4C465446'::int AND objid::bigint = (hashtext($1)::bigint & 4294967295)`, schema); n != 0 {
		t.Errorf("%d advisory locks left", n)
	}
	// Every instance works on the one schema.
	for i, s := range stores {
		must(t, s.CreateUser(t.Context(), &chat.User{ID: fmt.Sprint("u", i), Username: fmt.Sprint("user", i)}))
	}
	for i := range stores {
		if _, err := stores[(i+1)%3].UserByID(t.Context(), fmt.Sprint("u", i)); err != nil {
			t.Fatalf("user of instance %d seen from another: %v", i, err)
		}
	}
}

// TestReopen: a migrated schema keeps its data, and migrating again is a
// no-op.
func TestReopen(t *testing.T) {
	connString, _ := freshSchema(t)
	s, err := postgres.Open(t.Context(), connString, postgres.Options{}, nil)
	must(t, err)
	must(t, s.CreateUser(t.Context(), &chat.User{ID: "u1", Username: "kept"}))
	must(t, s.Close())
	s = openAt(t, connString, postgres.Options{})
	must(t, s.Migrate(t.Context()))
	if _, err := s.UserByUsername(t.Context(), "KEPT"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

// TestMigrateRefusesNewerSchema: a database written by a newer Liftoff is not
// opened by an older one.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	connString, _ := freshSchema(t)
	s, err := postgres.Open(t.Context(), connString, postgres.Options{}, nil)
	must(t, err)
	s.Close()
	admin(t, connString, `INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)`)
	if s, err := postgres.Open(t.Context(), connString, postgres.Options{}, nil); err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := postgres.Open(t.Context(), "postgres://user:secret@[bad", postgres.Options{}, nil); !chat.IsKind(err, chat.EInvalid) {
		t.Errorf("bad URL: got %v, want an EInvalid error", err)
	} else if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	// Nothing listens on port 1.
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:1/x?sslmode=disable",
		postgres.Options{ConnectTimeout: time.Second}, nil)
	wantKind(t, err, chat.EUnavailable)
}

// TestFailedWritesKeepTxUsable: a write that fails inside a transaction
// fails alone, as it does with SQLite, and the transaction goes on.
func TestFailedWritesKeepTxUsable(t *testing.T) {
	s := open(t, postgres.Options{})
	ctx := t.Context()
	addRoom(t, s, "r1")
	must(t, s.CreateUser(ctx, &chat.User{ID: "u0", Username: "zed"}))
	must(t, s.CreateSubscription(ctx, &chat.Subscription{ID: "s1", RoomID: "r1", User: chat.UserRef{ID: "u0"}}))
	must(t, s.InsertMessage(ctx, &chat.Message{ID: "m1", RoomID: "r1", Text: "hi", TS: time.UnixMilli(1)}, true))
	must(t, s.CreateTeam(ctx, &chat.Team{ID: "T1", Name: "team"}))

	err := s.WithTx(ctx, func(tx chat.Store) error {
		must(t, tx.CreateUser(ctx, &chat.User{ID: "u1", Username: "ann"}))
		wantKind(t, tx.CreateUser(ctx, &chat.User{ID: "u2", Username: "ZED"}), chat.EConflict)
		wantKind(t, tx.UpdateUser(ctx, &chat.User{ID: "u1", Username: "zed"}), chat.EConflict)
		wantKind(t, tx.CreateSubscription(ctx, &chat.Subscription{ID: "s2", RoomID: "r1", User: chat.UserRef{ID: "u0"}}), chat.EConflict)
		wantKind(t, tx.CreateSubscription(ctx, &chat.Subscription{ID: "s3", RoomID: "nope", User: chat.UserRef{ID: "u0"}}), chat.ENotFound)
		wantKind(t, tx.InsertMessage(ctx, &chat.Message{ID: "m1", RoomID: "r1", TS: time.UnixMilli(2)}, true), chat.EConflict)
		wantKind(t, tx.InsertMessage(ctx, &chat.Message{ID: "m2", RoomID: "nope", TS: time.UnixMilli(2)}, true), chat.ENotFound)
		wantKind(t, tx.CreateRoom(ctx, &chat.Room{ID: "r2", Type: chat.RoomChannel, Name: "room-r1"}), chat.EConflict)
		wantKind(t, tx.CreateTeam(ctx, &chat.Team{ID: "T2", Name: "team"}), chat.EConflict)
		wantKind(t, tx.AddTeamMember(ctx, &chat.TeamMember{TeamID: "nope", User: chat.UserRef{ID: "u0"}}), chat.ENotFound)
		wantKind(t, tx.AddToken(ctx, &chat.Token{Hash: "h", UserID: "nobody"}), chat.ENotFound)
		wantKind(t, tx.StarMessage(ctx, "nope", "u0"), chat.ENotFound)
		wantKind(t, tx.SetThreadRead(ctx, "nope", "u0", time.UnixMilli(3)), chat.ENotFound)
		// The transaction is still usable.
		must(t, tx.CreateUser(ctx, &chat.User{ID: "u3", Username: "bea"}))
		return tx.InsertMessage(ctx, &chat.Message{ID: "m3", RoomID: "r1", Text: "after", TS: time.UnixMilli(4)}, true)
	})
	must(t, err)
	for _, id := range []string{"u1", "u3"} {
		if _, err := s.UserByID(ctx, id); err != nil {
			t.Errorf("user %s: %v", id, err)
		}
	}
	_, err = s.UserByID(ctx, "u2")
	wantKind(t, err, chat.ENotFound)
	r, err := s.RoomByID(ctx, "r1")
	must(t, err)
	if r.Seq != 2 || r.LastMessage == nil || r.LastMessage.ID != "m3" {
		t.Fatalf("room after the transaction: seq %d, last %+v", r.Seq, r.LastMessage)
	}
}

// TestTxSerializesReadModifyWrite: a row read inside WithTx stays locked
// until the transaction ends, so concurrent read-modify-write cycles lose no
// update, as they do not with SQLite's one writer.
func TestTxSerializesReadModifyWrite(t *testing.T) {
	s := open(t, postgres.Options{MaxConns: 8})
	ctx := t.Context()
	addRoom(t, s, "r1")
	must(t, s.InsertMessage(ctx, &chat.Message{ID: "root", RoomID: "r1", TS: time.UnixMilli(1)}, true))
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				err := s.WithTx(ctx, func(tx chat.Store) error {
					r, err := tx.RoomByID(ctx, "r1")
					if err != nil {
						return err
					}
					r.UsersCount++
					if err := tx.UpdateRoom(ctx, r); err != nil {
						return err
					}
					// A thread counter, as a reply bumps it.
					m, err := tx.MessageByID(ctx, "root")
					if err != nil {
						return err
					}
					m.TCount++
					m.Replies = append(m.Replies, fmt.Sprint("u", w))
					return tx.UpdateMessage(ctx, m)
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r, err := s.RoomByID(ctx, "r1")
	must(t, err)
	if r.UsersCount != 160 {
		t.Errorf("usersCount = %d, want 160", r.UsersCount)
	}
	m, err := s.MessageByID(ctx, "root")
	must(t, err)
	if m.TCount != 160 || len(m.Replies) != 160 {
		t.Errorf("tcount = %d, replies = %d, want 160", m.TCount, len(m.Replies))
	}
}

// TestCountDecisionsSerialise: transactions that decide on a count of users
// (the first to register becomes an administrator) see each other's
// users, so exactly one becomes the first.
func TestCountDecisionsSerialise(t *testing.T) {
	s := open(t, postgres.Options{MaxConns: 8})
	ctx := t.Context()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.WithTx(ctx, func(tx chat.Store) error {
				u := &chat.User{ID: fmt.Sprint("u", i), Username: fmt.Sprint("user", i), Roles: []string{"user"}}
				n, err := tx.CountUsers(ctx, chat.UserFilter{Role: "admin"})
				if err != nil {
					return err
				}
				if n == 0 {
					u.Roles = append(u.Roles, "admin")
				}
				return tx.CreateUser(ctx, u)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n, err := s.CountUsers(ctx, chat.UserFilter{Role: "admin"})
	must(t, err)
	if n != 1 {
		t.Fatalf("%d first users, want 1", n)
	}
}

// TestDeadlockRetried: two transactions that lock two rows in opposite
// orders deadlock; PostgreSQL aborts one, and WithTx runs it again.
func TestDeadlockRetried(t *testing.T) {
	s := open(t, postgres.Options{})
	ctx := t.Context()
	addRoom(t, s, "r1")
	addRoom(t, s, "r2")
	var attempts atomic.Int32
	aLocked, bLocked := make(chan struct{}), make(chan struct{})
	var aOnce, bOnce sync.Once
	bump := func(first, second string, mine chan struct{}, once *sync.Once, other chan struct{}) error {
		// However this ends, the other transaction must not wait for
		// this one forever.
		defer once.Do(func() { close(mine) })
		return s.WithTx(ctx, func(tx chat.Store) error {
			attempts.Add(1)
			r1, err := tx.RoomByID(ctx, first)
			if err != nil {
				return err
			}
			once.Do(func() { close(mine) })
			// Both hold their first row; on a re-run, no wait.
			select {
			case <-other:
			case <-time.After(30 * time.Second):
				return errors.New("the other transaction never took its first row")
			}
			r2, err := tx.RoomByID(ctx, second)
			if err != nil {
				return err
			}
			r1.UsersCount++
			r2.UsersCount++
			if err := tx.UpdateRoom(ctx, r1); err != nil {
				return err
			}
			return tx.UpdateRoom(ctx, r2)
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- bump("r1", "r2", aLocked, &aOnce, bLocked) }()
	go func() { errs <- bump("r2", "r1", bLocked, &bOnce, aLocked) }()
	for range 2 {
		must(t, <-errs)
	}
	if n := attempts.Load(); n < 3 {
		t.Errorf("%d runs, want a deadlock and a re-run", n)
	}
	for _, id := range []string{"r1", "r2"} {
		r, err := s.RoomByID(ctx, id)
		must(t, err)
		if r.UsersCount != 2 {
			t.Errorf("%s: usersCount = %d, want 2", id, r.UsersCount)
		}
	}
}

// TestBusyPool: with every transaction slot taken, a new transaction fails
// with EUnavailable after the acquire timeout instead of hanging; a read
// through the outer Store inside a transaction still gets a connection.
func TestBusyPool(t *testing.T) {
	s := open(t, postgres.Options{MaxConns: 2, AcquireTimeout: 300 * time.Millisecond})
	ctx := t.Context()
	addRoom(t, s, "r1")
	inTx, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	// The transaction holds a connection until released, and closing the
	// store waits for it: release it however the test ends.
	t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })
	done := make(chan error, 1)
	go func() {
		done <- s.WithTx(ctx, func(tx chat.Store) error {
			if _, err := s.RoomByID(ctx, "r1"); err != nil {
				return fmt.Errorf("read through the outer store: %w", err)
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	select {
	case <-inTx:
	case err := <-done:
		t.Fatalf("transaction ended early: %v", err)
	}
	start := time.Now()
	err := s.WithTx(ctx, func(tx chat.Store) error { return nil })
	wantKind(t, err, chat.EUnavailable)
	if d := time.Since(start); d < 250*time.Millisecond || d > 10*time.Second {
		t.Errorf("failed after %s, want about the acquire timeout", d)
	}
	releaseOnce.Do(func() { close(release) })
	must(t, <-done)
	must(t, s.WithTx(ctx, func(tx chat.Store) error { return tx.IncrementRoomUsers(ctx, "r1", 1) }))
}

// TestUnusualText: text PostgreSQL cannot store (NUL, invalid UTF-8), which
// SQLite takes, is stored with U+FFFD in its place instead of failing.
func TestUnusualText(t *testing.T) {
	s := open(t, postgres.Options{})
	ctx := t.Context()
	addRoom(t, s, "r1")
	m := &chat.Message{ID: "m1", RoomID: "r1", Text: "nul\x00here bad\xffbyte", TS: time.UnixMilli(1),
		CustomFields: map[string]any{"k": "x\x00y", "literal": `\u0000`}}
	must(t, s.InsertMessage(ctx, m, true))
	got, err := s.MessageByID(ctx, "m1")
	must(t, err)
	if got.Text != "nul\uFFFDhere bad\uFFFDbyte" {
		t.Errorf("text = %q", got.Text)
	}
	if got.CustomFields["k"] != "x\uFFFDy" || got.CustomFields["literal"] != `\u0000` {
		t.Errorf("custom fields = %q", got.CustomFields)
	}
	found, _, err := s.ListMessages(ctx, chat.MessageFilter{RoomID: "r1", Text: "here"})
	must(t, err)
	if len(found) != 1 {
		t.Errorf("search found %d messages", len(found))
	}
	must(t, s.CreateUser(ctx, &chat.User{ID: "u1", Username: "nul\x00user", Name: "N\x00"}))
	if _, err := s.UserByUsername(ctx, "nul\x00user"); err != nil {
		t.Errorf("lookup by the same name: %v", err)
	}
}
