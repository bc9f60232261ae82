package core

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Events an outgoing webhook may listen to, with Rocket.Chat's names.
const (
	eventSendMessage  = "sendMessage"
	eventFileUploaded = "fileUploaded"
	eventRoomArchived = "roomArchived"
	eventRoomCreated  = "roomCreated"
	eventRoomJoined   = "roomJoined"
	eventRoomLeft     = "roomLeft"
	eventUserCreated  = "userCreated"
)

const (
	// outgoingTTL bounds how old an instance's list of enabled outgoing
	// webhooks may be when an event is matched against it: a webhook
	// created or changed on another instance fires here within it.
	outgoingTTL = 2 * time.Second
	// outgoingQueue bounds the calls waiting for a worker; beyond it calls
	// are dropped (and logged) rather than slowing down the writers.
	outgoingQueue = 1024
	// outgoingWorkers bounds the calls in flight.
	outgoingWorkers = 8
	// outgoingTimeout bounds one call, unless a script sets its own.
	outgoingTimeout = 15 * time.Second
	// outgoingMaxResponse bounds the response body read.
	outgoingMaxResponse = 1 << 20
)

// outgoingOriginKey marks a context whose writes are an outgoing
// webhook's own replies, with the webhook's id as value: they must not
// fire that webhook again, whichever account they are posted as.
type outgoingOriginKey struct{}

// outgoing runs the outgoing webhooks of this instance. Events are
// matched on the goroutine that wrote them, right after the commit, so a
// webhook fires once per event in a cluster: from the instance that wrote
// it, never from bus deliveries. The calls run on a bounded pool of
// workers, so a write never waits for an HTTP call.
//
// Lock order: loadMu, then mu. timersMu is never held with another.
type outgoing struct {
	s      *Service
	log    *slog.Logger
	client *http.Client

	// ctx ends with Close: calls in flight and pending retries stop.
	ctx    context.Context
	cancel context.CancelFunc

	// loadMu makes one goroutine at a time reload the list.
	loadMu sync.Mutex
	// mu guards list (replaced whole, never changed in place) and its
	// load time; a zero loadedAt means stale.
	mu       sync.RWMutex
	list     []chat.Integration
	loaded   bool
	loadedAt time.Time

	queue chan *outgoingRun
	// sem holds a token per running worker. Workers start when calls are
	// queued and exit when the queue is empty, so an idle service holds
	// no goroutines.
	sem     chan struct{}
	workers sync.WaitGroup

	timersMu sync.Mutex
	timers   map[*time.Timer]struct{}
	closed   bool
}

func newOutgoing(s *Service) *outgoing {
	ctx, cancel := context.WithCancel(context.Background())
	t := outboundTransport(10*time.Second, s.allowOutbound)
	t.ResponseHeaderTimeout = outgoingTimeout
	return &outgoing{
		s: s, log: s.log, ctx: ctx, cancel: cancel,
		client: &http.Client{
			Transport: t,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return http.ErrUseLastResponse
				}
				return nil
			},
		},
		queue:  make(chan *outgoingRun, outgoingQueue),
		sem:    make(chan struct{}, outgoingWorkers),
		timers: map[*time.Timer]struct{}{},
	}
}

