package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// maxStatusText is the longest status message Rocket.Chat keeps.
const maxStatusText = 120

// EffectiveStatus is Rocket.Chat's rule for the status others see, from
// the status of the user's live connections (offline when there are none)
// and the status they chose: without a connection a user is offline;
// choosing "online" shows the connection's status (which may be away);
// any other choice (away, busy, offline for invisible) is shown as chosen.
func EffectiveStatus(connection, chosen string) string {
	if connection == "" || connection == chat.StatusOffline {
		return chat.StatusOffline
	}
	if chosen == "" || chosen == chat.StatusOnline {
		return connection
	}
	return chosen
}

// StatusChange describes a users.setStatus call: either field may be nil
// to leave it as it is.
type StatusChange struct {
	Status  *string
	Message *string
}

// SetUserStatus implements users.setStatus: the actor changes their own
// status and status message, or another user's with edit-other-user-info.
// As in Rocket.Chat, the chosen status becomes both the shown status and
// the default that presence falls back to (see RecomputeStatus).
func (s *Service) SetUserStatus(ctx context.Context, actor *chat.User, target string, ch StatusChange) (*chat.User, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if ch.Status == nil && ch.Message == nil {
		return nil, chat.ErrInvalidParam("must have required property 'status'")
	}
	if !s.SettingBool("Accounts_AllowUserStatusMessageChange") {
		return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-not-allowed", Message: "Change status is not allowed",
			Details: map[string]any{"method": "users.setStatus"}}
	}
	u := actor
	if target != "" && target != actor.ID && !strings.EqualFold(target, actor.Username) {
		if !s.Can(ctx, actor, "edit-other-user-info", "") {
			return nil, errAPIUnauthorized()
		}
		var err error
		if u, err = s.userByIDOrUsername(ctx, target); err != nil {
			return nil, err
		}
	}
	if ch.Status != nil && *ch.Status != "" {
		if !chat.ValidStatus(*ch.Status) {
			return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-invalid-status", Message: "Valid status types include online, away, offline, and busy.",
				Details: map[string]any{"method": "users.setStatus"}}
		}
		if *ch.Status == chat.StatusOffline && !s.SettingBool("Accounts_AllowInvisibleStatusOption") {
			return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-status-not-allowed", Message: "Invisible status is disabled",
				Details: map[string]any{"method": "users.setStatus"}}
		}
	}
	return s.writeStatus(ctx, u.ID, func(u *chat.User) {
		if ch.Message != nil {
			u.StatusText = clipRunes(strings.TrimSpace(*ch.Message), maxStatusText)
		}
		if ch.Status != nil && *ch.Status != "" {
			u.Status, u.StatusDefault = *ch.Status, *ch.Status
		}
	})
}

// RecomputeStatus records the status of a user's live connections
// (online, away, or offline when the last one closed) and recomputes the
// status others see with EffectiveStatus. The realtime layer calls it
// whenever a user's connections change; it publishes user-status only when
// something visible changed.
func (s *Service) RecomputeStatus(ctx context.Context, userID, connection string) (*chat.User, error) {
	if connection == "" {
		connection = chat.StatusOffline
	}
	if !chat.ValidStatus(connection) {
		return nil, chat.ErrInvalidParam("invalid connection status %q", connection)
	}
	return s.writeStatus(ctx, userID, func(u *chat.User) {
		u.StatusConnection = connection
		u.Status = EffectiveStatus(connection, u.StatusDefault)
	})
}

