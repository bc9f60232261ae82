package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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
// Go's Unicode lower-casing, as the SQLite store does, so that both match
// the same things.
func fold(s string) string { return strings.ToLower(s) }

// Text that PostgreSQL refuses: it stores no NUL character (neither in text
// nor in jsonb) and no invalid UTF-8, where SQLite takes both. Strings bound
// to statements go through clean (see cleanArgs), and JSON documents through
// cleanJSON, so such input is stored with U+FFFD in their place instead of
// failing the request.

const replacement = "\uFFFD"

func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, replacement), "\x00", replacement)
}

// cleanJSON replaces the escaped NULs (\u0000) of encoding/json's output,
// which jsonb rejects. Escaped backslashes are skipped, so the text \\u0000
// stays as it is.
func cleanJSON(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
			out = append(out, `\ufffd`...)
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

// jsonDoc encodes v for a jsonb column that holds an object: "{}" when v is
// empty, so that it reads back as nothing.
func jsonDoc(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	if string(b) == "null" {
		return []byte("{}"), nil
	}
	return cleanJSON(b), nil
}

// jsonValue encodes any JSON value (setting values), null included.
func jsonValue(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return cleanJSON(b), nil
}

// fromJSON decodes a jsonb column; SQL NULL, null and the empty object
// leave v untouched, so that empty maps read back as nil.
func fromJSON(b []byte, v any) error {
	switch string(b) {
	case "", "null", "{}":
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

// list returns v as a non-nil slice, since a nil slice binds as SQL NULL
// and the array columns are NOT NULL.
func list(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// orNil returns nil for an empty slice: the stores read empty lists back as
// nil.
func orNil(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

// The types below fix the JSON names of the stored documents, the same names
// as the SQLite store's. They mirror chat's types field by field, so that a
// change there fails to compile here.

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
//
// MD, the parsed markdown, is kept as a JSON string holding its compact
// text: jsonb would reorder its keys and respace it, and the stores return
// exactly the bytes they were given (compacted, as SQLite's json encoding
// does).
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
	MD           string                  `json:"md,omitempty"`
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

// compactMD returns the markdown tree as compact JSON text; invalid JSON is
// an error, as it is for the SQLite store.
func compactMD(md json.RawMessage) (string, error) {
	if len(md) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, md); err != nil {
		return "", fmt.Errorf("encode md: %w", err)
	}
	return buf.String(), nil
}

func toMessageDoc(m *chat.Message) (messageDoc, error) {
	md, err := compactMD(m.MD)
	if err != nil {
		return messageDoc{}, err
	}
	d := messageDoc{
		ID: m.ID, RoomID: m.RoomID, Seq: m.Seq, Type: m.Type, Text: m.Text,
		User: toUserRefDoc(m.User), TS: ms(m.TS), UpdatedAt: ms(m.UpdatedAt),
		EditedAt: ms(m.EditedAt), EditedBy: toUserRefPtr(m.EditedBy),
		GroupMention: m.GroupMention, MD: md,
		Alias: m.Alias, Emoji: m.Emoji, Avatar: m.Avatar, Groupable: m.Groupable, Bot: m.Bot,
		Pinned: m.Pinned, PinnedAt: ms(m.PinnedAt), PinnedBy: toUserRefPtr(m.PinnedBy),
		Starred: m.Starred,
		TMID:    m.TMID, TShow: m.TShow, TCount: m.TCount, TLM: ms(m.TLM), Replies: m.Replies,
		DRID: m.DRID, DCount: m.DCount, DLM: ms(m.DLM),
		Attachments: m.Attachments, URLs: m.URLs, Role: m.Role, Hidden: m.Hidden,
		CustomFields: m.CustomFields,
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
	return d, nil
}

func (d *messageDoc) message() chat.Message {
	m := chat.Message{
		ID: d.ID, RoomID: d.RoomID, Seq: d.Seq, Type: d.Type, Text: d.Text,
		User: d.User.ref(), TS: fromMS(d.TS), UpdatedAt: fromMS(d.UpdatedAt),
		EditedAt: fromMS(d.EditedAt), EditedBy: d.EditedBy.refPtr(),
		GroupMention: d.GroupMention,
		Alias:        d.Alias, Emoji: d.Emoji, Avatar: d.Avatar, Groupable: d.Groupable, Bot: d.Bot,
		Pinned: d.Pinned, PinnedAt: fromMS(d.PinnedAt), PinnedBy: d.PinnedBy.refPtr(),
		Starred: d.Starred,
		TMID:    d.TMID, TShow: d.TShow, TCount: d.TCount, TLM: fromMS(d.TLM), Replies: d.Replies,
		DRID: d.DRID, DCount: d.DCount, DLM: fromMS(d.DLM),
		Attachments: d.Attachments, URLs: d.URLs, Role: d.Role, Hidden: d.Hidden,
		CustomFields: d.CustomFields,
	}
	if d.MD != "" {
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
