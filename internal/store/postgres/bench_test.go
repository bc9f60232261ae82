package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/postgres"
)

// The benchmarks mirror the SQLite store's, so that the two can be read side
// by side (docs/benchmarks.md). The database server runs on the same
// machine and shares its cores with the benchmark.

// BenchmarkInsertMessage posts into one room from 8 goroutines, each post in
// its own transaction as the core does it. The member count must not
// matter: posting writes nothing per member.
func BenchmarkInsertMessage(b *testing.B) {
	for _, members := range []int{10, 5000} {
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			ctx := context.Background()
			s := open(b, postgres.Options{MaxConns: 16})
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
		})
	}
}

// BenchmarkInsertMessageRooms posts from 8 goroutines as
// BenchmarkInsertMessage does, each into a room of its own: posts to
// different rooms do not wait for each other, and their commits are
// grouped.
func BenchmarkInsertMessageRooms(b *testing.B) {
	ctx := context.Background()
	s := open(b, postgres.Options{MaxConns: 16})
	const rooms = 8
	for r := range rooms {
		if err := s.CreateRoom(ctx, &chat.Room{ID: fmt.Sprint("r", r), Type: chat.RoomChannel, Name: fmt.Sprint("room", r)}); err != nil {
			b.Fatal(err)
		}
	}
	var n, room atomic.Int64
	b.SetParallelism(max(1, (rooms+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		rid := fmt.Sprint("r", room.Add(1)%rooms)
		for pb.Next() {
			i := n.Add(1)
			m := &chat.Message{
				ID: fmt.Sprintf("m%016d", i), RoomID: rid, User: chat.UserRef{ID: "user00001", Username: "user00001"},
				Text: fmt.Sprintf("message number %d about the release", i),
				TS:   time.UnixMilli(1_700_000_000_000 + i), UpdatedAt: time.UnixMilli(1_700_000_000_000 + i),
			}
			if err := s.WithTx(ctx, func(tx chat.Store) error { return tx.InsertMessage(ctx, m, true) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "inserts/s")
}

// history is the 100,000-message room of BenchmarkHistoryPage, built once
// per process in a schema of its own, because building it takes a while.
var history struct {
	once   sync.Once
	base   string
	schema string
	s      *postgres.Store
	err    error
}

const historySize = 100_000

func historyStore(b *testing.B) *postgres.Store {
	base := serverURL(b)
	history.once.Do(func() {
		ctx := context.Background()
		history.base = base
		history.schema = newSchema(b, base)
		history.s, history.err = postgres.Open(ctx, withParam(b, base, "search_path", history.schema), postgres.Options{}, nil)
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
		// What autovacuum would do in a while: statistics for the planner
		// and the visibility map for index-only counts.
		admin(b, withParam(b, base, "search_path", history.schema), `VACUUM ANALYZE messages`)
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
	if history.schema != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if c, err := pgxConnect(ctx, history.base); err == nil {
			c.Exec(ctx, `DROP SCHEMA `+history.schema+` CASCADE`)
			c.Close(ctx)
		}
		cancel()
	}
	os.Exit(code)
}

// BenchmarkHistoryPage fetches 50-message pages of a 100,000-message room
// before random points, as loadHistory does, and reports the latency
// percentiles (wall time, the database's work included).
func BenchmarkHistoryPage(b *testing.B) {
	s := historyStore(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var wall []time.Duration
	for b.Loop() {
		before := time.UnixMilli(1_600_000_000_000 + rng.Int64N(historySize)*1000)
		start := time.Now()
		page, _, err := s.ListMessages(ctx, chat.MessageFilter{RoomID: "r1", Before: before, Limit: 50, HideThreads: true})
		wall = append(wall, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 && before.After(time.UnixMilli(1_600_000_100_000)) {
			b.Fatalf("empty page before %v", before)
		}
	}
	b.StopTimer()
	slices.Sort(wall)
	pct := func(p float64) float64 {
		return float64(wall[min(len(wall)-1, int(float64(len(wall))*p))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
