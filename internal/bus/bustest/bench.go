package bustest

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// BenchmarkPublish publishes message events of a realistic size (about
// 600 bytes of Data) to one topic with one subscriber reading on another
// goroutine. The clock runs until every event was delivered or dropped, so
// events/s is end-to-end throughput; dropped/op shows whether the reader
// kept up.
func BenchmarkPublish(b *testing.B, bus chat.Bus) {
	ctx := context.Background()
	sub, err := bus.Subscribe(ctx, "room.bench")
	if err != nil {
		b.Fatalf("Subscribe: %v", err)
	}
	defer sub.Close()
	var received atomic.Uint64
	go func() {
		for range sub.C() {
			received.Add(1)
		}
	}()
	ev := benchEvent()
	before := dropped(bus)

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := bus.Publish(ctx, "room.bench", ev); err != nil {
			b.Fatalf("Publish: %v", err)
		}
	}
	n := uint64(b.N)
	deadline := time.Now().Add(wait)
	for received.Load()+dropped(bus)-before < n && time.Now().Before(deadline) {
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()

	lost := dropped(bus) - before
	if got := received.Load() + lost; got < n {
		b.Logf("%d of %d events neither delivered nor counted as dropped", n-got, n)
	}
	b.ReportMetric(float64(received.Load())/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(lost)/float64(b.N), "dropped/op")
}

func benchEvent() chat.Event {
	data, _ := json.Marshal(map[string]any{
		"_id":        "aBcDeFgHiJkLmNoPq",
		"rid":        "GENERAL",
		"msg":        strings.Repeat("lorem ipsum dolor sit amet ", 12),
		"ts":         map[string]int64{"$date": 1_700_000_000_000},
		"u":          map[string]string{"_id": "qWeRtYuIoPaSdFgHj", "username": "alice", "name": "Alice"},
		"_updatedAt": map[string]int64{"$date": 1_700_000_000_000},
		"mentions":   []string{},
		"channels":   []string{},
	})
	return chat.Event{
		Kind:      chat.EventMessage,
		RoomID:    "GENERAL",
		UserID:    "qWeRtYuIoPaSdFgHj",
		MessageID: "aBcDeFgHiJkLmNoPq",
		At:        time.Now(),
		Data:      data,
	}
}
