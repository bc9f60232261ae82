package bustest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// testCloseSubscription checks that closing a subscription closes its
// channel, is idempotent, and leaves other subscriptions of the same topic
// alone.
func testCloseSubscription(t *testing.T, b chat.Bus) {
	gone := subscribe(t, b, "room.C")
	stays := subscribe(t, b, "room.C")
	publish(t, b, "room.C", event("before"))
	expectNext(t, stays, "before")

	if err := gone.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	expectClosed(t, gone)
	if err := gone.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	publish(t, b, "room.C", event("after"))
	expectNext(t, stays, "after")
}

// testCloseBus checks that closing the bus closes every subscription's
// channel, that Close is idempotent on both, and that the bus then refuses
// work as unavailable.
func testCloseBus(t *testing.T, b chat.Bus) {
	exact := subscribe(t, b, "room.D")
	wild := subscribe(t, b, "room.>")
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	expectClosed(t, exact)
	expectClosed(t, wild)
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := exact.Close(); err != nil {
		t.Fatalf("subscription Close after bus Close: %v", err)
	}

	ctx := context.Background()
	expectKind(t, b.Publish(ctx, "room.D", event("late")), chat.EUnavailable, "Publish after Close")
	_, err := b.Subscribe(ctx, "room.D")
	expectKind(t, err, chat.EUnavailable, "Subscribe after Close")
	expectKind(t, b.Ping(ctx), chat.EUnavailable, "Ping after Close")
}

// testPing checks that a live bus answers.
func testPing(t *testing.T, b chat.Bus) {
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// testContext pins down what a context means to each method. Subscribe and
// Ping wait for the bus, so a done context fails them. Publish never waits,
// and an event announces a change that is already committed: it must go
// out even when the request that made the change has been abandoned, so a
// done context does not stop it.
func testContext(t *testing.T, b chat.Bus) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Subscribe(ctx, "room.ctx"); err == nil {
		t.Error("Subscribe with a done context succeeded")
	}
	if err := b.Ping(ctx); err == nil {
		t.Error("Ping with a done context succeeded")
	}
	s := subscribe(t, b, "room.ctx")
	if err := b.Publish(ctx, "room.ctx", event("committed")); err != nil {
		t.Fatalf("Publish with a done context: %v", err)
	}
	expectNext(t, s, "committed")
}

// testInvalidTopic checks that both buses refuse the same topics, so a
// topic that works in-process also works on NATS.
func testInvalidTopic(t *testing.T, b chat.Bus) {
	ctx := context.Background()
	bad := []string{"", ".", "room.", ".room", "room..A", "room A", "room.\tA", "room.*", "*", ">",
		"room.>.A", "room.A>", "room.*.A"}
	for _, topic := range bad {
		expectKind(t, b.Publish(ctx, topic, event("x")), chat.EInvalid, "Publish("+topic+")")
		if s, err := b.Subscribe(ctx, topic); err == nil {
			_ = s.Close()
			t.Errorf("Subscribe(%q) succeeded", topic)
		} else {
			expectKind(t, err, chat.EInvalid, "Subscribe("+topic+")")
		}
	}
	expectKind(t, b.Publish(ctx, "room.>", event("x")), chat.EInvalid, "Publish to a wildcard")
}

// testInvalidData checks that an event whose Data is not JSON is refused
// rather than delivered broken to some subscribers and not others.
func testInvalidData(t *testing.T, b chat.Bus) {
	ev := event("x")
	ev.Data = json.RawMessage(`{"msg":`)
	expectKind(t, b.Publish(context.Background(), "room.E", ev), chat.EInvalid, "Publish of bad Data")
}

// testTooLarge checks that an event over the bus's payload limit is
// refused with ETooLarge, and that the bus keeps working afterwards.
func testTooLarge(t *testing.T, b chat.Bus) {
	limit := b.(PayloadLimiter).MaxPayload()
	if limit <= 0 {
		t.Fatalf("MaxPayload() = %d", limit)
	}
	s := subscribe(t, b, "room.big")
	ev := event("big")
	ev.Data = json.RawMessage(`"` + strings.Repeat("x", limit) + `"`)
	expectKind(t, b.Publish(context.Background(), "room.big", ev), chat.ETooLarge, "Publish over MaxPayload")

	publish(t, b, "room.big", event("small"))
	expectNext(t, s, "small")
}
