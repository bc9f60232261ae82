package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// rcObjectives are the quantiles of Rocket.Chat's summaries (0.01, 0.1, 0.5,
// 0.9, 0.95, 0.99 and 1), each with an error small enough for its rank.
func rcObjectives() map[float64]float64 {
	return map[float64]float64{0.01: 0.001, 0.1: 0.01, 0.5: 0.05, 0.9: 0.01, 0.95: 0.005, 0.99: 0.001, 1: 0.0001}
}

// latencyBuckets suit requests that usually take milliseconds and should
// never take seconds.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Options configures Metrics.
type Options struct {
	// Version is the build's version, for rocketchat_info and
	// rocketchat_version.
	Version string
	// Info returns the workspace's unique id and site URL for
	// rocketchat_info; they are settings, so they are read at each scrape.
	Info   func() (uniqueID, siteURL string)
	Logger *slog.Logger
}

// Metrics is Liftoff's Prometheus registry and the collectors in it. Its
// methods are safe for concurrent use, and a nil *Metrics ignores every
// observation, so callers need not check whether metrics are wired.
type Metrics struct {
	reg *prometheus.Registry
	log *slog.Logger

	restAPI      *prometheus.SummaryVec   // rocketchat_rest_api
	httpRequests *prometheus.CounterVec   // liftoff_http_requests_total
	httpDuration *prometheus.HistogramVec // liftoff_http_request_duration_seconds

	methods        *prometheus.SummaryVec // rocketchat_meteor_methods
	methodDuration prometheus.Histogram   // liftoff_ddp_method_duration_seconds
	subscriptions  *prometheus.SummaryVec // rocketchat_meteor_subscriptions
	slowConsumers  prometheus.Counter     // liftoff_ddp_slow_consumer_closes_total

	messagesSent  prometheus.Counter     // rocketchat_message_sent
	notifications *prometheus.CounterVec // rocketchat_notification_sent
	roundtrip     prometheus.Summary     // rocketchat_messages_roundtrip_time_summary

	busPublished *prometheus.CounterVec // liftoff_bus_events_published_total
	busErrors    *prometheus.CounterVec // liftoff_bus_publish_errors_total
	busDuration  prometheus.Histogram   // liftoff_bus_publish_duration_seconds
	busReceived  prometheus.Counter     // liftoff_bus_events_received_total

	storeDuration *prometheus.HistogramVec // liftoff_store_op_duration_seconds
	storeErrors   *prometheus.CounterVec   // liftoff_store_op_errors_total

	scrapes    prometheus.Counter // rocketchat_metrics_requests
	scrapeSize prometheus.Gauge   // rocketchat_metrics_size

	live   *liveCollector
	totals *totalsCollector

	// listening is the address the metrics listener is bound to, if any.
	mu        sync.Mutex
	listening string
}

