package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Bus returns b with every publish counted and timed. Delivered
// notification events count as Rocket.Chat's desktop notifications, which
// is what Rocket.Chat's stream-notify-user notification is.
func (m *Metrics) Bus(b chat.Bus) chat.Bus {
	if m == nil || b == nil {
		return b
	}
	return &countedBus{Bus: b, m: m}
}

// countedBus decorates a chat.Bus. Methods it does not override pass
// through unchanged.
type countedBus struct {
	chat.Bus
	m *Metrics
}

// Unwrap returns the decorated bus.
func (b *countedBus) Unwrap() chat.Bus { return b.Bus }

// Publish implements chat.Bus.
func (b *countedBus) Publish(ctx context.Context, topic string, ev chat.Event) error {
	start := time.Now()
	err := b.Bus.Publish(ctx, topic, ev)
	b.m.busDuration.Observe(time.Since(start).Seconds())
	if err != nil {
		b.m.busErrors.WithLabelValues(ev.Kind).Inc()
		return err
	}
	b.m.busPublished.WithLabelValues(ev.Kind).Inc()
	if ev.Kind == chat.EventNotification {
		b.m.notifications.WithLabelValues("desktop").Inc()
	}
	return nil
}

// watchRoundtrip observes every message event that comes back from the
// bus, as Rocket.Chat observes messages coming back from its change
// stream. It returns when ctx ends or the bus closes the subscription.
func (m *Metrics) watchRoundtrip(ctx context.Context, wg *sync.WaitGroup, b chat.Bus) error {
	sub, err := b.Subscribe(ctx, "room.>")
	if err != nil {
		return err
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-sub.C():
				if !ok {
					return
				}
				if ev.Kind == chat.EventMessage && !ev.At.IsZero() {
					m.ObserveRoundtrip(ev.At)
				}
			}
		}
	}()
	return nil
}
