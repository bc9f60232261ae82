package realtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// Default limits of a connection's send queue.
const (
	DefaultQueueFrames = 1024
	DefaultQueueBytes  = 4 << 20
)

// Config wires a Hub.
type Config struct {
	Core   *core.Service
	Bus    chat.Bus
	Logger *slog.Logger
	// Presence, when set, learns of every login and disconnection.
	Presence *core.Presence
	// QueueFrames and QueueBytes bound each connection's send queue; a
	// connection over either limit is closed as a slow consumer.
	QueueFrames int
	QueueBytes  int
	// OnSlowConsumer, when set, is called each time a connection is closed
	// because its queue overflowed (for metrics).
	OnSlowConsumer func()
}

// Hub routes bus events to the connections of this instance. It is safe
// for concurrent use.
type Hub struct {
	core        *core.Service
	bus         chat.Bus
	log         *slog.Logger
	presence    *core.Presence
	queueFrames int
	queueBytes  int
	onSlow      func()

	// mu guards the indexes below and the hub-owned fields of every Conn
	// and user. Lock order: mu, then a Conn's qmu. Nothing blocking (bus
	// calls, store reads, presence) runs with mu held.
	mu       sync.RWMutex
	conns    map[*Conn]struct{}
	users    map[string]*user              // logged-in local users by id
	members  map[string]map[*user]struct{} // room id → local users in it
	keys     map[Key]map[*Conn]struct{}    // stream event → connections subscribed
	rooms    map[string]*room              // room topics held, by room id
	watchers map[string]map[*Conn]struct{} // stream-user-presence: user id → watching connections
	closed   bool

	global []chat.BusSubscription
	wg     sync.WaitGroup

	slowCloses atomic.Uint64
	connected  atomic.Int64
}

// New returns a hub; call Start to subscribe to the global topics.
func New(cfg Config) *Hub {
	h := &Hub{
		core:        cfg.Core,
		bus:         cfg.Bus,
		log:         cfg.Logger,
		presence:    cfg.Presence,
		queueFrames: cfg.QueueFrames,
		queueBytes:  cfg.QueueBytes,
		onSlow:      cfg.OnSlowConsumer,
		conns:       map[*Conn]struct{}{},
		users:       map[string]*user{},
		members:     map[string]map[*user]struct{}{},
		keys:        map[Key]map[*Conn]struct{}{},
		rooms:       map[string]*room{},
		watchers:    map[string]map[*Conn]struct{}{},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.queueFrames <= 0 {
		h.queueFrames = DefaultQueueFrames
	}
	if h.queueBytes <= 0 {
		h.queueBytes = DefaultQueueBytes
	}
	return h
}

// Start subscribes to the topics every instance follows whatever its
// clients: the users wildcard, all, logged, presence and instances.
func (h *Hub) Start(ctx context.Context) error {
	topics := []struct {
		topic string
		fn    func(chat.Event)
	}{
		{chat.UserTopic(">"), h.userEvent},
		{chat.TopicAll, h.allEvent},
		{chat.TopicLogged, h.loggedEvent},
		{chat.TopicPresence, h.presenceEvent},
		{chat.TopicInstances, h.instanceEvent},
	}
	for _, t := range topics {
		sub, err := h.bus.Subscribe(ctx, t.topic)
		if err != nil {
			h.Close()
			return fmt.Errorf("realtime: subscribe %s: %w", t.topic, err)
		}
		h.global = append(h.global, sub)
		h.wg.Add(1)
		go h.consume(sub, t.fn)
	}
	return nil
}

// consume runs fn for each event of sub until the subscription closes.
func (h *Hub) consume(sub chat.BusSubscription, fn func(chat.Event)) {
	defer h.wg.Done()
	for ev := range sub.C() {
		h.safely(ev, fn)
	}
}

// safely runs fn, logging instead of crashing on a malformed event: one
// bad publisher must not take every connection down.
func (h *Hub) safely(ev chat.Event, fn func(chat.Event)) {
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("realtime: event handler panicked", "kind", ev.Kind, "room_id", ev.RoomID, "panic", fmt.Sprint(p))
		}
	}()
	fn(ev)
}

// Close stops every bus subscription of the hub. Connections stay until
// their adapter removes them.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	global := h.global
	h.global = nil
	for id, r := range h.rooms {
		delete(h.rooms, id)
		close(r.stop)
	}
	h.mu.Unlock()
	for _, s := range global {
		_ = s.Close()
	}
	h.wg.Wait()
}

// Stats is a snapshot of the hub's counters.
type Stats struct {
	Connections   int    // connections open now
	Users         int    // distinct logged-in users
	Rooms         int    // room topics held
	SlowConsumers uint64 // connections closed because their queue overflowed
}

// Stats returns the hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return Stats{Connections: len(h.conns), Users: len(h.users), Rooms: len(h.rooms), SlowConsumers: h.slowCloses.Load()}
}