// writeStatus applies change to the user's presence fields, stores them
// and publishes Rocket.Chat's user-status event when the shown status or
// the message changed.
func (s *Service) writeStatus(ctx context.Context, userID string, change func(u *chat.User)) (*chat.User, error) {
	var out *chat.User
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			if chat.IsKind(err, chat.ENotFound) {
				return errUserInvalid()
			}
			return err
		}
		before := *u
		change(u)
		if u.StatusDefault == "" {
			u.StatusDefault = chat.StatusOnline
		}
		out = u
		if u.Status == before.Status && u.StatusDefault == before.StatusDefault &&
			u.StatusConnection == before.StatusConnection && u.StatusText == before.StatusText {
			return nil
		}
		at := s.now()
		u.UpdatedAt = at
		if err := tx.SetUserStatus(ctx, u.ID, u.Status, u.StatusDefault, u.StatusConnection, u.StatusText, at); err != nil {
			return err
		}
		if u.Status != before.Status || u.StatusText != before.StatusText {
			o.addData(chat.TopicPresence, chat.Event{Kind: chat.EventUserStatus, UserID: u.ID, At: at}, UserStatusArgs(u))
		}
		return nil
	})
	return out, err
}

// UserStatusArgs is the payload of Rocket.Chat's user-status event:
// [uid, username, statusCode, statusText, name, roles].
func UserStatusArgs(u *chat.User) []any {
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	return []any{u.ID, u.Username, chat.StatusCode(u.Status), u.StatusText, u.Name, roles}
}

// UserStatus is what users.getStatus and users.getPresence report.
type UserStatus struct {
	User *chat.User
	// Self is set when the user asked about themselves, which shows the
	// connection status and the last login too.
	Self bool
}

// GetUserStatus returns the status of the user named by target (an id or
// a username; empty for the actor).
func (s *Service) GetUserStatus(ctx context.Context, actor *chat.User, target string) (*UserStatus, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if target == "" || target == actor.ID || strings.EqualFold(target, actor.Username) {
		u, err := s.store.UserByID(ctx, actor.ID)
		if err != nil {
			return nil, err
		}
		return &UserStatus{User: u, Self: true}, nil
	}
	u, err := s.userByIDOrUsername(ctx, target)
	if err != nil {
		return nil, err
	}
	return &UserStatus{User: u}, nil
}

// userByIDOrUsername finds a user by id, then by username, with
// Rocket.Chat's error for parameters naming nobody.
func (s *Service) userByIDOrUsername(ctx context.Context, idOrUsername string) (*chat.User, error) {
	u, err := s.store.UserByID(ctx, idOrUsername)
	if chat.IsKind(err, chat.ENotFound) {
		u, err = s.store.UserByUsername(ctx, idOrUsername)
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errInvalidUserParam()
	}
	return u, err
}

// errInvalidUserParam is getUserFromParams' error for a user that does
// not exist.
func errInvalidUserParam() error {
	return chat.Errorf(chat.EInvalid, "error-invalid-user", "The required \"userId\" or \"username\" param provided does not match any users")
}

// errUserInvalid is Rocket.Chat's short unknown-user error.
func errUserInvalid() error { return chat.Errorf(chat.EInvalid, "error-invalid-user", "Invalid user") }

// errAPIUnauthorized is Rocket.Chat's API.v1.unauthorized(): a bare 403
// {error: "unauthorized"}.
func errAPIUnauthorized() error { return &chat.Error{Kind: chat.EForbidden, Message: "unauthorized"} }

// presentStatuses are the statuses of users who are not offline.
var presentStatuses = []string{chat.StatusOnline, chat.StatusAway, chat.StatusBusy}

// PresentUsers implements users.presence: the users who are not offline,
// among ids when given (full is then false), or all of them (full is true,
// and the caller may take everyone else as offline). With presence
// broadcast disabled, nobody is shown present.
func (s *Service) PresentUsers(ctx context.Context, actor *chat.User, ids []string) (users []chat.User, full bool, err error) {
	if actor == nil {
		return nil, false, errLoginRequired()
	}
	if s.SettingBool("Presence_broadcast_disabled") {
		return []chat.User{}, true, nil
	}
	users, _, err = s.store.ListUsers(ctx, chat.UserFilter{IDs: ids, Statuses: presentStatuses})
	if err != nil {
		return nil, false, err
	}
	return users, len(ids) == 0, nil
}
