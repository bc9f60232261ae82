package metrics

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// rcCatalogue is Rocket.Chat's definition of each metric Liftoff shares
// with it (apps/meteor/app/metrics/server/lib/metrics.ts): type and label
// names. Same name, type and labels is what lets Rocket.Chat's dashboards
// read Liftoff.
var rcCatalogue = map[string]struct {
	typ    dto.MetricType
	labels []string
}{
	"rocketchat_info":                            {dto.MetricType_GAUGE, []string{"site_url", "unique_id", "version"}},
	"rocketchat_version":                         {dto.MetricType_GAUGE, []string{"version"}},
	"rocketchat_message_sent":                    {dto.MetricType_COUNTER, nil},
	"rocketchat_notification_sent":               {dto.MetricType_COUNTER, []string{"notification_type"}},
	"rocketchat_rest_api":                        {dto.MetricType_SUMMARY, []string{"entrypoint", "method", "status", "user_agent", "version"}},
	"rocketchat_meteor_methods":                  {dto.MetricType_SUMMARY, []string{"has_connection", "has_user", "method"}},
	"rocketchat_meteor_subscriptions":            {dto.MetricType_SUMMARY, []string{"subscription"}},
	"rocketchat_messages_roundtrip_time_summary": {dto.MetricType_SUMMARY, nil},
	"rocketchat_ddp_sessions_count":              {dto.MetricType_GAUGE, nil},
	"rocketchat_ddp_sessions_auth":               {dto.MetricType_GAUGE, nil},
	"rocketchat_ddp_connected_users":             {dto.MetricType_GAUGE, nil},
	"rocketchat_instance_count":                  {dto.MetricType_GAUGE, nil},
	"rocketchat_metrics_requests":                {dto.MetricType_COUNTER, nil},
	"rocketchat_metrics_size":                    {dto.MetricType_GAUGE, nil},
	"rocketchat_users_total":                     {dto.MetricType_GAUGE, nil},
	"rocketchat_users_active":                    {dto.MetricType_GAUGE, nil},
	"rocketchat_users_non_active":                {dto.MetricType_GAUGE, nil},
	"rocketchat_users_online":                    {dto.MetricType_GAUGE, nil},
	"rocketchat_users_away":                      {dto.MetricType_GAUGE, nil},
	"rocketchat_users_offline":                   {dto.MetricType_GAUGE, nil},
	"rocketchat_rooms_total":                     {dto.MetricType_GAUGE, nil},
	"rocketchat_channels_total":                  {dto.MetricType_GAUGE, nil},
	"rocketchat_private_groups_total":            {dto.MetricType_GAUGE, nil},
	"rocketchat_direct_total":                    {dto.MetricType_GAUGE, nil},
	"rocketchat_livechat_total":                  {dto.MetricType_GAUGE, nil},
	"rocketchat_messages_total":                  {dto.MetricType_GAUGE, nil},
	"rocketchat_channel_messages_total":          {dto.MetricType_GAUGE, nil},
	"rocketchat_private_group_messages_total":    {dto.MetricType_GAUGE, nil},
	"rocketchat_direct_messages_total":           {dto.MetricType_GAUGE, nil},
	"rocketchat_livechat_messages_total":         {dto.MetricType_GAUGE, nil},
}

