package storedoc

import "github.com/liftoff-chat/liftoff/internal/chat"

// Room holds the room fields that have no column.
type Room struct {
	Creator           UserRef        `json:"u"`
	Topic             string         `json:"topic,omitempty"`
	Description       string         `json:"description,omitempty"`
	Announcement      string         `json:"announcement,omitempty"`
	ReadOnly          bool           `json:"ro,omitempty"`
	Featured          bool           `json:"featured,omitempty"`
	Broadcast         bool           `json:"broadcast,omitempty"`
	Encrypted         bool           `json:"encrypted,omitempty"`
	ReactWhenReadOnly bool           `json:"reactWhenReadOnly,omitempty"`
	SysMes            []string       `json:"sysMes,omitempty"`
	Muted             []string       `json:"muted,omitempty"`
	JoinCode          string         `json:"joinCode,omitempty"`
	UIDs              []string       `json:"uids,omitempty"`
	Usernames         []string       `json:"usernames,omitempty"`
	ParentMessageID   string         `json:"pmid,omitempty"`
	AvatarETag        string         `json:"avatarETag,omitempty"`
	CustomFields      map[string]any `json:"customFields,omitempty"`
}

// NewRoom returns the document of r.
func NewRoom(r *chat.Room) Room {
	return Room{
		Creator: UserRef(r.Creator), Topic: r.Topic, Description: r.Description, Announcement: r.Announcement,
		ReadOnly: r.ReadOnly, Featured: r.Featured, Broadcast: r.Broadcast, Encrypted: r.Encrypted,
		ReactWhenReadOnly: r.ReactWhenReadOnly, SysMes: r.SysMes, Muted: r.Muted, JoinCode: r.JoinCode,
		UIDs: r.UIDs, Usernames: r.Usernames, ParentMessageID: r.ParentMessageID,
		AvatarETag: r.AvatarETag, CustomFields: r.CustomFields,
	}
}

// Apply copies the document's fields into r.
func (d *Room) Apply(r *chat.Room) {
	r.Creator = chat.UserRef(d.Creator)
	r.Topic, r.Description, r.Announcement = d.Topic, d.Description, d.Announcement
	r.ReadOnly, r.Featured, r.Broadcast, r.Encrypted = d.ReadOnly, d.Featured, d.Broadcast, d.Encrypted
	r.ReactWhenReadOnly, r.SysMes, r.Muted, r.JoinCode = d.ReactWhenReadOnly, d.SysMes, d.Muted, d.JoinCode
	r.UIDs, r.Usernames, r.ParentMessageID = d.UIDs, d.Usernames, d.ParentMessageID
	r.AvatarETag, r.CustomFields = d.AvatarETag, d.CustomFields
}

// RoomSearch returns the text of a room's search column, which name
// searches look in: its name and fname, folded.
func RoomSearch(r *chat.Room) string { return searchText(r.Name, r.FName) }

// RoomTypes returns room types as the strings their column holds.
func RoomTypes(types []chat.RoomType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}
