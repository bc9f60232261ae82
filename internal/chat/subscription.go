package chat

import "time"

// Subscription is one user's membership in one room, with their read state.
//
// Unread counts are not stored: the store computes Unread, UserMentions,
// GroupMentions and Alert when it reads a subscription, by comparing ReadSeq
// with the room's message sequence numbers. Posting therefore writes nothing
// per member (DESIGN principle 5).
type Subscription struct {
	ID     string
	RoomID string
	User   UserRef
	Type   RoomType
	Name   string
	FName  string

	Open     bool
	Favorite bool
	Roles    []string

	// ReadSeq is the sequence number of the last message the user has seen;
	// LastSeen is when they read it (Rocket.Chat's ls).
	ReadSeq  int64
	LastSeen time.Time
	// ForceAlert is set by "mark as unread" on a room with nothing new.
	ForceAlert bool

	// Computed on read.
	Unread        int
	UserMentions  int
	GroupMentions int
	Alert         bool

	// Copied from the room on read.
	Archived bool
	ParentID string
	TeamID   string
	TeamMain bool

	Notifications map[string]any // desktopNotifications, disableNotifications, ...
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// HasRole reports whether the subscription carries a room role.
func (s *Subscription) HasRole(role string) bool {
	for _, r := range s.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// SubscriptionFilter selects a user's subscriptions.
type SubscriptionFilter struct {
	UpdatedSince time.Time // zero: all
	Types        []RoomType
}

// MemberFilter selects the members of a room.
type MemberFilter struct {
	Text     string
	Statuses []string
	Offset   int
	Limit    int
	Sort     []SortField
}

// Member is a room member: the user and their room roles.
type Member struct {
	User  User
	Roles []string
}
