package wire

import "github.com/liftoff-chat/liftoff/internal/chat"

// Room is Rocket.Chat's IRoom.
type Room struct {
	ID                string         `json:"_id"`
	T                 chat.RoomType  `json:"t"`
	Name              string         `json:"name,omitempty"`
	FName             string         `json:"fname,omitempty"`
	U                 *UserRef       `json:"u,omitempty"`
	Msgs              int            `json:"msgs"`
	UsersCount        int            `json:"usersCount"`
	TS                Date           `json:"ts"`
	UpdatedAt         Date           `json:"_updatedAt"`
	LM                *Date          `json:"lm,omitempty"`
	LastMessage       *Message       `json:"lastMessage,omitempty"`
	Topic             string         `json:"topic,omitempty"`
	Description       string         `json:"description,omitempty"`
	Announcement      string         `json:"announcement,omitempty"`
	RO                bool           `json:"ro"`
	Archived          bool           `json:"archived,omitempty"`
	Default           bool           `json:"default"`
	Featured          bool           `json:"featured,omitempty"`
	Broadcast         bool           `json:"broadcast"`
	Encrypted         bool           `json:"encrypted"`
	ReactWhenReadOnly bool           `json:"reactWhenReadOnly,omitempty"`
	SysMes            any            `json:"sysMes"`
	Muted             []string       `json:"muted,omitempty"`
	JoinCodeRequired  bool           `json:"joinCodeRequired,omitempty"`
	UIDs              []string       `json:"uids,omitempty"`
	Usernames         []string       `json:"usernames,omitempty"`
	PRID              string         `json:"prid,omitempty"`
	TeamID            string         `json:"teamId,omitempty"`
	TeamMain          bool           `json:"teamMain,omitempty"`
	TeamDefault       bool           `json:"teamDefault,omitempty"`
	AvatarETag        string         `json:"avatarETag,omitempty"`
	CustomFields      map[string]any `json:"customFields,omitempty"`
}

// NewRoom renders a room.
func NewRoom(r *chat.Room, f Format) *Room {
	w := &Room{
		ID:                r.ID,
		T:                 r.Type,
		Name:              r.Name,
		FName:             r.FName,
		Msgs:              r.Msgs,
		UsersCount:        r.UsersCount,
		TS:                Date{r.CreatedAt, f},
		UpdatedAt:         Date{r.UpdatedAt, f},
		LM:                NewDate(r.LastMsgAt, f),
		Topic:             r.Topic,
		Description:       r.Description,
		Announcement:      r.Announcement,
		RO:                r.ReadOnly,
		Archived:          r.Archived,
		Default:           r.Default,
		Featured:          r.Featured,
		Broadcast:         r.Broadcast,
		Encrypted:         r.Encrypted,
		ReactWhenReadOnly: r.ReactWhenReadOnly,
		Muted:             r.Muted,
		JoinCodeRequired:  r.JoinCode != "",
		UIDs:              r.UIDs,
		Usernames:         r.Usernames,
		PRID:              r.ParentID,
		TeamID:            r.TeamID,
		TeamMain:          r.TeamMain,
		TeamDefault:       r.TeamDefault,
		AvatarETag:        r.AvatarETag,
		CustomFields:      r.CustomFields,
	}
	if r.Creator.ID != "" {
		u := Ref(r.Creator)
		w.U = &u
	}
	if r.SysMes == nil {
		w.SysMes = true
	} else {
		w.SysMes = r.SysMes
	}
	if r.LastMessage != nil {
		w.LastMessage = NewMessage(r.LastMessage, f)
	}
	if r.Type == chat.RoomDirect {
		w.RO, w.Default = false, false
	}
	return w
}

// NewRooms renders a list of rooms.
func NewRooms(rs []chat.Room, f Format) []*Room {
	out := make([]*Room, len(rs))
	for i := range rs {
		out[i] = NewRoom(&rs[i], f)
	}
	return out
}

// Subscription is Rocket.Chat's ISubscription.
type Subscription struct {
	ID            string        `json:"_id"`
	RID           string        `json:"rid"`
	U             UserRef       `json:"u"`
	T             chat.RoomType `json:"t"`
	Name          string        `json:"name"`
	FName         string        `json:"fname,omitempty"`
	Open          bool          `json:"open"`
	Alert         bool          `json:"alert"`
	Unread        int           `json:"unread"`
	UserMentions  int           `json:"userMentions"`
	GroupMentions int           `json:"groupMentions"`
	TS            Date          `json:"ts"`
	LS            *Date         `json:"ls,omitempty"`
	LR            *Date         `json:"lr,omitempty"`
	F             bool          `json:"f,omitempty"`
	Roles         []string      `json:"roles,omitempty"`
	Archived      bool          `json:"archived,omitempty"`
	PRID          string        `json:"prid,omitempty"`
	TeamID        string        `json:"teamId,omitempty"`
	TeamMain      bool          `json:"teamMain,omitempty"`
	TUnread       []string      `json:"tunread,omitempty"`
	UpdatedAt     Date          `json:"_updatedAt"`

	Notifications map[string]any `json:"-"`
}

// NewSubscription renders a subscription; its notification preferences
// are flattened into the document, as Rocket.Chat keeps them.
func NewSubscription(s *chat.Subscription, f Format) map[string]any {
	w := Subscription{
		ID:            s.ID,
		RID:           s.RoomID,
		U:             Ref(s.User),
		T:             s.Type,
		Name:          s.Name,
		FName:         s.FName,
		Open:          s.Open,
		Alert:         s.Alert,
		Unread:        s.Unread,
		UserMentions:  s.UserMentions,
		GroupMentions: s.GroupMentions,
		TS:            Date{s.CreatedAt, f},
		LS:            NewDate(s.LastSeen, f),
		LR:            NewDate(s.LastSeen, f),
		F:             s.Favorite,
		Roles:         s.Roles,
		Archived:      s.Archived,
		PRID:          s.ParentID,
		TeamID:        s.TeamID,
		TeamMain:      s.TeamMain,
		UpdatedAt:     Date{s.UpdatedAt, f},
	}
	return flatten(w, s.Notifications)
}

// NewSubscriptions renders a list of subscriptions.
func NewSubscriptions(ss []chat.Subscription, f Format) []map[string]any {
	out := make([]map[string]any, len(ss))
	for i := range ss {
		out[i] = NewSubscription(&ss[i], f)
	}
	return out
}

// Removed is an entry of an updatedSince listing's remove array.
type Removed struct {
	ID        string `json:"_id"`
	DeletedAt Date   `json:"_deletedAt"`
}

// NewRemovals renders removals.
func NewRemovals(rs []chat.Removal, f Format) []Removed {
	out := make([]Removed, len(rs))
	for i, r := range rs {
		out[i] = Removed{ID: r.ID, DeletedAt: Date{r.DeletedAt, f}}
	}
	return out
}
