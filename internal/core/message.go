package core

import (
	"context"
	"time"
	"unicode/utf16"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// NewMessage is a message a user sends (chat.sendMessage, DDP sendMessage).
type NewMessage struct {
	// ID is an optional client-chosen id; sending one that exists fails.
	ID     string
	RoomID string
	Text   string
	// Type must be empty: system messages are written by the server only.
	Type         string
	TMID         string
	TShow        bool
	Alias        string
	Emoji        string
	Avatar       string
	Attachments  []map[string]any
	Bot          map[string]any
	Groupable    *bool
	CustomFields map[string]any
	// TS is a client timestamp (DDP); within 10 s of the server's clock it
	// is kept, beyond a minute the message is refused.
	TS time.Time
	// integration is set by webhooks, whose label stands whoever they
	// post as (an outgoing webhook may impersonate the user it answers).
	integration bool
}

// maxClientIDLength bounds client-chosen message ids, which end up in URLs
// and indexes.
const maxClientIDLength = 64

// SendMessage validates and stores a message from actor, and publishes it
// on the room's topic. It is Rocket.Chat's executeSendMessage: the caller
// must be able to access the room (members, or anyone with view-c-room in a
// public channel), the room must be writable for them, and thread replies
// must point at a message of the same room.
func (s *Service) SendMessage(ctx context.Context, actor *chat.User, nm NewMessage) (*chat.Message, error) {
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	if nm.Type != "" {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: "Cannot send system messages using 'chat.sendMessage'"}
	}
	if err := s.checkClientID(nm.ID); err != nil {
		return nil, err
	}
	if nm.RoomID == "" {
		return nil, chat.ErrInvalidParam("The 'rid' property on the message object is missing.")
	}
	r, err := s.store.RoomByID(ctx, nm.RoomID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-room", "Invalid room")
	}
	if err != nil {
		return nil, err
	}
	m, err := s.prepareMessage(ctx, actor, nm)
	if err != nil {
		return nil, err
	}
	// The membership, when the rules need it, is read before the write
	// transaction: reading a subscription computes its unread counts, and
	// the writer should not wait for that.
	var sub *chat.Subscription
	if s.needsSubscription(ctx, actor, r) {
		if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
			return nil, err
		}
		if err := s.canSend(ctx, actor, r, sub); err != nil {
			return nil, err
		}
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		return s.postInto(ctx, tx, o, actor, r, m, sub)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// checkClientID refuses malformed client ids and ids already taken.
func (s *Service) checkClientID(id string) error {
	if id == "" {
		return nil
	}
	if len(id) > maxClientIDLength {
		return chat.ErrInvalidParam("must NOT have more than %d characters: '_id'", maxClientIDLength)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return chat.ErrInvalidParam("invalid characters in '_id'")
		}
	}
	return nil
}

// errMessageExists is the answer to a client-chosen id that is taken.
func errMessageExists() error {
	return chat.Errorf(chat.EInvalid, "error-message-already-exists", "A message with this id already exists")
}

// prepareMessage checks everything that does not depend on the room (size,
// threads setting, attachments, impersonation fields, mentions) and builds
// the message. It reads only from the read pool, so that the write
// transaction stays short.
func (s *Service) prepareMessage(ctx context.Context, actor *chat.User, nm NewMessage) (*chat.Message, error) {
	if nm.TShow && nm.TMID == "" {
		return nil, chat.ErrInvalidParam("tshow provided but missing tmid")
	}
	if nm.TMID != "" && !s.SettingBool("Threads_enabled") {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "not-allowed")
	}
	if err := s.checkSize(nm.Text); err != nil {
		return nil, err
	}
	if err := validateAttachments(nm.Attachments); err != nil {
		return nil, err
	}
	if nm.Avatar != "" && !validPartialURL(nm.Avatar) {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: "Invalid href value provided"}
	}
	now := s.now()
	m := &chat.Message{
		ID:           nm.ID,
		RoomID:       nm.RoomID,
		Text:         nm.Text,
		User:         actor.Ref(),
		TMID:         nm.TMID,
		TShow:        nm.TShow && nm.TMID != "",
		Alias:        nm.Alias,
		Emoji:        nm.Emoji,
		Avatar:       nm.Avatar,
		Attachments:  nm.Attachments,
		Groupable:    nm.Groupable,
		CustomFields: nm.CustomFields,
	}
	if !nm.TS.IsZero() {
		diff := now.Sub(nm.TS)
		if diff < 0 {
			diff = -diff
		}
		if diff > time.Minute {
			return nil, chat.Errorf(chat.EInvalid, "error-message-ts-out-of-sync", "Message timestamp is out of sync")
		}
		if diff <= 10*time.Second {
			m.TS = nm.TS.UTC().Truncate(time.Millisecond)
		}
	}
	// Only bots and integrations may label their messages as such; a bot
	// label from anyone else is dropped rather than refused, because the
	// JS SDK sends one whatever account it logs in with.
	if len(nm.Bot) > 0 && (nm.integration || isBot(actor)) {
		m.Bot = nm.Bot
	}
	if err := s.resolveMentions(ctx, s.store, m); err != nil {
		return nil, err
	}
	// Parsed here rather than in insertMessage, to keep the parser out of
	// the write transaction.
	s.parseMarkdown(m)
	return m, nil
}

