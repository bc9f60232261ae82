package realtime

import (
	"sync"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Conn is one client connection as the hub sees it: who is logged in, the
// stream events it subscribed to, and its bounded send queue. The DDP
// adapter owns the socket; it drains the queue with Take and writes.
//
// Frames in the queue are shared between connections and must not be
// modified.
type Conn struct {
	hub *Hub
	id  string
	// wake is called, outside every lock, when the queue turns non-empty,
	// so the adapter can start writing.
	wake func()

	// Guarded by hub.mu.
	user *user
	// subs lists the DDP subscriptions: a slice, not a map, because a
	// connection has a handful and an idle one should cost little.
	subs    []subscription
	watchID string              // stream-user-presence: the subscription that owns the watch list
	watch   map[string]struct{} // stream-user-presence: user ids watched
	removed bool

	// qmu guards the queue. Lock order: hub.mu, then qmu.
	qmu    sync.Mutex
	queue  [][]byte
	qbytes int
	closed bool
	reason string
	done   chan struct{}
}

// subscription is what one DDP sub asked for.
type subscription struct {
	id   string // the DDP subscription id
	key  Key
	room string // room whose topic the subscription needs, if any
	// member is set for the subscriptions that need every event of every
	// room the user belongs to (__my_messages__, rooms-changed).
	member bool
}

// ID returns the connection's session id, unique across instances; events
// caused by this connection carry it as Origin.
func (c *Conn) ID() string { return c.id }

// User returns the id of the logged-in user, or "".
func (c *Conn) User() string {
	c.hub.mu.RLock()
	defer c.hub.mu.RUnlock()
	if c.user == nil {
		return ""
	}
	return c.user.id
}

// Send queues a frame. It never blocks: when the queue is over its limits
// the connection is closed as a slow consumer and Send returns false.
func (c *Conn) Send(frame []byte) bool {
	c.qmu.Lock()
	if c.closed {
		c.qmu.Unlock()
		return false
	}
	if len(c.queue) >= c.hub.queueFrames || c.qbytes+len(frame) > c.hub.queueBytes {
		c.closeLocked("slow consumer: send queue full")
		c.qmu.Unlock()
		c.hub.slowConsumer(c)
		if c.wake != nil {
			c.wake()
		}
		return false
	}
	first := len(c.queue) == 0
	c.queue = append(c.queue, frame)
	c.qbytes += len(frame)
	c.qmu.Unlock()
	if first && c.wake != nil {
		c.wake()
	}
	return true
}

// Take moves every queued frame into dst (which it returns) and empties
// the queue. It returns nothing once the connection is closed.
func (c *Conn) Take(dst [][]byte) [][]byte {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.closed {
		return dst
	}
	dst = append(dst, c.queue...)
	clear(c.queue)
	if cap(c.queue) > 64 {
		// A burst grew the queue; do not keep its memory while idle.
		c.queue = nil
	} else {
		c.queue = c.queue[:0]
	}
	c.qbytes = 0
	return dst
}

// Pending reports how many frames wait in the queue.
func (c *Conn) Pending() int {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return len(c.queue)
}

// Close marks the connection closed with a reason; queued frames are
// dropped. The adapter should then close its socket and call Hub.Remove.
func (c *Conn) Close(reason string) {
	c.qmu.Lock()
	c.closeLocked(reason)
	c.qmu.Unlock()
	if c.wake != nil {
		c.wake()
	}
}

func (c *Conn) closeLocked(reason string) {
	if c.closed {
		return
	}
	c.closed = true
	c.reason = reason
	c.queue = nil
	c.qbytes = 0
	close(c.done)
}

// Done is closed when the connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Closed reports whether the connection was closed, and why.
func (c *Conn) Closed() (bool, string) {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.closed, c.reason
}

// hasKey reports whether the connection subscribed to k; hub.mu held.
func (c *Conn) hasKey(k Key) bool {
	for i := range c.subs {
		if c.subs[i].key == k {
			return true
		}
	}
	return false
}

// sub returns the index of subscription id, or -1; hub.mu held.
func (c *Conn) sub(id string) int {
	for i := range c.subs {
		if c.subs[i].id == id {
			return i
		}
	}
	return -1
}

// indexed reports whether the hub lists k's subscribers in Hub.keys.
// Events of stream-notify-user go to one user, whose connections the hub
// walks instead: a set per user and event would cost more than the rest of
// an idle connection.
func indexed(k Key) bool { return k.Stream != StreamNotifyUser }

// user is a user with at least one logged-in local connection, and the
// rooms they belong to, kept current from their subscription events.
type user struct {
	id       string
	username string
	rooms    map[string]string // room id → subscription id
	conns    map[*Conn]struct{}
	// memberSubs counts the subscriptions of the user's connections that
	// need the events of every room the user belongs to; while it is
	// positive, the hub holds those rooms' topics.
	memberSubs int
	// loading is closed once the user's rooms are loaded.
	loading chan struct{}
}

// newUser returns an empty local user.
func newUser(u *chat.User) *user {
	return &user{id: u.ID, username: u.Username, rooms: map[string]string{}, conns: map[*Conn]struct{}{}}
}
