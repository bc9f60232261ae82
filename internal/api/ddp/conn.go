package ddp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/realtime"
)

// Close codes the server uses. Any code but 1000 makes Rocket.Chat's SDKs
// reconnect, which is what each of these wants.
const (
	closeIdle         websocket.StatusCode = 4000 // no answer to our ping (as Rocket.Chat's ddp-streamer)
	closeSlowConsumer websocket.StatusCode = 4001 // the send queue overflowed: reconnect and resync
	closeTooBusy      websocket.StatusCode = 4002 // too many requests waiting
)

// Config wires the DDP handler.
type Config struct {
	Core     *core.Service
	Hub      *realtime.Hub
	Presence *core.Presence // nil: UserPresence methods only answer
	Logger   *slog.Logger
	// PingInterval is how long a connection may stay silent before the
	// server pings it; it is closed after a second silent interval
	// (default 30s, as Rocket.Chat).
	PingInterval time.Duration
	// MaxMessageBytes bounds a client frame (default 1 MiB).
	MaxMessageBytes int64
	// MaxPending bounds the requests a connection may have waiting
	// (default 256); a client over it is disconnected.
	MaxPending int
	// WriteTimeout bounds one write to a socket (default 15s).
	WriteTimeout time.Duration
	// ObserveMethod and ObserveSubscription, when set, are called for
	// metrics with names from the server's own tables ("unknown"
	// otherwise).
	ObserveMethod       func(method string, hasConnection, hasUser bool, elapsed time.Duration)
	ObserveSubscription func(name string, elapsed time.Duration)
}

// Handler serves /websocket.
type Handler struct {
	core         *core.Service
	hub          *realtime.Hub
	presence     *core.Presence
	log          *slog.Logger
	pingInterval time.Duration
	maxMessage   int64
	maxPending   int
	writeTimeout time.Duration
	observeM     func(string, bool, bool, time.Duration)
	observeS     func(string, time.Duration)
	methods      map[string]methodFunc

	mu       sync.Mutex
	sessions map[*session]struct{}
	shutdown bool
	wg       sync.WaitGroup
	stopIdle chan struct{}
	idleDone chan struct{}

	connections   atomic.Int64
	connected     atomic.Int64
	authenticated atomic.Int64
}

