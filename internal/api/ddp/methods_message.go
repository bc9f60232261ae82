package ddp

import (
	"context"
	"encoding/json"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (h *Handler) messageMethods(m map[string]methodFunc) {
	m["sendMessage"] = h.sendMessage
	m["updateMessage"] = h.updateMessage
	m["deleteMessage"] = h.deleteMessage
	m["setReaction"] = h.setReaction
	m["pinMessage"] = h.pinMessage
	m["unpinMessage"] = h.unpinMessage
	m["starMessage"] = h.starMessage
	m["followMessage"] = h.followMessage
	m["unfollowMessage"] = h.unfollowMessage
	m["getThreadMessages"] = h.getThreadMessages
	m["getSingleMessage"] = h.getSingleMessage
}

// messageParam is the message object the message methods take.
type messageParam struct {
	ID           string           `json:"_id"`
	RID          string           `json:"rid"`
	Msg          string           `json:"msg"`
	TMID         string           `json:"tmid"`
	TShow        bool             `json:"tshow"`
	Alias        string           `json:"alias"`
	Emoji        string           `json:"emoji"`
	Avatar       string           `json:"avatar"`
	Attachments  []map[string]any `json:"attachments"`
	Bot          map[string]any   `json:"bot"`
	Groupable    *bool            `json:"groupable"`
	CustomFields map[string]any   `json:"customFields"`
	TS           json.RawMessage  `json:"ts"`
	Starred      *bool            `json:"starred"`
	MID          string           `json:"mid"`
}

// message decodes parameter 0 as a message object.
func (c *call) message() (*messageParam, error) {
	var p messageParam
	ok, err := c.arg(0, &p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, c.invalid("Invalid message")
	}
	return &p, nil
}

// sendMessage: [{_id?, rid, msg, tmid?, ...}] → the stored message.
func (h *Handler) sendMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	m, err := h.core.SendMessage(ctx, actor, core.NewMessage{
		ID: p.ID, RoomID: p.RID, Text: p.Msg, TMID: p.TMID, TShow: p.TShow,
		Alias: p.Alias, Emoji: p.Emoji, Avatar: p.Avatar, Attachments: p.Attachments,
		Bot: p.Bot, Groupable: p.Groupable, CustomFields: p.CustomFields, TS: ejsonDate(p.TS),
	})
	if err != nil {
		return nil, err
	}
	return messageDoc(m), nil
}

// updateMessage: [{_id, rid, msg}] → nothing.
func (h *Handler) updateMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if p.ID == "" {
		return nil, c.invalid("Invalid message")
	}
	_, err = h.core.UpdateMessage(ctx, actor, core.EditMessage{ID: p.ID, RoomID: p.RID, Text: p.Msg, CustomFields: p.CustomFields})
	return nil, err
}

// deleteMessage: [{_id}] → nothing.
func (h *Handler) deleteMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if p.ID == "" {
		return nil, c.invalid("Invalid message")
	}
	_, err = h.core.DeleteMessage(ctx, actor, p.ID, "", false)
	return nil, err
}

// setReaction: [":emoji:", messageId, shouldReact?] → nothing; without
// shouldReact the reaction toggles.
func (h *Handler) setReaction(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	emoji, err := c.requireStr(0, "reaction")
	if err != nil {
		return nil, err
	}
	mid, err := c.requireStr(1, "messageId")
	if err != nil {
		return nil, err
	}
	var should *bool
	var b bool
	if ok, err := c.arg(2, &b); err != nil {
		return nil, err
	} else if ok {
		should = &b
	}
	return nil, h.core.React(ctx, actor, mid, emoji, should)
}

// pinMessage: [message] → the pinned message.
func (h *Handler) pinMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	m, err := h.core.Pin(ctx, actor, p.ID)
	if err != nil {
		return nil, err
	}
	return messageDoc(m), nil
}

// unpinMessage: [message] → true.
func (h *Handler) unpinMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if err := h.core.Unpin(ctx, actor, p.ID); err != nil {
		return nil, err
	}
	return true, nil
}

// starMessage: [{_id, rid, starred}] → whether anything changed.
func (h *Handler) starMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if p.ID == "" || p.Starred == nil {
		return nil, c.invalid("Invalid message")
	}
	return h.core.Star(ctx, actor, p.ID, *p.Starred)
}

// followMessage: [{mid}] → nothing.
func (h *Handler) followMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if p.MID == "" {
		return nil, c.invalid("Invalid params")
	}
	return nil, h.core.Follow(ctx, actor, p.MID)
}

// unfollowMessage: [{mid}] → nothing.
func (h *Handler) unfollowMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	p, err := c.message()
	if err != nil {
		return nil, err
	}
	if p.MID == "" {
		return nil, c.invalid("Invalid params")
	}
	return nil, h.core.Unfollow(ctx, actor, p.MID)
}

// getThreadMessages: [{tmid, limit?, skip?}] → the thread's root followed
// by its replies, newest first, as Rocket.Chat answers.
func (h *Handler) getThreadMessages(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	var p struct {
		TMID  string `json:"tmid"`
		Limit int    `json:"limit"`
		Skip  int    `json:"skip"`
	}
	if ok, err := c.arg(0, &p); err != nil {
		return nil, err
	} else if !ok || p.TMID == "" {
		return nil, c.invalid("Invalid params")
	}
	root, err := h.core.GetMessage(ctx, actor, p.TMID)
	if err != nil {
		return nil, err
	}
	desc := false
	replies, _, err := h.core.ThreadMessages(ctx, actor, p.TMID, core.Page{Offset: p.Skip, Limit: p.Limit, Ascending: &desc})
	if err != nil {
		return nil, err
	}
	out := append([]chat.Message{*root}, replies...)
	return messageDocs(out), nil
}

// getSingleMessage: [messageId] → the message.
func (h *Handler) getSingleMessage(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	id, err := c.requireStr(0, "msgId")
	if err != nil {
		return nil, err
	}
	m, err := h.core.GetMessage(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return messageDoc(m), nil
}
