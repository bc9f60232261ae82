package core

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Presence derives users' status from their live connections, on this
// instance and on the others.
//
// Each instance counts its own connections in memory and announces, per
// user, the best status of its connections (chat.EventPresence on
// chat.TopicPresence); the status of a user's connections is the best over
// every live instance, and RecomputeStatus turns it, with the status the
// user chose, into the one others see. Instances announce themselves with
// heartbeats (chat.EventInstance); when one's heartbeats stop, its
// connections stop counting. The instance whose connection changed writes
// the new status, so a change is written once.
type Presence struct {
	s            *Service
	log          *slog.Logger
	instance     string
	offlineDelay time.Duration
	heartbeat    time.Duration
	sweepDelay   time.Duration

	// writeMu serialises recomputations so that writes land in the order
	// the changes happened. Lock order: writeMu, then mu.
	writeMu sync.Mutex

	mu        sync.Mutex
	local     map[string]map[string]string // user id → connection id → online|away
	announced map[string]string            // user id → the status last announced for this instance
	remote    map[string]*instanceState    // other instances by id
	timers    map[string]*time.Timer       // users whose last local connection closed
	stop      chan struct{}
	done      chan struct{}
	// info describes this instance in its heartbeats (instances.get).
	info func() InstanceInfo
	// cutOff is set while this instance's own heartbeats fail to publish:
	// its bus is down, so the silence of the others says nothing about
	// them, and it must not turn their users offline.
	cutOff bool
	// resweep is set when the bus comes back after the instance was cut
	// off: instances it forgot meanwhile had their users left as they
	// were, so the statuses are swept again once the others answered.
	resweep bool
	// healed is when this instance last rejoined the others after a
	// partition; rejoining is done at most once per heartbeat.
	healed time.Time
	// lost holds the instances forgotten because they fell silent, and
	// when: hearing one again ends a partition.
	lost map[string]time.Time
	// stopped is set by Stop: the instance is going away, so closing
	// connections no longer recompute statuses (the other instances, or
	// this one's next start, do).
	stopped bool
}

// instanceState is what this instance knows of another.
type instanceState struct {
	seen  time.Time
	users map[string]string // user id → best connection status there
	info  InstanceInfo      // from its heartbeats
}

// InstanceInfo describes an instance to the others: it rides on every
// heartbeat, so that any instance can list them all (instances.get).
type InstanceInfo struct {
	Host      string    `json:"host,omitempty"` // host name
	PID       int       `json:"pid,omitempty"`
	Address   string    `json:"address,omitempty"` // host:port of its HTTP listener
	Port      int       `json:"port,omitempty"`
	Version   string    `json:"version,omitempty"`
	GoVersion string    `json:"go,omitempty"`
	OS        string    `json:"os,omitempty"`
	Arch      string    `json:"arch,omitempty"`
	CPUs      int       `json:"cpus,omitempty"`
	Started   time.Time `json:"started,omitzero"`
}

// LiveInstance is an instance that this one hears from (or this one).
type LiveInstance struct {
	ID    string
	Info  InstanceInfo
	Local bool // this instance
	// LastHeartbeat is when its last heartbeat arrived (now for this
	// instance).
	LastHeartbeat time.Time
}

// presenceAnnouncement is the payload of chat.EventPresence.
type presenceAnnouncement struct {
	Instance string            `json:"instance"`
	Users    map[string]string `json:"users"` // user id → online|away|offline
	// Full says Users is the instance's whole state, not a change.
	Full bool `json:"full,omitempty"`
}

// instanceBeat is the payload of chat.EventInstance.
type instanceBeat struct {
	Instance string `json:"instance"`
	// Hello asks the other instances to announce their whole state.
	Hello bool `json:"hello,omitempty"`
	// Stopping says the instance is shutting down: its connections are
	// gone.
	Stopping bool `json:"stopping,omitempty"`
	// Reply says the heartbeat answers another instance's hello.
	Reply bool `json:"reply,omitempty"`
	// Rejoin, on a hello, says the instance is not new: it had forgotten
	// the others during a partition, and may have turned their users
	// offline meanwhile.
	Rejoin bool `json:"rejoin,omitempty"`
	// Info describes the instance; instances of older versions leave it
	// out.
	Info *InstanceInfo `json:"info,omitempty"`
}

