package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// chatRoutes lists the chat.* endpoints: posting and changing messages
// here, reading them in chat_read.go.
// https://developer.rocket.chat/apidocs/chat
func (a *API) chatRoutes() {
	a.handle("POST /api/v1/chat.sendMessage", authRequired, a.handleChatSendMessage)
	a.handle("POST /api/v1/chat.postMessage", authRequired, a.handleChatPostMessage)
	a.handle("POST /api/v1/chat.update", authRequired, a.handleChatUpdate)
	a.handle("POST /api/v1/chat.delete", authRequired, a.handleChatDelete)
	a.handle("POST /api/v1/chat.react", authRequired, a.handleChatReact)
	a.handle("POST /api/v1/chat.pinMessage", authRequired, a.handleChatPinMessage)
	a.handle("POST /api/v1/chat.unPinMessage", authRequired, a.handleChatUnPinMessage)
	a.handle("POST /api/v1/chat.starMessage", authRequired, a.handleChatStarMessage(true))
	a.handle("POST /api/v1/chat.unStarMessage", authRequired, a.handleChatStarMessage(false))
	a.handle("POST /api/v1/chat.followMessage", authRequired, a.handleChatFollowMessage(true))
	a.handle("POST /api/v1/chat.unfollowMessage", authRequired, a.handleChatFollowMessage(false))
	a.chatReadRoutes()
}

// messageDoc renders a message for REST.
func messageDoc(m *chat.Message) *wire.Message { return wire.NewMessage(m, date) }

// sendMessageBody is chat.sendMessage's body: the message as clients build
// it (msg, or text as some send).
type sendMessageBody struct {
	Message *struct {
		ID           string           `json:"_id"`
		RID          string           `json:"rid"`
		Msg          *string          `json:"msg"`
		Text         *string          `json:"text"`
		T            string           `json:"t"`
		TMID         string           `json:"tmid"`
		TShow        bool             `json:"tshow"`
		Alias        string           `json:"alias"`
		Emoji        string           `json:"emoji"`
		Avatar       string           `json:"avatar"`
		Attachments  []map[string]any `json:"attachments"`
		Bot          map[string]any   `json:"bot"`
		Groupable    *bool            `json:"groupable"`
		CustomFields map[string]any   `json:"customFields"`
	} `json:"message"`
	PreviewURLs []string `json:"previewUrls"`
}

// handleChatSendMessage answers POST chat.sendMessage with {message}.
func (a *API) handleChatSendMessage(r *Request) (obj, error) {
	var b sendMessageBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Message == nil {
		return nil, required("message")
	}
	bm := b.Message
	if bm.RID == "" {
		return nil, required("rid")
	}
	text := ""
	switch {
	case bm.Msg != nil:
		text = *bm.Msg
	case bm.Text != nil:
		text = *bm.Text
	}
	m, err := a.core.SendMessage(r.Context(), r.Actor, core.NewMessage{
		ID: bm.ID, RoomID: bm.RID, Text: text, Type: bm.T, TMID: bm.TMID, TShow: bm.TShow,
		Alias: bm.Alias, Emoji: bm.Emoji, Avatar: bm.Avatar, Attachments: bm.Attachments,
		Bot: bm.Bot, Groupable: bm.Groupable, CustomFields: bm.CustomFields,
	})
	if err != nil {
		return nil, err
	}
	return obj{"message": messageDoc(m)}, nil
}

// postMessageBody is chat.postMessage's webhook-style body, with the
// Slack-compatible aliases Rocket.Chat accepts.
type postMessageBody struct {
	RoomID       json.RawMessage `json:"roomId"`
	Channel      json.RawMessage `json:"channel"`
	Text         string          `json:"text"`
	Msg          string          `json:"msg"`
	Alias        string          `json:"alias"`
	Username     string          `json:"username"`
	Emoji        string          `json:"emoji"`
	IconEmoji    string          `json:"icon_emoji"`
	Avatar       string          `json:"avatar"`
	IconURL      string          `json:"icon_url"`
	Attachments  json.RawMessage `json:"attachments"`
	TMID         string          `json:"tmid"`
	Bot          map[string]any  `json:"bot"`
	Groupable    *bool           `json:"groupable"`
	CustomFields map[string]any  `json:"customFields"`
}

// stringOrList reads a JSON string or array of strings.
func stringOrList(raw json.RawMessage, name string) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, nil
	}
	return nil, chat.ErrInvalidParam("must be string or array: '%s'", name)
}

// decodeAttachments reads attachments the way chat.postMessage takes them:
// anything but an array is ignored; entries must be objects.
func decodeAttachments(raw json.RawMessage) ([]map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var list []any
	if err := dec.Decode(&list); err != nil {
		return nil, chat.ErrInvalidParam("must be array: 'attachments'")
	}
	out := make([]map[string]any, 0, len(list))
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, chat.ErrInvalidParam("must be object: 'attachments/%d'", i)
		}
		out = append(out, m)
	}
	return out, nil
}

