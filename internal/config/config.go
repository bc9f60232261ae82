// Package config reads Liftoff's configuration from the environment (and
// flags), with defaults that run a complete server when nothing is set.
package config

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the process configuration, passed by value to constructors.
type Config struct {
	// HTTP listener.
	BindIP  string // BIND_IP, default 0.0.0.0
	Port    int    // PORT, default 3000
	RootURL string // ROOT_URL, default http://localhost:<port>

	// DataDir holds the embedded database and files (LIFTOFF_DATA_DIR,
	// default ./data).
	DataDir string
	// DatabaseURL selects the store: empty or sqlite:<path> for the embedded
	// SQLite, postgres://... for PostgreSQL (LIFTOFF_DATABASE_URL).
	DatabaseURL string
	// DBMaxConns and DBConnTimeout size the PostgreSQL pool.
	DBMaxConns    int
	DBConnTimeout time.Duration

	// NATSURL selects the NATS bus; empty means the in-process bus
	// (LIFTOFF_NATS_URL).
	NATSURL string
	// NATSPrefix starts every NATS subject, so that several deployments
	// (or tests) can share one NATS server (LIFTOFF_NATS_PREFIX, default
	// "liftoff.").
	NATSPrefix string
	// HeartbeatInterval is how often an instance announces itself to the
	// others; one silent for three intervals is considered gone and its
	// users' presence is corrected (LIFTOFF_HEARTBEAT_INTERVAL, default 5s).
	HeartbeatInterval time.Duration

	// MetricsAddr is the Prometheus listener (LIFTOFF_METRICS_ADDR);
	// empty means the Prometheus_Port setting decides.
	MetricsAddr string

	LogFormat string // LIFTOFF_LOG_FORMAT: json or text (default text)
	LogLevel  string // LIFTOFF_LOG_LEVEL: debug, info, warn, error

	// DenyPrivateOutbound keeps the calls the server makes for its users
	// (outgoing webhooks, scripts' HTTP calls, avatar URLs) off loopback,
	// private and link-local addresses (LIFTOFF_OUTBOUND_PRIVATE=deny;
	// default allow, as Rocket.Chat does).
	DenyPrivateOutbound bool

	MaxBodyBytes    int64         // LIFTOFF_MAX_BODY_BYTES, default 8 MiB
	ShutdownTimeout time.Duration // LIFTOFF_SHUTDOWN_TIMEOUT, default 25s
	// ShutdownDelay keeps serving, unready, for this long after SIGTERM, so
	// that load balancers stop routing before the listener closes
	// (LIFTOFF_SHUTDOWN_DELAY, default 0: Kubernetes' preStop does it).
	ShutdownDelay time.Duration

	// Env is the whole environment, for settings overrides and ADMIN_*.
	Env map[string]string
}

// Load builds a Config from the environment. getenv is os.Getenv in
// production; environ lists every variable as KEY=VALUE (os.Environ).
func Load(environ []string) (Config, error) {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	get := func(k, def string) string {
		if v, ok := env[k]; ok && v != "" {
			return v
		}
		return def
	}
	var errs []error
	c := Config{
		BindIP:      get("BIND_IP", "0.0.0.0"),
		DataDir:     get("LIFTOFF_DATA_DIR", "data"),
		DatabaseURL: get("LIFTOFF_DATABASE_URL", ""),
		NATSURL:     get("LIFTOFF_NATS_URL", ""),
		NATSPrefix:  get("LIFTOFF_NATS_PREFIX", "liftoff."),
		MetricsAddr: get("LIFTOFF_METRICS_ADDR", ""),
		LogFormat:   get("LIFTOFF_LOG_FORMAT", "text"),
		LogLevel:    get("LIFTOFF_LOG_LEVEL", "info"),
		Env:         env,
	}
	intVar := func(k string, def int) int {
		s := get(k, "")
		if s == "" {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a number", k, s))
			return def
		}
		return n
	}
	durVar := func(k string, def time.Duration) time.Duration {
		s := get(k, "")
		if s == "" {
			return def
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration (e.g. 10s)", k, s))
			return def
		}
		return d
	}
	c.Port = intVar("PORT", 3000)
	c.DBMaxConns = intVar("LIFTOFF_DB_MAX_CONNS", 20)
	c.DBConnTimeout = durVar("LIFTOFF_DB_CONNECT_TIMEOUT", 5*time.Second)
	c.MaxBodyBytes = int64(intVar("LIFTOFF_MAX_BODY_BYTES", 8<<20))
	c.ShutdownTimeout = durVar("LIFTOFF_SHUTDOWN_TIMEOUT", 25*time.Second)
	c.ShutdownDelay = durVar("LIFTOFF_SHUTDOWN_DELAY", 0)
	c.HeartbeatInterval = durVar("LIFTOFF_HEARTBEAT_INTERVAL", 5*time.Second)
	switch v := get("LIFTOFF_OUTBOUND_PRIVATE", "allow"); v {
	case "allow":
	case "deny":
		c.DenyPrivateOutbound = true
	default:
		errs = append(errs, fmt.Errorf("LIFTOFF_OUTBOUND_PRIVATE: want allow or deny, got %q", v))
	}
	c.RootURL = strings.TrimRight(get("ROOT_URL", fmt.Sprintf("http://localhost:%d", c.Port)), "/")
	if err := c.validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// validate reports every problem at once.
func (c Config) validate() error {
	var errs []error
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("PORT: %d is out of range", c.Port))
	}
	if net.ParseIP(c.BindIP) == nil && c.BindIP != "localhost" {
		errs = append(errs, fmt.Errorf("BIND_IP: %q is not an IP address", c.BindIP))
	}
	if c.DatabaseURL != "" && !c.IsPostgres() && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		errs = append(errs, fmt.Errorf("LIFTOFF_DATABASE_URL: want sqlite:<path> or postgres://..., got %q", c.DatabaseURL))
	}
	if c.NATSURL != "" && !strings.HasPrefix(c.NATSURL, "nats://") && !strings.HasPrefix(c.NATSURL, "tls://") {
		errs = append(errs, fmt.Errorf("LIFTOFF_NATS_URL: want nats://host:port, got %q", c.NATSURL))
	}
	if c.HeartbeatInterval < 10*time.Millisecond {
		errs = append(errs, fmt.Errorf("LIFTOFF_HEARTBEAT_INTERVAL: %s is too short (at least 10ms)", c.HeartbeatInterval))
	}
	if strings.ContainsAny(c.NATSPrefix, " *>") || strings.HasPrefix(c.NATSPrefix, ".") || strings.Contains(c.NATSPrefix, "..") {
		errs = append(errs, fmt.Errorf("LIFTOFF_NATS_PREFIX: %q is not a NATS subject prefix (dot-separated tokens, no spaces, '*' or '>')", c.NATSPrefix))
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		errs = append(errs, fmt.Errorf("LIFTOFF_LOG_FORMAT: want json or text, got %q", c.LogFormat))
	}
	return errors.Join(errs...)
}

// IsPostgres reports whether the store is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath returns the embedded database's file.
func (c Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok && p != "" {
		return p
	}
	return filepath.Join(c.DataDir, "liftoff.db")
}

// Addr is the HTTP listen address.
func (c Config) Addr() string { return net.JoinHostPort(c.BindIP, strconv.Itoa(c.Port)) }