// exercise feeds every hook once, so that every vector has a child.
func exercise(t *testing.T, m *Metrics) {
	t.Helper()
	m.ObserveREST("/api/v1/chat.sendMessage", "POST", 200, 3*time.Millisecond)
	m.ObserveMethod("sendMessage", true, true, 2*time.Millisecond)
	m.ObserveSubscription("stream-room-messages", time.Millisecond)
	m.SlowConsumerClosed()
	m.MessageSent(&chat.Message{ID: "m1", Text: "hi"}, &chat.Room{ID: "GENERAL"})
	m.ObserveRoundtrip(time.Now().Add(-5 * time.Millisecond))
	m.SetSessionStats(func() SessionStats { return SessionStats{Connections: 3, Sessions: 3, Authenticated: 2, Users: 1} })
	m.SetInstanceCount(func() int { return 2 })
	ctx := context.Background()
	b := m.Bus(&fakeBus{})
	if err := b.Publish(ctx, chat.UserTopic("u1"), chat.Event{Kind: chat.EventNotification}); err != nil {
		t.Fatal(err)
	}
	_ = m.Bus(&fakeBus{fail: true}).Publish(ctx, chat.RoomTopic("r1"), chat.Event{Kind: chat.EventMessage})
	st := m.Store(&fakeStore{})
	_, _ = st.RoomByID(ctx, "GENERAL")
	if err := st.Ping(ctx); err == nil {
		t.Fatal("fake store's Ping should fail")
	}
	_ = st.WithTx(ctx, func(tx chat.Store) error {
		_, err := tx.MessageByID(ctx, "m1")
		return err
	})
	if err := m.RefreshTotals(ctx, &fakeStore{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func gather(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*dto.MetricFamily, len(fams))
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

func TestRocketChatNamesTypesAndLabels(t *testing.T) {
	m := New(Options{Version: "7.1.0", Info: func() (string, string) { return "uid-1", "https://chat.example.com" }})
	exercise(t, m)
	fams := gather(t, m)
	for name, want := range rcCatalogue {
		f, ok := fams[name]
		if !ok {
			t.Errorf("%s is not exported", name)
			continue
		}
		if f.GetType() != want.typ {
			t.Errorf("%s: type %s, Rocket.Chat's is %s", name, f.GetType(), want.typ)
		}
		for _, mt := range f.GetMetric() {
			var got []string
			for _, lp := range mt.GetLabel() {
				got = append(got, lp.GetName())
			}
			slices.Sort(got)
			if !slices.Equal(got, want.labels) {
				t.Errorf("%s: labels %v, Rocket.Chat's are %v", name, got, want.labels)
			}
		}
	}
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("runtime metric %s is missing", name)
		}
	}
	for name := range fams {
		if !strings.HasPrefix(name, "rocketchat_") && !strings.HasPrefix(name, "liftoff_") && !strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "process_") {
			t.Errorf("metric %s has none of our prefixes", name)
		}
		if _, rc := rcCatalogue[name]; strings.HasPrefix(name, "rocketchat_") && !rc {
			t.Errorf("%s uses Rocket.Chat's prefix but Rocket.Chat has no such metric", name)
		}
	}
}

