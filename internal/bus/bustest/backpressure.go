package bustest

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// testBackpressure checks that a subscriber that never reads neither
// blocks Publish nor starves another subscriber: its buffer fills, the
// rest of its events are dropped and counted, and what it kept is the
// oldest events in order.
//
// Events go out in batches, each waiting for the reading subscriber to
// catch up, so that only the stalled subscriber can overflow however slow
// the reader is.
func testBackpressure(t *testing.T, b chat.Bus) {
	const batches, batch = 10, 500
	const total = batches * batch
	stalled := subscribe(t, b, "room.bp")
	reader := subscribe(t, b, "room.bp")
	if c := cap(stalled.C()); c == 0 || c >= total {
		t.Fatalf("buffer of %d events: want bounded and below %d", c, total)
	}
	before := dropped(b)

	var read atomic.Int64
	done := make(chan error, 1)
	go func() {
		for i := range total {
			if err := b.Publish(context.Background(), "room.bp", event(strconv.Itoa(i))); err != nil {
				done <- err
				return
			}
			if (i+1)%batch != 0 {
				continue
			}
			// Wait for the reader, but not forever: a broken bus must fail
			// the test, not hang it.
			deadline := time.Now().Add(wait)
			for read.Load() <= int64(i) {
				if time.Now().After(deadline) {
					done <- errors.New("reader did not catch up")
					return
				}
				time.Sleep(time.Millisecond)
			}
		}
		done <- nil
	}()

	for i := range total {
		expectNext(t, reader, strconv.Itoa(i))
		read.Add(1)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("publisher: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("publisher blocked")
	}

	buffered := cap(stalled.C())
	eventually(t, "stalled subscriber's overflow dropped and counted", func() bool {
		return dropped(b)-before == uint64(total-buffered) && len(stalled.C()) == buffered
	})
	for i := range buffered {
		expectNext(t, stalled, strconv.Itoa(i))
	}
}