// PresenceOptions tunes a Presence; zero values take the defaults.
type PresenceOptions struct {
	// OfflineDelay is how long a user whose last connection closed stays
	// online, so that a reconnecting client does not flap (default 1s;
	// Rocket.Chat's clients expect offline within a few seconds).
	OfflineDelay time.Duration
	// Heartbeat is how often the instance announces itself (default 5s);
	// an instance silent for three heartbeats is considered gone.
	Heartbeat time.Duration
	// Alone says no other instance shares the bus (the in-process bus).
	// After a start, statuses left over from connections that no longer
	// exist (a crash) are turned offline: at once when alone, otherwise
	// after two heartbeats, once the other instances announced theirs.
	Alone bool
	// Info, when set, describes this instance in its heartbeats; it is
	// called for each one.
	Info func() InstanceInfo
}

// NewPresence returns the presence tracker of this instance.
func NewPresence(s *Service, opts PresenceOptions) *Presence {
	p := &Presence{
		s:            s,
		log:          s.log,
		instance:     s.instanceID,
		offlineDelay: opts.OfflineDelay,
		heartbeat:    opts.Heartbeat,
		local:        map[string]map[string]string{},
		announced:    map[string]string{},
		remote:       map[string]*instanceState{},
		timers:       map[string]*time.Timer{},
		lost:         map[string]time.Time{},
		info:         opts.Info,
	}
	if p.offlineDelay <= 0 {
		p.offlineDelay = time.Second
	}
	if p.heartbeat <= 0 {
		p.heartbeat = 5 * time.Second
	}
	if !opts.Alone {
		p.sweepDelay = 2 * p.heartbeat
	}
	if p.instance == "" {
		p.instance = chat.NewID()
	}
	return p
}

// Start announces the instance, asks the others for their state, and runs
// the heartbeat until Stop.
func (p *Presence) Start(ctx context.Context) {
	p.mu.Lock()
	if p.stop != nil {
		p.mu.Unlock()
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	p.mu.Unlock()
	p.beat(ctx, instanceBeat{Instance: p.instance, Hello: true})
	go p.run()
}

// Stop ends the heartbeat and tells the other instances that this one's
// connections are gone.
func (p *Presence) Stop(ctx context.Context) {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop = nil
	p.stopped = true
	for uid, t := range p.timers {
		t.Stop()
		delete(p.timers, uid)
	}
	p.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
	p.beat(ctx, instanceBeat{Instance: p.instance, Stopping: true})
}

// run sends heartbeats, forgets silent instances and sweeps the statuses
// left over from connections that no longer exist: once after the start,
// and again after each time the instance was cut off from the bus.
func (p *Presence) run() {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.mu.Unlock()
	defer close(done)
	tick := time.NewTicker(p.heartbeat)
	defer tick.Stop()
	sweep := time.NewTimer(p.sweepDelay)
	defer sweep.Stop()
	for {
		select {
		case <-stop:
			return
		case <-sweep.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			p.sweepStale(ctx)
			cancel()
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), p.heartbeat)
			p.beat(ctx, instanceBeat{Instance: p.instance})
			p.expire(ctx)
			cancel()
			p.mu.Lock()
			resweep := p.resweep
			p.resweep = false
			p.mu.Unlock()
			if resweep {
				sweep.Reset(2 * p.heartbeat)
			}
		}
	}
}

