package bustest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// testConcurrency runs publishers, churning subscribers and long-lived
// readers at once; under -race it finds unsynchronised state, and a panic
// or a hang finds a send on a closed channel or a lost close.
func testConcurrency(t *testing.T, b chat.Bus) {
	const publishers, churners, rounds = 8, 8, 300
	topics := []string{"room.c0", "room.c1", "room.c2", "user.c0", "room.c0.t"}
	patterns := append([]string{"room.>", "room.c0.>"}, topics...)
	ctx := context.Background()

	var readers sync.WaitGroup
	for range 2 {
		s := subscribe(t, b, "room.>")
		readers.Go(func() {
			for range s.C() {
			}
		})
	}

	var wg sync.WaitGroup
	errs := make(chan error, publishers+churners)
	for p := range publishers {
		wg.Go(func() {
			for i := range rounds {
				ev := event(fmt.Sprint(p, "-", i))
				if err := b.Publish(ctx, topics[rand.IntN(len(topics))], ev); err != nil {
					errs <- fmt.Errorf("Publish: %w", err)
					return
				}
			}
		})
	}
	for range churners {
		wg.Go(func() {
			for range rounds / 10 {
				s, err := b.Subscribe(ctx, patterns[rand.IntN(len(patterns))])
				if err != nil {
					errs <- fmt.Errorf("Subscribe: %w", err)
					return
				}
				for range rand.IntN(4) {
					select {
					case <-s.C():
					case <-time.After(time.Millisecond):
					}
				}
				if err := s.Close(); err != nil {
					errs <- fmt.Errorf("Close: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitGroup(t, &readers, "readers to see their channels closed")
}

// testCloseWhileBusy closes the bus while publishers and subscribers are
// running: every call must return (an error is fine), nothing may panic,
// and every subscription's channel must end up closed.
func testCloseWhileBusy(t *testing.T, b chat.Bus) {
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for p := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_ = b.Publish(ctx, "room.busy", event(fmt.Sprint(p, "-", i)))
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for {
				s, err := b.Subscribe(ctx, "room.busy")
				if err != nil {
					return // closed
				}
				for range s.C() {
					// Read until the bus closes the channel, or leave early
					// to churn.
					if rand.IntN(100) == 0 {
						_ = s.Close()
					}
				}
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the load build up; no result depends on it
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	close(stop)
	waitGroup(t, &wg, "publishers and subscribers to return after Close")
}

// waitGroup waits for wg or fails the test.
func waitGroup(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatalf("waited %v for %s", wait, what)
	}
}
