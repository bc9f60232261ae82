package storedoc

import (
	"encoding/json"
	"slices"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Mention is a mentioned user (or @all, @here, a team) as Rocket.Chat writes
// it.
type Mention struct {
	ID       string `json:"_id,omitempty"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
	Type     string `json:"type,omitempty"`
}

// ChannelRef is a mentioned #channel as Rocket.Chat writes it.
type ChannelRef struct {
	ID   string `json:"_id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Reaction lists who reacted with one emoji.
type Reaction struct {
	Usernames []string `json:"usernames,omitempty"`
	Names     []string `json:"names,omitempty"`
}

// FileRef is a file attached to a message.
type FileRef struct {
	ID     string `json:"_id,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Format string `json:"format,omitempty"`
}

// MDForm is the form a store keeps a message's parsed markdown (md) in; it
// is the one field the two stores write differently. SQLite keeps it as
// nested JSON (json.RawMessage). PostgreSQL keeps it as a JSON string
// holding its compact text (string), because jsonb would reorder its keys
// and respace it, while the stores must return exactly the bytes they were
// given, compacted. Each form stays what its store has always written.
type MDForm interface {
	json.RawMessage | string
}

// Message is a whole message. The messages table keeps the fields it has
// columns for in those columns and the rest here; a room's last message is
// stored whole.
type Message[MD MDForm] struct {
	ID           string               `json:"_id,omitempty"`
	RoomID       string               `json:"rid,omitempty"`
	Seq          int64                `json:"seq,omitempty"`
	Type         string               `json:"t,omitempty"`
	Text         string               `json:"msg,omitempty"`
	User         UserRef              `json:"u"`
	TS           int64                `json:"ts,omitempty"`
	UpdatedAt    int64                `json:"_updatedAt,omitempty"`
	EditedAt     int64                `json:"editedAt,omitempty"`
	EditedBy     *UserRef             `json:"editedBy,omitempty"`
	Mentions     []Mention            `json:"mentions,omitempty"`
	Channels     []ChannelRef         `json:"channels,omitempty"`
	GroupMention bool                 `json:"groupMention,omitempty"`
	MD           MD                   `json:"md,omitempty"`
	Alias        string               `json:"alias,omitempty"`
	Emoji        string               `json:"emoji,omitempty"`
	Avatar       string               `json:"avatar,omitempty"`
	Groupable    *bool                `json:"groupable,omitempty"`
	Bot          map[string]any       `json:"bot,omitempty"`
	Reactions    map[string]*Reaction `json:"reactions,omitempty"`
	Pinned       bool                 `json:"pinned,omitempty"`
	PinnedAt     int64                `json:"pinnedAt,omitempty"`
	PinnedBy     *UserRef             `json:"pinnedBy,omitempty"`
	Starred      []string             `json:"starred,omitempty"`
	TMID         string               `json:"tmid,omitempty"`
	TShow        bool                 `json:"tshow,omitempty"`
	TCount       int                  `json:"tcount,omitempty"`
	TLM          int64                `json:"tlm,omitempty"`
	Replies      []string             `json:"replies,omitempty"`
	DRID         string               `json:"drid,omitempty"`
	DCount       int                  `json:"dcount,omitempty"`
	DLM          int64                `json:"dlm,omitempty"`
	Attachments  []map[string]any     `json:"attachments,omitempty"`
	File         *FileRef             `json:"file,omitempty"`
	Files        []FileRef            `json:"files,omitempty"`
	URLs         []map[string]any     `json:"urls,omitempty"`
	Role         string               `json:"role,omitempty"`
	Hidden       bool                 `json:"_hidden,omitempty"`
	CustomFields map[string]any       `json:"customFields,omitempty"`
}

// NewMessage returns the document of m with its markdown in the form MD;
// markdown that is not valid JSON is an error.
func NewMessage[MD MDForm](m *chat.Message) (Message[MD], error) {
	md, err := compactJSON("md", m.MD)
	if err != nil {
		return Message[MD]{}, err
	}
	d := Message[MD]{
		ID: m.ID, RoomID: m.RoomID, Seq: m.Seq, Type: m.Type, Text: m.Text,
		User: UserRef(m.User), TS: Millis(m.TS), UpdatedAt: Millis(m.UpdatedAt),
		EditedAt: Millis(m.EditedAt), EditedBy: newUserRefPtr(m.EditedBy),
		GroupMention: m.GroupMention,
		Alias:        m.Alias, Emoji: m.Emoji, Avatar: m.Avatar, Groupable: m.Groupable, Bot: m.Bot,
		Pinned: m.Pinned, PinnedAt: Millis(m.PinnedAt), PinnedBy: newUserRefPtr(m.PinnedBy),
		Starred: m.Starred,
		TMID:    m.TMID, TShow: m.TShow, TCount: m.TCount, TLM: Millis(m.TLM), Replies: m.Replies,
		DRID: m.DRID, DCount: m.DCount, DLM: Millis(m.DLM),
		Attachments: m.Attachments, URLs: m.URLs, Role: m.Role, Hidden: m.Hidden,
		CustomFields: m.CustomFields,
	}
	if md != "" {
		d.MD = MD(md)
	}
	for _, x := range m.Mentions {
		d.Mentions = append(d.Mentions, Mention(x))
	}
	for _, x := range m.Channels {
		d.Channels = append(d.Channels, ChannelRef(x))
	}
	if len(m.Reactions) > 0 {
		d.Reactions = make(map[string]*Reaction, len(m.Reactions))
		for k, r := range m.Reactions {
			if r == nil {
				d.Reactions[k] = nil
				continue
			}
			d.Reactions[k] = &Reaction{Usernames: r.Usernames, Names: r.Names}
		}
	}
	if m.File != nil {
		f := FileRef(*m.File)
		d.File = &f
	}
	for _, x := range m.Files {
		d.Files = append(d.Files, FileRef(x))
	}
	return d, nil
}

// Apply sets m to the message the document holds: the document is a whole
// message, so every field of m is replaced.
func (d *Message[MD]) Apply(m *chat.Message) {
	*m = chat.Message{
		ID: d.ID, RoomID: d.RoomID, Seq: d.Seq, Type: d.Type, Text: d.Text,
		User: chat.UserRef(d.User), TS: FromMillis(d.TS), UpdatedAt: FromMillis(d.UpdatedAt),
		EditedAt: FromMillis(d.EditedAt), EditedBy: d.EditedBy.refPtr(),
		GroupMention: d.GroupMention,
		Alias:        d.Alias, Emoji: d.Emoji, Avatar: d.Avatar, Groupable: d.Groupable, Bot: d.Bot,
		Pinned: d.Pinned, PinnedAt: FromMillis(d.PinnedAt), PinnedBy: d.PinnedBy.refPtr(),
		Starred: d.Starred,
		TMID:    d.TMID, TShow: d.TShow, TCount: d.TCount, TLM: FromMillis(d.TLM), Replies: d.Replies,
		DRID: d.DRID, DCount: d.DCount, DLM: FromMillis(d.DLM),
		Attachments: d.Attachments, URLs: d.URLs, Role: d.Role, Hidden: d.Hidden,
		CustomFields: d.CustomFields,
	}
	if len(d.MD) > 0 {
		m.MD = json.RawMessage(d.MD)
	}
	for _, x := range d.Mentions {
		m.Mentions = append(m.Mentions, chat.Mention(x))
	}
	for _, x := range d.Channels {
		m.Channels = append(m.Channels, chat.ChannelRef(x))
	}
	if len(d.Reactions) > 0 {
		m.Reactions = make(map[string]*chat.Reaction, len(d.Reactions))
		for k, r := range d.Reactions {
			if r == nil {
				m.Reactions[k] = nil
				continue
			}
			m.Reactions[k] = &chat.Reaction{Usernames: r.Usernames, Names: r.Names}
		}
	}
	if d.File != nil {
		f := chat.FileRef(*d.File)
		m.File = &f
	}
	for _, x := range d.Files {
		m.Files = append(m.Files, chat.FileRef(x))
	}
}

// MentionedUserIDs returns the users that get a mention row for m, which
// their mention counts read: user mentions only, not @all, @here
// (GroupMention counts those) or teams. Each user is listed once; nil when
// there is none.
func MentionedUserIDs(m *chat.Message) []string {
	var ids []string
	for _, mn := range m.Mentions {
		if mn.ID == "" || mn.ID == "all" || mn.ID == "here" || mn.Type == "team" {
			continue
		}
		if !slices.Contains(ids, mn.ID) {
			ids = append(ids, mn.ID)
		}
	}
	return ids
}
