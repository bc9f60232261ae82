package chat

import "time"

// RoomType is Rocket.Chat's room type letter.
type RoomType string

// The room types.
const (
	RoomChannel  RoomType = "c" // public channel
	RoomGroup    RoomType = "p" // private group
	RoomDirect   RoomType = "d" // direct messages
	RoomLivechat RoomType = "l"
)

// Valid reports whether t is a room type Liftoff serves.
func (t RoomType) Valid() bool { return t == RoomChannel || t == RoomGroup || t == RoomDirect }

// Room is a channel, private group, DM, discussion or team main room.
type Room struct {
	ID      string
	Type    RoomType
	Name    string
	FName   string
	Creator UserRef

	Topic        string
	Description  string
	Announcement string

	ReadOnly          bool
	Archived          bool
	Default           bool
	Featured          bool
	Broadcast         bool
	Encrypted         bool
	ReactWhenReadOnly bool
	SysMes            []string // hidden system message types; nil means all shown
	Muted             []string // usernames
	JoinCode          string

	// Msgs counts the messages posted, system messages included; Seq is the
	// sequence number of the newest message, never reused, so that unread
	// counts can compare a member's read mark with it.
	Msgs        int
	Seq         int64
	UsersCount  int
	LastMessage *Message
	LastMsgAt   time.Time

	// DMs list their members.
	UIDs      []string
	Usernames []string

	// Discussions point to their parent room and message.
	ParentID        string
	ParentMessageID string

	// Teams: the main room carries TeamMain; rooms of a team carry TeamID.
	TeamID      string
	TeamMain    bool
	TeamDefault bool

	AvatarETag   string
	CustomFields map[string]any

	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsDiscussion reports whether the room is a discussion.
func (r *Room) IsDiscussion() bool { return r.ParentID != "" }

// RoomFilter selects rooms for listings.
type RoomFilter struct {
	Types      []RoomType
	Text       string // matches name or fname, case-insensitively
	IDs        []string
	TeamID     string
	OnlyTeams  bool // main rooms of teams only
	Default    *bool
	Discussion *bool
	Offset     int
	Limit      int
	Sort       []SortField
}

// Removal records that something a client may have cached was deleted, so
// that `updatedSince` queries can report it.
type Removal struct {
	ID        string
	RoomID    string
	UserID    string
	DeletedAt time.Time
}

// Team is a group of rooms around a main room.
type Team struct {
	ID        string
	Name      string
	Type      int // 0 public, 1 private
	RoomID    string
	CreatedBy UserRef
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TeamMember is a user's membership in a team.
type TeamMember struct {
	TeamID    string
	User      UserRef
	Roles     []string
	CreatedBy UserRef
	CreatedAt time.Time
}
