package sqlite

import (
	"context"
	"fmt"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

const tokenColumns = `hash, user_id, kind, name, last_part, bypass_2fa, created_at, expires_at`

func scanToken(sc scanner) (*chat.Token, error) {
	var (
		t                chat.Token
		created, expires int64
	)
	if err := sc.Scan(&t.Hash, &t.UserID, &t.Kind, &t.Name, &t.LastPart, &t.Bypass2FA, &created, &expires); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt = fromMS(created), fromMS(expires)
	return &t, nil
}

// AddToken stores a token of an existing user; a known hash is EConflict,
// an unknown user ENotFound.
func (s *Store) AddToken(ctx context.Context, t *chat.Token) error {
	_, err := s.exec(ctx, `INSERT INTO tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash, t.UserID, t.Kind, t.Name, t.LastPart, t.Bypass2FA, ms(t.CreatedAt), ms(t.ExpiresAt))
	switch {
	case isUnique(err, ""):
		return conflict("error-duplicate", "token already exists", err)
	case isForeignKey(err):
		return chat.ErrNotFound("user")
	case err != nil:
		return fmt.Errorf("add token: %w", err)
	}
	return nil
}

// TokenByHash returns the token with that hash, expired or not.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*chat.Token, error) {
	t, err := scanToken(s.rd().QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, notFound(err, "token", "token by hash")
	}
	return t, nil
}

// DeleteToken removes one token; an unknown hash is ENotFound.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	res, err := s.exec(ctx, `DELETE FROM tokens WHERE hash = ?`, hash)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return mustAffect(res, "token")
}

// TokensByUser lists a user's tokens of one kind (every kind when kind is
// empty), oldest first.
func (s *Store) TokensByUser(ctx context.Context, userID, kind string) ([]chat.Token, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens
		WHERE user_id = ? AND (? = '' OR kind = ?) ORDER BY created_at, hash`, userID, kind, kind)
	out, err := collect(rows, err, scanToken)
	if err != nil {
		return nil, fmt.Errorf("tokens by user: %w", err)
	}
	return out, nil
}

// DeleteUserTokens removes a user's tokens of one kind (every kind when kind
// is empty).
func (s *Store) DeleteUserTokens(ctx context.Context, userID, kind string) error {
	_, err := s.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND (? = '' OR kind = ?)`, userID, kind, kind)
	if err != nil {
		return fmt.Errorf("delete user tokens: %w", err)
	}
	return nil
}
