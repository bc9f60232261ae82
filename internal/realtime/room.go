package realtime

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// room is one room topic the hub holds for its connections: a bus
// subscription shared by all of them, released when the last one goes.
type room struct {
	id   string
	refs int // guarded by hub.mu

	// typ and name render __my_messages__'s meta; guarded by hub.mu.
	typ  chat.RoomType
	name string

	ready chan struct{} // closed once the bus subscription is live (or failed)
	err   error         // set before ready is closed
	stop  chan struct{} // closed when the last reference goes
}

// acquireLocked takes a reference on room rid's topic, subscribing when it
// is the first.
func (h *Hub) acquireLocked(rid string) *room {
	r := h.rooms[rid]
	if r == nil {
		r = &room{id: rid, ready: make(chan struct{}), stop: make(chan struct{})}
		if h.closed {
			r.err = errHubClosed
			close(r.ready)
		} else {
			h.rooms[rid] = r
			h.wg.Add(1)
			go h.runRoom(r)
		}
	}
	r.refs++
	return r
}

// releaseLocked drops a reference on room rid's topic, unsubscribing when
// it was the last.
func (h *Hub) releaseLocked(rid string) {
	r := h.rooms[rid]
	if r == nil {
		return
	}
	r.refs--
	if r.refs <= 0 {
		delete(h.rooms, rid)
		close(r.stop)
	}
}

// runRoom subscribes to a room's topic and routes its events until the
// room is released.
func (h *Hub) runRoom(r *room) {
	defer h.wg.Done()
	ctx := context.Background()
	sub, err := h.bus.Subscribe(ctx, chat.RoomTopic(r.id))
	if err != nil {
		r.err = err
		close(r.ready)
		h.log.Warn("realtime: subscribe to room failed", "room_id", r.id, "error", err)
		return
	}
	defer sub.Close()
	// The room's type and name are read once per instance, off the posting
	// path, and then kept current from room events.
	if rm, err := h.core.Store().RoomByID(ctx, r.id); err == nil {
		h.mu.Lock()
		r.typ, r.name = rm.Type, rm.Name
		h.mu.Unlock()
	}
	close(r.ready)
	for {
		select {
		case ev, ok := <-sub.C():
			if !ok {
				return
			}
			h.safely(ev, func(ev chat.Event) { h.roomEvent(r, ev) })
		case <-r.stop:
			return
		}
	}
}
