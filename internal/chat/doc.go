// Package chat holds Liftoff's domain: users, rooms, subscriptions, messages,
// settings and permissions, the errors every layer speaks, and the Store and
// Bus interfaces that the storage and event backends implement.
//
// It imports only the standard library. Wire shapes (Rocket.Chat's JSON) live
// in the api packages; storage details live in the store packages.
package chat
