package chat

import (
	"encoding/json"
	"time"
)

// System message types written by Liftoff, with Rocket.Chat's names.
const (
	MsgUserJoined          = "uj"
	MsgUserLeft            = "ul"
	MsgUserAdded           = "au"
	MsgUserRemoved         = "ru"
	MsgRoomRenamed         = "r"
	MsgTopicChanged        = "room_changed_topic"
	MsgDescriptionChanged  = "room_changed_description"
	MsgAnnouncementChanged = "room_changed_announcement"
	MsgPrivacyChanged      = "room_changed_privacy"
	MsgReadOnlySet         = "room-set-read-only"
	MsgReadOnlyRemoved     = "room-removed-read-only"
	MsgArchived            = "room-archived"
	MsgUnarchived          = "room-unarchived"
	MsgRoleAdded           = "subscription-role-added"
	MsgRoleRemoved         = "subscription-role-removed"
	MsgPinned              = "message_pinned"
	MsgDiscussionCreated   = "discussion-created"
	MsgUserJoinedTeam      = "ujt"
	MsgUserLeftTeam        = "ult"
	MsgUserAddedToTeam     = "added-user-to-team"
	MsgUserRemovedFromTeam = "removed-user-from-team"
)

// Mention is a user (or @all/@here) mentioned by a message.
type Mention struct {
	ID       string
	Username string
	Name     string
	Type     string // "user" or "team"
}

// ChannelRef is a #channel mentioned by a message.
type ChannelRef struct {
	ID   string
	Name string
}

// Reaction lists who reacted with one emoji.
type Reaction struct {
	Usernames []string
	Names     []string
}

// FileRef describes an uploaded file attached to a message.
type FileRef struct {
	ID     string
	Name   string
	Type   string
	Size   int64
	Format string
}

// Message is a chat message, a system message, or a thread reply.
type Message struct {
	ID     string
	RoomID string
	Seq    int64 // position in the room, assigned by the store
	Type   string
	Text   string
	User   UserRef
	TS     time.Time

	UpdatedAt time.Time
	EditedAt  time.Time
	EditedBy  *UserRef

	Mentions     []Mention
	Channels     []ChannelRef
	GroupMention bool // @all or @here; counted in groupMentions
	MD           json.RawMessage

	Alias     string
	Emoji     string
	Avatar    string
	Groupable *bool
	Bot       map[string]any

	Reactions map[string]*Reaction
	Pinned    bool
	PinnedAt  time.Time
	PinnedBy  *UserRef
	Starred   []string // user ids

	// Threads: replies carry TMID; the root carries TCount, TLM and Replies
	// (the followers).
	TMID    string
	TShow   bool
	TCount  int
	TLM     time.Time
	Replies []string

	// Discussions: the message that started one carries DRID, DCount, DLM.
	DRID   string
	DCount int
	DLM    time.Time

	Attachments  []map[string]any
	File         *FileRef
	Files        []FileRef
	URLs         []map[string]any
	Role         string // subscription-role-added/removed
	Hidden       bool
	CustomFields map[string]any
}

// IsSystem reports whether the message is a system message.
func (m *Message) IsSystem() bool { return m.Type != "" }

// VisibleInRoom reports whether the message shows in the main timeline
// (thread replies show only when sent with tshow).
func (m *Message) VisibleInRoom() bool { return m.TMID == "" || m.TShow }

// MessageFilter selects messages of one room. Zero fields do not filter.
type MessageFilter struct {
	RoomID string
	// Before/After bound ts; Inclusive makes both bounds inclusive.
	Before    time.Time
	After     time.Time
	Inclusive bool
	// UpdatedSince selects messages changed after the given time.
	UpdatedSince time.Time

	TMID          string // replies of one thread
	ThreadRoots   bool   // only messages with replies (tcount > 0)
	HideThreads   bool   // hide replies not shown in the room
	HideSystem    bool
	Types         []string
	Pinned        bool
	StarredBy     string // user id
	MentionedUser string // user id
	FollowedBy    string // thread roots the user follows
	UnreadBy      string // thread roots with replies newer than the user's mark
	Discussions   bool   // messages that started a discussion
	IDs           []string
	Text          string // full-text search
	FromUserID    string
	Offset        int
	Limit         int
	Ascending     bool // default newest first
	SortByTLM     bool // thread lists sort by last reply
	WithTotal     bool // fill the total count
}
