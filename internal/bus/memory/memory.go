package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Defaults, chosen to match the NATS bus.
const (
	DefaultBuffer     = 1024    // events per subscription
	DefaultMaxPayload = 1 << 20 // bytes of Data; NATS's default max_payload
)

// Bus is an in-process chat.Bus. It is safe for concurrent use.
type Bus struct {
	log        *slog.Logger
	buffer     int
	maxPayload int
	onDrop     func(topic string)
	dropped    atomic.Uint64

	// mu guards the fields below. Publish holds it shared while it sends,
	// and a channel is closed only with it held exclusively, so a send can
	// never hit a closed channel. Sends never block, so neither does
	// holding it.
	mu       sync.RWMutex
	closed   bool
	exact    map[string]map[*subscription]struct{} // by topic
	prefixed map[string]map[*subscription]struct{} // by prefix: "room." for "room.>"
}

var _ chat.Bus = (*Bus)(nil)

// Option configures a Bus.
type Option func(*Bus)

// WithBuffer sets how many events a subscription holds for its reader
// before further events are dropped for it.
func WithBuffer(n int) Option {
	return func(b *Bus) {
		if n > 0 {
			b.buffer = n
		}
	}
}

// WithMaxPayload sets the largest Data, in bytes, that Publish accepts.
// The NATS bus limits the whole encoded event instead; limiting Data is a
// close approximation that avoids encoding just to measure.
func WithMaxPayload(n int) Option {
	return func(b *Bus) {
		if n > 0 {
			b.maxPayload = n
		}
	}
}

// WithOnDrop sets a function called with the subscription's topic (as
// given to Subscribe) each time an event is dropped because that
// subscription's buffer is full; metrics count drops with it. It is called
// on the publishing goroutine and must not block.
func WithOnDrop(fn func(topic string)) Option {
	return func(b *Bus) { b.onDrop = fn }
}

// New returns an empty bus.
func New(logger *slog.Logger, opts ...Option) *Bus {
	b := &Bus{
		log:        logger,
		buffer:     DefaultBuffer,
		maxPayload: DefaultMaxPayload,
		exact:      map[string]map[*subscription]struct{}{},
		prefixed:   map[string]map[*subscription]struct{}{},
	}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Publish delivers ev to every subscription matching topic. It never
// blocks: a subscription whose buffer is full loses the event, which is
// counted. The context is not consulted, because there is nothing to wait
// for and the event announces a change that is already committed.
//
// Data is copied, so the caller may reuse it, and must be valid JSON, as
// it must be for the NATS bus.
func (b *Bus) Publish(_ context.Context, topic string, ev chat.Event) error {
	if err := checkTopic(topic, false); err != nil {
		return err
	}
	if len(ev.Data) > b.maxPayload {
		return chat.Errorf(chat.ETooLarge, "", "bus event of %d bytes exceeds the limit of %d", len(ev.Data), b.maxPayload)
	}
	if len(ev.Data) > 0 && !json.Valid(ev.Data) {
		return chat.Errorf(chat.EInvalid, "", "bus event data is not valid JSON")
	}
	// Subscribers share one copy; like events decoded from NATS, it
	// belongs to no publisher.
	ev.Data = bytes.Clone(ev.Data)
	// Drop the monotonic clock reading, which an event from NATS never has,
	// so that time comparisons behave the same on both buses.
	ev.At = ev.At.Round(0)

	var drops []*subscription
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errClosed()
	}
	for s := range b.exact[topic] {
		if !s.offer(ev) {
			drops = append(drops, s)
		}
	}
	for i := strings.IndexByte(topic, '.'); i >= 0; i = nextDot(topic, i) {
		for s := range b.prefixed[topic[:i+1]] {
			if !s.offer(ev) {
				drops = append(drops, s)
			}
		}
	}
	b.mu.RUnlock()

	// Report outside the lock: a callback or log handler may be slow, or
	// may use the bus.
	for _, s := range drops {
		b.dropped.Add(1)
		if b.onDrop != nil {
			b.onDrop(s.topic)
		}
		if s.drops.Add(1) == 1 {
			b.log.Warn("bus subscriber is not keeping up, dropping events", "topic", s.topic, "buffer", b.buffer)
		}
	}
	return nil
}

// nextDot returns the index of the first '.' in topic after i, or -1.
func nextDot(topic string, i int) int {
	j := strings.IndexByte(topic[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// Subscribe returns a subscription to topic, live on return. A topic
// ending in ".>" matches every topic with that prefix and at least one
// more token.
func (b *Bus) Subscribe(ctx context.Context, topic string) (chat.BusSubscription, error) {
	if err := checkTopic(topic, true); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &subscription{bus: b, topic: topic, ch: make(chan chat.Event, b.buffer)}
	index, key := b.exact, topic
	if prefix, ok := strings.CutSuffix(topic, ">"); ok {
		index, key = b.prefixed, prefix
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, errClosed()
	}
	set := index[key]
	if set == nil {
		set = map[*subscription]struct{}{}
		index[key] = set
	}
	set[s] = struct{}{}
	s.index, s.key = index, key
	return s, nil
}

// Ping reports whether the bus is open.
func (b *Bus) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errClosed()
	}
	return nil
}

// Close closes every subscription's channel and makes further calls fail.
// Closing twice is harmless.
func (b *Bus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	for _, index := range []map[string]map[*subscription]struct{}{b.exact, b.prefixed} {
		for _, set := range index {
			for s := range set {
				s.closeLocked()
			}
		}
		clear(index)
	}
	return nil
}

// Dropped returns how many events were dropped, over all subscriptions,
// because a subscription's buffer was full.
func (b *Bus) Dropped() uint64 { return b.dropped.Load() }

// MaxPayload returns the largest Data, in bytes, that Publish accepts.
func (b *Bus) MaxPayload() int { return b.maxPayload }

func errClosed() error { return chat.Errorf(chat.EUnavailable, "", "bus closed") }