// beat publishes a heartbeat, and records whether it went out.
func (p *Presence) beat(ctx context.Context, b instanceBeat) {
	if !b.Stopping {
		p.mu.Lock()
		stopped := p.stopped
		p.mu.Unlock()
		if stopped {
			// A late answer must not bring a stopped instance back to
			// the others' lists.
			return
		}
	}
	if p.info != nil {
		info := p.info()
		b.Info = &info
	}
	data, _ := json.Marshal(b)
	err := p.s.Publish(ctx, chat.TopicInstances, chat.Event{Kind: chat.EventInstance, Data: data})
	if err != nil {
		p.log.Warn("presence: heartbeat failed", "error", err)
	}
	if !b.Stopping {
		p.mu.Lock()
		if p.cutOff && err == nil {
			p.resweep = true
		}
		p.cutOff = err != nil
		p.mu.Unlock()
	}
}

// Instances returns how many instances are alive, this one included.
func (p *Presence) Instances() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return 1 + len(p.remote)
}

// LiveInstances lists the instances alive, this one first, then the
// others by id: those whose heartbeats arrived within the last three
// intervals.
func (p *Presence) LiveInstances() []LiveInstance {
	var self InstanceInfo
	if p.info != nil {
		self = p.info()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]LiveInstance, 0, 1+len(p.remote))
	out = append(out, LiveInstance{ID: p.instance, Info: self, Local: true, LastHeartbeat: time.Now()})
	ids := make([]string, 0, len(p.remote))
	for id := range p.remote {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		in := p.remote[id]
		out = append(out, LiveInstance{ID: id, Info: in.info, LastHeartbeat: in.seen})
	}
	return out
}

// Connect records a new logged-in connection of u and recomputes u's
// status; it returns once the status is written, so that a client that
// just logged in is seen online.
func (p *Presence) Connect(ctx context.Context, connID string, u *chat.User) {
	p.mu.Lock()
	conns := p.local[u.ID]
	if conns == nil {
		conns = map[string]string{}
		p.local[u.ID] = conns
	}
	conns[connID] = chat.StatusOnline
	if t := p.timers[u.ID]; t != nil {
		t.Stop()
		delete(p.timers, u.ID)
	}
	p.mu.Unlock()
	p.sync(ctx, u.ID)
}

// Disconnect records that a connection of user uid closed or logged out.
// When it was the user's last one on this instance, the user's status is
// recomputed after OfflineDelay.
func (p *Presence) Disconnect(connID, uid string) {
	p.mu.Lock()
	conns := p.local[uid]
	if _, ok := conns[connID]; !ok {
		p.mu.Unlock()
		return
	}
	delete(conns, connID)
	last := len(conns) == 0
	if p.stopped {
		if last {
			delete(p.local, uid)
		}
		p.mu.Unlock()
		return
	}
	if last {
		delete(p.local, uid)
		if t := p.timers[uid]; t != nil {
			t.Stop()
		}
		p.timers[uid] = time.AfterFunc(p.offlineDelay, func() {
			p.mu.Lock()
			delete(p.timers, uid)
			p.mu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			p.sync(ctx, uid)
		})
	}
	p.mu.Unlock()
	if !last {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		p.sync(ctx, uid)
	}
}

// SetConnectionStatus records that a connection went idle (away) or came
// back (online), as Meteor clients report with UserPresence:away and
// UserPresence:online.
func (p *Presence) SetConnectionStatus(ctx context.Context, connID, uid, status string) error {
	if status != chat.StatusOnline && status != chat.StatusAway {
		return chat.ErrInvalidParam("invalid connection status %q", status)
	}
	p.mu.Lock()
	conns := p.local[uid]
	if _, ok := conns[connID]; !ok {
		p.mu.Unlock()
		return nil // not a logged-in connection: nothing to show
	}
	conns[connID] = status
	p.mu.Unlock()
	p.sync(ctx, uid)
	return nil
}

// ConnectionStatus returns the best status of the user's connections over
// every live instance: online, away or offline.
func (p *Presence) ConnectionStatus(uid string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statusLocked(uid)
}

// Connected reports whether the user has a connection on this instance.
func (p *Presence) Connected(uid string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.local[uid]) > 0
}