// slowConsumer counts a connection closed for falling behind.
func (h *Hub) slowConsumer(c *Conn) {
	h.slowCloses.Add(1)
	h.log.Warn("realtime: closing slow consumer", "session", c.id)
	if h.onSlow != nil {
		h.onSlow()
	}
}

// Connect registers a new connection. wake is called whenever its queue
// turns non-empty (and when it is closed).
func (h *Hub) Connect(id string, wake func()) *Conn {
	c := &Conn{hub: h, id: id, wake: wake, done: make(chan struct{})}
	h.mu.Lock()
	h.conns[c] = struct{}{}
	h.mu.Unlock()
	return c
}

// Remove forgets a connection that ended: its subscriptions, its login and
// its presence.
func (h *Hub) Remove(c *Conn) {
	c.Close("connection ended")
	h.mu.Lock()
	if c.removed {
		h.mu.Unlock()
		return
	}
	c.removed = true
	for len(c.subs) > 0 {
		h.unsubscribeLocked(c, c.subs[len(c.subs)-1].id)
	}
	uid := h.logoutLocked(c)
	delete(h.conns, c)
	h.mu.Unlock()
	if uid != "" && h.presence != nil {
		h.presence.Disconnect(c.id, uid)
	}
}

// Login records that the connection is logged in as u: it loads the rooms
// u belongs to (once per user per instance) and tells presence.
func (h *Hub) Login(ctx context.Context, c *Conn, u *chat.User) error {
	h.mu.Lock()
	if c.removed {
		h.mu.Unlock()
		return errors.New("realtime: connection closed")
	}
	prev := ""
	if c.user != nil && c.user.id != u.ID {
		prev = h.logoutLocked(c)
	}
	lu := h.users[u.ID]
	fresh := lu == nil
	if fresh {
		lu = newUser(u)
		lu.loading = make(chan struct{})
		h.users[u.ID] = lu
	}
	lu.conns[c] = struct{}{}
	c.user = lu
	h.mu.Unlock()
	if prev != "" && h.presence != nil {
		h.presence.Disconnect(c.id, prev)
	}

	if fresh {
		err := h.loadRooms(ctx, lu)
		close(lu.loading)
		if err != nil {
			return err
		}
	} else {
		select {
		case <-lu.loading:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if h.presence != nil {
		h.presence.Connect(ctx, c.id, u)
		// The connection may have ended while it logged in, after Remove
		// told presence (about a connection presence did not know yet).
		h.mu.RLock()
		gone := c.removed || c.user != lu
		h.mu.RUnlock()
		if gone {
			h.presence.Disconnect(c.id, u.ID)
		}
	}
	return nil
}

// loadRooms reads the rooms a user belongs to. Subscription events that
// arrive meanwhile are applied too, so nothing is lost in between.
func (h *Hub) loadRooms(ctx context.Context, lu *user) error {
	subs, err := h.core.Store().SubscriptionsOfUser(ctx, lu.id, chat.SubscriptionFilter{})
	if err != nil {
		return fmt.Errorf("realtime: load rooms of %s: %w", lu.id, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range subs {
		if _, ok := lu.rooms[s.RoomID]; !ok {
			h.addRoomLocked(lu, s.RoomID, s.ID)
		}
	}
	return nil
}

// Logout forgets the connection's login. Subscriptions that needed it are
// stopped; their ids are returned so the adapter can send nosub.
func (h *Hub) Logout(c *Conn) []string {
	h.mu.Lock()
	var stopped []string
	for _, s := range c.subs {
		if s.key.Stream != StreamNotifyAll {
			stopped = append(stopped, s.id)
		}
	}
	for _, id := range stopped {
		h.unsubscribeLocked(c, id)
	}
	uid := h.logoutLocked(c)
	h.mu.Unlock()
	if uid != "" && h.presence != nil {
		h.presence.Disconnect(c.id, uid)
	}
	return stopped
}

// logoutLocked detaches the connection from its user and returns the
// user's id ("" when it was not logged in). The user's subscriptions must
// already be gone.
func (h *Hub) logoutLocked(c *Conn) string {
	lu := c.user
	if lu == nil {
		return ""
	}
	c.user = nil
	delete(lu.conns, c)
	if len(lu.conns) == 0 && h.users[lu.id] == lu {
		delete(h.users, lu.id)
		for rid := range lu.rooms {
			h.dropMemberLocked(lu, rid)
		}
	}
	return lu.id
}

// addRoomLocked records that lu belongs to room rid.
func (h *Hub) addRoomLocked(lu *user, rid, subID string) {
	lu.rooms[rid] = subID
	set := h.members[rid]
	if set == nil {
		set = map[*user]struct{}{}
		h.members[rid] = set
	}
	set[lu] = struct{}{}
	if lu.memberSubs > 0 {
		h.acquireLocked(rid)
	}
}

// removeRoomLocked records that lu left room rid.
func (h *Hub) removeRoomLocked(lu *user, rid string) {
	if _, ok := lu.rooms[rid]; !ok {
		return
	}
	delete(lu.rooms, rid)
	h.dropMemberLocked(lu, rid)
}

func (h *Hub) dropMemberLocked(lu *user, rid string) {
	if set := h.members[rid]; set != nil {
		delete(set, lu)
		if len(set) == 0 {
			delete(h.members, rid)
		}
	}
	if lu.memberSubs > 0 {
		h.releaseLocked(rid)
	}
}

// Subscribe registers DDP subscription id of connection c for stream event
// k. roomID names the room whose topic k needs ("" for none); member is set
// for events that need every room the user belongs to. Subscribe returns
// once the bus subscriptions it needs are live, so an event published after
// the client got ready is delivered.
func (h *Hub) Subscribe(ctx context.Context, c *Conn, id string, k Key, roomID string, member bool) error {
	h.mu.Lock()
	if c.removed || h.closed {
		h.mu.Unlock()
		return errors.New("realtime: connection closed")
	}
	if member && c.user == nil {
		h.mu.Unlock()
		return errors.New("realtime: not logged in")
	}
	if c.sub(id) >= 0 {
		h.unsubscribeLocked(c, id)
	}
	c.subs = append(c.subs, subscription{id: id, key: k, room: roomID, member: member})
	if indexed(k) {
		set := h.keys[k]
		if set == nil {
			set = map[*Conn]struct{}{}
			h.keys[k] = set
		}
		set[c] = struct{}{}
	}
	var wait []*room
	if roomID != "" {
		wait = append(wait, h.acquireLocked(roomID))
	}
	if member {
		lu := c.user
		lu.memberSubs++
		if lu.memberSubs == 1 {
			for rid := range lu.rooms {
				wait = append(wait, h.acquireLocked(rid))
			}
		} else {
			for rid := range lu.rooms {
				if r := h.rooms[rid]; r != nil {
					wait = append(wait, r)
				}
			}
		}
	}
	h.mu.Unlock()
	for _, r := range wait {
		select {
		case <-r.ready:
			if r.err != nil {
				h.Unsubscribe(c, id)
				return r.err
			}
		case <-ctx.Done():
			h.Unsubscribe(c, id)
			return ctx.Err()
		}
	}
	return nil
}

// Unsubscribe removes DDP subscription id of connection c; unknown ids are
// ignored.
func (h *Hub) Unsubscribe(c *Conn, id string) {
	h.mu.Lock()
	h.unsubscribeLocked(c, id)
	h.mu.Unlock()
}

func (h *Hub) unsubscribeLocked(c *Conn, id string) {
	if id == c.watchID && c.watchID != "" {
		for uid := range c.watch {
			h.unwatchLocked(c, uid)
		}
		c.watch, c.watchID = nil, ""
	}
	i := c.sub(id)
	if i < 0 {
		return
	}
	s := c.subs[i]
	c.subs = append(c.subs[:i], c.subs[i+1:]...)
	if len(c.subs) == 0 {
		c.subs = nil
	}
	if indexed(s.key) && !c.hasKey(s.key) {
		if set := h.keys[s.key]; set != nil {
			delete(set, c)
			if len(set) == 0 {
				delete(h.keys, s.key)
			}
		}
	}
	if s.room != "" {
		h.releaseLocked(s.room)
	}
	if s.member && c.user != nil {
		lu := c.user
		lu.memberSubs--
		if lu.memberSubs == 0 {
			for rid := range lu.rooms {
				h.releaseLocked(rid)
			}
		}
	}
}

// Watch edits the stream-user-presence watch list of connection c. The
// first subscription id to watch owns the list; unsubscribing it stops the
// watch. It reports whether id is that owner.
func (h *Hub) Watch(c *Conn, id string, added, removed []string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.removed {
		return false
	}
	owner := false
	if c.watchID == "" {
		c.watchID, c.watch = id, map[string]struct{}{}
		owner = true
	}
	for _, uid := range added {
		if _, ok := c.watch[uid]; ok || uid == "" {
			continue
		}
		c.watch[uid] = struct{}{}
		set := h.watchers[uid]
		if set == nil {
			set = map[*Conn]struct{}{}
			h.watchers[uid] = set
		}
		set[c] = struct{}{}
	}
	for _, uid := range removed {
		if _, ok := c.watch[uid]; ok {
			delete(c.watch, uid)
			h.unwatchLocked(c, uid)
		}
	}
	return owner
}

func (h *Hub) unwatchLocked(c *Conn, uid string) {
	if set := h.watchers[uid]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.watchers, uid)
		}
	}
}

// Rooms returns the ids of the rooms the connection's user belongs to, as
// the hub knows them.
func (h *Hub) Rooms(c *Conn) []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if c.user == nil {
		return nil
	}
	out := make([]string, 0, len(c.user.rooms))
	for rid := range c.user.rooms {
		out = append(out, rid)
	}
	return out
}
