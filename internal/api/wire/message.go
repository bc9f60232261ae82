package wire

import (
	"encoding/json"
	"sort"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// UserRef is Rocket.Chat's `u`.
type UserRef struct {
	ID       string `json:"_id"`
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
}

// Ref renders a user reference.
func Ref(u chat.UserRef) UserRef { return UserRef{ID: u.ID, Username: u.Username, Name: u.Name} }

func refPtr(u *chat.UserRef) *UserRef {
	if u == nil {
		return nil
	}
	r := Ref(*u)
	return &r
}

// Mention is an entry of a message's mentions.
type Mention struct {
	ID       string `json:"_id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
	Type     string `json:"type,omitempty"`
}

// Channel is an entry of a message's channels.
type Channel struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// Reaction is one emoji's reactors.
type Reaction struct {
	Usernames []string `json:"usernames"`
	Names     []string `json:"names,omitempty"`
}

// File describes an uploaded file.
type File struct {
	ID     string `json:"_id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size,omitempty"`
	Format string `json:"format,omitempty"`
}

// IDRef is an object holding only an id (starred entries).
type IDRef struct {
	ID string `json:"_id"`
}

// Message is Rocket.Chat's IMessage.
type Message struct {
	ID          string              `json:"_id"`
	RID         string              `json:"rid"`
	Msg         string              `json:"msg"`
	TS          Date                `json:"ts"`
	U           UserRef             `json:"u"`
	UpdatedAt   Date                `json:"_updatedAt"`
	T           string              `json:"t,omitempty"`
	Mentions    []Mention           `json:"mentions"`
	Channels    []Channel           `json:"channels"`
	MD          json.RawMessage     `json:"md,omitempty"`
	Alias       string              `json:"alias,omitempty"`
	Emoji       string              `json:"emoji,omitempty"`
	Avatar      string              `json:"avatar,omitempty"`
	Groupable   *bool               `json:"groupable,omitempty"`
	Bot         map[string]any      `json:"bot,omitempty"`
	Reactions   map[string]Reaction `json:"reactions,omitempty"`
	Pinned      bool                `json:"pinned,omitempty"`
	PinnedAt    *Date               `json:"pinnedAt,omitempty"`
	PinnedBy    *UserRef            `json:"pinnedBy,omitempty"`
	Starred     []IDRef             `json:"starred,omitempty"`
	EditedAt    *Date               `json:"editedAt,omitempty"`
	EditedBy    *UserRef            `json:"editedBy,omitempty"`
	TMID        string              `json:"tmid,omitempty"`
	TShow       bool                `json:"tshow,omitempty"`
	TCount      int                 `json:"tcount,omitempty"`
	TLM         *Date               `json:"tlm,omitempty"`
	Replies     []string            `json:"replies,omitempty"`
	DRID        string              `json:"drid,omitempty"`
	DCount      *int                `json:"dcount,omitempty"`
	DLM         *Date               `json:"dlm,omitempty"`
	Attachments []map[string]any    `json:"attachments,omitempty"`
	File        *File               `json:"file,omitempty"`
	Files       []File              `json:"files,omitempty"`
	URLs        []map[string]any    `json:"urls,omitempty"`
	Role        string              `json:"role,omitempty"`
	Hidden      bool                `json:"_hidden,omitempty"`
	Custom      map[string]any      `json:"customFields,omitempty"`
}

// NewMessage renders a message.
func NewMessage(m *chat.Message, f Format) *Message {
	w := &Message{
		ID:          m.ID,
		RID:         m.RoomID,
		Msg:         m.Text,
		TS:          Date{m.TS, f},
		U:           Ref(m.User),
		UpdatedAt:   Date{m.UpdatedAt, f},
		T:           m.Type,
		Mentions:    make([]Mention, 0, len(m.Mentions)),
		Channels:    make([]Channel, 0, len(m.Channels)),
		MD:          m.MD,
		Alias:       m.Alias,
		Emoji:       m.Emoji,
		Avatar:      m.Avatar,
		Groupable:   m.Groupable,
		Bot:         m.Bot,
		Pinned:      m.Pinned,
		PinnedAt:    NewDate(m.PinnedAt, f),
		PinnedBy:    refPtr(m.PinnedBy),
		EditedAt:    NewDate(m.EditedAt, f),
		EditedBy:    refPtr(m.EditedBy),
		TMID:        m.TMID,
		TShow:       m.TShow,
		TCount:      m.TCount,
		TLM:         NewDate(m.TLM, f),
		Replies:     m.Replies,
		DRID:        m.DRID,
		DLM:         NewDate(m.DLM, f),
		Attachments: m.Attachments,
		URLs:        m.URLs,
		Role:        m.Role,
		Hidden:      m.Hidden,
		Custom:      m.CustomFields,
	}
	if m.DRID != "" {
		n := m.DCount
		w.DCount = &n
	}
	for _, mn := range m.Mentions {
		w.Mentions = append(w.Mentions, Mention(mn))
	}
	for _, c := range m.Channels {
		w.Channels = append(w.Channels, Channel(c))
	}
	if len(m.Reactions) > 0 {
		w.Reactions = make(map[string]Reaction, len(m.Reactions))
		for k, r := range m.Reactions {
			w.Reactions[k] = Reaction{Usernames: r.Usernames, Names: r.Names}
		}
	}
	for _, id := range m.Starred {
		w.Starred = append(w.Starred, IDRef{id})
	}
	if m.File != nil {
		fl := File(*m.File)
		w.File = &fl
	}
	for _, fl := range m.Files {
		w.Files = append(w.Files, File(fl))
	}
	return w
}

// NewMessages renders a list of messages.
func NewMessages(ms []chat.Message, f Format) []*Message {
	out := make([]*Message, len(ms))
	for i := range ms {
		out[i] = NewMessage(&ms[i], f)
	}
	return out
}

// SortedKeys returns a map's keys in order, for stable output in tests.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
