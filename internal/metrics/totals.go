package metrics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// DefaultTotalsInterval is how often the user, room and message totals are
// counted. Counting runs in the background, never in a scrape, so that a
// Prometheus scraping every few seconds adds no load on the database.
const DefaultTotalsInterval = 60 * time.Second

// totalsPage is how many rooms one query reads while summing message
// counters.
const totalsPage = 500

// totalGauges are the Rocket.Chat gauges the totals collector exports, with
// their help text. Every instance exports the same values; dashboards take
// max() over instances, not sum().
var totalGauges = []struct{ name, help string }{
	{"rocketchat_users_total", "total of users"},
	{"rocketchat_users_active", "total of active users"},
	{"rocketchat_users_non_active", "total of non active users"},
	{"rocketchat_users_online", "total of users online"},
	{"rocketchat_users_away", "total of users away"},
	{"rocketchat_users_offline", "total of users offline"},
	{"rocketchat_rooms_total", "total of rooms"},
	{"rocketchat_channels_total", "total of public rooms/channels"},
	{"rocketchat_private_groups_total", "total of private rooms"},
	{"rocketchat_direct_total", "total of direct rooms"},
	{"rocketchat_livechat_total", "total of livechat rooms"},
	{"rocketchat_messages_total", "total of messages"},
	{"rocketchat_channel_messages_total", "total of messages in public rooms"},
	{"rocketchat_private_group_messages_total", "total of messages in private rooms"},
	{"rocketchat_direct_messages_total", "total of messages in direct rooms"},
	{"rocketchat_livechat_messages_total", "total of messages in livechat rooms"},
}

// totalsCollector exports the last counted totals. Until the first count
// has finished it exports none, rather than zeros that would read as data.
type totalsCollector struct {
	descs     map[string]*prometheus.Desc
	refreshed *prometheus.Desc
	failures  prometheus.Counter

	mu     sync.Mutex
	values map[string]float64
	at     time.Time
}

func newTotalsCollector() *totalsCollector {
	c := &totalsCollector{
		descs:     make(map[string]*prometheus.Desc, len(totalGauges)),
		refreshed: prometheus.NewDesc("liftoff_totals_refreshed_timestamp_seconds", "When the user, room and message totals were last counted.", nil, nil),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liftoff_totals_refresh_errors_total",
			Help: "Counts of the user, room and message totals that failed.",
		}),
	}
	for _, g := range totalGauges {
		c.descs[g.name] = prometheus.NewDesc(g.name, g.help, nil, nil)
	}
	return c
}

// Describe implements prometheus.Collector.
func (c *totalsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, g := range totalGauges {
		ch <- c.descs[g.name]
	}
	ch <- c.refreshed
	c.failures.Describe(ch)
}

// Collect implements prometheus.Collector.
func (c *totalsCollector) Collect(ch chan<- prometheus.Metric) {
	c.failures.Collect(ch)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.values == nil {
		return
	}
	for _, g := range totalGauges {
		ch <- prometheus.MustNewConstMetric(c.descs[g.name], prometheus.GaugeValue, c.values[g.name])
	}
	ch <- prometheus.MustNewConstMetric(c.refreshed, prometheus.GaugeValue, float64(c.at.UnixNano())/1e9)
}

// RefreshTotals counts users, rooms and messages in st now and makes the
// counts the exported values.
func (m *Metrics) RefreshTotals(ctx context.Context, st chat.Store) error {
	v, err := countTotals(ctx, st)
	if err != nil {
		m.totals.failures.Inc()
		return err
	}
	m.totals.mu.Lock()
	m.totals.values, m.totals.at = v, time.Now()
	m.totals.mu.Unlock()
	return nil
}

// watchTotals refreshes the totals at once, then every interval, until ctx
// ends.
func (m *Metrics) watchTotals(ctx context.Context, st chat.Store, every time.Duration) {
	if every <= 0 {
		every = DefaultTotalsInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := m.RefreshTotals(ctx, st); err != nil && ctx.Err() == nil {
			m.log.Warn("count totals for metrics", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// countTotals asks the store for Rocket.Chat's statistics. Message totals
// add up the rooms' message counters, as Rocket.Chat's statistics do,
// instead of counting the message table.
func countTotals(ctx context.Context, st chat.Store) (map[string]float64, error) {
	v := make(map[string]float64, len(totalGauges))
	yes, no := true, false
	users := []struct {
		name string
		f    chat.UserFilter
	}{
		{"rocketchat_users_total", chat.UserFilter{}},
		{"rocketchat_users_active", chat.UserFilter{Active: &yes}},
		{"rocketchat_users_non_active", chat.UserFilter{Active: &no}},
		{"rocketchat_users_online", chat.UserFilter{Statuses: []string{chat.StatusOnline}}},
		{"rocketchat_users_away", chat.UserFilter{Statuses: []string{chat.StatusAway}}},
		{"rocketchat_users_offline", chat.UserFilter{Statuses: []string{chat.StatusOffline}}},
	}
	for _, u := range users {
		n, err := st.CountUsers(ctx, u.f)
		if err != nil {
			return nil, fmt.Errorf("count users: %w", err)
		}
		v[u.name] = float64(n)
	}
	roomGauge := map[chat.RoomType]string{
		chat.RoomChannel:  "rocketchat_channels_total",
		chat.RoomGroup:    "rocketchat_private_groups_total",
		chat.RoomDirect:   "rocketchat_direct_total",
		chat.RoomLivechat: "rocketchat_livechat_total",
	}
	msgGauge := map[chat.RoomType]string{
		chat.RoomChannel:  "rocketchat_channel_messages_total",
		chat.RoomGroup:    "rocketchat_private_group_messages_total",
		chat.RoomDirect:   "rocketchat_direct_messages_total",
		chat.RoomLivechat: "rocketchat_livechat_messages_total",
	}
	for offset := 0; ; offset += totalsPage {
		rooms, total, err := st.ListRooms(ctx, chat.RoomFilter{Offset: offset, Limit: totalsPage, Sort: []chat.SortField{{Field: "ts"}}})
		if err != nil {
			return nil, fmt.Errorf("list rooms: %w", err)
		}
		v["rocketchat_rooms_total"] = float64(total)
		for _, r := range rooms {
			v[roomGauge[r.Type]]++
			v[msgGauge[r.Type]] += float64(r.Msgs)
			v["rocketchat_messages_total"] += float64(r.Msgs)
		}
		if len(rooms) < totalsPage {
			break
		}
	}
	delete(v, "") // a room type Rocket.Chat has no gauge for
	return v, nil
}
