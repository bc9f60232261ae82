package memory

import (
	"sync/atomic"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// subscription is one Subscribe's channel and its place in the bus's index.
// closed, index and key are guarded by bus.mu.
type subscription struct {
	bus   *Bus
	topic string
	ch    chan chat.Event
	drops atomic.Uint64

	closed bool
	index  map[string]map[*subscription]struct{}
	key    string
}

// C returns the channel events arrive on; it is closed when the
// subscription or the bus is closed.
func (s *subscription) C() <-chan chat.Event { return s.ch }

// Close stops delivery and closes the channel. Closing twice, or after the
// bus was closed, is harmless.
func (s *subscription) Close() error {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	if s.closed {
		return nil
	}
	set := s.index[s.key]
	delete(set, s)
	if len(set) == 0 {
		delete(s.index, s.key)
	}
	s.closeLocked()
	return nil
}

// closeLocked closes the channel; bus.mu must be held exclusively.
func (s *subscription) closeLocked() {
	s.closed = true
	close(s.ch)
}

// offer sends ev without blocking and reports whether it fit. bus.mu must
// be held, shared or exclusively.
func (s *subscription) offer(ev chat.Event) bool {
	select {
	case s.ch <- ev:
		return true
	default:
		return false
	}
}
