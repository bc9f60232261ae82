package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// connectAll opens n DDP connections with the given workers, running
// setup on each; it returns them in order.
func connectAll(ctx context.Context, t *target, n, workers int, setup func(ctx context.Context, i int, c *ddpConn) error) ([]*ddpConn, error) {
	conns := make([]*ddpConn, n)
	var wg sync.WaitGroup
	var first error
	var mu sync.Mutex
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				c, err := dialDDP(cctx, t.ws)
				if err == nil {
					if err = setup(cctx, i, c); err != nil {
						c.close()
					}
				}
				cancel()
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("connection %d: %w", i, err)
					}
					mu.Unlock()
					continue
				}
				conns[i] = c
			}
		}()
	}
	for i := range n {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		for _, c := range conns {
			if c != nil {
				c.close()
			}
		}
		return nil, first
	}
	return conns, ctx.Err()
}

// benchPrefix starts the text of every message the fan-out test posts.
var benchPrefix = []byte(`"msg":"bench `)

// benchIndex finds the index of a benchmark message in a frame, or -1.
func benchIndex(frame []byte) int {
	i := bytes.Index(frame, benchPrefix)
	if i < 0 {
		return -1
	}
	rest := frame[i+len(benchPrefix):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return -1
	}
	n, err := strconv.Atoi(string(rest[:end]))
	if err != nil {
		return -1
	}
	return n
}

// fanout measures post-to-delivery latency at every member of a room.
func fanout(ctx context.Context, t *target, o options) error {
	count := o.rate * int(o.duration/time.Second)
	fmt.Printf("\n== fan-out: %d members of #general following it over DDP; %d messages posted over REST at %d/s\n", o.members, count, o.rate)
	start := time.Now()
	creds, err := t.seed(ctx, o.members, "member", true)
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d users in %s\n", len(creds), time.Since(start).Round(time.Millisecond))
	admin, err := t.restLogin(ctx, "admin", "admin-pass-1")
	if err != nil {
		return err
	}

	sent := make([]atomic.Int64, count)
	samples := make([][]int64, o.members)
	var delivered atomic.Int64
	start = time.Now()
	conns, err := connectAll(ctx, t, o.members, o.workers, func(ctx context.Context, i int, c *ddpConn) error {
		if err := c.login(ctx, creds[i].token); err != nil {
			return err
		}
		return c.sub(ctx, "stream-room-messages", "GENERAL", false)
	})
	if err != nil {
		return err
	}
	fmt.Printf("connected, logged in and subscribed %d members in %s\n", len(conns), time.Since(start).Round(time.Millisecond))
	var readers sync.WaitGroup
	for i, c := range conns {
		readers.Add(1)
		go func() {
			defer readers.Done()
			c.readAll(func(frame []byte, at time.Time) {
				idx := benchIndex(frame)
				if idx < 0 || idx >= count {
					return
				}
				if s := sent[idx].Load(); s > 0 {
					samples[i] = append(samples[i], at.UnixNano()-s)
					delivered.Add(1)
				}
			})
		}()
	}

	// Post at a fixed rate; a few posters so that one slow request does not
	// hold back the schedule.
	jobs := make(chan int, 64)
	var posters sync.WaitGroup
	var postErrs atomic.Int64
	var postLat []time.Duration
	var plMu sync.Mutex
	for range 8 {
		posters.Add(1)
		go func() {
			defer posters.Done()
			for i := range jobs {
				body, _ := json.Marshal(map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": "bench " + strconv.Itoa(i)}})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/chat.sendMessage", bytes.NewReader(body))
				req.Header = admin.Clone()
				t0 := time.Now()
				sent[i].Store(t0.UnixNano())
				res, err := t.http.Do(req)
				if err != nil || res.StatusCode != 200 {
					postErrs.Add(1)
				}
				if res != nil {
					res.Body.Close()
				}
				plMu.Lock()
				postLat = append(postLat, time.Since(t0))
				plMu.Unlock()
			}
		}()
	}
	if o.profile != "" {
		go profileServer(t, o.profile, o.duration)
	}
	// Post on a fixed schedule: message i at start + i/rate, so that a late
	// wakeup does not lower the rate (a ticker would drop the missed ticks).
	interval := time.Second / time.Duration(o.rate)
	postStart := time.Now()
	serverCPU, ownCPU, load := cpuTime(t.pid), cpuTime(os.Getpid()), loadAverage()
	for i := 0; i < count; i++ {
		if d := time.Until(postStart.Add(time.Duration(i) * interval)); d > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
		jobs <- i
	}
	close(jobs)
	posters.Wait()
	postElapsed := time.Since(postStart)

	// Wait for the last deliveries: until all arrived, or nothing moved for
	// five seconds.
	want := int64(o.members) * int64(count)
	last, lastMove := delivered.Load(), time.Now()
	for delivered.Load() < want && time.Since(lastMove) < 5*time.Second {
		time.Sleep(50 * time.Millisecond)
		if d := delivered.Load(); d != last {
			last, lastMove = d, time.Now()
		}
	}
	elapsed := time.Since(postStart)
	serverCPU, ownCPU = cpuTime(t.pid)-serverCPU, cpuTime(os.Getpid())-ownCPU
	st, _ := t.stats(ctx)
	for _, c := range conns {
		c.close()
	}
	readers.Wait()

	var all []int64
	for _, s := range samples {
		all = append(all, s...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	sort.Slice(postLat, func(i, j int) bool { return postLat[i] < postLat[j] })
	fmt.Printf("posted %d messages in %s (%.1f/s), %d failed; REST post latency p50 %s p99 %s\n",
		count, postElapsed.Round(time.Millisecond), float64(count)/postElapsed.Seconds(), postErrs.Load(),
		pct(durations(postLat), 50), pct(durations(postLat), 99))
	fmt.Printf("deliveries: %d of %d (%.3f%%); slow consumers closed: %d\n", len(all), want, 100*float64(len(all))/float64(want), st.Slow)
	fmt.Printf("post-to-delivery latency over every member: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
		pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 99.9), pct(all, 100))
	fmt.Printf("CPU while posting and delivering (%s): server %.2f cores, load generator %.2f cores; load average before %s, after %s\n",
		elapsed.Round(time.Millisecond), serverCPU.Seconds()/elapsed.Seconds(), ownCPU.Seconds()/elapsed.Seconds(), load, loadAverage())
	return nil
}

func durations(ds []time.Duration) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = int64(d)
	}
	return out
}

// pct returns the p-th percentile of sorted nanoseconds, as a duration.
func pct(sorted []int64, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)))
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return time.Duration(sorted[i]).Round(10 * time.Microsecond)
}

// profileServer saves a CPU profile of the server while messages are
// posted.
func profileServer(t *target, path string, d time.Duration) {
	res, err := t.http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", t.ctl, int(d/time.Second)))
	if err != nil {
		fmt.Println("profile:", err)
		return
	}
	defer res.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		fmt.Println("profile:", err)
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, res.Body)
}
