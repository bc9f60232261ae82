package nats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	neturl "net/url"
	"slices"
	"sync"
	"sync/atomic"

	natsgo "github.com/nats-io/nats.go"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Bus is a chat.Bus over one NATS connection. It is safe for concurrent
// use.
//
// Lock order: Bus.mu before subscription.mu. nats.go's own locks are never
// taken while either is held, except by the non-blocking channel send in
// delivery.
type Bus struct {
	nc      *natsgo.Conn
	opts    Options
	log     *slog.Logger
	encs    sync.Pool // of *encoder
	dropped atomic.Uint64

	mu     sync.Mutex // guards closed and subs
	closed bool
	subs   map[*subscription]struct{}
	done   chan struct{} // closed with closed, for Open to stop waiting
}

var _ chat.Bus = (*Bus)(nil)

// encoder is a reusable buffer and the encoder writing into it.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooledBuffer keeps the rare huge event from pinning its buffer in
// the pool.
const maxPooledBuffer = 64 << 10

// Open connects to the NATS server at url (a comma-separated list for a
// cluster; user and password may be in the URL) and returns the bus once
// connected. If the server is down it keeps trying until ctx is done, so
// an instance started before NATS waits instead of failing; nats.go does
// not take a context, so the first attempt may outlast ctx by up to
// Options.ConnectTimeout. A URL that does not parse fails with EInvalid,
// without the URL's password in the message.
func Open(ctx context.Context, url string, opts Options, logger *slog.Logger) (*Bus, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Bus{
		opts: o,
		log:  logger,
		subs: map[*subscription]struct{}{},
		done: make(chan struct{}),
	}
	b.encs.New = func() any {
		e := &encoder{}
		e.enc = json.NewEncoder(&e.buf)
		// Data is already JSON made by the publisher; HTML-escaping it
		// would change its bytes for nothing.
		e.enc.SetEscapeHTML(false)
		return e
	}

	connected := make(chan struct{})
	var once sync.Once
	nopts := append(o.natsOptions(),
		natsgo.ConnectHandler(func(*natsgo.Conn) { once.Do(func() { close(connected) }) }),
		natsgo.DisconnectErrHandler(b.disconnected),
		natsgo.ReconnectHandler(b.reconnected),
		natsgo.ReconnectErrHandler(func(_ *natsgo.Conn, err error) {
			b.log.Debug("nats connect attempt failed", "error", err)
		}),
		natsgo.ClosedHandler(func(*natsgo.Conn) { b.shutdown() }),
		natsgo.ErrorHandler(b.asyncError),
	)
	nc, err := natsgo.Connect(url, nopts...)
	if urlErr := (*neturl.Error)(nil); errors.As(err, &urlErr) {
		// The parse error quotes the URL, password and all; it must not
		// reach a log.
		return nil, chat.Errorf(chat.EInvalid, "", "invalid nats url %s: %v", redactURL(url), urlErr.Err)
	}
	if err != nil {
		return nil, unavailable("connect to nats", err)
	}
	b.nc = nc

	if !nc.IsConnected() {
		b.log.Warn("waiting for nats", "error", nc.LastError())
		select {
		case <-connected:
		case <-b.done:
			return nil, unavailable("connect to nats", nc.LastError())
		case <-ctx.Done():
			lastErr := nc.LastError()
			nc.Close()
			return nil, unavailable("connect to nats", errors.Join(ctx.Err(), lastErr))
		}
	}
	b.log.Info("nats connected", "url", nc.ConnectedUrlRedacted(), "max_payload", nc.MaxPayload())
	return b, nil
}

// Publish encodes ev once and publishes it to the topic's subject. It does
// not wait for the server, so the context is not consulted: the event
// announces a change that is already committed and should go out even if
// the request that made it was abandoned.
//
// While disconnected it fails with EUnavailable, unless
// Options.ReconnectBuffer lets it queue. An event larger than the server's
// max_payload fails with ETooLarge; Data that is not JSON with EInvalid.
// Delivery is at most once.
func (b *Bus) Publish(_ context.Context, topic string, ev chat.Event) error {
	if err := checkTopic(topic, false); err != nil {
		return err
	}
	e := b.encs.Get().(*encoder)
	defer func() {
		if e.buf.Cap() <= maxPooledBuffer {
			b.encs.Put(e)
		}
	}()
	e.buf.Reset()
	if err := e.enc.Encode(ev); err != nil {
		return &chat.Error{Kind: chat.EInvalid, Message: "cannot encode bus event", Err: err}
	}
	data := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))

	err := b.nc.Publish(b.opts.Prefix+topic, data)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, natsgo.ErrMaxPayload):
		return &chat.Error{Kind: chat.ETooLarge, Err: err,
			Message: fmt.Sprintf("bus event of %d bytes exceeds the nats max_payload of %d", len(data), b.nc.MaxPayload())}
	default:
		return b.connError("publish", err)
	}
}