// New builds the registry with the Go runtime and process collectors and
// every Liftoff and Rocket.Chat collector.
func New(opts Options) *Metrics {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{reg: prometheus.NewRegistry(), log: log}
	m.restAPI = prometheus.NewSummaryVec(prometheus.SummaryOpts{
		Name:       "rocketchat_rest_api",
		Help:       "summary of rocketchat rest api count and time",
		Objectives: rcObjectives(),
	}, []string{"method", "entrypoint", "user_agent", "status", "version"})
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liftoff_http_requests_total",
		Help: "REST requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liftoff_http_request_duration_seconds",
		Help:    "Time to answer a REST request, by method; aggregatable across instances, unlike rocketchat_rest_api.",
		Buckets: latencyBuckets,
	}, []string{"method"})
	m.methods = prometheus.NewSummaryVec(prometheus.SummaryOpts{
		Name:       "rocketchat_meteor_methods",
		Help:       "summary of meteor methods count and time",
		Objectives: rcObjectives(),
	}, []string{"method", "has_connection", "has_user"})
	m.methodDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "liftoff_ddp_method_duration_seconds",
		Help:    "Time to answer a DDP method call; aggregatable across instances, unlike rocketchat_meteor_methods.",
		Buckets: latencyBuckets,
	})
	m.subscriptions = prometheus.NewSummaryVec(prometheus.SummaryOpts{
		Name:       "rocketchat_meteor_subscriptions",
		Help:       "summary of meteor subscriptions count and time",
		Objectives: rcObjectives(),
	}, []string{"subscription"})
	m.slowConsumers = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "liftoff_ddp_slow_consumer_closes_total",
		Help: "WebSocket connections closed because their send queue was full.",
	})
	m.messagesSent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rocketchat_message_sent",
		Help: "cumulated number of messages sent",
	})
	m.notifications = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rocketchat_notification_sent",
		Help: "cumulated number of notifications sent",
	}, []string{"notification_type"})
	m.roundtrip = prometheus.NewSummary(prometheus.SummaryOpts{
		Name:       "rocketchat_messages_roundtrip_time_summary",
		Help:       "time spent by a message from save to receive back",
		Objectives: rcObjectives(),
		MaxAge:     time.Minute,
		AgeBuckets: 5,
	})
	m.busPublished = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liftoff_bus_events_published_total",
		Help: "Events published on the bus, by event kind.",
	}, []string{"kind"})
	m.busErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liftoff_bus_publish_errors_total",
		Help: "Events the bus failed to publish, by event kind; the change is stored and clients catch up from history.",
	}, []string{"kind"})
	m.busDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "liftoff_bus_publish_duration_seconds",
		Help:    "Time to hand an event to the bus.",
		Buckets: latencyBuckets,
	})
	m.busReceived = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "liftoff_bus_events_received_total",
		Help: "Message events this instance received back from the bus.",
	})
	m.storeDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liftoff_store_op_duration_seconds",
		Help:    "Time of each store operation, by operation (a WithTx observation covers the whole transaction).",
		Buckets: latencyBuckets,
	}, []string{"op"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liftoff_store_op_errors_total",
		Help: "Store operations that failed for a reason other than not-found or conflict, by operation.",
	}, []string{"op"})
	m.scrapes = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rocketchat_metrics_requests",
		Help: "cumulated number of calls to the metrics endpoint",
	})
	m.scrapeSize = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "rocketchat_metrics_size",
		Help: "size of the metrics response in chars",
	})
	m.live = newLiveCollector(opts.Version, opts.Info)
	m.totals = newTotalsCollector()
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.restAPI, m.httpRequests, m.httpDuration,
		m.methods, m.methodDuration, m.subscriptions, m.slowConsumers,
		m.messagesSent, m.notifications, m.roundtrip,
		m.busPublished, m.busErrors, m.busDuration, m.busReceived,
		m.storeDuration, m.storeErrors,
		m.scrapes, m.scrapeSize,
		m.live, m.totals,
	)
	// Notification types Rocket.Chat reports, so that rate() works from
	// the first notification on.
	m.notifications.WithLabelValues("desktop")
	return m
}

// Registry returns the registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in Prometheus' text format: the classic
// format, not OpenMetrics, because OpenMetrics would rename Rocket.Chat's
// counters (rocketchat_message_sent) with a _total suffix and break its
// dashboards.
func (m *Metrics) Handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.scrapes.Inc()
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		m.scrapeSize.Set(float64(cw.n))
	}))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<html><head><title>Liftoff metrics</title></head><body><a href="/metrics">/metrics</a></body></html>` + "\n"))
	})
	return mux
}

// countingWriter counts the bytes of a response (uncompressed or not: it is
// what went on the wire).
type countingWriter struct {
	http.ResponseWriter
	n int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += n
	return n, err
}

// ObserveREST records one REST request. Its signature is
// rest.Config.Observe's. route is the ServeMux pattern's path, such as
// /api/v1/chat.sendMessage; Rocket.Chat labels it as entrypoint
// chat.sendMessage, version v1, method in lower case. The user_agent label
// stays empty: Rocket.Chat fills it only when Prometheus_API_User_Agent is
// on, and an empty label is the same as none to Prometheus.
func (m *Metrics) ObserveREST(route, method string, status int, elapsed time.Duration) {
	if m == nil {
		return
	}
	if status == 0 {
		status = http.StatusOK
	}
	entry, version := route, ""
	if rest, ok := strings.CutPrefix(route, "/api/"); ok {
		entry = rest
		if v, e, ok := strings.Cut(rest, "/"); ok && len(v) > 1 && v[0] == 'v' {
			version, entry = v, e
		}
	}
	code := strconv.Itoa(status)
	sec := elapsed.Seconds()
	m.restAPI.WithLabelValues(strings.ToLower(method), entry, "", code, version).Observe(sec)
	m.httpRequests.WithLabelValues(route, method, code).Inc()
	m.httpDuration.WithLabelValues(method).Observe(sec)
}
