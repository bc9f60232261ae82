package postgres

import (
	"context"

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
// an unknown user ENotFound. Logins call it, so it reports both without
// raising an error, which would abort the caller's transaction.
func (s *Store) AddToken(ctx context.Context, t *chat.Token) error {
	var inserted, userExists bool
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH ins AS (
				INSERT INTO tokens (`+tokenColumns+`)
				SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::bigint, $8::bigint WHERE EXISTS (SELECT 1 FROM users WHERE id = $2)
				ON CONFLICT DO NOTHING RETURNING 1)
			SELECT EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM users WHERE id = $2)`,
			t.Hash, t.UserID, t.Kind, t.Name, t.LastPart, t.Bypass2FA, ms(t.CreatedAt), ms(t.ExpiresAt)).
			Scan(&inserted, &userExists)
	})
	switch {
	case isForeignKey(err): // the user was deleted meanwhile
		return chat.ErrNotFound("user")
	case err != nil:
		return wrap("add token", err)
	case !userExists:
		return chat.ErrNotFound("user")
	case !inserted:
		return conflict("error-duplicate", "token already exists", nil)
	}
	return nil
}

// TokenByHash returns the token with that hash, expired or not.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*chat.Token, error) {
	var t *chat.Token
	err := s.with(ctx, func(c conn) (err error) {
		t, err = scanToken(c.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
		return err
	})
	if err != nil {
		return nil, notFound(err, "token", "token by hash")
	}
	return t, nil
}

// DeleteToken removes one token; an unknown hash is ENotFound.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	tag, err := s.exec(ctx, `DELETE FROM tokens WHERE hash = $1`, hash)
	if err != nil {
		return wrap("delete token", err)
	}
	return mustAffect(tag, "token")
}

// TokensByUser lists a user's tokens of one kind (every kind when kind is
// empty), oldest first.
func (s *Store) TokensByUser(ctx context.Context, userID, kind string) ([]chat.Token, error) {
	var out []chat.Token
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT `+tokenColumns+` FROM tokens
			WHERE user_id = $1 AND ($2 = '' OR kind = $2) ORDER BY created_at, hash`, userID, kind)
		out, err = collect(rows, err, scanToken)
		return err
	})
	if err != nil {
		return nil, wrap("tokens by user", err)
	}
	return out, nil
}

// DeleteUserTokens removes a user's tokens of one kind (every kind when kind
// is empty).
func (s *Store) DeleteUserTokens(ctx context.Context, userID, kind string) error {
	if _, err := s.exec(ctx, `DELETE FROM tokens WHERE user_id = $1 AND ($2 = '' OR kind = $2)`, userID, kind); err != nil {
		return wrap("delete user tokens", err)
	}
	return nil
}