// parseMarkdown sets what Rocket.Chat's beforeSave hook sets: md, the
// text's tree, when there is text, and descriptionMd on the first
// attachment when it has a description (a file's caption). Whatever a
// client sent in their place is dropped.
func (s *Service) parseMarkdown(m *chat.Message) {
	m.MD = nil
	var desc string
	hasDesc := false
	if len(m.Attachments) > 0 {
		delete(m.Attachments[0], "descriptionMd")
		desc, hasDesc = m.Attachments[0]["description"].(string)
	}
	if s.markdown == nil {
		return
	}
	if m.Text != "" {
		m.MD = s.markdown(m.Text, s.Setting)
	}
	if hasDesc {
		m.Attachments[0]["descriptionMd"] = s.markdown(desc, s.Setting)
	}
}

// isBot reports whether u is a bot or an app, by type or role.
func isBot(u *chat.User) bool {
	return u.Type == chat.UserTypeBot || u.Type == chat.UserTypeApp || u.HasRole("bot") || u.HasRole("app")
}

// checkSize enforces Message_MaxAllowedSize, counted in UTF-16 code units
// as JavaScript's String.length counts them.
func (s *Service) checkSize(text string) error {
	max := s.SettingInt("Message_MaxAllowedSize", 5000)
	if max > 0 && len(text) > max && utf16Len(text) > max {
		return chat.Errorf(chat.EInvalid, "error-message-size-exceeded", "Message size exceeds Message_MaxAllowedSize")
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// postInto checks that actor may post m into room r, then stores it. sub is
// the actor's subscription when the caller already holds it. It runs inside
// the caller's transaction.
func (s *Service) postInto(ctx context.Context, tx chat.Store, o *outbox, actor *chat.User, r *chat.Room, m *chat.Message, sub *chat.Subscription) error {
	if sub == nil {
		var err error
		if sub, err = s.membership(ctx, tx, actor, r); err != nil {
			return err
		}
	}
	if err := s.canSend(ctx, actor, r, sub); err != nil {
		return err
	}
	if (m.Alias != "" || m.Avatar != "") && !s.canWithSub(actor, sub, "message-impersonate") {
		return &chat.Error{Kind: chat.EForbidden, Message: "Not enough permission"}
	}
	if m.GroupMention {
		if err := s.checkGroupMentions(actor, sub, r, m); err != nil {
			return err
		}
	}
	if m.TMID != "" {
		root, err := tx.MessageByID(ctx, m.TMID)
		if chat.IsKind(err, chat.ENotFound) {
			return chat.Errorf(chat.EInvalid, "error-invalid-message", "Invalid thread: the message it replies to does not exist")
		}
		if err != nil {
			return err
		}
		// Threads do not nest: a reply to a reply joins the first thread.
		if root.TMID != "" {
			if root, err = tx.MessageByID(ctx, root.TMID); err != nil {
				return err
			}
		}
		if root.RoomID != r.ID {
			return chat.Errorf(chat.EInvalid, "error-invalid-message", "Invalid thread: the message it replies to is in another room")
		}
		m.TMID = root.ID
	}
	if m.ID != "" {
		if _, err := tx.MessageByID(ctx, m.ID); err == nil {
			return errMessageExists()
		} else if !chat.IsKind(err, chat.ENotFound) {
			return err
		}
	}
	err := s.insertMessage(ctx, tx, o, r, m)
	if chat.IsKind(err, chat.EConflict) {
		return errMessageExists()
	}
	return err
}

// needsSubscription reports whether the posting rules for actor in r
// depend on actor's subscription. They do not in a public channel that
// actor may read without joining (unless it is read-only, where room roles
// matter), nor in a direct conversation that lists actor as a member.
func (s *Service) needsSubscription(ctx context.Context, actor *chat.User, r *chat.Room) bool {
	switch r.Type {
	case chat.RoomChannel:
		return r.ReadOnly || !s.Can(ctx, actor, "view-c-room", "")
	case chat.RoomDirect:
		return !contains(r.UIDs, actor.ID)
	}
	return true
}

// membership returns actor's subscription to r when the access rules need
// it, and otherwise a stand-in that carries no room roles. Store reads of a
// subscription compute its unread counts, which grow with the room, so the
// hot paths avoid them where membership is already known.
func (s *Service) membership(ctx context.Context, st chat.Store, actor *chat.User, r *chat.Room) (*chat.Subscription, error) {
	if !s.needsSubscription(ctx, actor, r) {
		if r.Type == chat.RoomDirect {
			return &chat.Subscription{RoomID: r.ID, User: actor.Ref(), Type: r.Type}, nil
		}
		return nil, nil
	}
	return s.subscription(ctx, st, r.ID, actor.ID)
}

// canSend is Rocket.Chat's canSendMessage: the actor can access the room,
// and it is neither archived nor read-only for them, nor are they muted.
func (s *Service) canSend(ctx context.Context, actor *chat.User, r *chat.Room, sub *chat.Subscription) error {
	if actor.Type != chat.UserTypeApp && !s.mayRead(ctx, actor, r, sub) {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "Not allowed")
	}
	return s.requireWritable(ctx, actor, r, sub)
}

// checkGroupMentions refuses @all and @here from users without
// mention-all / mention-here.
func (s *Service) checkGroupMentions(actor *chat.User, sub *chat.Subscription, r *chat.Room, m *chat.Message) error {
	for _, mn := range m.Mentions {
		perm := ""
		switch mn.ID {
		case "all":
			perm = "mention-all"
		case "here":
			perm = "mention-here"
		default:
			continue
		}
		if !s.canWithSub(actor, sub, perm) {
			e := chat.Errorf(chat.EForbidden, "error-action-not-allowed", "Notify all in this room not allowed")
			e.Details = map[string]any{"action": "Notify_all_in_this_room"}
			return e
		}
	}
	return nil
}

// messageChanged stamps m as updated, writes it and queues it on its
// room's topic, so that stream-room-messages re-emits the whole message.
func (s *Service) messageChanged(ctx context.Context, tx chat.Store, o *outbox, m *chat.Message) error {
	m.UpdatedAt = s.now()
	if err := tx.UpdateMessage(ctx, m); err != nil {
		return err
	}
	o.addData(chat.RoomTopic(m.RoomID), chat.Event{Kind: chat.EventMessage, RoomID: m.RoomID, MessageID: m.ID, At: m.UpdatedAt}, m)
	return nil
}

// errMessageNotFound is the error for an unknown messageId.
func errMessageNotFound() error {
	return chat.Errorf(chat.EInvalid, "error-message-not-found", "The provided \"messageId\" does not match any existing message.")
}

// messageForActor loads a message and the room it is in, and checks that
// the actor can access that room. Unknown messages give notFound; rooms
// the actor may not read give Rocket.Chat's error-not-allowed.
func (s *Service) messageForActor(ctx context.Context, st chat.Store, actor *chat.User, id string, notFound func() error) (*chat.Message, *chat.Room, *chat.Subscription, error) {
	if id == "" {
		return nil, nil, nil, notFound()
	}
	m, err := st.MessageByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := st.RoomByID(ctx, m.RoomID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	sub, err := s.readAccess(ctx, st, actor, r)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not allowed")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return m, r, sub, nil
}

// readAccess checks that actor may read r and returns their subscription
// when it had to be read (nil otherwise, and for non-members of public
// channels): ENotFound when they may not read it.
func (s *Service) readAccess(ctx context.Context, st chat.Store, actor *chat.User, r *chat.Room) (*chat.Subscription, error) {
	switch {
	case r.Type == chat.RoomChannel && actor == nil && s.SettingBool("Accounts_AllowAnonymousRead"):
		return nil, nil
	case actor == nil:
		return nil, chat.ErrRoomNotFound()
	case r.Type == chat.RoomChannel && s.Can(ctx, actor, "view-c-room", ""):
		return nil, nil
	case r.Type == chat.RoomDirect && contains(r.UIDs, actor.ID):
		return nil, nil
	}
	sub, err := s.subscription(ctx, st, r.ID, actor.ID)
	if err != nil {
		return nil, err
	}
	if !s.mayRead(ctx, actor, r, sub) {
		return nil, chat.ErrRoomNotFound()
	}
	return sub, nil
}

// GetMessage returns one message, if actor can read its room
// (chat.getMessage, DDP getSingleMessage).
func (s *Service) GetMessage(ctx context.Context, actor *chat.User, id string) (*chat.Message, error) {
	m, _, _, err := s.messageForActor(ctx, s.store, actor, id, func() error {
		return chat.Errorf(chat.EInvalid, "error-message-not-found", "Message not found")
	})
	return m, err
}