// Subscribe subscribes to the topic's subject and returns once the server
// has confirmed it, so an event published after it returns, from any
// connection, is delivered. That needs a round trip to the server, bounded
// by ctx or, if it has no deadline, by Options.ConnectTimeout; while
// disconnected it fails with EUnavailable.
func (b *Bus) Subscribe(ctx context.Context, topic string) (chat.BusSubscription, error) {
	if err := checkTopic(topic, true); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &subscription{bus: b, topic: topic, ch: make(chan chat.Event, b.opts.Buffer)}
	ns, err := b.nc.Subscribe(b.opts.Prefix+topic, s.deliver)
	if err != nil {
		return nil, b.connError("subscribe", err)
	}
	s.ns = ns
	// Bound what nats.go queues ahead of the handler to one more buffer's
	// worth: the queue only grows when decoding falls behind, and then
	// dropping early keeps memory at about twice Buffer events per
	// subscription. Those drops are counted too (countNATSDrops).
	if err := ns.SetPendingLimits(b.opts.Buffer, natsgo.DefaultSubPendingBytesLimit); err != nil {
		_ = ns.Unsubscribe()
		return nil, b.connError("subscribe", err)
	}

	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		_ = ns.Unsubscribe()
		return nil, errClosed()
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()

	if err := b.roundTrip(ctx, "subscribe"); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Ping makes a round trip to the server, bounded like Subscribe's; it
// fails with EUnavailable while disconnected.
func (b *Bus) Ping(ctx context.Context) error {
	return b.roundTrip(ctx, "ping")
}

// roundTrip sends a PING and waits for the PONG. The server handles a
// connection's messages in order, so the PONG also confirms every
// subscription made before it.
func (b *Bus) roundTrip(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// nats.go would queue the PING until reconnected; fail now instead.
	if !b.nc.IsConnected() {
		return b.connError(op, natsgo.ErrDisconnected)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.opts.ConnectTimeout)
		defer cancel()
	}
	if err := b.nc.FlushWithContext(ctx); err != nil {
		return b.connError(op, err)
	}
	return nil
}

// Close closes every subscription's channel, sends what is still
// buffered, and closes the connection. Closing twice is harmless.
func (b *Bus) Close() error {
	b.shutdown()
	if b.nc.IsConnected() {
		// Wait until the server has what was published before Close, as
		// far as a bounded wait allows; the events are best effort anyway.
		_ = b.nc.FlushTimeout(b.opts.ConnectTimeout)
	}
	b.nc.Close()
	return nil
}

// shutdown marks the bus closed and closes every subscription's channel.
// It runs on Close and when nats.go gives the connection up for good.
// Subscriptions are not unsubscribed one by one: closing the connection
// ends them all.
func (b *Bus) shutdown() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	close(b.done)
	subs := b.subs
	b.subs = nil
	b.mu.Unlock()
	for s := range subs {
		s.closeChannel()
	}
}

func (b *Bus) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// forget removes s from the subscriptions the bus closes on shutdown.
func (b *Bus) forget(s *subscription) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// drop counts n events lost for s because its buffer was full.
func (b *Bus) drop(s *subscription, n uint64) {
	b.dropped.Add(n)
	if b.opts.OnDrop != nil {
		for range n {
			b.opts.OnDrop(s.topic)
		}
	}
	if s.drops.Add(n) == n {
		b.log.Warn("bus subscriber is not keeping up, dropping events", "topic", s.topic, "buffer", b.opts.Buffer)
	}
}

// Dropped returns how many events were dropped, over all subscriptions,
// because a subscription's buffer was full, whether its channel or the
// queue of nats.go ahead of it.
func (b *Bus) Dropped() uint64 {
	b.mu.Lock()
	subs := slices.Collect(maps.Keys(b.subs))
	b.mu.Unlock()
	for _, s := range subs {
		s.countNATSDrops(s.ns)
	}
	return b.dropped.Load()
}

// MaxPayload returns the largest encoded event, in bytes, that the server
// accepts (its max_payload, 1 MB unless configured).
func (b *Bus) MaxPayload() int { return int(b.nc.MaxPayload()) }

func (b *Bus) disconnected(_ *natsgo.Conn, err error) {
	if !b.isClosed() {
		b.log.Warn("nats disconnected", "error", err)
	}
}

func (b *Bus) reconnected(nc *natsgo.Conn) {
	b.log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted())
}

// asyncError logs errors nats.go reports outside any call, such as a slow
// consumer: deliver never blocks, so that means decoding cannot keep up
// with the publishers.
func (b *Bus) asyncError(_ *natsgo.Conn, ns *natsgo.Subscription, err error) {
	if ns != nil {
		b.log.Warn("nats error", "subject", ns.Subject, "error", err)
		return
	}
	b.log.Warn("nats error", "error", err)
}

// connError turns an error of nats.go about the connection into a chat
// error: EUnavailable, saying whether the bus is closed or the connection
// is down for now.
func (b *Bus) connError(op string, err error) error {
	if b.isClosed() || b.nc.IsClosed() {
		return &chat.Error{Kind: chat.EUnavailable, Message: "bus closed", Err: err}
	}
	return unavailable("nats "+op, err)
}

func unavailable(what string, err error) error {
	return &chat.Error{Kind: chat.EUnavailable, Message: fmt.Sprintf("%s: %v", what, err), Err: err}
}

func errClosed() error { return chat.Errorf(chat.EUnavailable, "", "bus closed") }
