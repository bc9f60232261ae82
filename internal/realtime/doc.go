// Package realtime is the hub between the event bus and the DDP
// connections of this instance. It subscribes to bus topics on behalf of
// local connections — one bus subscription per room topic per instance,
// reference-counted, however many connections want it — translates each
// event into Rocket.Chat's stream events, renders every frame once and
// hands the same bytes to each matching connection's bounded send queue.
// A connection whose queue overflows is closed with a reason and counted,
// so that a slow client resyncs instead of stalling a room.
//
// Per-user events arrive through one wildcard subscription to "user.>"
// rather than one subscription per user: both bus implementations give
// every subscription a buffer of 1,024 events (about 128 KiB) and this hub a
// goroutine, which would cost far more than a connection's whole budget
// (DESIGN: under 20 KiB per idle connection). Room topics stay per room, so
// that on NATS an instance receives only the rooms its clients care about.
//
// It also feeds every settings and permission event to core, so that each
// instance's caches follow changes made on any instance, and connection
// presence to core.Presence.
//
// It imports core, chat and the wire shapes; the DDP adapter imports it.
package realtime
