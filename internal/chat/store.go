package chat

import (
	"context"
	"time"
)

// Store is Liftoff's persistence. Implementations: store/sqlite and
// store/postgres; both pass store/storetest.
//
// Errors: a lookup that finds nothing returns an error of kind ENotFound, a
// unique violation one of kind EConflict; a store that cannot reach its
// database returns EUnavailable. Updating or deleting something missing is
// ENotFound too.
//
// Further rules that storetest pins for every backend: room names are
// unique and matched exactly, usernames and emails case-insensitively;
// UpdateMessage never changes Seq, RoomID or Starred (stars change only
// through StarMessage/UnstarMessage) and refreshes the room's LastMessage
// copy; DeleteMessage leaves the room's counters and LastMessage to the
// caller; a subscription's Type, Archived and team fields come from its
// room on every read; SubscriptionsOfUser with UpdatedSince also returns
// memberships whose room got a message since then (their counts changed);
// removal lists are oldest first; deleting a message (or turning it into
// a placeholder of type "rm"), a room or a user hides its uploads in the
// same transaction and lists them in UploadsToPurge.
type Store interface {
	UserStore
	TokenStore
	RoomStore
	SubscriptionStore
	MessageStore
	TeamStore
	SettingStore
	FileStore
	IntegrationStore

	// WithTx runs fn with a Store whose writes commit together when fn
	// returns nil, and roll back otherwise. Nested calls join the outer
	// transaction. Transactions are serializable: a read-modify-write
	// inside fn (thread counters, reactions) never loses a concurrent
	// update. Inside fn only tx may be used.
	WithTx(ctx context.Context, fn func(tx Store) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// UserStore keeps accounts.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, id string) error
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByUsername and UserByEmail match case-insensitively.
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UsersByIDs(ctx context.Context, ids []string) ([]User, error)
	UsersByUsernames(ctx context.Context, usernames []string) ([]User, error)
	// ListUsers returns a page and the total number of matches.
	ListUsers(ctx context.Context, f UserFilter) ([]User, int, error)
	CountUsers(ctx context.Context, f UserFilter) (int, error)
	// SetUserStatus changes only the presence fields, and the update time.
	SetUserStatus(ctx context.Context, id, status, statusDefault, statusConnection, statusText string, at time.Time) error
}

// TokenStore keeps login and personal access tokens, by hash.
type TokenStore interface {
	AddToken(ctx context.Context, t *Token) error
	// TokenByHash returns the token with that hash; expired ones are
	// returned too, and callers check ExpiresAt.
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	DeleteToken(ctx context.Context, hash string) error
	TokensByUser(ctx context.Context, userID, kind string) ([]Token, error)
	DeleteUserTokens(ctx context.Context, userID, kind string) error
}

// RoomStore keeps rooms.
type RoomStore interface {
	CreateRoom(ctx context.Context, r *Room) error
	// UpdateRoom writes every field of r except Seq and Msgs, which only
	// InsertMessage advances.
	UpdateRoom(ctx context.Context, r *Room) error
	// DeleteRoom removes the room with its subscriptions and messages, and
	// records a Removal for each member's subscription and for the room.
	DeleteRoom(ctx context.Context, id string, at time.Time) error
	RoomByID(ctx context.Context, id string) (*Room, error)
	RoomByName(ctx context.Context, name string) (*Room, error)
	ListRooms(ctx context.Context, f RoomFilter) ([]Room, int, error)
	// RoomsOfUser returns the rooms the user is subscribed to, changed
	// after since (zero: all).
	RoomsOfUser(ctx context.Context, userID string, since time.Time) ([]Room, error)
	// RoomRemovalsForUser lists rooms removed after since that the user was
	// a member of.
	RoomRemovalsForUser(ctx context.Context, userID string, since time.Time) ([]Removal, error)
	// IncrementRoomUsers adds delta to the room's usersCount.
	IncrementRoomUsers(ctx context.Context, id string, delta int) error
}

// SubscriptionStore keeps memberships and read state.
type SubscriptionStore interface {
	// CreateSubscription fails with EConflict when the user is already in
	// the room.
	CreateSubscription(ctx context.Context, s *Subscription) error
	// UpdateSubscription writes the user-settable fields: open, favorite,
	// roles, read state, alert, notifications, name and fname.
	UpdateSubscription(ctx context.Context, s *Subscription) error
	// DeleteSubscription removes the membership and records a Removal.
	DeleteSubscription(ctx context.Context, roomID, userID string, at time.Time) error
	// Subscription returns one membership with its counts computed.
	Subscription(ctx context.Context, roomID, userID string) (*Subscription, error)
	// Membership returns one membership without computing its counts
	// (they are zero): for permission and membership checks on hot paths.
	Membership(ctx context.Context, roomID, userID string) (*Subscription, error)
	// SubscriptionsOfUser returns the user's memberships with counts.
	SubscriptionsOfUser(ctx context.Context, userID string, f SubscriptionFilter) ([]Subscription, error)
	SubscriptionRemovals(ctx context.Context, userID string, since time.Time) ([]Removal, error)
	// SubscriptionsWithRoles returns the room's memberships that carry at
	// least one role.
	SubscriptionsWithRoles(ctx context.Context, roomID string) ([]Subscription, error)
	// RoomMembers lists members with their user documents.
	RoomMembers(ctx context.Context, roomID string, f MemberFilter) ([]Member, int, error)
	// MemberIDs returns the ids of all members (for fan-out of events to
	// users, never on the posting path).
	MemberIDs(ctx context.Context, roomID string) ([]string, error)
	// RenameSubscriptions sets name and fname on every membership of a room.
	RenameSubscriptions(ctx context.Context, roomID, name, fname string, at time.Time) error
	// TouchSubscriptions bumps the update time of every membership of a
	// room, so that clients syncing with updatedSince refetch them.
	TouchSubscriptions(ctx context.Context, roomID string, at time.Time) error
	// RenameUserInSubscriptions rewrites the user reference after a rename.
	RenameUserInSubscriptions(ctx context.Context, userID, username, name string, at time.Time) error
}

// MessageStore keeps messages.
type MessageStore interface {
	// InsertMessage stores m, assigns m.Seq from the room's sequence and
	// advances the room's seq and msgs counter, and when updateLast is
	// true its last message, in O(1) writes whatever the room's size. It
	// records the user mentions for the mentioned users' counters.
	InsertMessage(ctx context.Context, m *Message, updateLast bool) error
	// UpdateMessage rewrites the message document (text, reactions, pins,
	// thread counters, ...), and its mentions.
	UpdateMessage(ctx context.Context, m *Message) error
	// DeleteMessage removes a message and records its removal.
	DeleteMessage(ctx context.Context, id string, at time.Time) error
	MessageByID(ctx context.Context, id string) (*Message, error)
	// ListMessages returns matching messages, newest first unless the
	// filter asks otherwise, and the total when f.WithTotal is set.
	ListMessages(ctx context.Context, f MessageFilter) ([]Message, int, error)
	// CountMessages counts matching messages.
	CountMessages(ctx context.Context, f MessageFilter) (int, error)
	// DeletedMessages lists removals in a room after since.
	DeletedMessages(ctx context.Context, roomID string, since time.Time, offset, limit int) ([]Removal, int, error)
	// StarMessage and UnstarMessage record one user's star.
	StarMessage(ctx context.Context, messageID, userID string) error
	UnstarMessage(ctx context.Context, messageID, userID string) error
	// SetThreadRead records that a user has read a thread up to at.
	SetThreadRead(ctx context.Context, tmid, userID string, at time.Time) error
	// UnreadThreads returns the ids of thread roots in the room whose last
	// reply is newer than the user's mark on them.
	UnreadThreads(ctx context.Context, roomID, userID string) ([]string, error)
}

// TeamStore keeps teams and their members.
type TeamStore interface {
	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, t *Team) error
	DeleteTeam(ctx context.Context, id string) error
	TeamByID(ctx context.Context, id string) (*Team, error)
	TeamByName(ctx context.Context, name string) (*Team, error)
	TeamByRoomID(ctx context.Context, roomID string) (*Team, error)
	ListTeams(ctx context.Context, f RoomFilter) ([]Team, int, error)
	AddTeamMember(ctx context.Context, m *TeamMember) error
	RemoveTeamMember(ctx context.Context, teamID, userID string) error
	TeamMember(ctx context.Context, teamID, userID string) (*TeamMember, error)
	TeamMembers(ctx context.Context, teamID string, offset, limit int) ([]TeamMember, int, error)
	TeamsOfUser(ctx context.Context, userID string) ([]Team, error)
}

// SettingStore keeps settings, permissions and roles.
type SettingStore interface {
	// UpsertSetting inserts a setting, or updates everything but its value
	// when it exists (so that defaults can be refreshed at start without
	// losing what an admin chose).
	UpsertSetting(ctx context.Context, s *Setting) error
	// SetSettingValue changes one setting's value and lock.
	SetSettingValue(ctx context.Context, id string, value any, envLocked bool, at time.Time) error
	SettingByID(ctx context.Context, id string) (*Setting, error)
	// Settings returns all settings changed after since, in Order.
	Settings(ctx context.Context, since time.Time) ([]Setting, error)

	UpsertPermission(ctx context.Context, p *Permission) error
	// InsertPermissionIfMissing adds p only when its id is unknown, so that
	// an admin's grants survive restarts.
	InsertPermissionIfMissing(ctx context.Context, p *Permission) error
	PermissionByID(ctx context.Context, id string) (*Permission, error)
	// Permissions returns permissions changed after since, by Position.
	Permissions(ctx context.Context, since time.Time) ([]Permission, error)

	UpsertRole(ctx context.Context, r *Role) error
	Roles(ctx context.Context) ([]Role, error)
	RoleByID(ctx context.Context, id string) (*Role, error)
}
