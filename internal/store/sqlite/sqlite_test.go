package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
	"github.com/liftoff-chat/liftoff/internal/store/storetest"
)

func openTemp(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "liftoff.db"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) chat.Store { return openTemp(t) })
}

func TestOpenRejectsMemory(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file::memory:?cache=shared"} {
		if _, err := sqlite.Open(t.Context(), path, nil); !chat.IsKind(err, chat.EInvalid) {
			t.Errorf("Open(%q) = %v, want an EInvalid error", path, err)
		}
	}
}

// TestOpenOddPath: the path is a file name, taken literally.
func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with space", "100% sure ünïcode.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(t.Context(), &chat.User{ID: "u1", Username: "odd"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
}

// TestMigrateRefusesNewerSchema: a database written by a newer Liftoff is
// not opened by an older one.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "liftoff.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := sqlite.Open(t.Context(), path, nil); err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
}

// TestCheckpoint: the WAL is copied into the database file in the background
// while the store is open, and nothing is left in it after Close.
func TestCheckpoint(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "liftoff.db")
	s, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	before := size(path)
	if err := s.CreateRoom(ctx, &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "general"}); err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		m := &chat.Message{ID: fmt.Sprint("m", i), RoomID: "r1", Text: strings.Repeat("text ", 50), TS: time.UnixMilli(int64(i + 1))}
		if err := s.InsertMessage(ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for size(path) <= before+100_000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d): no checkpoint", size(path), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := size(path + "-wal"); n != 0 {
		t.Fatalf("WAL left with %d bytes after Close", n)
	}
}

// TestReopen: migrations apply once; a reopened file keeps its data.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "liftoff.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(t.Context(), &chat.User{ID: "u1", Username: "kept"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if _, err := s.UserByUsername(t.Context(), "KEPT"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