// localStatusLocked is the best status of the user's connections here.
func (p *Presence) localStatusLocked(uid string) string {
	best := chat.StatusOffline
	for _, st := range p.local[uid] {
		best = betterStatus(best, st)
	}
	return best
}

// statusLocked is the best status of the user's connections anywhere.
func (p *Presence) statusLocked(uid string) string {
	best := p.localStatusLocked(uid)
	for _, in := range p.remote {
		best = betterStatus(best, in.users[uid])
	}
	return best
}

// betterStatus orders connection statuses: online over away over offline.
func betterStatus(a, b string) string {
	rank := func(s string) int {
		switch s {
		case chat.StatusOnline:
			return 2
		case chat.StatusAway:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// sync announces this instance's status for the user when it changed, and
// records the user's connection status over every instance.
func (p *Presence) sync(ctx context.Context, uid string) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	p.mu.Lock()
	if p.stopped {
		// Shutting down: the store and the bus are about to close.
		p.mu.Unlock()
		return
	}
	local := p.localStatusLocked(uid)
	changed := p.announced[uid] != local && !(local == chat.StatusOffline && p.announced[uid] == "")
	if local == chat.StatusOffline {
		delete(p.announced, uid)
	} else {
		p.announced[uid] = local
	}
	status := p.statusLocked(uid)
	p.mu.Unlock()
	if changed {
		p.announce(ctx, presenceAnnouncement{Instance: p.instance, Users: map[string]string{uid: local}})
	}
	if _, err := p.s.RecomputeStatus(ctx, uid, status); err != nil && !chat.IsKind(err, chat.EInvalid) {
		p.log.Warn("presence: recompute status failed", "user_id", uid, "error", err)
	}
}

// announce publishes this instance's connection statuses.
func (p *Presence) announce(ctx context.Context, a presenceAnnouncement) {
	data, _ := json.Marshal(a)
	if err := p.s.Publish(ctx, chat.TopicPresence, chat.Event{Kind: chat.EventPresence, Data: data}); err != nil {
		p.log.Warn("presence: announce failed", "error", err)
	}
}

// Apply takes in another instance's presence announcement or heartbeat;
// the realtime hub feeds it every such event from the bus.
func (p *Presence) Apply(ev chat.Event) {
	switch ev.Kind {
	case chat.EventPresence:
		var a presenceAnnouncement
		if json.Unmarshal(ev.Data, &a) != nil || a.Instance == "" || a.Instance == p.instance {
			return
		}
		p.mu.Lock()
		in := p.remoteLocked(a.Instance)
		if a.Full {
			in.users = map[string]string{}
		}
		for uid, st := range a.Users {
			if st == chat.StatusOffline || st == "" {
				delete(in.users, uid)
			} else {
				in.users[uid] = st
			}
		}
		p.mu.Unlock()
	case chat.EventInstance:
		var b instanceBeat
		if json.Unmarshal(ev.Data, &b) != nil || b.Instance == "" || b.Instance == p.instance {
			return
		}
		if b.Stopping {
			p.forget(context.Background(), []string{b.Instance})
			return
		}
		p.mu.Lock()
		_, known := p.remote[b.Instance]
		_, wasLost := p.lost[b.Instance]
		delete(p.lost, b.Instance)
		in := p.remoteLocked(b.Instance)
		if b.Info != nil {
			in.info = *b.Info
		}
		// A partition ends when we hear again from an instance we had
		// forgotten because its heartbeats (or ours) stopped getting
		// through for three intervals, or get a hello that says it
		// rejoins (it had forgotten us). Either side may have turned the other's users
		// offline meanwhile, so each rejoins: it tells the others its
		// connections, asks for theirs, and writes its users' statuses
		// again. Writing is done at most once per heartbeat, however many
		// instances come back at once.
		forgotten := !known && wasLost && !b.Hello
		heal := (forgotten || b.Hello && b.Rejoin) && time.Since(p.healed) > p.heartbeat
		if heal {
			p.healed = time.Now()
		}
		var snapshot map[string]string
		var locals []string
		if b.Hello || forgotten {
			snapshot = make(map[string]string, len(p.announced))
			for uid, st := range p.announced {
				snapshot[uid] = st
			}
		}
		if heal {
			for uid := range p.local {
				locals = append(locals, uid)
			}
		}
		p.mu.Unlock()
		if !b.Hello && !forgotten {
			return
		}
		if heal {
			p.log.Info("presence: rejoined an instance after a partition", "instance", b.Instance)
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// The other instance knows nothing of our connections (any
			// more); a newcomer also learns of us before our next
			// heartbeat.
			p.announce(ctx, presenceAnnouncement{Instance: p.instance, Users: snapshot, Full: true})
			if b.Hello {
				p.beat(ctx, instanceBeat{Instance: p.instance, Reply: true})
			} else {
				p.beat(ctx, instanceBeat{Instance: p.instance, Hello: true, Rejoin: true})
			}
			for _, uid := range locals {
				p.sync(ctx, uid)
			}
		}()
	}
}

// remoteLocked returns (creating it) the state of another instance, and
// marks it seen now.
func (p *Presence) remoteLocked(id string) *instanceState {
	in := p.remote[id]
	if in == nil {
		in = &instanceState{users: map[string]string{}}
		p.remote[id] = in
	}
	in.seen = time.Now()
	return in
}

// expire forgets the instances silent for three heartbeats.
func (p *Presence) expire(ctx context.Context) {
	p.mu.Lock()
	var gone []string
	for id, in := range p.remote {
		if time.Since(in.seen) > 3*p.heartbeat {
			gone = append(gone, id)
			p.lost[id] = time.Now()
		}
	}
	for id, at := range p.lost {
		// Long gone: dead, not partitioned.
		if time.Since(at) > time.Hour {
			delete(p.lost, id)
		}
	}
	p.mu.Unlock()
	if len(gone) > 0 {
		p.forget(ctx, gone)
	}
}

// forget drops instances that stopped, and — on one instance only, the
// live one with the smallest id — recomputes the status of their users.
func (p *Presence) forget(ctx context.Context, ids []string) {
	p.mu.Lock()
	users := map[string]struct{}{}
	for _, id := range ids {
		if in := p.remote[id]; in != nil {
			for uid := range in.users {
				users[uid] = struct{}{}
			}
			delete(p.remote, id)
		}
	}
	// An instance cut off from the bus hears no one: the others are
	// likely alive, and their users are not for it to turn offline.
	leader := p.leaderLocked() && !p.cutOff
	p.mu.Unlock()
	if !leader {
		return
	}
	for uid := range users {
		p.sync(ctx, uid)
	}
}

// leaderLocked reports whether this instance has the smallest id of the
// live ones, which makes it the one that cleans up after the others.
func (p *Presence) leaderLocked() bool {
	ids := []string{p.instance}
	for id := range p.remote {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids[0] == p.instance
}

// sweepStale turns offline the users that the store shows connected but
// no live instance has a connection for: what a crash leaves behind. Only
// the leader sweeps. rocket.cat, which has no connections and is always
// shown online, is left alone.
func (p *Presence) sweepStale(ctx context.Context) {
	p.mu.Lock()
	leader := p.leaderLocked() && !p.cutOff
	p.mu.Unlock()
	if !leader {
		return
	}
	users, _, err := p.s.store.ListUsers(ctx, chat.UserFilter{Statuses: []string{chat.StatusOnline, chat.StatusAway, chat.StatusBusy}})
	if err != nil {
		p.log.Warn("presence: sweep failed", "error", err)
		return
	}
	for _, u := range users {
		if u.ID == chat.BotUserID || u.StatusConnection == "" || u.StatusConnection == chat.StatusOffline {
			continue
		}
		p.mu.Lock()
		connected := p.statusLocked(u.ID) != chat.StatusOffline
		p.mu.Unlock()
		if !connected {
			p.sync(ctx, u.ID)
		}
	}
}
