package bustest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// testRoundTrip checks that every field of an event survives the bus,
// including a Data payload with characters encoding/json would escape by
// default and a time with sub-millisecond digits.
func testRoundTrip(t *testing.T, b chat.Bus) {
	s := subscribe(t, b, "room.R1")
	full := chat.Event{
		Kind:      chat.EventMessage,
		RoomID:    "R1",
		UserID:    "U1",
		MessageID: "M1",
		At:        time.Date(2025, 3, 4, 5, 6, 7, 891_234_567, time.UTC),
		Origin:    "conn-7",
		Data:      json.RawMessage(`{"msg":"<b>fish & chips</b> — ünïcødé 🚀","n":[1,2.5,null,true],"o":{}}`),
	}
	bare := chat.Event{Kind: chat.EventRoomRemoved, At: time.UnixMilli(1_700_000_000_123)}
	publish(t, b, "room.R1", full)
	publish(t, b, "room.R1", bare)

	for _, want := range []chat.Event{full, bare} {
		got := receive(t, s)
		if got.Kind != want.Kind || got.RoomID != want.RoomID || got.UserID != want.UserID ||
			got.MessageID != want.MessageID || got.Origin != want.Origin {
			t.Errorf("got %+v, want %+v", got, want)
		}
		if !got.At.Truncate(time.Millisecond).Equal(want.At.Truncate(time.Millisecond)) {
			t.Errorf("At = %v, want %v (to the millisecond)", got.At, want.At)
		}
		if !bytes.Equal(got.Data, want.Data) {
			t.Errorf("Data = %s, want %s", got.Data, want.Data)
		}
	}
}

// testFanOut checks that every subscriber of a topic gets every event and
// that a subscriber of another topic gets none.
func testFanOut(t *testing.T, b chat.Bus) {
	subs := []chat.BusSubscription{
		subscribe(t, b, "room.A"), subscribe(t, b, "room.A"), subscribe(t, b, "room.A"),
	}
	other := subscribe(t, b, "room.B")
	prefixed := subscribe(t, b, "room.AA") // shares a prefix with room.A, not a token

	for i := range 3 {
		publish(t, b, "room.A", event("a"+strconv.Itoa(i)))
	}
	for _, s := range subs {
		for i := range 3 {
			expectNext(t, s, "a"+strconv.Itoa(i))
		}
	}
	publish(t, b, "room.B", event("marker-b"))
	publish(t, b, "room.AA", event("marker-aa"))
	expectNext(t, other, "marker-b")
	expectNext(t, prefixed, "marker-aa")
}

// testWildcard checks that "room.>" matches every topic under room., at
// any depth, and nothing else, as NATS's ">" does.
func testWildcard(t *testing.T, b chat.Bus) {
	all := subscribe(t, b, "room.>")
	deep := subscribe(t, b, "room.A.>")
	exact := subscribe(t, b, "room.A")

	for _, topic := range []string{"user.A", "room", "roomy.A", "rooms.A", "presence"} {
		publish(t, b, topic, event("no:"+topic))
	}
	for _, topic := range []string{"room.A", "room.B", "room.A.thread"} {
		publish(t, b, topic, event("yes:"+topic))
	}
	expectNext(t, all, "yes:room.A")
	expectNext(t, all, "yes:room.B")
	expectNext(t, all, "yes:room.A.thread")
	expectNext(t, deep, "yes:room.A.thread")
	expectNext(t, exact, "yes:room.A")

	publish(t, b, "room.A", event("marker"))
	expectNext(t, all, "marker")
	expectNext(t, exact, "marker")
	publish(t, b, "room.A.x", event("marker-deep"))
	expectNext(t, deep, "marker-deep")
}

// testOrder checks that events from one publisher on one topic arrive in
// the order published, while several publishers interleave freely. The
// total stays under the default buffer, so a slow reader cannot cause
// drops that would look like reordering.
func testOrder(t *testing.T, b chat.Bus) {
	const publishers, each = 4, 200
	exact := subscribe(t, b, "room.order")
	wild := subscribe(t, b, "room.>")

	var wg sync.WaitGroup
	errs := make(chan error, publishers)
	for p := range publishers {
		wg.Go(func() {
			for n := range each {
				ev := event(strconv.Itoa(n))
				ev.UserID = fmt.Sprint("p", p)
				if err := b.Publish(context.Background(), "room.order", ev); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Publish: %v", err)
	}

	for _, s := range []chat.BusSubscription{exact, wild} {
		next := map[string]int{}
		for range publishers * each {
			ev := receive(t, s)
			n, _ := strconv.Atoi(ev.MessageID)
			if n != next[ev.UserID] {
				t.Fatalf("publisher %s: got event %d, want %d", ev.UserID, n, next[ev.UserID])
			}
			next[ev.UserID]++
		}
	}
}

// testLiveOnReturn checks that Subscribe returns only once the
// subscription is live: an event published right after it returns is
// delivered. Repeating on fresh topics gives a race a chance to show.
func testLiveOnReturn(t *testing.T, b chat.Bus) {
	for i := range 50 {
		topic := "room.live" + strconv.Itoa(i)
		s := subscribe(t, b, topic)
		publish(t, b, topic, event("first"))
		expectNext(t, s, "first")
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
}
