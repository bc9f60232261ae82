package core

import (
	"context"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// SearchMessages searches a room's messages for text, newest first
// (chat.search). Words are matched by the store's full-text index, as
// prefixes, all of them required. A few of Rocket.Chat's search operators
// are understood: from:username, is:pinned, has:star (starred by the
// actor) and is:thread.
func (s *Service) SearchMessages(ctx context.Context, actor *chat.User, roomID, text string, p Page) ([]chat.Message, error) {
	if roomID == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-roomId-param-not-provided", `The required "roomId" query param is missing.`)
	}
	if strings.TrimSpace(text) == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-searchText-param-not-provided", `The required "searchText" query param is missing.`)
	}
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, err
	}
	f := chat.MessageFilter{RoomID: r.ID, Offset: p.Offset, Limit: p.Limit, Ascending: p.ascending(false)}
	var words []string
	for _, w := range strings.Fields(text) {
		lw := strings.ToLower(w)
		switch {
		case strings.HasPrefix(lw, "from:") && len(w) > 5:
			u, err := s.store.UserByUsername(ctx, strings.TrimPrefix(w[5:], "@"))
			if chat.IsKind(err, chat.ENotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			f.FromUserID = u.ID
		case lw == "is:pinned" || lw == "has:pin":
			f.Pinned = true
		case lw == "has:star" || lw == "is:starred":
			f.StarredBy = actor.ID
		case lw == "is:thread":
			f.ThreadRoots = true
		default:
			words = append(words, w)
		}
	}
	f.Text = strings.Join(words, " ")
	if f.Text == "" && f.FromUserID == "" && !f.Pinned && f.StarredBy == "" && !f.ThreadRoots {
		return nil, nil
	}
	f.HideSystem = true
	msgs, _, err := s.store.ListMessages(ctx, f)
	return msgs, err
}

// roomListing checks that the actor can read roomID and lists the
// messages of f in it, with their total.
func (s *Service) roomListing(ctx context.Context, actor *chat.User, roomID string, f chat.MessageFilter, p Page) ([]chat.Message, int, error) {
	if roomID == "" {
		return nil, 0, chat.ErrInvalidParam("must have required property 'roomId'")
	}
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, 0, err
	}
	f.RoomID, f.Offset, f.Limit, f.Ascending, f.WithTotal = r.ID, p.Offset, p.Limit, p.ascending(false), true
	return s.store.ListMessages(ctx, f)
}

// PinnedMessages lists a room's pinned messages (chat.getPinnedMessages).
func (s *Service) PinnedMessages(ctx context.Context, actor *chat.User, roomID string, p Page) ([]chat.Message, int, error) {
	return s.roomListing(ctx, actor, roomID, chat.MessageFilter{Pinned: true}, p)
}

// StarredMessages lists the messages of a room the actor starred
// (chat.getStarredMessages).
func (s *Service) StarredMessages(ctx context.Context, actor *chat.User, roomID string, p Page) ([]chat.Message, int, error) {
	if actor == nil {
		return nil, 0, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	return s.roomListing(ctx, actor, roomID, chat.MessageFilter{StarredBy: actor.ID}, p)
}

// MentionedMessages lists the messages of a room that mention the actor
// (chat.getMentionedMessages).
func (s *Service) MentionedMessages(ctx context.Context, actor *chat.User, roomID string, p Page) ([]chat.Message, int, error) {
	if actor == nil {
		return nil, 0, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	return s.roomListing(ctx, actor, roomID, chat.MessageFilter{MentionedUser: actor.ID}, p)
}

// Discussions lists the messages of a room that started a discussion,
// optionally matching text (chat.getDiscussions).
func (s *Service) Discussions(ctx context.Context, actor *chat.User, roomID, text string, p Page) ([]chat.Message, int, error) {
	return s.roomListing(ctx, actor, roomID, chat.MessageFilter{Discussions: true, Text: text}, p)
}

// DeletedMessages lists the messages of a room deleted after since, oldest
// deletion first (chat.getDeletedMessages).
func (s *Service) DeletedMessages(ctx context.Context, actor *chat.User, roomID string, since time.Time, p Page) ([]chat.Removal, int, error) {
	if roomID == "" {
		return nil, 0, chat.ErrInvalidParam("must have required property 'roomId'")
	}
	if since.IsZero() {
		return nil, 0, chat.ErrInvalidParam("must have required property 'since'")
	}
	r, _, err := s.timelineRoom(ctx, actor, RoomRef{ID: roomID})
	if err != nil {
		return nil, 0, err
	}
	return s.store.DeletedMessages(ctx, r.ID, since, p.Offset, p.Limit)
}
