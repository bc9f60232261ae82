package memory_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/bus/bustest"
	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestBus(t *testing.T) {
	bustest.Run(t, func(t *testing.T) chat.Bus { return memory.New(discard()) })
}

// TestOptions checks that the buffer size and the drop callback are wired:
// the callback sees the subscription's topic, wildcard included.
func TestOptions(t *testing.T) {
	var mu sync.Mutex
	drops := map[string]int{}
	b := memory.New(discard(), memory.WithBuffer(2), memory.WithMaxPayload(10), memory.WithOnDrop(func(topic string) {
		mu.Lock()
		drops[topic]++
		mu.Unlock()
	}))
	defer b.Close()
	ctx := context.Background()
	exact, err := b.Subscribe(ctx, "room.A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Subscribe(ctx, "room.>"); err != nil {
		t.Fatal(err)
	}
	if c := cap(exact.C()); c != 2 {
		t.Fatalf("buffer = %d, want 2", c)
	}
	for range 5 {
		if err := b.Publish(ctx, "room.A", chat.Event{Kind: chat.EventMessage}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if drops["room.A"] != 3 || drops["room.>"] != 3 || b.Dropped() != 6 {
		t.Fatalf("drops = %v, Dropped() = %d; want 3 each, 6 in all", drops, b.Dropped())
	}
	if err := b.Publish(ctx, "room.A", chat.Event{Data: []byte(`"0123456789"`)}); chat.ErrorKind(err) != chat.ETooLarge {
		t.Fatalf("Publish of 12 bytes with a limit of 10: %v, want ETooLarge", err)
	}
}

func BenchmarkPublish(b *testing.B) {
	bus := memory.New(discard())
	defer bus.Close()
	bustest.BenchmarkPublish(b, bus)
}
