package bustest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// wait bounds every wait for an event. It is generous because the race
// detector and a loaded CI machine slow delivery down by an order of
// magnitude; a passing run never waits this long.
const wait = 10 * time.Second

// DropCounter is implemented by buses that count the events they dropped
// because a subscriber's buffer was full. Run requires it.
type DropCounter interface {
	Dropped() uint64
}

// PayloadLimiter is implemented by buses that refuse events above a size.
// Run requires it so that it can test the limit without knowing it.
type PayloadLimiter interface {
	MaxPayload() int
}

// Run runs the contract suite. newBus is called once per case and must
// return a bus isolated from every other bus it returned: on a shared NATS
// server that means a unique subject prefix, because the cases reuse topic
// names. Run closes each bus when its case ends; closing it again in a
// cleanup of the factory is harmless because Close is idempotent.
func Run(t *testing.T, newBus func(t *testing.T) chat.Bus) {
	open := func(t *testing.T) chat.Bus {
		t.Helper()
		b := newBus(t)
		t.Cleanup(func() { closeWithin(t, "bus", b.Close) })
		if _, ok := b.(DropCounter); !ok {
			t.Fatalf("%T does not implement bustest.DropCounter", b)
		}
		if _, ok := b.(PayloadLimiter); !ok {
			t.Fatalf("%T does not implement bustest.PayloadLimiter", b)
		}
		return b
	}
	cases := []struct {
		name string
		fn   func(t *testing.T, b chat.Bus)
	}{
		{"RoundTrip", testRoundTrip},
		{"FanOut", testFanOut},
		{"Wildcard", testWildcard},
		{"Order", testOrder},
		{"LiveOnReturn", testLiveOnReturn},
		{"CloseSubscription", testCloseSubscription},
		{"CloseBus", testCloseBus},
		{"Ping", testPing},
		{"Context", testContext},
		{"InvalidTopic", testInvalidTopic},
		{"InvalidData", testInvalidData},
		{"TooLarge", testTooLarge},
		{"Backpressure", testBackpressure},
		{"Concurrency", testConcurrency},
		{"CloseWhileBusy", testCloseWhileBusy},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

// subscribe subscribes or fails the test, and closes the subscription when
// the test ends.
func subscribe(t testing.TB, b chat.Bus, topic string) chat.BusSubscription {
	t.Helper()
	s, err := b.Subscribe(context.Background(), topic)
	if err != nil {
		t.Fatalf("Subscribe(%q): %v", topic, err)
	}
	t.Cleanup(func() { closeWithin(t, "subscription", s.Close) })
	return s
}

// closeWithin calls closeFn and fails the test if it does not return in
// time, so that a bus whose Publish blocks (holding a lock Close needs)
// fails the suite with a reason instead of hanging it.
func closeWithin(t testing.TB, what string, closeFn func() error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		_ = closeFn()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Errorf("%s Close blocked for %v", what, wait)
	}
}

// publish publishes or fails the test.
func publish(t testing.TB, b chat.Bus, topic string, ev chat.Event) {
	t.Helper()
	if err := b.Publish(context.Background(), topic, ev); err != nil {
		t.Fatalf("Publish(%q, %s): %v", topic, ev.MessageID, err)
	}
}

// receive returns the next event of s, failing the test if none arrives in
// time or the channel is closed.
func receive(t testing.TB, s chat.BusSubscription) chat.Event {
	t.Helper()
	select {
	case ev, ok := <-s.C():
		if !ok {
			t.Fatal("subscription channel closed, want an event")
		}
		return ev
	case <-time.After(wait):
		t.Fatalf("no event within %v", wait)
	}
	return chat.Event{}
}

// expectNext receives from s and fails unless the event has the given
// MessageID. Tests that must show that nothing else arrived publish a
// marker after the events that must not arrive and expect the marker next:
// a bus delivers in publish order, so anything wrongly delivered would come
// first. That proves absence without sleeping.
func expectNext(t testing.TB, s chat.BusSubscription, messageID string) chat.Event {
	t.Helper()
	ev := receive(t, s)
	if ev.MessageID != messageID {
		t.Fatalf("received event %q, want %q", ev.MessageID, messageID)
	}
	return ev
}

// expectClosed drains s and fails unless its channel is closed in time.
func expectClosed(t testing.TB, s chat.BusSubscription) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-s.C():
			if !ok {
				return
			}
		case <-timeout:
			t.Fatalf("subscription channel still open after %v", wait)
		}
	}
}

// expectKind fails unless err is a chat.Error of the given kind.
func expectKind(t testing.TB, err error, want chat.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, want)
	}
	if got := chat.ErrorKind(err); got != want {
		t.Fatalf("%s: error %q has kind %s, want %s", what, err, got, want)
	}
}

// eventually polls cond until it holds or the wait is over, like
// nats-server's checkFor; it replaces sleeps.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v", what, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// event returns a small event whose MessageID identifies it.
func event(id string) chat.Event {
	return chat.Event{
		Kind:      chat.EventMessage,
		RoomID:    "GENERAL",
		MessageID: id,
		At:        time.Now(),
		Data:      json.RawMessage(fmt.Sprintf(`{"_id":%q}`, id)),
	}
}

func dropped(b chat.Bus) uint64 { return b.(DropCounter).Dropped() }
