package core

import (
	"context"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// HistoryOptions selects a page of a room's timeline, as Rocket.Chat's
// getChannelHistory (channels.history, groups.history, im.history) reads
// it.
type HistoryOptions struct {
	// Latest bounds the page from above; Oldest from below. Zero leaves
	// a side open. Inclusive makes both bounds inclusive.
	Latest    time.Time
	Oldest    time.Time
	Inclusive bool
	Offset    int
	Count     int
	// Unreads asks for FirstUnread and UnreadNotLoaded: the messages
	// between Oldest and the oldest message of the page.
	Unreads bool
	// ShowThreadMessages includes thread replies that were not also sent
	// to the room.
	ShowThreadMessages bool
}

// HistoryPage is a page of a room's timeline, newest first.
type HistoryPage struct {
	Messages []chat.Message
	// With HistoryOptions.Unreads (or loadHistory's ls): the first message
	// newer than the read mark that is not in Messages, and how many such
	// messages there are.
	Unreads         bool
	FirstUnread     *chat.Message
	UnreadNotLoaded int
}

// History returns a page of the timeline of the room ref names, newest
// first. Rooms the actor may not read are reported as not found.
func (s *Service) History(ctx context.Context, actor *chat.User, ref RoomRef, opt HistoryOptions) (*HistoryPage, error) {
	r, _, err := s.timelineRoom(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	// Rocket.Chat bounds an open page strictly by the time of the request,
	// in milliseconds, which leaves out a message posted in the same
	// millisecond, or stamped by an instance whose clock runs ahead, from
	// the page its sender reads next. An open page has no upper bound here.
	if opt.Count <= 0 {
		opt.Count = 20
	}
	f := chat.MessageFilter{
		RoomID: r.ID, Before: opt.Latest, After: opt.Oldest, Inclusive: opt.Inclusive,
		HideThreads: !opt.ShowThreadMessages, Offset: opt.Offset, Limit: opt.Count,
	}
	hidden := s.hiddenTypes(r)
	msgs, err := s.listVisible(ctx, f, hidden)
	if err != nil {
		return nil, err
	}
	page := &HistoryPage{Messages: msgs, Unreads: opt.Unreads}
	if opt.Unreads && !opt.Oldest.IsZero() && len(msgs) > 0 {
		if err := s.fillUnreads(ctx, page, r.ID, opt.Oldest, !opt.ShowThreadMessages, hidden); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// fillUnreads finds the messages after the read mark ls that are older
// than the oldest message of the page, which the client has not loaded.
func (s *Service) fillUnreads(ctx context.Context, page *HistoryPage, roomID string, ls time.Time, hideThreads bool, hidden []string) error {
	oldest := page.Messages[len(page.Messages)-1].TS
	if !oldest.After(ls) {
		return nil
	}
	between := chat.MessageFilter{RoomID: roomID, After: ls, Before: oldest, HideThreads: hideThreads}
	first := between
	first.Ascending, first.Limit = true, 1
	msgs, err := s.listVisible(ctx, first, hidden)
	if err != nil {
		return err
	}
	if len(msgs) > 0 {
		page.FirstUnread = &msgs[0]
	}
	page.UnreadNotLoaded, err = s.countVisible(ctx, between, hidden)
	return err
}

// LoadHistory is DDP's loadHistory: up to limit messages before end (zero:
// now), newest first; with ls (the client's read mark), the first unread
// message that was not loaded and how many there are. Anonymous readers
// need Accounts_AllowAnonymousRead; non-members of a public channel need
// preview-c-room. A room the actor may not read gives ENotFound, which the
// DDP method answers with false.
func (s *Service) LoadHistory(ctx context.Context, actor *chat.User, roomID string, end time.Time, limit int, ls time.Time, showThreadMessages bool) (*HistoryPage, error) {
	r, sub, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, err
	}
	if r.Type == chat.RoomChannel && sub == nil && !s.SettingBool("Accounts_AllowAnonymousRead") &&
		!s.Can(ctx, actor, "preview-c-room", "") {
		if actor != nil {
			if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
				return nil, err
			}
		}
		if sub == nil {
			return nil, chat.ErrRoomNotFound()
		}
	}
	if limit <= 0 {
		limit = 20
	}
	f := chat.MessageFilter{RoomID: r.ID, Before: end, HideThreads: !showThreadMessages, Limit: limit}
	hidden := s.hiddenTypes(r)
	msgs, err := s.listVisible(ctx, f, hidden)
	if err != nil {
		return nil, err
	}
	page := &HistoryPage{Messages: msgs, Unreads: true}
	if !ls.IsZero() && len(msgs) > 0 {
		if err := s.fillUnreads(ctx, page, r.ID, ls, !showThreadMessages, hidden); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// LoadMissed is DDP's loadMissedMessages: every message of the room newer
// than since, newest first, so that a reconnecting client fills its gap.
func (s *Service) LoadMissed(ctx context.Context, actor *chat.User, roomID string, since time.Time) ([]chat.Message, error) {
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, err
	}
	if since.IsZero() {
		return nil, chat.ErrInvalidParam("must have required property 'start'")
	}
	msgs, _, err := s.store.ListMessages(ctx, chat.MessageFilter{RoomID: r.ID, After: since})
	return msgs, err
}

// LoadNext is DDP's loadNextMessages: up to limit messages after end,
// oldest first.
func (s *Service) LoadNext(ctx context.Context, actor *chat.User, roomID string, end time.Time, limit int) ([]chat.Message, error) {
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	return s.listVisible(ctx, chat.MessageFilter{RoomID: r.ID, After: end, Ascending: true, Limit: limit}, s.hiddenTypes(r))
}

// Surrounding is a window of a room's timeline around one message, oldest
// first.
type Surrounding struct {
	Messages   []chat.Message
	MoreBefore bool
	MoreAfter  bool
}

// LoadSurrounding is DDP's loadSurroundingMessages: the message with id
// messageID and up to limit messages around it (half before, half after).
func (s *Service) LoadSurrounding(ctx context.Context, actor *chat.User, messageID string, limit int) (*Surrounding, error) {
	m, r, _, err := s.messageForActor(ctx, s.store, actor, messageID, errInvalidMessage)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	limit--
	nBefore, nAfter := (limit+1)/2, limit/2
	hidden := s.hiddenTypes(r)
	before, err := s.listVisible(ctx, chat.MessageFilter{RoomID: r.ID, Before: m.TS, Limit: nBefore, HideThreads: true}, hidden)
	if err != nil {
		return nil, err
	}
	after, err := s.listVisible(ctx, chat.MessageFilter{RoomID: r.ID, After: m.TS, Limit: nAfter, Ascending: true, HideThreads: true}, hidden)
	if err != nil {
		return nil, err
	}
	out := &Surrounding{MoreBefore: nBefore > 0 && len(before) == nBefore, MoreAfter: nAfter > 0 && len(after) == nAfter}
	for i := len(before) - 1; i >= 0; i-- {
		out.Messages = append(out.Messages, before[i])
	}
	out.Messages = append(out.Messages, *m)
	out.Messages = append(out.Messages, after...)
	return out, nil
}

// MessagesOptions filters a room's messages for channels.messages,
// groups.messages and im.messages.
type MessagesOptions struct {
	// MentionedUser and StarredBy keep messages that mention, or are
	// starred by, that user; Pinned keeps pinned messages.
	MentionedUser string
	StarredBy     string
	Pinned        bool
	// NoThreadReplies drops thread replies that were not also sent to the
	// room (EmbeddedChat's query {"tmid":{"$exists":false}}); TMID keeps
	// only the replies of one thread.
	NoThreadReplies bool
	TMID            string
	Page
}

// RoomMessages lists a room's messages, newest first unless asked
// otherwise, with their total. Users holding view-joined-room (bots,
// guests) see only rooms they joined, as in Rocket.Chat.
func (s *Service) RoomMessages(ctx context.Context, actor *chat.User, ref RoomRef, opt MessagesOptions) ([]chat.Message, int, error) {
	r, sub, err := s.timelineRoom(ctx, actor, ref)
	if err != nil {
		return nil, 0, err
	}
	if sub == nil && s.Can(ctx, actor, "view-joined-room", "") {
		if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
			return nil, 0, err
		}
		if sub == nil {
			return nil, 0, chat.ErrUnauthorizedAction()
		}
	}
	return s.store.ListMessages(ctx, chat.MessageFilter{
		RoomID: r.ID, MentionedUser: opt.MentionedUser, StarredBy: opt.StarredBy, Pinned: opt.Pinned,
		HideThreads: opt.NoThreadReplies, TMID: opt.TMID,
		Offset: opt.Offset, Limit: opt.Limit, Ascending: opt.ascending(false), WithTotal: true,
	})
}

// SyncMessages is chat.syncMessages with lastUpdate: the room's messages
// changed after lastUpdate (newest first) and the ones removed since.
func (s *Service) SyncMessages(ctx context.Context, actor *chat.User, roomID string, lastUpdate time.Time) (*Sync, error) {
	r, err := s.syncRoom(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	return s.syncMessages(ctx, chat.MessageFilter{RoomID: r.ID, UpdatedSince: lastUpdate}, lastUpdate)
}

// syncRoom checks that the actor can read the room, with the sync
// endpoints' error.
func (s *Service) syncRoom(ctx context.Context, actor *chat.User, roomID string) (*chat.Room, error) {
	if roomID == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-param-required", `The required "roomId" query param is missing`)
	}
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not allowed")
	}
	return r, err
}

// timelineRoom finds the room ref names and checks that actor may read it,
// as lookupRoom does, but reads actor's subscription only when the access
// rules need it (it is returned then, nil otherwise): reading one computes
// its unread counts, which every history page would pay for.
func (s *Service) timelineRoom(ctx context.Context, actor *chat.User, ref RoomRef) (*chat.Room, *chat.Subscription, error) {
	r, err := s.findRoomByRef(ctx, s.store, actor, ref)
	if err != nil {
		return nil, nil, err
	}
	sub, err := s.readAccess(ctx, s.store, actor, r)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, roomNotFound(ref.Type)
	}
	if err != nil {
		return nil, nil, err
	}
	return r, sub, nil
}

