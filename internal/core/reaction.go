package core

import (
	"context"
	"regexp"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// emojiName matches the names of standard and custom emoji (":+1:",
// ":flag-us:", ":party_parrot:") without their colons. Liftoff does not
// ship the emoji list, so any well-formed name is accepted.
var emojiName = regexp.MustCompile(`^[\p{L}\p{N}_+\-.]{1,64}$`)

// NormalizeEmoji returns emoji in Rocket.Chat's stored form ":name:", or
// false when it is not an emoji name.
func NormalizeEmoji(emoji string) (string, bool) {
	name := strings.ReplaceAll(strings.TrimSpace(emoji), ":", "")
	if !emojiName.MatchString(name) {
		return "", false
	}
	return ":" + name + ":", true
}

// React adds or removes actor's reaction with emoji on a message
// (chat.react, DDP setReaction). With shouldReact nil it toggles; otherwise
// it sets that side, and asking for the current side changes nothing.
func (s *Service) React(ctx context.Context, actor *chat.User, messageID, emoji string, shouldReact *bool) error {
	if actor == nil {
		return chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	if strings.TrimSpace(emoji) == "" {
		return chat.Errorf(chat.EInvalid, "error-emoji-param-not-provided", "The required \"emoji\" param is missing.")
	}
	reaction, ok := NormalizeEmoji(emoji)
	if !ok {
		return chat.Errorf(chat.EInvalid, "error-not-allowed", "Invalid emoji provided.")
	}
	m, r, sub, err := s.messageForActor(ctx, s.store, actor, messageID, errMessageNotFound)
	if chat.IsKind(err, chat.EForbidden) {
		return chat.Errorf(chat.EForbidden, "not-authorized", "Not Authorized")
	}
	if err != nil {
		return err
	}
	if contains(r.Muted, actor.Username) {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "You have been muted and cannot speak in this room")
	}
	if r.ReadOnly && !r.ReactWhenReadOnly && sub == nil {
		if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
			return err
		}
	}
	if r.ReadOnly && !r.ReactWhenReadOnly && !s.canWithSub(actor, sub, "post-readonly") {
		return chat.Errorf(chat.EForbidden, "error-not-allowed", "You can't send messages because the room is readonly.")
	}
	if shouldReact != nil && hasReacted(m, reaction, actor.Username) == *shouldReact {
		return nil
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		m, err := tx.MessageByID(ctx, messageID)
		if chat.IsKind(err, chat.ENotFound) {
			return errMessageNotFound()
		}
		if err != nil {
			return err
		}
		reacted := hasReacted(m, reaction, actor.Username)
		want := !reacted
		if shouldReact != nil {
			want = *shouldReact
		}
		if want == reacted {
			return nil // a concurrent call got there first
		}
		if want {
			if m.Reactions == nil {
				m.Reactions = map[string]*chat.Reaction{}
			}
			re := m.Reactions[reaction]
			if re == nil {
				re = &chat.Reaction{}
				m.Reactions[reaction] = re
			}
			re.Usernames = append(re.Usernames, actor.Username)
		} else {
			re := m.Reactions[reaction]
			re.Usernames = remove(re.Usernames, actor.Username)
			if len(re.Usernames) == 0 {
				delete(m.Reactions, reaction)
			}
			if len(m.Reactions) == 0 {
				m.Reactions = nil
			}
		}
		return s.messageChanged(ctx, tx, o, m)
	})
}

func hasReacted(m *chat.Message, reaction, username string) bool {
	re := m.Reactions[reaction]
	return re != nil && contains(re.Usernames, username)
}
