// Package nats is the chat.Bus of the clustered mode: every instance
// connects to the same NATS server (or cluster) and events travel as
// core-NATS messages, at most once.
//
// A topic maps to a subject by prefixing it ("room.X" → "liftoff.room.X"),
// and the topic wildcard "room.>" is NATS's own. An event is encoded once,
// with encoding/json, in Publish, and decoded in each subscription.
//
// The connection survives server restarts: nats.go reconnects forever by
// default and resubscribes every live subscription, so subscribers keep
// their channels. While disconnected, Publish fails with EUnavailable
// instead of buffering (Options.ReconnectBuffer changes that), and Ping
// fails, so that readiness reports the outage.
//
// It imports the standard library, chat and nats.go.
package nats
