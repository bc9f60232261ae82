package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// benchPosters is how many REST clients post at once.
const benchPosters = 8

// BenchmarkPostMessage measures chat.postMessage throughput: 8 concurrent
// clients posting into one room of 10, then 5,000 members. Posting must not
// depend on the room's size (unread counts are computed on read), so the
// two should be close.
//
//	go test ./internal/api/rest -run '^$' -bench BenchmarkPostMessage -benchtime 8000x
func BenchmarkPostMessage(b *testing.B) {
	env := testenv.Start(b, testenv.Options{})
	posters := make([]*testenv.Client, benchPosters)
	names := make([]string, benchPosters)
	for i := range posters {
		names[i] = fmt.Sprintf("poster%d", i)
		posters[i] = env.CreateUser(b, names[i])
	}
	for _, members := range []int{10, 5000} {
		rid := benchRoom(b, env, fmt.Sprintf("bench-%d", members), names, members)
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			benchPost(b, env, posters, rid)
		})
	}
}

// benchRoom creates a channel with the admin and the posters, then fills it
// to members straight through the store in one transaction (5,000 HTTP
// calls would measure something else).
func benchRoom(b *testing.B, env *testenv.Env, name string, posters []string, members int) string {
	b.Helper()
	body := env.Admin.Post(b, "/api/v1/channels.create", map[string]any{"name": name, "members": posters}).MustOK(b)
	rid := body["channel"].(map[string]any)["_id"].(string)
	ctx := context.Background()
	st := env.Server.Core().Store()
	r, err := st.RoomByID(ctx, rid)
	if err != nil {
		b.Fatal(err)
	}
	extra := members - 1 - len(posters)
	now := time.Now().UTC().Truncate(time.Millisecond)
	err = st.WithTx(ctx, func(tx chat.Store) error {
		for i := range extra {
			u := &chat.User{
				ID: chat.NewID(), Username: fmt.Sprintf("%s-m%d", name, i), Name: "Member", Type: chat.UserTypeUser,
				Active: true, Roles: []string{"user"}, Status: chat.StatusOffline, StatusDefault: chat.StatusOnline,
				StatusConnection: chat.StatusOffline, CreatedAt: now, UpdatedAt: now,
			}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			sub := &chat.Subscription{
				ID: chat.NewID(), RoomID: rid, User: u.Ref(), Type: r.Type, Name: r.Name, FName: r.FName,
				Open: true, ReadSeq: r.Seq, LastSeen: now, CreatedAt: now, UpdatedAt: now,
			}
			if err := tx.CreateSubscription(ctx, sub); err != nil {
				return err
			}
		}
		return tx.IncrementRoomUsers(ctx, rid, extra)
	})
	if err != nil {
		b.Fatal(err)
	}
	if r, _ = st.RoomByID(ctx, rid); r.UsersCount != members {
		b.Fatalf("room has %d members, want %d", r.UsersCount, members)
	}
	return rid
}

// benchPost posts b.N messages into rid from the posters, concurrently,
// and reports messages per second.
func benchPost(b *testing.B, env *testenv.Env, posters []*testenv.Client, rid string) {
	payload, _ := json.Marshal(map[string]any{"roomId": rid, "text": "Benchmark message: nothing to see, move along."})
	var (
		next   atomic.Int64
		failed atomic.Int64
		first  atomic.Value
		wg     sync.WaitGroup
	)
	cpu0 := processCPU()
	b.ResetTimer()
	for _, c := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
			defer hc.CloseIdleConnections()
			for next.Add(1) <= int64(b.N) {
				req, _ := http.NewRequest(http.MethodPost, env.BaseURL+"/api/v1/chat.postMessage", bytes.NewReader(payload))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-User-Id", c.UserID)
				req.Header.Set("X-Auth-Token", c.Token)
				resp, err := hc.Do(req)
				if err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, err.Error())
					continue
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					first.CompareAndSwap(nil, fmt.Sprintf("%d %s", resp.StatusCode, raw))
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d posts failed; first: %v", n, b.N, first.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// CPU per message (server and the in-process clients together) shows
	// the cost apart from how busy the machine is.
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/msg")
}

// processCPU returns the CPU time (user and system) this process used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// historyMessages is the size of the room BenchmarkHistoryPage reads.
const historyMessages = 100_000

// BenchmarkHistoryPage measures GET channels.history?count=50&latest=<a
// random point> in a room of 100,000 messages, and reports the p50, p90,
// p95 and p99 latency of the whole request as a client sees it.
//
//	go test ./internal/api/rest -run '^$' -bench BenchmarkHistoryPage -benchtime 8000x
func BenchmarkHistoryPage(b *testing.B) {
	env := testenv.Start(b, testenv.Options{})
	body := env.Admin.Post(b, "/api/v1/channels.create", map[string]any{"name": "history-bench", "members": []string{}}).MustOK(b)
	rid := body["channel"].(map[string]any)["_id"].(string)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	seedRoom(b, env, rid, base, historyMessages)

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer hc.CloseIdleConnections()
	rng := rand.New(rand.NewPCG(1, 2))
	// The client shares the process with the server, so it keeps its own
	// garbage low (one reused buffer) not to add collections to the
	// server's latency.
	durations := make([]time.Duration, 0, 1<<14)
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	cpu0 := processCPU()
	for b.Loop() {
		latest := base.Add(time.Duration(rng.IntN(historyMessages)) * time.Second)
		q := url.Values{"roomId": {rid}, "count": {"50"}, "latest": {wire.FormatISO(latest)}}
		req, _ := http.NewRequest(http.MethodGet, env.BaseURL+"/api/v1/channels.history?"+q.Encode(), nil)
		req.Header.Set("X-User-Id", env.Admin.UserID)
		req.Header.Set("X-Auth-Token", env.Admin.Token)
		start := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		durations = append(durations, time.Since(start))
		if resp.StatusCode != http.StatusOK || buf.Len() < 1000 {
			b.Fatalf("history: %d %.200s", resp.StatusCode, buf.Bytes())
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(len(durations)), "cpu-µs/req")
	slices.Sort(durations)
	pct := func(p float64) float64 {
		i := min(int(p*float64(len(durations))), len(durations)-1)
		return float64(durations[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(0.90), "p90-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// seedRoom stores n messages, a second apart from base, through the store
// in transactions of 500: the SQLite store journals a transaction's
// savepoint in memory, and very large ones become quadratic.
func seedRoom(b *testing.B, env *testenv.Env, rid string, base time.Time, n int) {
	b.Helper()
	ctx := context.Background()
	st := env.Server.Core().Store()
	admin, err := st.UserByUsername(ctx, testenv.AdminUsername)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 500
	for start := 0; start < n; start += batch {
		err := st.WithTx(ctx, func(tx chat.Store) error {
			for i := start; i < min(start+batch, n); i++ {
				ts := base.Add(time.Duration(i) * time.Second)
				m := &chat.Message{
					ID: chat.NewID(), RoomID: rid, User: admin.Ref(), TS: ts, UpdatedAt: ts,
					Text: fmt.Sprintf("Message %d of the history benchmark, with a few words to index.", i),
				}
				if err := tx.InsertMessage(ctx, m, true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
