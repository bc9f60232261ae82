package chat

import (
	"context"
	"encoding/json"
	"time"
)

// Event is a change announced on the Bus after it was committed. Events
// carry enough to render (the full message for message events) so that no
// instance re-reads the store to fan out.
//
// The JSON tags are the format carried between instances: keep them stable,
// since instances of neighbouring versions share a bus during a rolling
// upgrade.
type Event struct {
	Kind      string          `json:"kind"` // e.g. EventMessage; see the constants
	RoomID    string          `json:"rid,omitempty"`
	UserID    string          `json:"uid,omitempty"`
	MessageID string          `json:"mid,omitempty"`
	At        time.Time       `json:"at"`               // when the change happened
	Origin    string          `json:"origin,omitempty"` // connection that caused it, to avoid echoing
	Data      json.RawMessage `json:"data,omitempty"`   // kind-specific payload, valid JSON, read-only
}

// Event kinds.
const (
	EventMessage          = "message"           // Data: Message (created or changed)
	EventMessageDeleted   = "message.deleted"   // MessageID
	EventMessagesDeleted  = "messages.deleted"  // Data: bulk-delete description
	EventRoomChanged      = "room"              // Data: Room; UserID empty: to all members
	EventRoomRemoved      = "room.removed"      // RoomID
	EventSubscription     = "subscription"      // Data: Subscription (to its user)
	EventSubscriptionGone = "subscription.gone" // RoomID, UserID
	EventUserActivity     = "user-activity"     // Data: [username, activities]
	EventMessagesRead     = "messages-read"     // Data: {until, tmid?}
	EventUserStatus       = "user-status"       // Data: [uid, username, code, text, name, roles]
	EventUserChanged      = "user"              // Data: user change (name, avatar, deleted)
	EventSetting          = "setting"           // Data: Setting
	EventPermission       = "permission"        // Data: Permission
	EventRoles            = "roles-change"      // Data: role change
	EventNotification     = "notification"      // UserID; Data: notification
	EventUserMessage      = "user-message"      // UserID; Data: ephemeral message
	EventInstance         = "instance"          // heartbeat of an instance
	EventPresence         = "presence"          // per-instance connection presence
)

// Topic helpers: events are published per room, per user and to everyone.

// RoomTopic is the topic of a room's events.
func RoomTopic(roomID string) string { return "room." + roomID }

// UserTopic is the topic of one user's events.
func UserTopic(userID string) string { return "user." + userID }

// Global topics.
const (
	TopicAll       = "all"       // everyone, logged in or not
	TopicLogged    = "logged"    // every logged-in user
	TopicPresence  = "presence"  // presence changes
	TopicInstances = "instances" // instance heartbeats
)

// Bus carries events between the core and the realtime hubs of every
// instance. Delivery is best effort: a subscriber that falls behind loses
// events and catches up from the store.
//
// Topics are dot-separated tokens without spaces, '*' or '>'; a
// subscription may end in ".>". Publish never waits and ignores its
// context (an event for a committed change goes out even if the request
// was abandoned); it fails with EUnavailable when the bus is closed or
// disconnected, ETooLarge over the payload limit, EInvalid for a bad topic
// or Data that is not JSON. Subscribers share Data and must not modify it.
// A subscription's channel closes when it, or the bus, is closed.
type Bus interface {
	Publish(ctx context.Context, topic string, ev Event) error
	// Subscribe delivers events published to topic after it returns. A
	// topic ending in ".>" matches every topic with that prefix.
	Subscribe(ctx context.Context, topic string) (BusSubscription, error)
	// Ping checks that the bus is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// BusSubscription is a live subscription to a topic.
type BusSubscription interface {
	C() <-chan Event
	Close() error
}
