package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// PostMessage is a webhook-style message (chat.postMessage, incoming
// integrations): one message to one or more destinations.
type PostMessage struct {
	// Channels are destinations as Rocket.Chat accepts them: "#name",
	// "@username" (the direct conversation with that user, opened if
	// needed), or a room id or name without prefix.
	Channels     []string
	Text         string
	Alias        string
	Emoji        string
	Avatar       string
	Attachments  []map[string]any
	TMID         string
	Bot          map[string]any
	Groupable    *bool
	CustomFields map[string]any
	// integration marks a webhook's post (see NewMessage).
	integration bool
}

// Posted is one message PostMessage wrote, with the destination it was
// asked for.
type Posted struct {
	Channel string
	Message *chat.Message
	Room    *chat.Room
}

// PostMessage writes pm into each destination, all in one transaction:
// either every message is posted or none. Posting to a public channel by
// name or id joins the actor to it first (with its join message), as
// Rocket.Chat does for integrations.
func (s *Service) PostMessage(ctx context.Context, actor *chat.User, pm PostMessage) ([]Posted, error) {
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	channels := uniqueNonEmpty(pm.Channels)
	if len(channels) == 0 {
		return nil, errInvalidChannel()
	}
	groupable := pm.Groupable
	if groupable == nil {
		groupable = boolPtr(false)
	}
	for i, a := range pm.Attachments {
		// Slack's payloads say msg where Rocket.Chat says text.
		if t, ok := a["msg"].(string); ok && t != "" {
			a["text"] = strings.TrimSpace(t)
			delete(a, "msg")
		}
		pm.Attachments[i] = a
	}
	nm := NewMessage{
		Text: strings.TrimSpace(pm.Text), TMID: pm.TMID, Alias: pm.Alias, Attachments: pm.Attachments,
		Bot: pm.Bot, Groupable: groupable, CustomFields: pm.CustomFields, integration: pm.integration,
	}
	if pm.Avatar != "" {
		nm.Avatar = pm.Avatar
	} else {
		nm.Emoji = pm.Emoji
	}
	for _, a := range pm.Attachments {
		if t, ok := a["text"].(string); ok {
			if err := s.checkSize(t); err != nil {
				return nil, err
			}
		}
	}
	base, err := s.prepareMessage(ctx, actor, nm)
	if err != nil {
		return nil, err
	}
	// Destinations are resolved on the read pool, so that the write
	// transaction only joins, opens direct conversations and posts.
	targets := make([]*postTarget, len(channels))
	for i, ch := range channels {
		if targets[i], err = s.resolveTarget(ctx, actor, ch); err != nil {
			return nil, err
		}
	}
	var out []Posted
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		out = out[:0]
		for _, t := range targets {
			r, sub, err := s.openTarget(ctx, tx, o, actor, t)
			if err != nil {
				return err
			}
			m := *base
			m.RoomID = r.ID
			if err := s.postInto(ctx, tx, o, actor, r, &m, sub); err != nil {
				return err
			}
			out = append(out, Posted{Channel: t.channel, Message: &m, Room: r})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func errInvalidChannel() error {
	return chat.Errorf(chat.EInvalid, "invalid-channel", "")
}

func uniqueNonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// postTarget is a PostMessage destination, resolved before the write
// transaction: a room, or the user whose direct conversation with the
// actor does not exist yet.
type postTarget struct {
	channel string
	room    *chat.Room
	sub     *chat.Subscription // when the posting rules need it
	dmWith  *chat.User
}

// resolveTarget finds the room a destination names: "#name" or a room id
// or name, or "@user" (username or id) and, without a prefix, a user id, for
// the direct conversation with that user.
func (s *Service) resolveTarget(ctx context.Context, actor *chat.User, ch string) (*postTarget, error) {
	t := &postTarget{channel: ch}
	var err error
	switch ch[0] {
	case '@':
		return s.resolveDirect(ctx, actor, t, ch[1:], false)
	case '#':
		if t.room, err = s.findRoom(ctx, s.store, ch[1:]); chat.IsKind(err, chat.ENotFound) {
			return nil, errInvalidChannel()
		}
	default:
		t.room, err = s.findRoom(ctx, s.store, ch)
		if chat.IsKind(err, chat.ENotFound) {
			return s.resolveDirect(ctx, actor, t, ch, true)
		}
	}
	if err != nil {
		return nil, err
	}
	if t.room.Type != chat.RoomChannel && s.needsSubscription(ctx, actor, t.room) {
		t.sub, err = s.subscription(ctx, s.store, t.room.ID, actor.ID)
	}
	return t, err
}

// resolveDirect resolves the direct conversation between actor and the
// user named by who (a username or id; with byIDOnly, an id).
func (s *Service) resolveDirect(ctx context.Context, actor *chat.User, t *postTarget, who string, byIDOnly bool) (*postTarget, error) {
	other, err := s.store.UserByID(ctx, who)
	if chat.IsKind(err, chat.ENotFound) && !byIDOnly {
		other, err = s.store.UserByUsername(ctx, who)
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errInvalidChannel()
	}
	if err != nil {
		return nil, err
	}
	t.room, err = s.store.RoomByID(ctx, chat.DirectRoomID(actor.ID, other.ID))
	if chat.IsKind(err, chat.ENotFound) {
		t.room, t.dmWith = nil, other
		return t, nil
	}
	return t, err
}

// openTarget makes a resolved destination ready for posting inside the
// transaction: it opens the direct conversation or joins the channel.
func (s *Service) openTarget(ctx context.Context, tx chat.Store, o *outbox, actor *chat.User, t *postTarget) (*chat.Room, *chat.Subscription, error) {
	if t.dmWith != nil {
		r, err := s.openDirect(ctx, tx, o, actor, t.dmWith)
		return r, nil, err
	}
	if t.room.Type == chat.RoomChannel {
		return s.joinForPost(ctx, tx, o, actor, t.room)
	}
	return t.room, t.sub, nil
}

// joinForPost subscribes actor to the public channel r (with a join
// message) unless they are a member. Other rooms are returned as they are;
// postInto checks that the actor may post there.
func (s *Service) joinForPost(ctx context.Context, tx chat.Store, o *outbox, actor *chat.User, r *chat.Room) (*chat.Room, *chat.Subscription, error) {
	if r.Type != chat.RoomChannel || r.Archived || !s.Can(ctx, actor, "view-c-room", "") {
		return r, nil, nil // postInto refuses with the right error
	}
	// Joining is tried outright: the room's unique (room, user) key tells
	// whether actor was a member, for one index probe, where reading the
	// subscription would count its unread messages inside the write
	// transaction. A refused insert leaves the transaction usable.
	sub, err := s.subscribe(ctx, tx, o, r, actor, nil, true)
	if chat.IsKind(err, chat.EConflict) {
		return r, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.systemMessage(ctx, tx, o, r, chat.MsgUserJoined, actor.Username, actor, nil); err != nil {
		return nil, nil, err
	}
	return r, sub, nil
}

// openDirect creates the direct conversation between actor and other,
// with both subscriptions, unless it exists.
func (s *Service) openDirect(ctx context.Context, tx chat.Store, o *outbox, actor, other *chat.User) (*chat.Room, error) {
	id := chat.DirectRoomID(actor.ID, other.ID)
	r, err := tx.RoomByID(ctx, id)
	if err == nil {
		return r, nil // opened meanwhile
	}
	if !chat.IsKind(err, chat.ENotFound) {
		return nil, err
	}
	if !s.Can(ctx, actor, "create-d", "") {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not allowed")
	}
	if other.ID == actor.ID && !s.SettingBool("Message_AllowDirectMessagesToYourself") {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not allowed")
	}
	now := s.now()
	r = &chat.Room{
		ID: id, Type: chat.RoomDirect, Creator: actor.Ref(),
		CreatedAt: now, UpdatedAt: now,
	}
	members := []*chat.User{actor}
	if other.ID != actor.ID {
		members = append(members, other)
	}
	for _, u := range members {
		r.UIDs = append(r.UIDs, u.ID)
		r.Usernames = append(r.Usernames, u.Username)
	}
	if err := tx.CreateRoom(ctx, r); err != nil {
		return nil, err
	}
	for _, u := range members {
		if _, err := s.subscribe(ctx, tx, o, r, u, nil, true); err != nil {
			return nil, err
		}
	}
	return r, nil
}
