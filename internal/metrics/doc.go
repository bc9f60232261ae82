// Package metrics owns Liftoff's Prometheus registry: the collectors, the
// hooks the other packages call to feed them, decorators that time the
// store and count the bus, a collector of store totals refreshed in the
// background, and the separate listener that serves them.
//
// Where Rocket.Chat exports a metric for the same thing, the metric has
// Rocket.Chat's name, type, help and labels (apps/meteor/app/metrics), so
// that Rocket.Chat's published Grafana dashboards work on Liftoff. Liftoff's
// own metrics start with liftoff_. There is no global registry: the server
// builds one Metrics and passes it where it is needed.
//
// It imports only the domain (internal/chat) and the Prometheus client.
package metrics
