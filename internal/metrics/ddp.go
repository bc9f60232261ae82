package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// SessionStats is what the realtime hub reports about its connections at
// each scrape.
type SessionStats struct {
	// Connections are open WebSocket connections, DDP handshake done or not.
	Connections int
	// Sessions are DDP sessions (connect answered with connected).
	Sessions int
	// Authenticated are sessions that logged in.
	Authenticated int
	// Users are the distinct users behind the authenticated sessions.
	Users int
}

// ObserveMethod records one DDP method call. method must come from the
// set of methods the server knows (pass "unknown" otherwise), because each
// name is a label value and clients may send anything.
func (m *Metrics) ObserveMethod(method string, hasConnection, hasUser bool, elapsed time.Duration) {
	if m == nil {
		return
	}
	m.methods.WithLabelValues(method, strconv.FormatBool(hasConnection), strconv.FormatBool(hasUser)).Observe(elapsed.Seconds())
	m.methodDuration.Observe(elapsed.Seconds())
}

// ObserveSubscription records the time a DDP subscription took to become
// ready. name must be a publication the server knows.
func (m *Metrics) ObserveSubscription(name string, elapsed time.Duration) {
	if m == nil {
		return
	}
	m.subscriptions.WithLabelValues(name).Observe(elapsed.Seconds())
}

// SlowConsumerClosed counts a connection closed because it could not keep
// up with its send queue.
func (m *Metrics) SlowConsumerClosed() {
	if m == nil {
		return
	}
	m.slowConsumers.Inc()
}

// SetSessionStats registers the function the hub answers SessionStats
// with; it is called at each scrape, so it must be cheap. Until it is set,
// the DDP gauges read zero.
func (m *Metrics) SetSessionStats(fn func() SessionStats) {
	if m == nil {
		return
	}
	m.live.mu.Lock()
	m.live.sessions = fn
	m.live.mu.Unlock()
}

// SetInstanceCount registers the function that counts the live instances
// of the deployment, for rocketchat_instance_count. Until it is set the
// metric is not exported, rather than reporting a guess.
func (m *Metrics) SetInstanceCount(fn func() int) {
	if m == nil {
		return
	}
	m.live.mu.Lock()
	m.live.instances = fn
	m.live.mu.Unlock()
}

// ObserveRoundtrip records the time from a message's save (its event time)
// to its event coming back to this instance from the bus.
func (m *Metrics) ObserveRoundtrip(savedAt time.Time) {
	if m == nil {
		return
	}
	m.busReceived.Inc()
	// Rocket.Chat observes milliseconds here (Date.now() minus the
	// message's update time), unlike its other summaries; its dashboards
	// are drawn in ms.
	ms := float64(time.Since(savedAt)) / float64(time.Millisecond)
	if ms < 0 {
		ms = 0 // clocks of two instances disagree
	}
	m.roundtrip.Observe(ms)
}

// liveCollector reports values read at scrape time: build info, DDP
// sessions from the hub, the instance count.
type liveCollector struct {
	version string
	info    func() (uniqueID, siteURL string)

	mu        sync.Mutex
	sessions  func() SessionStats
	instances func() int

	infoDesc, versionDesc             *prometheus.Desc
	sessionsDesc, authDesc, usersDesc *prometheus.Desc
	connectionsDesc, instancesDesc    *prometheus.Desc
}

func newLiveCollector(version string, info func() (string, string)) *liveCollector {
	return &liveCollector{
		version:         version,
		info:            info,
		infoDesc:        prometheus.NewDesc("rocketchat_info", "Rocket.Chat info", []string{"version", "unique_id", "site_url"}, nil),
		versionDesc:     prometheus.NewDesc("rocketchat_version", "Rocket.Chat version", []string{"version"}, nil),
		sessionsDesc:    prometheus.NewDesc("rocketchat_ddp_sessions_count", "number of open ddp sessions", nil, nil),
		authDesc:        prometheus.NewDesc("rocketchat_ddp_sessions_auth", "number of authenticated open ddp sessions", nil, nil),
		usersDesc:       prometheus.NewDesc("rocketchat_ddp_connected_users", "number of unique connected users", nil, nil),
		connectionsDesc: prometheus.NewDesc("liftoff_ddp_connections", "Open WebSocket connections on this instance.", nil, nil),
		instancesDesc:   prometheus.NewDesc("rocketchat_instance_count", "instances running", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *liveCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.infoDesc, c.versionDesc, c.sessionsDesc, c.authDesc, c.usersDesc, c.connectionsDesc, c.instancesDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *liveCollector) Collect(ch chan<- prometheus.Metric) {
	var uid, site string
	if c.info != nil {
		uid, site = c.info()
	}
	ch <- prometheus.MustNewConstMetric(c.infoDesc, prometheus.GaugeValue, 1, c.version, uid, site)
	ch <- prometheus.MustNewConstMetric(c.versionDesc, prometheus.GaugeValue, 1, c.version)
	c.mu.Lock()
	sessions, instances := c.sessions, c.instances
	c.mu.Unlock()
	var st SessionStats
	if sessions != nil {
		st = sessions()
	}
	ch <- prometheus.MustNewConstMetric(c.sessionsDesc, prometheus.GaugeValue, float64(st.Sessions))
	ch <- prometheus.MustNewConstMetric(c.authDesc, prometheus.GaugeValue, float64(st.Authenticated))
	ch <- prometheus.MustNewConstMetric(c.usersDesc, prometheus.GaugeValue, float64(st.Users))
	ch <- prometheus.MustNewConstMetric(c.connectionsDesc, prometheus.GaugeValue, float64(st.Connections))
	if instances != nil {
		ch <- prometheus.MustNewConstMetric(c.instancesDesc, prometheus.GaugeValue, float64(instances()))
	}
}