// hiddenTypes returns the system message types a room's timeline hides: the
// room's own list when it has one, otherwise the server-wide settings.
func (s *Service) hiddenTypes(r *chat.Room) []string {
	if r.SysMes != nil {
		return r.SysMes
	}
	var out []string
	for _, t := range []string{chat.MsgUserJoined, chat.MsgUserLeft, chat.MsgUserRemoved, chat.MsgUserAdded} {
		if s.SettingBool("Message_HideType_" + t) {
			out = append(out, t)
		}
	}
	if s.SettingBool("Message_HideType_mute_unmute") {
		out = append(out, "user-muted", "user-unmuted")
	}
	return out
}

// listVisible lists messages matching f without the hidden types. The
// store filters by included types only, so hidden ones are dropped here,
// reading further pages until the requested page is full.
func (s *Service) listVisible(ctx context.Context, f chat.MessageFilter, hidden []string) ([]chat.Message, error) {
	if len(hidden) == 0 {
		msgs, _, err := s.store.ListMessages(ctx, f)
		return msgs, err
	}
	want, skip := f.Limit, f.Offset
	batch := max(2*(want+skip), 100)
	var out []chat.Message
	for storeOffset := 0; ; {
		g := f
		g.Offset, g.Limit, g.WithTotal = storeOffset, batch, false
		msgs, _, err := s.store.ListMessages(ctx, g)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if contains(hidden, m.Type) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, m)
			if want > 0 && len(out) == want {
				return out, nil
			}
		}
		if len(msgs) < batch {
			return out, nil
		}
		storeOffset += len(msgs)
	}
}

// countVisible counts messages matching f without the hidden types.
func (s *Service) countVisible(ctx context.Context, f chat.MessageFilter, hidden []string) (int, error) {
	n, err := s.store.CountMessages(ctx, f)
	if err != nil || len(hidden) == 0 {
		return n, err
	}
	f.Types = hidden
	h, err := s.store.CountMessages(ctx, f)
	return n - h, err
}
