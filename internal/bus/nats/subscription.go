package nats

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"

	natsgo "github.com/nats-io/nats.go"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// subscription is one Subscribe: a NATS subscription whose handler decodes
// each message into a bounded channel. nats.go runs the handler on one
// goroutine per subscription, in order, so order is kept and a stalled
// reader stalls nobody else.
type subscription struct {
	bus   *Bus
	topic string
	// ns is set once nc.Subscribe returns, before the subscription is
	// shared; deliver may run before that, so it uses the message's Sub.
	ns    *natsgo.Subscription
	drops atomic.Uint64 // dropped for this subscription, to log only the first
	// natsDrops is how many of nats.go's drops (ns.Dropped) are counted.
	natsDrops atomic.Uint64

	mu     sync.Mutex // guards closed and sending on ch, so ch is never sent on once closed
	closed bool
	ch     chan chat.Event
}

// C returns the channel events arrive on. It is closed when the
// subscription or the bus is closed, or when the connection is given up
// for good (Options.MaxReconnects).
func (s *subscription) C() <-chan chat.Event { return s.ch }

// Close unsubscribes and closes the channel. Closing twice, or after the
// bus was closed, is harmless.
func (s *subscription) Close() error {
	s.bus.forget(s)
	if !s.closeChannel() {
		return nil
	}
	s.countNATSDrops(s.ns) // before Unsubscribe, which forgets them
	err := s.ns.Unsubscribe()
	if err != nil && !errors.Is(err, natsgo.ErrConnectionClosed) && !errors.Is(err, natsgo.ErrBadSubscription) {
		// The channel is closed, which is what the caller asked for; at
		// worst the server keeps sending until the connection ends.
		s.bus.log.Warn("nats unsubscribe failed", "topic", s.topic, "error", err)
	}
	return nil
}

// closeChannel closes the channel unless it is closed already, and reports
// whether it did.
func (s *subscription) closeChannel() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closed = true
	close(s.ch)
	return true
}

// deliver is the nats.go message handler. It never blocks: an event that
// does not fit in the buffer is dropped and counted.
func (s *subscription) deliver(m *natsgo.Msg) {
	var ev chat.Event
	if err := json.Unmarshal(m.Data, &ev); err != nil {
		// Someone else publishes under our prefix; skip, do not crash.
		s.bus.log.Warn("undecodable bus event", "subject", m.Subject, "error", err)
		return
	}
	s.countNATSDrops(m.Sub)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	select {
	case s.ch <- ev:
		s.mu.Unlock()
		return
	default:
	}
	s.mu.Unlock()
	s.bus.drop(s, 1)
}

// countNATSDrops counts the messages nats.go dropped for ns, s's NATS
// subscription, since the last call. nats.go reports a slow consumer only
// once per episode, so its counter is read instead, after every delivery
// and whenever Dropped is asked.
func (s *subscription) countNATSDrops(ns *natsgo.Subscription) {
	n, err := ns.Dropped()
	if err != nil {
		return // unsubscribed or the connection is closed: nothing to add
	}
	for {
		seen := s.natsDrops.Load()
		if uint64(n) <= seen {
			return
		}
		if s.natsDrops.CompareAndSwap(seen, uint64(n)) {
			s.bus.drop(s, uint64(n)-seen)
			return
		}
	}
}
