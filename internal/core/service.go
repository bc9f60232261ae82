package core

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// Config wires a Service.
type Config struct {
	Store  chat.Store
	Bus    chat.Bus
	Logger *slog.Logger
	// Now returns the current time; tests may fix it. Defaults to time.Now.
	Now func() time.Time
	// Version is the build's version, reported by /api/info.
	Version string
	// Markdown parses message text into Rocket.Chat's md tree using the
	// current settings. Nil leaves md empty.
	Markdown func(text string, setting func(id string) (any, bool)) json.RawMessage
	// InstanceID identifies this process among the instances of a
	// deployment.
	InstanceID string
	// Scripts runs integration scripts; nil uses one with default options
	// and AllowOutbound's policy for the scripts' HTTP helper.
	Scripts *hookscript.Engine
	// AllowOutbound, when set, decides which addresses the calls the
	// server makes for its users (outgoing webhooks, scripts' HTTP calls,
	// avatar URLs) may reach, such as PublicAddress. Nil allows any.
	AllowOutbound func(netip.Addr) bool
}

// Service runs the use cases. It is safe for concurrent use.
type Service struct {
	store      chat.Store
	bus        chat.Bus
	log        *slog.Logger
	clock      func() time.Time
	version    string
	markdown   func(string, func(string) (any, bool)) json.RawMessage
	instanceID string
	scripts    *hookscript.Engine
	outgoing   *outgoing // outgoing webhooks (outgoing.go)
	// allowOutbound is the address policy of calls made for users
	// (outbound.go); nil allows any.
	allowOutbound func(netip.Addr) bool

	// settings and permissions are read on every request, so they are
	// cached and refreshed whenever they change (here or, through the bus,
	// on another instance).
	mu       sync.RWMutex
	settings map[string]*chat.Setting
	perms    map[string]map[string]bool // permission id → role set
	started  time.Time

	// OnPublishError, when set, is called for every failed publish (for
	// metrics).
	OnPublishError func(topic string, err error)
	// OnMessageSent, when set, is called after a message is stored.
	OnMessageSent func(m *chat.Message, r *chat.Room)
}

// New returns a Service. Call Init before serving.
func New(cfg Config) *Service {
	s := &Service{
		store:         cfg.Store,
		bus:           cfg.Bus,
		log:           cfg.Logger,
		clock:         cfg.Now,
		version:       cfg.Version,
		markdown:      cfg.Markdown,
		instanceID:    cfg.InstanceID,
		scripts:       cfg.Scripts,
		allowOutbound: cfg.AllowOutbound,
		settings:      map[string]*chat.Setting{},
		perms:         map[string]map[string]bool{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.scripts == nil {
		s.scripts = hookscript.New(hookscript.Options{Logger: s.log, HTTPClient: &http.Client{
			Timeout: hookscript.DefaultTimeout, Transport: outboundTransport(hookscript.DefaultTimeout, s.allowOutbound),
		}})
	}
	s.outgoing = newOutgoing(s)
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.version == "" {
		s.version = "0.0.0-dev"
	}
	s.started = s.now()
	return s
}

// Close stops the outgoing webhook calls in flight and their pending
// retries. Call it before closing the store.
func (s *Service) Close() { s.outgoing.close() }

// Store returns the service's store, for the adapters' health checks.
func (s *Service) Store() chat.Store { return s.store }

// Bus returns the service's bus.
func (s *Service) Bus() chat.Bus { return s.bus }

// Version returns the build's version.
func (s *Service) Version() string { return s.version }

// InstanceID returns this instance's id.
func (s *Service) InstanceID() string { return s.instanceID }

// Started returns when the service was created.
func (s *Service) Started() time.Time { return s.started }

// now returns the current time in UTC, truncated to milliseconds: the
// precision that every backend and both wire formats keep.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// outbox collects the events of one use case, to publish after commit.
type outbox struct {
	items []outItem
	after []func() // run after the publish
}

// afterCommit runs fn once the transaction has committed and its events
// are published.
func (o *outbox) afterCommit(fn func()) { o.after = append(o.after, fn) }

type outItem struct {
	topic string
	ev    chat.Event
}

func (o *outbox) add(topic string, ev chat.Event) {
	o.items = append(o.items, outItem{topic, ev})
}

// addData adds an event whose Data is v encoded as JSON.
func (o *outbox) addData(topic string, ev chat.Event, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// Domain values always encode; a failure here is a programming error.
		panic("core: encode event: " + err.Error())
	}
	ev.Data = data
	o.add(topic, ev)
}

// flush publishes the collected events. It runs after the store commit and
// never fails the use case: clients catch up from history.
func (s *Service) flush(ctx context.Context, o *outbox) {
	if s.bus == nil {
		return
	}
	// Publishing must not be cancelled by a client going away mid-request.
	ctx = context.WithoutCancel(ctx)
	for _, it := range o.items {
		if err := s.bus.Publish(ctx, it.topic, it.ev); err != nil {
			s.log.Warn("publish failed", "topic", it.topic, "kind", it.ev.Kind, "error", err)
			if s.OnPublishError != nil {
				s.OnPublishError(it.topic, err)
			}
		}
	}
}

// tx runs fn in a store transaction and publishes the events it collected
// once the transaction has committed.
func (s *Service) tx(ctx context.Context, fn func(tx chat.Store, o *outbox) error) error {
	var o outbox
	err := s.store.WithTx(ctx, func(tx chat.Store) error {
		o.items, o.after = o.items[:0], nil
		return fn(tx, &o)
	})
	if err != nil {
		return err
	}
	s.flush(ctx, &o)
	for _, fn := range o.after {
		fn()
	}
	return nil
}

// Publish sends an event that needs no store change (typing, presence).
func (s *Service) Publish(ctx context.Context, topic string, ev chat.Event) error {
	if s.bus == nil {
		return nil
	}
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	return s.bus.Publish(ctx, topic, ev)
}
