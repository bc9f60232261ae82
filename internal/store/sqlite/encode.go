package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Times are stored as UTC milliseconds; 0 is the zero time.

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// fold returns the key that case-insensitive lookups and searches compare:
// Go's Unicode lower-casing, since SQLite's lower() and NOCASE fold ASCII
// only.
func fold(s string) string { return strings.ToLower(s) }

// jsonText encodes v for a JSON column, or returns "" for an empty value so
// that it reads back as nil.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %T: %w", v, err)
	}
	switch string(b) {
	case "null", "[]", "{}":
		return "", nil
	}
	return string(b), nil
}

// stringsText encodes a string list, which cannot fail.
func stringsText(v []string) string {
	if len(v) == 0 {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// fromJSON decodes a JSON column; "" leaves v untouched.
func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

// The types below fix the JSON names of the stored documents. They mirror
// chat's types field by field, so that a change there fails to compile here.

type userRefDoc struct {
	ID       string `json:"_id,omitempty"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
}

func toUserRefDoc(r chat.UserRef) userRefDoc { return userRefDoc(r) }

func (d userRefDoc) ref() chat.UserRef { return chat.UserRef(d) }

func toUserRefPtr(r *chat.UserRef) *userRefDoc {
	if r == nil {
		return nil
	}
	d := toUserRefDoc(*r)
	return &d
}

func (d *userRefDoc) refPtr() *chat.UserRef {
	if d == nil {
		return nil
	}
	r := d.ref()
	return &r
}

// userRefText encodes a user reference for a column.
func userRefText(r chat.UserRef) string {
	if r == (chat.UserRef{}) {
		return ""
	}
	b, _ := json.Marshal(toUserRefDoc(r))
	return string(b)
}

func fromUserRefText(s string) (chat.UserRef, error) {
	var d userRefDoc
	err := fromJSON(s, &d)
	return d.ref(), err
}

type emailDoc struct {
	Address  string `json:"address"`
	Verified bool   `json:"verified,omitempty"`
}

type mentionDoc struct {
	ID       string `json:"_id,omitempty"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
	Type     string `json:"type,omitempty"`
}

type channelRefDoc struct {
	ID   string `json:"_id,omitempty"`
	Name string `json:"name,omitempty"`
}

type reactionDoc struct {
	Usernames []string `json:"usernames,omitempty"`
	Names     []string `json:"names,omitempty"`
}

type fileRefDoc struct {
	ID     string `json:"_id,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Format string `json:"format,omitempty"`
}

// messageDoc is a whole message. The messages table keeps the fields it has
// columns for in those columns and the rest here; a room's last message is
// stored whole.
type messageDoc struct {
	ID           string                  `json:"_id,omitempty"`
	RoomID       string                  `json:"rid,omitempty"`
	Seq          int64                   `json:"seq,omitempty"`
	Type         string                  `json:"t,omitempty"`
	Text         string                  `json:"msg,omitempty"`
	User         userRefDoc              `json:"u"`
	TS           int64                   `json:"ts,omitempty"`
	UpdatedAt    int64                   `json:"_updatedAt,omitempty"`
	EditedAt     int64                   `json:"editedAt,omitempty"`
	EditedBy     *userRefDoc             `json:"editedBy,omitempty"`
	Mentions     []mentionDoc            `json:"mentions,omitempty"`
	Channels     []channelRefDoc         `json:"channels,omitempty"`
	GroupMention bool                    `json:"groupMention,omitempty"`
	MD           json.RawMessage         `json:"md,omitempty"`
	Alias        string                  `json:"alias,omitempty"`
	Emoji        string                  `json:"emoji,omitempty"`
	Avatar       string                  `json:"avatar,omitempty"`
	Groupable    *bool                   `json:"groupable,omitempty"`
	Bot          map[string]any          `json:"bot,omitempty"`
	Reactions    map[string]*reactionDoc `json:"reactions,omitempty"`
	Pinned       bool                    `json:"pinned,omitempty"`
	PinnedAt     int64                   `json:"pinnedAt,omitempty"`
	PinnedBy     *userRefDoc             `json:"pinnedBy,omitempty"`
	Starred      []string                `json:"starred,omitempty"`
	TMID         string                  `json:"tmid,omitempty"`
	TShow        bool                    `json:"tshow,omitempty"`
	TCount       int                     `json:"tcount,omitempty"`
	TLM          int64                   `json:"tlm,omitempty"`
	Replies      []string                `json:"replies,omitempty"`
	DRID         string                  `json:"drid,omitempty"`
	DCount       int                     `json:"dcount,omitempty"`
	DLM          int64                   `json:"dlm,omitempty"`
	Attachments  []map[string]any        `json:"attachments,omitempty"`
	File         *fileRefDoc             `json:"file,omitempty"`
	Files        []fileRefDoc            `json:"files,omitempty"`
	URLs         []map[string]any        `json:"urls,omitempty"`
	Role         string                  `json:"role,omitempty"`
	Hidden       bool                    `json:"_hidden,omitempty"`
	CustomFields map[string]any          `json:"customFields,omitempty"`
}

func toMessageDoc(m *chat.Message) messageDoc {
	d := messageDoc{
		ID: m.ID, RoomID: m.RoomID, Seq: m.Seq, Type: m.Type, Text: m.Text,
		User: toUserRefDoc(m.User), TS: ms(m.TS), UpdatedAt: ms(m.UpdatedAt),
		EditedAt: ms(m.EditedAt), EditedBy: toUserRefPtr(m.EditedBy),
		GroupMention: m.GroupMention, MD: m.MD,
		Alias: m.Alias, Emoji: m.Emoji, Avatar: m.Avatar, Groupable: m.Groupable, Bot: m.Bot,
		Pinned: m.Pinned, PinnedAt: ms(m.PinnedAt), PinnedBy: toUserRefPtr(m.PinnedBy),
		Starred: m.Starred,
		TMID:    m.TMID, TShow: m.TShow, TCount: m.TCount, TLM: ms(m.TLM), Replies: m.Replies,
		DRID: m.DRID, DCount: m.DCount, DLM: ms(m.DLM),
		Attachments: m.Attachments, URLs: m.URLs, Role: m.Role, Hidden: m.Hidden,
		CustomFields: m.CustomFields,
	}
	if len(d.MD) == 0 {
		d.MD = nil
	}
	for _, x := range m.Mentions {
		d.Mentions = append(d.Mentions, mentionDoc(x))
	}
	for _, x := range m.Channels {
		d.Channels = append(d.Channels, channelRefDoc(x))
	}
	if len(m.Reactions) > 0 {
		d.Reactions = make(map[string]*reactionDoc, len(m.Reactions))
		for k, r := range m.Reactions {
			if r == nil {
				d.Reactions[k] = nil
				continue
			}
			d.Reactions[k] = &reactionDoc{Usernames: r.Usernames, Names: r.Names}
		}
	}
	if m.File != nil {
		f := fileRefDoc(*m.File)
		d.File = &f
	}
	for _, x := range m.Files {
		d.Files = append(d.Files, fileRefDoc(x))
	}
	return d
}

func (d *messageDoc) message() chat.Message {
	m := chat.Message{
		ID: d.ID, RoomID: d.RoomID, Seq: d.Seq, Type: d.Type, Text: d.Text,
		User: d.User.ref(), TS: fromMS(d.TS), UpdatedAt: fromMS(d.UpdatedAt),
		EditedAt: fromMS(d.EditedAt), EditedBy: d.EditedBy.refPtr(),
		GroupMention: d.GroupMention, MD: d.MD,
		Alias: d.Alias, Emoji: d.Emoji, Avatar: d.Avatar, Groupable: d.Groupable, Bot: d.Bot,
		Pinned: d.Pinned, PinnedAt: fromMS(d.PinnedAt), PinnedBy: d.PinnedBy.refPtr(),
		Starred: d.Starred,
		TMID:    d.TMID, TShow: d.TShow, TCount: d.TCount, TLM: fromMS(d.TLM), Replies: d.Replies,
		DRID: d.DRID, DCount: d.DCount, DLM: fromMS(d.DLM),
		Attachments: d.Attachments, URLs: d.URLs, Role: d.Role, Hidden: d.Hidden,
		CustomFields: d.CustomFields,
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
	return m
}

// roomDoc holds the room fields that have no column.
type roomDoc struct {
	Creator           userRefDoc     `json:"u"`
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

// userDoc holds the user fields that have no column.
type userDoc struct {
	Emails                []emailDoc     `json:"emails,omitempty"`
	PasswordHash          string         `json:"password,omitempty"`
	RequirePasswordChange bool           `json:"requirePasswordChange,omitempty"`
	UTCOffset             float64        `json:"utcOffset,omitempty"`
	AvatarETag            string         `json:"avatarETag,omitempty"`
	Bio                   string         `json:"bio,omitempty"`
	Nickname              string         `json:"nickname,omitempty"`
	Preferences           map[string]any `json:"preferences,omitempty"`
	CustomFields          map[string]any `json:"customFields,omitempty"`
}

type settingOptionDoc struct {
	Key       string `json:"key"`
	I18nLabel string `json:"i18nLabel,omitempty"`
}

// settingDoc holds the setting fields that have no column.
type settingDoc struct {
	Type         string             `json:"type,omitempty"`
	PackageValue json.RawMessage    `json:"packageValue,omitempty"`
	Public       bool               `json:"public,omitempty"`
	Hidden       bool               `json:"hidden,omitempty"`
	Group        string             `json:"group,omitempty"`
	Section      string             `json:"section,omitempty"`
	Values       []settingOptionDoc `json:"values,omitempty"`
	I18nLabel    string             `json:"i18nLabel,omitempty"`
}
