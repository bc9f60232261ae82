package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// idle measures the server's memory per idle authenticated connection.
func idle(ctx context.Context, t *target, o options) error {
	fmt.Printf("\n== idle: %d authenticated DDP connections, each following its own notifications\n", o.idle)
	start := time.Now()
	creds, err := t.seed(ctx, o.idle, "idle", true)
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d users in %s\n", len(creds), time.Since(start).Round(time.Millisecond))
	// The baseline is a server with no connection left from earlier tests,
	// nor their writers, which linger a few seconds.
	var before serverStats
	deadline := time.Now().Add(time.Minute)
	for {
		time.Sleep(time.Second)
		if before, err = t.stats(ctx); err != nil {
			return err
		}
		if before.Connections == 0 && before.Goroutines < 100 || time.Now().After(deadline) {
			break
		}
	}
	start = time.Now()
	conns, err := connectAll(ctx, t, o.idle, o.workers, func(ctx context.Context, i int, c *ddpConn) error {
		if err := c.login(ctx, creds[i].token); err != nil {
			return err
		}
		for _, ev := range []string{"/notification", "/message"} {
			if err := c.sub(ctx, "stream-notify-user", creds[i].id+ev, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("connected, logged in and subscribed %d connections in %s\n", len(conns), time.Since(start).Round(time.Millisecond))
	var readers sync.WaitGroup
	for _, c := range conns {
		readers.Add(1)
		go func() { defer readers.Done(); c.readAll(nil) }()
	}
	// Let the logins settle: their presence writes, and the writers that
	// answered them, which linger a few seconds before exiting.
	time.Sleep(8 * time.Second)
	after, err := t.stats(ctx)
	if err != nil {
		return err
	}
	if o.hold > 0 {
		fmt.Printf("holding the connections for %s (control listener %s)\n", o.hold, t.ctl)
		time.Sleep(o.hold)
	}
	n := float64(len(conns))
	heap := (float64(after.HeapInuse+after.StackInuse) - float64(before.HeapInuse+before.StackInuse)) / n
	rss := (float64(after.RSS) - float64(before.RSS)) / n
	fmt.Printf("server: %d connections, %d logged in, %d goroutines (%d before)\n", after.Connections, after.LoggedIn, after.Goroutines, before.Goroutines)
	fmt.Printf("heap in use %.1f → %.1f MiB, stacks %.1f → %.1f MiB, RSS %.1f → %.1f MiB\n",
		mib(before.HeapInuse), mib(after.HeapInuse), mib(before.StackInuse), mib(after.StackInuse), mib(before.RSS), mib(after.RSS))
	fmt.Printf("memory per idle connection: %.1f KiB of Go heap and stacks, %.1f KiB of resident memory\n", heap/1024, rss/1024)
	if after.LoggedIn < len(conns) {
		return fmt.Errorf("only %d of %d connections logged in", after.LoggedIn, len(conns))
	}
	for _, c := range conns {
		c.close()
	}
	readers.Wait()
	return nil
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
