package core

import (
	"context"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// errThreadsDisabled is the answer of every thread use case while
// Threads_enabled is off.
func errThreadsDisabled() error {
	return chat.Errorf(chat.EForbidden, "error-not-allowed", "Threads Disabled")
}

func errInvalidMessage() error {
	return chat.Errorf(chat.EInvalid, "error-invalid-message", "Invalid message")
}

// Follow adds actor to the followers (replies) of the thread that message
// mid starts or belongs to (chat.followMessage, DDP followMessage).
func (s *Service) Follow(ctx context.Context, actor *chat.User, mid string) error {
	return s.setFollowing(ctx, actor, mid, true)
}

// Unfollow removes actor from the followers of the thread of message mid.
func (s *Service) Unfollow(ctx context.Context, actor *chat.User, mid string) error {
	return s.setFollowing(ctx, actor, mid, false)
}

func (s *Service) setFollowing(ctx context.Context, actor *chat.User, mid string, follow bool) error {
	if actor == nil {
		return chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	if mid == "" {
		return chat.ErrInvalidParam("The required \"mid\" body param is missing.")
	}
	if !s.SettingBool("Threads_enabled") {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "not-allowed")
	}
	m, _, _, err := s.messageForActor(ctx, s.store, actor, mid, errInvalidMessage)
	if err != nil {
		return err
	}
	rootID := m.ID
	if m.TMID != "" {
		rootID = m.TMID
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		root, err := tx.MessageByID(ctx, rootID)
		if chat.IsKind(err, chat.ENotFound) {
			return errInvalidMessage()
		}
		if err != nil {
			return err
		}
		if contains(root.Replies, actor.ID) == follow {
			return nil
		}
		if follow {
			root.Replies = append(root.Replies, actor.ID)
		} else {
			root.Replies = remove(root.Replies, actor.ID)
		}
		return s.messageChanged(ctx, tx, o, root)
	})
}

// threadRoot loads the root of thread tmid and checks that actor can read
// its room, for the thread listings.
func (s *Service) threadRoot(ctx context.Context, actor *chat.User, tmid string) (*chat.Message, error) {
	if !s.SettingBool("Threads_enabled") {
		return nil, errThreadsDisabled()
	}
	root, _, _, err := s.messageForActor(ctx, s.store, actor, tmid, func() error {
		return chat.Errorf(chat.EInvalid, "error-invalid-message", "Invalid Message")
	})
	if chat.IsKind(err, chat.EForbidden) {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not Allowed")
	}
	return root, err
}

// Page selects a slice of a listing. Limit 0 means no limit.
type Page struct {
	Offset int
	Limit  int
	// Ascending sorts oldest first; listings default to newest first
	// unless they say otherwise.
	Ascending *bool
}

func (p Page) ascending(def bool) bool {
	if p.Ascending != nil {
		return *p.Ascending
	}
	return def
}

// ThreadMessages lists the replies of thread tmid, oldest first unless
// asked otherwise, with their total (chat.getThreadMessages). The root
// itself is not included; DDP's getThreadMessages adds it.
func (s *Service) ThreadMessages(ctx context.Context, actor *chat.User, tmid string, p Page) ([]chat.Message, int, error) {
	if tmid == "" {
		return nil, 0, chat.ErrInvalidParam("must have required property 'tmid'")
	}
	root, err := s.threadRoot(ctx, actor, tmid)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListMessages(ctx, chat.MessageFilter{
		RoomID: root.RoomID, TMID: root.ID, Offset: p.Offset, Limit: p.Limit,
		Ascending: p.ascending(true), WithTotal: true,
	})
}

// ThreadsListOptions selects threads of a room.
type ThreadsListOptions struct {
	// Type is "" (all), "following" or "unread" (followed threads with
	// replies the actor has not read).
	Type string
	Text string
	Page
}

// ThreadsList lists the thread roots of a room, most recent reply first
// (chat.getThreadsList).
func (s *Service) ThreadsList(ctx context.Context, actor *chat.User, roomID string, opt ThreadsListOptions) ([]chat.Message, int, error) {
	if roomID == "" {
		return nil, 0, chat.ErrInvalidParam("must have required property 'rid'")
	}
	if !s.SettingBool("Threads_enabled") {
		return nil, 0, errThreadsDisabled()
	}
	r, err := s.threadRoom(ctx, actor, roomID)
	if err != nil {
		return nil, 0, err
	}
	f := chat.MessageFilter{
		RoomID: r.ID, ThreadRoots: true, Text: opt.Text, SortByTLM: true,
		Ascending: opt.ascending(false), Offset: opt.Offset, Limit: opt.Limit, WithTotal: true,
	}
	switch opt.Type {
	case "", "all":
	case "following":
		f.FollowedBy = actor.ID
	case "unread":
		f.UnreadBy = actor.ID
	default:
		return nil, 0, chat.ErrInvalidParam("must be equal to one of the allowed values: 'type'")
	}
	return s.store.ListMessages(ctx, f)
}

// threadRoom returns a room the actor can read, with the thread endpoints'
// error for one they cannot.
func (s *Service) threadRoom(ctx context.Context, actor *chat.User, roomID string) (*chat.Room, error) {
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if chat.IsKind(err, chat.ENotFound) {
		return nil, chat.Errorf(chat.EForbidden, "error-not-allowed", "Not Allowed")
	}
	return r, err
}

// Sync is what changed after a point in time: documents updated since,
// and the ids of the ones removed.
type Sync struct {
	Updated []chat.Message
	Removed []chat.Removal
}

// SyncThreadMessages returns the replies of thread tmid changed after
// since, and the messages of its room removed after since
// (chat.syncThreadMessages). Removals are not recorded per thread; a
// client drops the ids it does not hold.
func (s *Service) SyncThreadMessages(ctx context.Context, actor *chat.User, tmid string, since time.Time) (*Sync, error) {
	if tmid == "" {
		return nil, chat.ErrInvalidParam("must have required property 'tmid'")
	}
	root, err := s.threadRoot(ctx, actor, tmid)
	if err != nil {
		return nil, err
	}
	return s.syncMessages(ctx, chat.MessageFilter{RoomID: root.RoomID, TMID: root.ID, UpdatedSince: since, Ascending: true}, since)
}

// SyncThreadsList returns the thread roots of a room changed after since,
// and the messages of the room removed after since (chat.syncThreadsList).
func (s *Service) SyncThreadsList(ctx context.Context, actor *chat.User, roomID string, since time.Time) (*Sync, error) {
	if roomID == "" {
		return nil, chat.ErrInvalidParam("must have required property 'rid'")
	}
	if !s.SettingBool("Threads_enabled") {
		return nil, errThreadsDisabled()
	}
	r, err := s.threadRoom(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	return s.syncMessages(ctx, chat.MessageFilter{RoomID: r.ID, ThreadRoots: true, UpdatedSince: since, SortByTLM: true}, since)
}

// syncMessages runs an updatedSince query and the matching removals.
func (s *Service) syncMessages(ctx context.Context, f chat.MessageFilter, since time.Time) (*Sync, error) {
	updated, _, err := s.store.ListMessages(ctx, f)
	if err != nil {
		return nil, err
	}
	removed, _, err := s.store.DeletedMessages(ctx, f.RoomID, since, 0, 0)
	if err != nil {
		return nil, err
	}
	return &Sync{Updated: updated, Removed: removed}, nil
}