// close cancels the calls in flight and the pending retries, and waits a
// little for the workers to finish recording them.
func (o *outgoing) close() {
	o.timersMu.Lock()
	o.closed = true
	for t := range o.timers {
		t.Stop()
	}
	o.timers = nil
	o.timersMu.Unlock()
	o.cancel()
	done := make(chan struct{})
	go func() { o.workers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// invalidate makes the next event reload the list: this instance changed
// an integration and should not wait for the TTL.
func (o *outgoing) invalidate() {
	o.mu.Lock()
	o.loadedAt = time.Time{}
	o.mu.Unlock()
}

// idle reports, without touching the store, that no webhook can fire: the
// list is fresh and empty. It keeps the writers' cost at nothing when no
// outgoing webhook exists.
func (o *outgoing) idle() bool {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.loaded && len(o.list) == 0 && time.Since(o.loadedAt) < outgoingTTL
}

// integrations returns the enabled outgoing webhooks, reloading them when
// the list is older than outgoingTTL. The list is small (one indexed
// query) and reloaded at most once per TTL by one goroutine; the others
// keep using the previous list meanwhile, except before the first load.
func (o *outgoing) integrations() []chat.Integration {
	o.mu.RLock()
	list, loaded, fresh := o.list, o.loaded, time.Since(o.loadedAt) < outgoingTTL
	o.mu.RUnlock()
	if fresh {
		return list
	}
	if loaded {
		if !o.loadMu.TryLock() {
			return list
		}
	} else {
		o.loadMu.Lock()
	}
	defer o.loadMu.Unlock()
	o.mu.RLock()
	list, fresh = o.list, time.Since(o.loadedAt) < outgoingTTL
	o.mu.RUnlock()
	if fresh {
		return list
	}
	ctx, cancel := context.WithTimeout(o.ctx, 5*time.Second)
	defer cancel()
	next, _, err := o.s.store.ListIntegrations(ctx, chat.IntegrationFilter{Type: chat.IntegrationOutgoing, Enabled: true})
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		// Keep the previous list; the next load is due after the TTL, so
		// that a failing store is not asked on every message.
		o.log.Warn("outgoing webhooks: load", "error", err)
	} else {
		o.list = next
	}
	o.loaded, o.loadedAt = true, time.Now()
	return o.list
}

// outgoingEvent is something outgoing webhooks may be called about: a
// message (sendMessage, fileUploaded), a member change (roomJoined,
// roomLeft, roomArchived, with the system message that recorded it), a new
// room (roomCreated, no message) or a new user (userCreated, neither room
// nor message).
type outgoingEvent struct {
	names   []string
	room    *chat.Room
	message *chat.Message
	// user did it (or, for userCreated, is new), at at.
	user chat.UserRef
	at   time.Time
	// origin is the webhook whose reply this is.
	origin string
}

// messageSaved is called by insertMessage, inside the write transaction,
// for every message stored; the webhooks it concerns fire once the
// transaction has committed.
func (s *Service) messageSaved(ctx context.Context, o *outbox, r *chat.Room, m *chat.Message) {
	if s.outgoing.idle() {
		return
	}
	ev := newOutgoingEvent(ctx, r, m)
	if ev == nil {
		return
	}
	o.afterCommit(func() { s.outgoing.fire(ev) })
}

// messageEdited is called once an edit of m, in room r, has committed.
func (s *Service) messageEdited(ctx context.Context, r *chat.Room, m *chat.Message) {
	if s.outgoing.idle() {
		return
	}
	if ev := newOutgoingEvent(ctx, r, m); ev != nil {
		s.outgoing.fire(ev)
	}
}

// newOutgoingEvent describes what storing m means to outgoing webhooks,
// or returns nil. It copies what it keeps, since the caller goes on using
// m and r.
func newOutgoingEvent(ctx context.Context, r *chat.Room, m *chat.Message) *outgoingEvent {
	var names []string
	switch m.Type {
	case "":
		names = []string{eventSendMessage}
		if m.File != nil && m.EditedAt.IsZero() {
			names = append(names, eventFileUploaded)
		}
	case chat.MsgUserJoined:
		names = []string{eventRoomJoined}
	case chat.MsgUserLeft:
		names = []string{eventRoomLeft}
	case chat.MsgArchived:
		names = []string{eventRoomArchived}
	default:
		return nil
	}
	rc, mc := *r, *m
	rc.LastMessage = nil
	origin, _ := ctx.Value(outgoingOriginKey{}).(string)
	return &outgoingEvent{names: names, room: &rc, message: &mc, user: m.User, at: m.TS, origin: origin}
}

// roomCreated is called inside the transaction that creates a room; the
// webhooks listening for new rooms fire once it has committed. Direct
// conversations are not rooms to them, as in Rocket.Chat.
func (s *Service) roomCreated(ctx context.Context, o *outbox, r *chat.Room, owner *chat.User) {
	if s.outgoing.idle() || r.Type == chat.RoomDirect {
		return
	}
	rc := *r
	rc.LastMessage = nil
	origin, _ := ctx.Value(outgoingOriginKey{}).(string)
	ev := &outgoingEvent{names: []string{eventRoomCreated}, room: &rc, user: owner.Ref(), at: r.CreatedAt, origin: origin}
	o.afterCommit(func() { s.outgoing.fire(ev) })
}

// userCreated is called inside the transaction that creates an account.
func (s *Service) userCreated(ctx context.Context, o *outbox, u *chat.User) {
	if s.outgoing.idle() {
		return
	}
	ev := &outgoingEvent{names: []string{eventUserCreated}, user: u.Ref(), at: u.CreatedAt}
	o.afterCommit(func() { s.outgoing.fire(ev) })
}

// fire matches an event against the enabled webhooks, as Rocket.Chat's
// trigger handler does, and queues a call per URL of each match.
func (o *outgoing) fire(ev *outgoingEvent) {
	list := o.integrations()
	for i := range list {
		it := &list[i]
		for _, name := range ev.names {
			if it.Event != name {
				continue
			}
			word, ok := o.matches(it, ev)
			if !ok {
				continue
			}
			for _, u := range it.URLs {
				o.enqueue(&outgoingRun{it: *it, url: u, event: name, ev: ev, word: word})
			}
		}
	}
}

// matches reports whether webhook it is called about ev, and the trigger
// word found.
func (o *outgoing) matches(it *chat.Integration, ev *outgoingEvent) (string, bool) {
	// A webhook is never called about its own doings: its replies, or
	// anything its account writes. Rocket.Chat leaves loop breaking to
	// the targets (through the bot flag); a loop here would flood a room.
	if ev.origin == it.ID || ev.user.ID == it.UserID {
		return "", false
	}
	m := ev.message
	if m == nil { // roomCreated, userCreated: nothing more to match
		return "", true
	}
	if id, _ := m.Bot["i"].(string); id == it.ID {
		return "", false
	}
	if !listensTo(it, ev.room, m.User.Username) {
		return "", false
	}
	word := ""
	if outgoingEvents[it.Event].triggerWords && len(it.TriggerWords) > 0 {
		for _, w := range it.TriggerWords {
			if (it.TriggerWordAnywhere && strings.Contains(m.Text, w)) || (!it.TriggerWordAnywhere && strings.HasPrefix(m.Text, w)) {
				word = w
				break
			}
		}
		if word == "" {
			return "", false
		}
	}
	if !m.EditedAt.IsZero() && !it.RunOnEdits {
		return "", false
	}
	return word, true
}

// listensTo reports whether webhook it listens to room r: every room when
// its event does not depend on rooms; otherwise the rooms its channels
// name (#id or #name, @user for that user's direct messages) or scope,
// and every public channel when it names none.
func listensTo(it *chat.Integration, r *chat.Room, sender string) bool {
	if !outgoingEvents[it.Event].channel {
		return true
	}
	channels := it.Channels
	if len(channels) == 0 {
		channels = []string{allPublicChannels}
	}
	for _, c := range channels {
		switch r.Type {
		case chat.RoomDirect:
			if c == allDirectMessages {
				return true
			}
			// A direct message concerns the webhooks of its members, but
			// not, by username, those of its sender (Rocket.Chat's rule).
			if name, ok := strings.CutPrefix(c, "@"); ok && (contains(r.UIDs, name) || (name != sender && contains(r.Usernames, name))) {
				return true
			}
		case chat.RoomChannel:
			if c == allPublicChannels || c == "#"+r.ID || c == "#"+r.Name {
				return true
			}
		default:
			if c == allPrivateGroups || c == "#"+r.ID || (r.Name != "" && c == "#"+r.Name) {
				return true
			}
		}
	}
	return false
}

// enqueue queues a call, starting a worker when fewer than
// outgoingWorkers run. It never blocks: it reports false when the call is
// dropped, the queue being full or the service closed.
func (o *outgoing) enqueue(run *outgoingRun) bool {
	if o.ctx.Err() != nil {
		return false
	}
	select {
	case o.queue <- run:
	default:
		o.log.Warn("outgoing webhook queue full: call dropped", "integration", run.it.ID, "url", run.url)
		return false
	}
	select {
	case o.sem <- struct{}{}:
		o.workers.Add(1)
		go o.work()
	default:
		// Every worker is busy; one of them takes the call.
	}
	return true
}

// work runs queued calls until the queue is empty.
func (o *outgoing) work() {
	defer o.workers.Done()
	for {
		for drained := false; !drained; {
			select {
			case run := <-o.queue:
				o.execute(run)
			default:
				drained = true
			}
		}
		<-o.sem
		// A call queued after the queue looked empty but before the token
		// was returned found every worker busy: take it.
		if len(o.queue) == 0 {
			return
		}
		select {
		case o.sem <- struct{}{}:
		default:
			return // another worker took over
		}
	}
}

// retryLater queues run again after d, unless the service closes first.
func (o *outgoing) retryLater(run *outgoingRun, d time.Duration) {
	o.timersMu.Lock()
	defer o.timersMu.Unlock()
	if o.closed {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		o.timersMu.Lock()
		delete(o.timers, t)
		o.timersMu.Unlock()
		o.enqueue(run)
	})
	o.timers[t] = struct{}{}
}

// retryWait is how long Rocket.Chat waits before retry tries+1 of a
// failed call, by the webhook's retryDelay; false for an unknown delay.
func retryWait(delay string, tries int) (time.Duration, bool) {
	// Past a day the series is of no use, and the arithmetic overflows.
	const most = 24 * time.Hour
	tries = min(tries, 30)
	switch delay {
	case retryPowersOfTen:
		// 0.1 s, 1 s, 10 s, 1 min 40 s, 16 min 40 s...
		d := 100 * time.Millisecond
		for range tries {
			if d *= 10; d > most {
				return most, true
			}
		}
		return d, true
	case retryPowersOfTwo:
		return min(time.Duration(1<<(tries+1))*time.Second, most), true
	case retryIncrementsOfTwo:
		return min(time.Duration(tries+1)*2*time.Second, most), true
	}
	return 0, false
}