// New returns the DDP handler.
func New(cfg Config) *Handler {
	h := &Handler{
		core:         cfg.Core,
		hub:          cfg.Hub,
		presence:     cfg.Presence,
		log:          cfg.Logger,
		pingInterval: cfg.PingInterval,
		maxMessage:   cfg.MaxMessageBytes,
		maxPending:   cfg.MaxPending,
		writeTimeout: cfg.WriteTimeout,
		observeM:     cfg.ObserveMethod,
		observeS:     cfg.ObserveSubscription,
		sessions:     map[*session]struct{}{},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.pingInterval <= 0 {
		h.pingInterval = 30 * time.Second
	}
	if h.maxMessage <= 0 {
		h.maxMessage = 1 << 20
	}
	if h.maxPending <= 0 {
		h.maxPending = 256
	}
	if h.writeTimeout <= 0 {
		h.writeTimeout = 15 * time.Second
	}
	h.methods = h.methodTable()
	h.stopIdle, h.idleDone = make(chan struct{}), make(chan struct{})
	go h.idleLoop()
	return h
}

// Stats counts the handler's connections: open sockets, DDP sessions
// (connect answered) and logged-in sessions.
type Stats struct {
	Connections, Sessions, Authenticated int
}

// Stats returns the current counts.
func (h *Handler) Stats() Stats {
	return Stats{int(h.connections.Load()), int(h.connected.Load()), int(h.authenticated.Load())}
}

// ServeHTTP upgrades the request and runs the connection. It returns at
// once: the connection lives on its own goroutines, so the request's
// memory is released while the socket stays open.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	down := h.shutdown
	h.mu.Unlock()
	if down {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	sb := &smallBuffers{ResponseWriter: w}
	ws, err := websocket.Accept(sb, r, &websocket.AcceptOptions{
		// Rocket.Chat accepts sockets from any origin: embedded clients
		// (EmbeddedChat) live on other sites, and a login token is
		// required for anything private.
		InsecureSkipVerify: true,
		CompressionMode:    websocket.CompressionDisabled,
	})
	if err != nil {
		return
	}
	ws.SetReadLimit(h.maxMessage)
	s := h.newSession(ws)
	s.netConn = sb.conn
	s.waiter = newReadWaiter(sb.conn, sb.rd)
	h.mu.Lock()
	if h.shutdown {
		h.mu.Unlock()
		ws.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	h.sessions[s] = struct{}{}
	h.wg.Add(1)
	h.mu.Unlock()
	h.connections.Add(1)
	s.send(serverIDFrame)
	go s.readLoop()
}

// Shutdown closes every connection with "going away", which tells
// Rocket.Chat's clients to reconnect (to another instance), and waits for
// them to end or for ctx.
func (h *Handler) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if !h.shutdown {
		close(h.stopIdle)
	}
	h.shutdown = true
	sessions := make([]*session, 0, len(h.sessions))
	for s := range h.sessions {
		sessions = append(sessions, s)
	}
	h.mu.Unlock()
	for _, s := range sessions {
		s.closeWith(websocket.StatusGoingAway, "server shutting down, reconnect")
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	<-h.idleDone
	return nil
}

// session is one client connection.
type session struct {
	h  *Handler
	ws *websocket.Conn
	rt *realtime.Conn
	id string
	// netConn is the socket under ws, for write deadlines (nil when the
	// server did not hijack it itself).
	netConn net.Conn
	waiter  *readWaiter
	// ended is set when the connection is over; requests still queued
	// are dropped.
	ended atomic.Bool

	lastRead atomic.Int64 // unix nanoseconds of the last frame received
	pinged   atomic.Bool  // a ping is out and unanswered
	pingedAt atomic.Int64 // when it was sent

	// Requests run one at a time, in order, on a goroutine started when
	// there is work (an idle connection keeps no worker).
	wmu     sync.Mutex
	work    []inMsg
	working bool

	writing atomic.Bool   // a writer goroutine is running
	wake    chan struct{} // wakes a lingering writer
	closing atomic.Bool   // closeWith ran
	// waitMu orders the read loop's look at the read buffer before the
	// closing handshake, which reads from the same buffer on another
	// goroutine.
	waitMu sync.Mutex

	// connected is owned by the request worker; uid and token (the
	// logged-in user and their token) are guarded by wmu, because end
	// reads them after the read loop stopped. Only the id is kept: the
	// user is read afresh for each request.
	connected bool
	uid       string
	token     string
}

// newSession prepares a session for an accepted socket.
func (h *Handler) newSession(ws *websocket.Conn) *session {
	s := &session{h: h, ws: ws, id: chat.NewID(), wake: make(chan struct{}, 1)}
	s.rt = h.hub.Connect(s.id, s.kick)
	s.lastRead.Store(time.Now().UnixNano())
	return s
}

// send queues a frame; false means the connection is closed.
func (s *session) send(frame []byte) bool { return s.rt.Send(frame) }

// readLoop reads frames until the socket ends, answering pings itself and
// queueing everything else for the request worker, so that a slow method
// never delays a pong.
func (s *session) readLoop() {
	defer s.end()
	for {
		s.waitForData()
		// No context: closing the socket ends the read, and a cancellable
		// one would cost an allocation per frame and per idle connection.
		_, data, err := s.ws.Read(context.Background())
		if err != nil {
			return
		}
		s.lastRead.Store(time.Now().UnixNano())
		s.pinged.Store(false)
		var m inMsg
		if err := json.Unmarshal(data, &m); err != nil {
			s.send(errorFrame("Parse error", nil))
			continue
		}
		switch m.Msg {
		case "ping":
			s.send(pongFrameWithID(m.ID))
		case "pong":
		case "":
			s.send(errorFrame("Bad request", data))
		default:
			if !s.enqueue(m) {
				s.closeWith(closeTooBusy, "too many requests waiting")
				return
			}
		}
	}
}

// enqueue adds a request for the worker, starting it when idle.
func (s *session) enqueue(m inMsg) bool {
	s.wmu.Lock()
	if len(s.work) >= s.h.maxPending {
		s.wmu.Unlock()
		return false
	}
	s.work = append(s.work, m)
	start := !s.working
	s.working = true
	s.wmu.Unlock()
	if start {
		go s.runWork()
	}
	return true
}

// runWork processes queued requests in order until none is left.
func (s *session) runWork() {
	for {
		s.wmu.Lock()
		if len(s.work) == 0 || s.ended.Load() {
			s.work = nil
			s.working = false
			s.wmu.Unlock()
			return
		}
		m := s.work[0]
		s.work[0] = inMsg{}
		s.work = s.work[1:]
		s.wmu.Unlock()
		s.process(m)
	}
}

// process handles one request, never letting a panic take the server down.
func (s *session) process(m inMsg) {
	defer func() {
		if p := recover(); p != nil {
			s.h.log.Error("ddp: request panicked", "msg", m.Msg, "method", m.Method, "name", m.Name,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if m.Msg == "method" && len(m.ID) > 0 {
				s.send(resultFrame(m.ID, nil, internalError()))
				s.send(updatedFrame(m.ID))
			}
		}
	}()
	if m.Msg == "connect" {
		s.connect(m)
		return
	}
	if !s.connected {
		s.send(errorFrame("Must connect first", mustJSON(m)))
		return
	}
	switch m.Msg {
	case "method":
		s.method(m)
	case "sub":
		s.subscribe(m)
	case "unsub":
		if len(m.ID) == 0 {
			s.send(errorFrame("Bad request", mustJSON(m)))
			return
		}
		s.h.hub.Unsubscribe(s.rt, idKey(m.ID))
		s.send(nosubFrame(m.ID, nil))
	default:
		s.send(errorFrame("Bad request", mustJSON(m)))
	}
}

// supportedVersions are the DDP versions served, in order of preference:
// "1" (current clients), "pre2" (the old @rocket.chat/sdk via ddp.js) and
// "pre1".
var supportedVersions = []string{"1", "pre2", "pre1"}

// connect answers the DDP handshake.
func (s *session) connect(m inMsg) {
	if s.connected {
		s.send(errorFrame("Already connected", mustJSON(m)))
		return
	}
	for _, v := range supportedVersions {
		if m.Version == v {
			s.connected = true
			s.h.connected.Add(1)
			s.send(connectedFrame(s.id))
			return
		}
	}
	// Suggest the best version both sides know, then hang up, as Meteor.
	suggest := supportedVersions[0]
	for _, want := range m.Support {
		if contains(supportedVersions, want) {
			suggest = want
			break
		}
	}
	s.send(failedFrame(suggest))
	go func() {
		// Let the writer flush the answer before closing.
		time.Sleep(100 * time.Millisecond)
		s.closeWith(websocket.StatusPolicyViolation, "unsupported DDP version")
	}()
}

// kick starts the writer when frames are waiting; the hub calls it when a
// connection's queue turns non-empty.
func (s *session) kick() {
	if closed, reason := s.rt.Closed(); closed {
		// Closed by the hub (a slow consumer): hang up now rather than when
		// a writer blocked on the full socket gives up.
		s.closeFor(reason)
	} else if s.writing.CompareAndSwap(false, true) {
		go s.writeLoop()
		return
	}
	// A writer runs; if it waits for work (or for the end), wake it.
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// writerLinger is how long a writer waits for more frames before it exits.
// A connection receiving events keeps its writer (starting one per frame
// would cost a goroutine start and stack growth each time); an idle one
// keeps none.
const writerLinger = 5 * time.Second

// writeLoop writes queued frames, lingering for more while they come, and
// exits once the connection has been quiet for writerLinger.
func (s *session) writeLoop() {
	var batch [][]byte
	var linger *time.Timer
	defer func() {
		if linger != nil {
			linger.Stop()
		}
	}()
	for {
		batch = s.rt.Take(batch[:0])
		if closed, reason := s.rt.Closed(); closed {
			s.writing.Store(false)
			s.closeFor(reason)
			return
		}
		if len(batch) == 0 {
			if linger == nil {
				linger = time.NewTimer(writerLinger)
			} else {
				linger.Reset(writerLinger)
			}
			select {
			case <-s.wake:
				continue
			case <-linger.C:
			}
			s.writing.Store(false)
			// A frame queued after Take but before the flag was cleared
			// found the writer running and did not start one: look again.
			if s.rt.Pending() == 0 || !s.writing.CompareAndSwap(false, true) {
				return
			}
			continue
		}
		if !s.write(batch) {
			s.writing.Store(false)
			s.closeWith(websocket.StatusAbnormalClosure, "write failed")
			return
		}
		clear(batch)
	}
}

// write writes a batch of frames, bounded by the write timeout.
func (s *session) write(batch [][]byte) bool {
	// A deadline on the socket bounds the batch; it costs less than a
	// context with a timeout per frame, which the library would register
	// and unregister on every write.
	ctx := context.Background()
	if s.netConn != nil {
		_ = s.netConn.SetWriteDeadline(time.Now().Add(s.h.writeTimeout))
	} else {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.h.writeTimeout)
		defer cancel()
	}
	for _, f := range batch {
		if err := s.ws.Write(ctx, websocket.MessageText, f); err != nil {
			return false
		}
	}
	return true
}

// waitForData parks the read loop until the client sends something,
// unless a frame is buffered already (see readWaiter).
func (s *session) waitForData() {
	if s.waiter == nil {
		return
	}
	s.waitMu.Lock()
	if s.closing.Load() {
		s.waitMu.Unlock()
		return
	}
	buffered := s.waiter.buffered()
	s.waitMu.Unlock()
	if !buffered {
		s.waiter.park()
	}
}

// closeFor closes the socket because the hub closed the connection.
func (s *session) closeFor(reason string) {
	code := websocket.StatusNormalClosure
	if len(reason) >= 13 && reason[:13] == "slow consumer" {
		code = closeSlowConsumer
	}
	s.closeWith(code, reason)
}

// checkIdle pings a client silent for a ping interval, and closes it when
// it stays silent for another; any frame counts as an answer. The
// handler's idle loop calls it for every session.
func (s *session) checkIdle(now time.Time) {
	idle := now.Sub(time.Unix(0, s.lastRead.Load()))
	switch {
	case idle < s.h.pingInterval:
	case !s.pinged.Load():
		s.pinged.Store(true)
		s.pingedAt.Store(now.UnixNano())
		s.send(pingFrame)
	case now.Sub(time.Unix(0, s.pingedAt.Load())) >= s.h.pingInterval:
		s.closeWith(closeIdle, "ping timeout")
	}
}

// idleLoop checks every session a few times per ping interval. One loop
// for all sessions costs less than a timer per connection.
func (h *Handler) idleLoop() {
	defer close(h.idleDone)
	tick := time.NewTicker(h.pingInterval / 4)
	defer tick.Stop()
	var batch []*session
	for {
		select {
		case <-h.stopIdle:
			return
		case now := <-tick.C:
			h.mu.Lock()
			batch = batch[:0]
			for s := range h.sessions {
				batch = append(batch, s)
			}
			h.mu.Unlock()
			for _, s := range batch {
				s.checkIdle(now)
			}
			clear(batch)
		}
	}
}

// closeWith closes the socket with a status and reason, once.
func (s *session) closeWith(code websocket.StatusCode, reason string) {
	// A flag rather than a sync.Once: closing the hub's side calls back
	// into kick, which may call here again.
	if !s.closing.CompareAndSwap(false, true) {
		return
	}
	// From here on the read loop no longer looks at the read buffer, which
	// the closing handshake below reads.
	s.waitMu.Lock()
	s.waitMu.Unlock() //nolint:staticcheck // an empty critical section is the point
	s.rt.Close(reason)
	go func() {
		// Close waits for the client's close frame (up to 5s); do not
		// hold up the caller.
		_ = s.ws.Close(code, reason)
	}()
}

// end runs when the read loop stops: it forgets the connection everywhere.
func (s *session) end() {
	s.ended.Store(true)
	s.closeWith(websocket.StatusNormalClosure, "")
	_ = s.ws.CloseNow()
	if s.connected {
		s.h.connected.Add(-1)
	}
	s.setUser("", "")
	s.h.hub.Remove(s.rt)
	s.h.connections.Add(-1)
	s.h.mu.Lock()
	delete(s.h.sessions, s)
	s.h.mu.Unlock()
	s.h.wg.Done()
}

// setUser records the logged-in user ("" for none), keeping the
// authenticated count. It is called by the request worker, and by end
// once the read loop stopped, while the worker may still run.
func (s *session) setUser(uid, token string) {
	s.wmu.Lock()
	if uid != "" && s.ended.Load() {
		// A login that finished after the connection ended.
		s.wmu.Unlock()
		return
	}
	was := s.uid != ""
	s.uid, s.token = uid, token
	s.wmu.Unlock()
	switch {
	case was && uid == "":
		s.h.authenticated.Add(-1)
	case !was && uid != "":
		s.h.authenticated.Add(1)
	}
}

// actor returns the logged-in user, read afresh so that role changes,
// deactivation and a token revoked elsewhere apply to a connection that
// stays open; a revoked token logs the connection out. It returns nil
// when nobody is logged in.
func (s *session) actor(ctx context.Context) (*chat.User, string, error) {
	s.wmu.Lock()
	uid, token := s.uid, s.token
	s.wmu.Unlock()
	if uid == "" {
		return nil, "", nil
	}
	u, err := s.h.core.AuthenticateToken(ctx, token)
	switch {
	case err == nil:
		return u, token, nil
	case chat.IsKind(err, chat.EUnauthorized):
		s.logout()
		return nil, "", nil
	}
	return nil, "", err
}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
