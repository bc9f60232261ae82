package core

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// AdminCreateUser creates a user on behalf of the operator (the admin
// subcommand), who is trusted because they hold the database.
func (s *Service) AdminCreateUser(ctx context.Context, nu NewUser) (*chat.User, error) {
	return s.createUser(ctx, nu)
}

// AdminResetPassword sets a user's password and logs out their sessions.
func (s *Service) AdminResetPassword(ctx context.Context, username, password string) error {
	if password == "" {
		return chat.ErrInvalidParam("must have required property 'password'")
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx chat.Store, _ *outbox) error {
		u.PasswordHash = h
		u.UpdatedAt = s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return tx.DeleteUserTokens(ctx, u.ID, chat.TokenLogin)
	})
}
