// Package core holds Liftoff's use cases: accounts, rooms, messages, reads,
// teams, settings and permissions. REST and DDP both call it, so every rule
// (validation, permission checks, system messages, events) lives here once.
//
// It imports only internal/chat and the standard library (plus
// golang.org/x/crypto for password hashing). Each use case changes the store
// in one transaction, then publishes its events on the bus after the
// commit; a failed publish is logged and never undoes the change.
package core