func TestRESTLabelsFollowRocketChat(t *testing.T) {
	m := New(Options{})
	m.ObserveREST("/api/v1/chat.sendMessage", "POST", 0, time.Millisecond)
	m.ObserveREST("/api/info", "GET", 200, time.Millisecond)
	fams := gather(t, m)
	var got []map[string]string
	for _, mt := range fams["rocketchat_rest_api"].GetMetric() {
		l := map[string]string{}
		for _, lp := range mt.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		got = append(got, l)
	}
	want := []map[string]string{
		{"method": "post", "entrypoint": "chat.sendMessage", "version": "v1", "status": "200", "user_agent": ""},
		{"method": "get", "entrypoint": "info", "version": "", "status": "200", "user_agent": ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("labels:\n got %v\nwant %v", got, want)
	}
}

func TestInfoAndLiveValues(t *testing.T) {
	m := New(Options{Version: "7.1.0", Info: func() (string, string) { return "uid-1", "https://chat.example.com" }})
	fams := gather(t, m)
	if _, ok := fams["rocketchat_instance_count"]; ok {
		t.Error("rocketchat_instance_count exported before anything counts instances")
	}
	info := fams["rocketchat_info"].GetMetric()[0]
	labels := map[string]string{}
	for _, lp := range info.GetLabel() {
		labels[lp.GetName()] = lp.GetValue()
	}
	if info.GetGauge().GetValue() != 1 || labels["version"] != "7.1.0" || labels["site_url"] != "https://chat.example.com" || labels["unique_id"] != "uid-1" {
		t.Errorf("rocketchat_info = %v %v", info.GetGauge().GetValue(), labels)
	}
	m.SetSessionStats(func() SessionStats { return SessionStats{Connections: 4, Sessions: 3, Authenticated: 2, Users: 1} })
	m.SetInstanceCount(func() int { return 3 })
	fams = gather(t, m)
	for name, want := range map[string]float64{
		"liftoff_ddp_connections":        4,
		"rocketchat_ddp_sessions_count":  3,
		"rocketchat_ddp_sessions_auth":   2,
		"rocketchat_ddp_connected_users": 1,
		"rocketchat_instance_count":      3,
	} {
		if got := fams[name].GetMetric()[0].GetGauge().GetValue(); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestTotalsExportNothingUntilCounted(t *testing.T) {
	m := New(Options{})
	if _, ok := gather(t, m)["rocketchat_users_total"]; ok {
		t.Fatal("totals exported before the first count")
	}
	if err := m.RefreshTotals(context.Background(), &fakeStore{}); err != nil {
		t.Fatal(err)
	}
	fams := gather(t, m)
	for name, want := range map[string]float64{
		"rocketchat_users_total":            5,
		"rocketchat_users_online":           5,
		"rocketchat_rooms_total":            3,
		"rocketchat_channels_total":         1,
		"rocketchat_private_groups_total":   1,
		"rocketchat_direct_total":           1,
		"rocketchat_messages_total":         17,
		"rocketchat_channel_messages_total": 10,
		"rocketchat_direct_messages_total":  2,
	} {
		if got := fams[name].GetMetric()[0].GetGauge().GetValue(); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestSystemMessagesAreNotCountedAsSent(t *testing.T) {
	m := New(Options{})
	m.MessageSent(&chat.Message{Type: "uj"}, nil)
	m.MessageSent(&chat.Message{Text: "hello"}, nil)
	if got := gather(t, m)["rocketchat_message_sent"].GetMetric()[0].GetCounter().GetValue(); got != 1 {
		t.Errorf("rocketchat_message_sent = %v, want 1", got)
	}
}

func TestStoreDecoratorTimesEveryMethod(t *testing.T) {
	// Every method of chat.Store must be overridden in store.go, or it
	// passes through untimed.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "store.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil {
			have[fn.Name.Name] = true
		}
	}
	it := reflect.TypeFor[chat.Store]()
	for i := range it.NumMethod() {
		name := it.Method(i).Name
		if name != "Close" && !have[name] {
			t.Errorf("chat.Store.%s is not timed: add it to internal/metrics/store.go", name)
		}
	}
}

func TestAddress(t *testing.T) {
	on := fakeSettings{enabled: true, port: 9100}
	for _, tt := range []struct {
		name, explicit string
		s              Settings
		want           string
	}{
		{"explicit wins", "127.0.0.1:9999", fakeSettings{}, "127.0.0.1:9999"},
		{"explicit off", "off", on, ""},
		{"setting off", "", fakeSettings{}, ""},
		{"setting on", "", on, "0.0.0.0:9100"},
		{"no settings", "", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Address(tt.explicit, "0.0.0.0", tt.s); got != tt.want {
				t.Errorf("Address = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListenerFollowsTheSettings(t *testing.T) {
	m := New(Options{})
	addr := make(chan string, 1)
	addr <- "127.0.0.1:0"
	current := "127.0.0.1:0"
	want := func() string {
		select {
		case current = <-addr:
		default:
		}
		return current
	}
	stop, err := m.Run(context.Background(), RunConfig{Addr: want, Required: true, Recheck: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	bound := m.Addr()
	if bound == "" {
		t.Fatal("not listening")
	}
	resp, err := http.Get("http://" + bound + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	addr <- "" // Prometheus_Enabled turned off
	deadline := time.Now().Add(5 * time.Second)
	for m.Addr() != "" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if m.Addr() != "" {
		t.Fatal("still listening after metrics were disabled")
	}
	if _, err := http.Get("http://" + bound + "/metrics"); err == nil {
		t.Error("old address still answers")
	}
}

func TestRequiredAddressFailsFast(t *testing.T) {
	ln := httptest.NewServer(http.NotFoundHandler())
	defer ln.Close()
	busy := strings.TrimPrefix(ln.URL, "http://")
	m := New(Options{})
	if _, err := m.Run(context.Background(), RunConfig{Addr: func() string { return busy }, Required: true}); err == nil {
		t.Fatal("want an error for an address in use")
	}
	stop, err := New(Options{}).Run(context.Background(), RunConfig{Addr: func() string { return busy }})
	if err != nil {
		t.Fatalf("an address from the settings should not stop the server: %v", err)
	}
	stop()
}

type fakeSettings struct {
	enabled bool
	port    int
}

func (f fakeSettings) SettingBool(string) bool { return f.enabled }
func (f fakeSettings) SettingInt(_ string, def int) int {
	if f.port == 0 {
		return def
	}
	return f.port
}

// fakeBus publishes nowhere.
type fakeBus struct {
	chat.Bus
	fail bool
}

func (b *fakeBus) Publish(context.Context, string, chat.Event) error {
	if b.fail {
		return chat.Errorf(chat.EUnavailable, "", "bus down")
	}
	return nil
}

// fakeStore answers the calls the totals and the tests make.
type fakeStore struct{ chat.Store }

func (fakeStore) CountUsers(context.Context, chat.UserFilter) (int, error) { return 5, nil }
func (fakeStore) ListRooms(_ context.Context, f chat.RoomFilter) ([]chat.Room, int, error) {
	rooms := []chat.Room{{ID: "GENERAL", Type: chat.RoomChannel, Msgs: 10}, {ID: "p", Type: chat.RoomGroup, Msgs: 5}, {ID: "d", Type: chat.RoomDirect, Msgs: 2}}
	if f.Offset >= len(rooms) {
		return nil, len(rooms), nil
	}
	return rooms[f.Offset:], len(rooms), nil
}
func (fakeStore) RoomByID(context.Context, string) (*chat.Room, error) { return &chat.Room{}, nil }
func (fakeStore) MessageByID(context.Context, string) (*chat.Message, error) {
	return nil, chat.Errorf(chat.ENotFound, "", "no message")
}
func (fakeStore) Ping(context.Context) error {
	return chat.Errorf(chat.EUnavailable, "", "database down")
}
func (s fakeStore) WithTx(ctx context.Context, fn func(chat.Store) error) error { return fn(s) }

func TestStoreAndBusCounting(t *testing.T) {
	m := New(Options{})
	exercise(t, m)
	fams := gather(t, m)
	value := func(name, label, want string) float64 {
		for _, mt := range fams[name].GetMetric() {
			for _, lp := range mt.GetLabel() {
				if lp.GetName() == label && lp.GetValue() == want {
					if c := mt.GetCounter(); c != nil {
						return c.GetValue()
					}
					return float64(mt.GetHistogram().GetSampleCount())
				}
			}
		}
		return 0
	}
	for _, tt := range []struct {
		name, label, value string
		want               float64
	}{
		{"liftoff_store_op_errors_total", "op", "Ping", 1},            // unavailable: a failure
		{"liftoff_store_op_errors_total", "op", "MessageByID", 0},     // not found: an answer
		{"liftoff_store_op_duration_seconds", "op", "MessageByID", 1}, // inside WithTx, still timed
		{"liftoff_store_op_duration_seconds", "op", "WithTx", 1},
		{"liftoff_bus_events_published_total", "kind", chat.EventNotification, 1},
		{"liftoff_bus_publish_errors_total", "kind", chat.EventMessage, 1},
		{"rocketchat_notification_sent", "notification_type", "desktop", 1},
	} {
		if got := value(tt.name, tt.label, tt.value); got != tt.want {
			t.Errorf("%s{%s=%q} = %v, want %v", tt.name, tt.label, tt.value, got, tt.want)
		}
	}
}
