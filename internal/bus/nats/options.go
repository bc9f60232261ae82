package nats

import (
	"time"

	natsgo "github.com/nats-io/nats.go"
)

// Defaults for the zero values of Options.
const (
	DefaultPrefix         = "liftoff."
	DefaultName           = "liftoff"
	DefaultConnectTimeout = 2 * time.Second
	DefaultReconnectWait  = 2 * time.Second
	DefaultBuffer         = 1024 // events per subscription
)

// Options configure a Bus. The zero value is a working configuration.
type Options struct {
	// Prefix is prepended to every topic to make the subject, so that
	// several deployments, or tests, can share a NATS server. A missing
	// final dot is added. Default "liftoff.".
	Prefix string
	// Name is the connection name the server shows in its monitoring,
	// e.g. the instance's host name. Default "liftoff".
	Name string
	// ConnectTimeout bounds each attempt to connect, and the round trip of
	// Subscribe and Ping when their context has no deadline. Default 2s.
	ConnectTimeout time.Duration
	// ReconnectWait is the pause between attempts to reconnect to the same
	// server. Default 2s.
	ReconnectWait time.Duration
	// MaxReconnects is how many attempts to reconnect are made before the
	// bus gives up and closes; 0 or -1 means forever, which is what a
	// server wants: a bus that gave up stays down until a restart.
	MaxReconnects int
	// ReconnectBuffer is how many bytes of events Publish may queue while
	// disconnected, to send once reconnected. The default, 0, queues none:
	// Publish fails with EUnavailable, so the failure is counted and
	// clients catch up from history, rather than receiving stale events
	// late.
	ReconnectBuffer int
	// Buffer is how many events a subscription holds for its reader before
	// further events are dropped for it. Default 1024.
	Buffer int
	// OnDrop, if set, is called with the subscription's topic (as given to
	// Subscribe) each time an event is dropped because that subscription's
	// buffer is full; metrics count drops with it. It runs on the
	// subscription's delivery goroutine and must not block.
	OnDrop func(topic string)
}

// withDefaults returns o with zero values replaced by defaults.
func (o Options) withDefaults() (Options, error) {
	prefix, err := normalizePrefix(o.Prefix)
	if err != nil {
		return o, err
	}
	o.Prefix = prefix
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.ReconnectWait <= 0 {
		o.ReconnectWait = DefaultReconnectWait
	}
	if o.MaxReconnects == 0 {
		o.MaxReconnects = -1
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	return o, nil
}

// natsOptions translates o for nats.go; handlers are added by Open.
func (o Options) natsOptions() []natsgo.Option {
	reconnectBuf := o.ReconnectBuffer
	if reconnectBuf <= 0 {
		reconnectBuf = -1 // nats.go: -1 disables the buffer, 0 means 8 MB
	}
	return []natsgo.Option{
		natsgo.Name(o.Name),
		natsgo.Timeout(o.ConnectTimeout),
		natsgo.ReconnectWait(o.ReconnectWait),
		natsgo.MaxReconnects(o.MaxReconnects),
		natsgo.ReconnectBufSize(reconnectBuf),
		// Keep retrying a server that is down at start too; Open waits
		// for the first connection as long as its context allows.
		natsgo.RetryOnFailedConnect(true),
	}
}