// TestBackup: VACUUM INTO copies a consistent database while writers keep
// writing, and the copy opens as a store.
func TestBackup(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	if err := s.CreateRoom(ctx, &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "general"}); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		m := &chat.Message{ID: fmt.Sprint("m", i), RoomID: "r1", Text: fmt.Sprintf("searchable word%d", i), TS: time.UnixMilli(int64(i + 1))}
		if err := s.InsertMessage(ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
	// Keep writing during the backup.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			m := &chat.Message{ID: fmt.Sprint("late", i), RoomID: "r1", Text: "late", TS: time.UnixMilli(int64(1000 + i))}
			if err := s.InsertMessage(ctx, m, true); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dest); err == nil {
		t.Fatal("a backup over an existing file succeeded")
	}

	b, err := sqlite.Open(ctx, dest, nil)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	r, err := b.RoomByID(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	n, err := b.CountMessages(ctx, chat.MessageFilter{RoomID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if n < 200 || int64(n) != r.Seq || n != r.Msgs {
		t.Fatalf("backup is inconsistent: %d messages, room seq %d msgs %d", n, r.Seq, r.Msgs)
	}
	// The full-text index survived the copy.
	found, _, err := b.ListMessages(ctx, chat.MessageFilter{RoomID: "r1", Text: "word150"})
	if err != nil || len(found) != 1 || found[0].ID != "m150" {
		t.Fatalf("search in backup: %v %v", msgIDs(found), err)
	}
}

func msgIDs(ms []chat.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// TestTxSerializes: transactions run one at a time (BEGIN IMMEDIATE on the
// single writer), so a read-modify-write inside WithTx never loses an
// update. The contract does not promise this for every backend; the SQLite
// store does.
func TestTxSerializes(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	if err := s.CreateRoom(ctx, &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "general"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
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
					return tx.UpdateRoom(ctx, r)
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
	if err != nil {
		t.Fatal(err)
	}
	if r.UsersCount != 160 {
		t.Fatalf("usersCount = %d, want 160", r.UsersCount)
	}
}

// BenchmarkInsertMessage posts into one room from 8 goroutines, each post in
// its own transaction as the core does it. The member count must not
// matter: posting writes nothing per member.
func BenchmarkInsertMessage(b *testing.B) {
	for _, members := range []int{10, 5000} {
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			ctx := context.Background()
			s := openTemp(b)
			if err := s.CreateRoom(ctx, &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "general"}); err != nil {
				b.Fatal(err)
			}
			err := s.WithTx(ctx, func(tx chat.Store) error {
				for i := range members {
					uid := fmt.Sprintf("user%05d", i)
					if err := tx.CreateSubscription(ctx, &chat.Subscription{ID: "s" + uid, RoomID: "r1",
						User: chat.UserRef{ID: uid, Username: uid}, Open: true}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(max(1, (8+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
			b.ResetTimer()
			start := time.Now()
			cpu0, cpuOK := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					m := &chat.Message{
						ID: fmt.Sprintf("m%016d", i), RoomID: "r1", User: chat.UserRef{ID: "user00001", Username: "user00001"},
						Text: fmt.Sprintf("message number %d about the release, ping @user00002", i),
						TS:   time.UnixMilli(1_700_000_000_000 + i), UpdatedAt: time.UnixMilli(1_700_000_000_000 + i),
						Mentions: []chat.Mention{{ID: "user00002", Username: "user00002", Type: "user"}},
					}
					if err := s.WithTx(ctx, func(tx chat.Store) error { return tx.InsertMessage(ctx, m, true) }); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "inserts/s")
			if cpu1, ok := cpuTime(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/float64(time.Microsecond), "cpu-µs/op")
			}
		})
	}
}

// history is the 100,000-message room of BenchmarkHistoryPage, built once
// per process because building it takes seconds.
var history struct {
	once sync.Once
	dir  string
	s    *sqlite.Store
	err  error
}

const historySize = 100_000

func historyStore(b *testing.B) *sqlite.Store {
	history.once.Do(func() {
		ctx := context.Background()
		history.dir, history.err = os.MkdirTemp("", "liftoff-bench-")
		if history.err != nil {
			return
		}
		history.s, history.err = sqlite.Open(ctx, filepath.Join(history.dir, "history.db"), nil)
		if history.err != nil {
			return
		}
		s := history.s
		if history.err = s.CreateRoom(ctx, &chat.Room{ID: "r1", Type: chat.RoomChannel, Name: "general"}); history.err != nil {
			return
		}
		// A second room, so the index has to pick the right one.
		if history.err = s.CreateRoom(ctx, &chat.Room{ID: "r2", Type: chat.RoomChannel, Name: "random"}); history.err != nil {
			return
		}
		const batch = 5000
		for start := 0; start < historySize; start += batch {
			history.err = s.WithTx(ctx, func(tx chat.Store) error {
				for i := start; i < start+batch; i++ {
					m := &chat.Message{
						ID: fmt.Sprintf("m%07d", i), RoomID: "r1", User: chat.UserRef{ID: fmt.Sprintf("u%d", i%50), Username: fmt.Sprintf("user%d", i%50)},
						Text: fmt.Sprintf("history message %d with a few words of text to index", i),
						TS:   time.UnixMilli(1_600_000_000_000 + int64(i)*1000),
					}
					if i%10 == 3 {
						m.TMID = fmt.Sprintf("m%07d", i-3) // a hidden thread reply
					}
					if err := tx.InsertMessage(ctx, m, m.TMID == ""); err != nil {
						return err
					}
					if i%20 == 0 {
						o := &chat.Message{ID: fmt.Sprintf("o%07d", i), RoomID: "r2", Text: "other", TS: m.TS}
						if err := tx.InsertMessage(ctx, o, true); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if history.err != nil {
				return
			}
		}
	})
	if history.err != nil {
		b.Fatal(history.err)
	}
	return history.s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if history.s != nil {
		history.s.Close()
	}
	if history.dir != "" {
		os.RemoveAll(history.dir)
	}
	os.Exit(code)
}

// BenchmarkHistoryPage fetches 50-message pages of a 100,000-message room
// before random points, as loadHistory does, and reports the latency
// percentiles. On Linux it also reports the percentiles of the CPU time
// each page took on its thread, which other load on the machine does not
// inflate the way it does wall time.
func BenchmarkHistoryPage(b *testing.B) {
	s := historyStore(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var wall, cpu []time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for b.Loop() {
		before := time.UnixMilli(1_600_000_000_000 + rng.Int64N(historySize)*1000)
		c0, cpuOK := threadCPU()
		start := time.Now()
		page, _, err := s.ListMessages(ctx, chat.MessageFilter{RoomID: "r1", Before: before, Limit: 50, HideThreads: true})
		wall = append(wall, time.Since(start))
		if c1, ok := threadCPU(); ok && cpuOK {
			cpu = append(cpu, c1-c0)
		}
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 && before.After(time.UnixMilli(1_600_000_100_000)) {
			b.Fatalf("empty page before %v", before)
		}
	}
	b.StopTimer()
	report := func(d []time.Duration, unit string) {
		if len(d) == 0 {
			return
		}
		slices.Sort(d)
		pct := func(p float64) float64 {
			return float64(d[min(len(d)-1, int(float64(len(d))*p))]) / float64(time.Millisecond)
		}
		b.ReportMetric(pct(0.50), "p50-"+unit)
		b.ReportMetric(pct(0.99), "p99-"+unit)
	}
	report(wall, "ms")
	report(cpu, "cpu-ms")
}
