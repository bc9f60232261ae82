package core

import (
	"context"
	"net/mail"
	"regexp"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// NewUser describes an account to create.
type NewUser struct {
	Username string
	Name     string
	Email    string
	Password string
	Type     string // user (default) or bot
	Roles    []string
	Active   *bool
	Verified bool

	RequirePasswordChange bool
	JoinDefaultChannels   bool
	CustomFields          map[string]any
}

// usernamePattern returns the compiled UTF8_User_Names_Validation pattern.
func (s *Service) usernamePattern() *regexp.Regexp {
	pat := s.SettingString("UTF8_User_Names_Validation")
	if pat == "" {
		pat = `[0-9a-zA-Z-_.]+`
	}
	re, err := regexp.Compile("^(?:" + pat + ")$")
	if err != nil {
		return regexp.MustCompile(`^[0-9a-zA-Z-_.]+$`)
	}
	return re
}

// validateNewUser checks the fields Rocket.Chat checks, in its order.
func (s *Service) validateNewUser(ctx context.Context, nu *NewUser) error {
	nu.Username = strings.TrimSpace(nu.Username)
	nu.Email = strings.TrimSpace(strings.ToLower(nu.Email))
	nu.Name = strings.TrimSpace(nu.Name)
	if nu.Username == "" {
		return chat.ErrInvalidParam("must have required property 'username'")
	}
	if !s.usernamePattern().MatchString(nu.Username) || nu.Username == "all" || nu.Username == "here" {
		return chat.Errorf(chat.EInvalid, "error-invalid-username", "%s is not a valid username, use only letters, numbers, dots, hyphens and underscores", nu.Username)
	}
	if nu.Email != "" {
		if a, err := mail.ParseAddress(nu.Email); err != nil || a.Address != nu.Email {
			return chat.Errorf(chat.EInvalid, "error-invalid-email", "Invalid email %s", nu.Email)
		}
		if _, err := s.store.UserByEmail(ctx, nu.Email); err == nil {
			return chat.Errorf(chat.EConflict, "error-field-unavailable", "%s is already in use :(", nu.Email)
		}
	}
	if _, err := s.store.UserByUsername(ctx, nu.Username); err == nil {
		return chat.Errorf(chat.EConflict, "error-field-unavailable", "%s is already in use :(", nu.Username)
	}
	return nil
}

// createUser stores a validated account and, when asked, subscribes it to
// the default channels with a join message in each.
func (s *Service) createUser(ctx context.Context, nu NewUser) (*chat.User, error) {
	if err := s.validateNewUser(ctx, &nu); err != nil {
		return nil, err
	}
	now := s.now()
	u := &chat.User{
		ID:                    chat.NewID(),
		Username:              nu.Username,
		Name:                  nu.Name,
		Type:                  nu.Type,
		Active:                nu.Active == nil || *nu.Active,
		Roles:                 nu.Roles,
		Status:                chat.StatusOffline,
		StatusDefault:         chat.StatusOnline,
		StatusConnection:      chat.StatusOffline,
		RequirePasswordChange: nu.RequirePasswordChange,
		CustomFields:          nu.CustomFields,
		CreatedAt:             now,
		UpdatedAt:             now,
	}
	if u.Name == "" {
		u.Name = u.Username
	}
	if u.Type == "" {
		u.Type = chat.UserTypeUser
	}
	if len(u.Roles) == 0 {
		u.Roles = []string{"user"}
	}
	if nu.Email != "" {
		u.Emails = []chat.Email{{Address: nu.Email, Verified: nu.Verified}}
	}
	if nu.Password != "" {
		h, err := HashPassword(nu.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			if chat.IsKind(err, chat.EConflict) {
				return chat.Errorf(chat.EConflict, "error-field-unavailable", "%s is already in use :(", u.Username)
			}
			return err
		}
		if !nu.JoinDefaultChannels {
			return nil
		}
		rooms, _, err := tx.ListRooms(ctx, chat.RoomFilter{Default: boolPtr(true)})
		if err != nil {
			return err
		}
		for i := range rooms {
			r := &rooms[i]
			if _, err := s.subscribe(ctx, tx, o, r, u, nil, true); err != nil {
				return err
			}
			if err := s.systemMessage(ctx, tx, o, r, chat.MsgUserJoined, u.Username, u, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("user created", "user_id", u.ID, "username", u.Username)
	return u, nil
}