// handleChatPostMessage answers POST chat.postMessage with {ts (ms, a
// number), channel, message}: the first of the messages posted.
func (a *API) handleChatPostMessage(r *Request) (obj, error) {
	var b postMessageBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	channels, err := stringOrList(b.Channel, "channel")
	if err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		if channels, err = stringOrList(b.RoomID, "roomId"); err != nil {
			return nil, err
		}
	}
	atts, err := decodeAttachments(b.Attachments)
	if err != nil {
		return nil, err
	}
	pm := core.PostMessage{
		Channels: channels, Text: firstNonEmpty(b.Text, b.Msg), Alias: firstNonEmpty(b.Username, b.Alias),
		Emoji: firstNonEmpty(b.IconEmoji, b.Emoji), Avatar: firstNonEmpty(b.IconURL, b.Avatar),
		Attachments: atts, TMID: b.TMID, Bot: b.Bot, Groupable: b.Groupable, CustomFields: b.CustomFields,
	}
	posted, err := a.core.PostMessage(r.Context(), r.Actor, pm)
	if err != nil {
		var ce *chat.Error
		if errors.As(err, &ce) && ce.Type == "error-message-size-exceeded" {
			// chat.postMessage reports the size with the bare code.
			return nil, &chat.Error{Kind: chat.EInvalid, Message: "error-message-size-exceeded"}
		}
		return nil, err
	}
	first := posted[0]
	return obj{"ts": first.Message.TS.UnixMilli(), "channel": first.Channel, "message": messageDoc(first.Message)}, nil
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// handleChatUpdate answers POST chat.update {roomId, msgId, text} with
// the edited {message}.
func (a *API) handleChatUpdate(r *Request) (obj, error) {
	var b struct {
		RoomID       string         `json:"roomId"`
		MsgID        string         `json:"msgId"`
		Text         *string        `json:"text"`
		CustomFields map[string]any `json:"customFields"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	switch {
	case b.RoomID == "":
		return nil, required("roomId")
	case b.MsgID == "":
		return nil, required("msgId")
	case b.Text == nil:
		return nil, required("text")
	}
	m, err := a.core.UpdateMessage(r.Context(), r.Actor, core.EditMessage{ID: b.MsgID, RoomID: b.RoomID, Text: *b.Text, CustomFields: b.CustomFields})
	if err != nil {
		return nil, err
	}
	return obj{"message": messageDoc(m)}, nil
}

// handleChatDelete answers POST chat.delete {roomId, msgId, asUser} with
// {_id, ts (ms, as a string), message:{_id, rid, u}}.
func (a *API) handleChatDelete(r *Request) (obj, error) {
	var b struct {
		RoomID string `json:"roomId"`
		MsgID  string `json:"msgId"`
		AsUser any    `json:"asUser"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	switch {
	case b.MsgID == "":
		return nil, required("msgId")
	case b.RoomID == "":
		return nil, required("roomId")
	}
	asUser, _ := strconv.ParseBool(str(b.AsUser))
	d, err := a.core.DeleteMessage(r.Context(), r.Actor, b.MsgID, b.RoomID, asUser)
	if err != nil {
		return nil, err
	}
	m := d.Message
	return obj{
		"_id":     m.ID,
		"ts":      strconv.FormatInt(d.At.UnixMilli(), 10),
		"message": obj{"_id": m.ID, "rid": m.RoomID, "u": wire.Ref(m.User)},
	}, nil
}

// handleChatReact answers POST chat.react {messageId, emoji|reaction,
// shouldReact?} with {}.
func (a *API) handleChatReact(r *Request) (obj, error) {
	var b struct {
		MessageID   string `json:"messageId"`
		Emoji       string `json:"emoji"`
		Reaction    string `json:"reaction"`
		ShouldReact any    `json:"shouldReact"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.MessageID == "" {
		return nil, required("messageId")
	}
	var should *bool
	if b.ShouldReact != nil {
		v, err := strconv.ParseBool(str(b.ShouldReact))
		if err != nil {
			return nil, chat.ErrInvalidParam("must be boolean: 'shouldReact'")
		}
		should = &v
	}
	return nil, a.core.React(r.Context(), r.Actor, b.MessageID, firstNonEmpty(b.Emoji, b.Reaction), should)
}

// messageIDBody reads {messageId}, required.
func (r *Request) messageIDBody() (string, error) {
	var b struct {
		MessageID string `json:"messageId"`
	}
	if err := r.decode(&b); err != nil {
		return "", err
	}
	if strings.TrimSpace(b.MessageID) == "" {
		return "", required("messageId")
	}
	return b.MessageID, nil
}

// handleChatPinMessage answers POST chat.pinMessage with {message}: the
// message_pinned system message.
func (a *API) handleChatPinMessage(r *Request) (obj, error) {
	id, err := r.messageIDBody()
	if err != nil {
		return nil, err
	}
	m, err := a.core.Pin(r.Context(), r.Actor, id)
	if err != nil {
		return nil, err
	}
	return obj{"message": messageDoc(m)}, nil
}

// handleChatUnPinMessage answers POST chat.unPinMessage with {}.
func (a *API) handleChatUnPinMessage(r *Request) (obj, error) {
	id, err := r.messageIDBody()
	if err != nil {
		return nil, err
	}
	return nil, a.core.Unpin(r.Context(), r.Actor, id)
}

// handleChatStarMessage answers POST chat.starMessage and
// chat.unStarMessage with {}.
func (a *API) handleChatStarMessage(starred bool) handlerFunc {
	return func(r *Request) (obj, error) {
		id, err := r.messageIDBody()
		if err != nil {
			return nil, err
		}
		_, err = a.core.Star(r.Context(), r.Actor, id, starred)
		return nil, err
	}
}

// handleChatFollowMessage answers POST chat.followMessage and
// chat.unfollowMessage {mid} with {}.
func (a *API) handleChatFollowMessage(follow bool) handlerFunc {
	return func(r *Request) (obj, error) {
		var b struct {
			MID string `json:"mid"`
		}
		if err := r.decode(&b); err != nil {
			return nil, err
		}
		if b.MID == "" {
			return nil, required("mid")
		}
		if follow {
			return nil, a.core.Follow(r.Context(), r.Actor, b.MID)
		}
		return nil, a.core.Unfollow(r.Context(), r.Actor, b.MID)
	}
}
