package core

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// bcryptCost is Meteor's default, so hashes migrate both ways.
const bcryptCost = 10

// PasswordDigest returns the lowercase hex SHA-256 of a password: what
// Meteor clients send instead of the password, and what bcrypt hashes.
func PasswordDigest(password string) string {
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}

// HashPassword returns the Meteor-style stored form of a password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(PasswordDigest(password)), bcryptCost)
	return string(h), err
}

// Credential is a password as a client sent it: either the plain password
// or its SHA-256 digest.
type Credential struct {
	Plain  string
	Digest string // lowercase hex SHA-256
}

// digest returns the hex SHA-256 the stored hash covers.
func (c Credential) digest() string {
	if c.Digest != "" {
		return strings.ToLower(c.Digest)
	}
	return PasswordDigest(c.Plain)
}

// empty reports whether no password was given.
func (c Credential) empty() bool { return c.Plain == "" && c.Digest == "" }

// HashToken returns the stored form of a login token:
// base64(SHA-256(token)), as Rocket.Chat stores it.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// newSecret returns a 43-character random token, the length of Meteor's
// Random.secret().
func newSecret() string { return chat.RandomString(43) }

// LoginRequest is any of the login forms clients send.
type LoginRequest struct {
	// User is a username or an email address; Email is set when the client
	// said explicitly that it is an email.
	User     string
	Email    string
	Password Credential
	// Resume logs in with an existing login or personal access token.
	Resume string
}

// Session is the result of a login: the user and their new (or resumed)
// token in plain text.
type Session struct {
	User      *chat.User
	Token     string
	ExpiresAt time.Time
	Kind      string // "password" or "resume"
}

// Login checks credentials and issues a login token.
func (s *Service) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	if req.Resume != "" {
		u, tok, err := s.authenticateToken(ctx, req.Resume)
		if err != nil {
			return nil, chat.Errorf(chat.EUnauthorized, "403", "You've been logged out by the server. Please log in again.")
		}
		expires := tok.ExpiresAt
		if expires.IsZero() {
			expires = s.now().Add(s.loginExpiration())
		}
		return &Session{User: u, Token: req.Resume, ExpiresAt: expires, Kind: "resume"}, nil
	}
	if req.Password.empty() || (req.User == "" && req.Email == "") {
		return nil, chat.Errorf(chat.EUnauthorized, "Unauthorized", "Unauthorized")
	}
	var u *chat.User
	var err error
	switch {
	case req.Email != "":
		u, err = s.store.UserByEmail(ctx, req.Email)
	case strings.Contains(req.User, "@"):
		u, err = s.store.UserByEmail(ctx, req.User)
		if chat.IsKind(err, chat.ENotFound) {
			u, err = s.store.UserByUsername(ctx, req.User)
		}
	default:
		u, err = s.store.UserByUsername(ctx, req.User)
	}
	if err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, chat.Errorf(chat.EUnauthorized, "403", "User not found")
		}
		return nil, err
	}
	if u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(req.Password.digest())) != nil {
		return nil, chat.Errorf(chat.EUnauthorized, "403", "Incorrect password")
	}
	if !u.Active {
		return nil, chat.Errorf(chat.EUnauthorized, "error-user-is-not-activated", "User is not activated")
	}
	return s.issueToken(ctx, u)
}

// issueToken stores a new login token for u and records the login.
func (s *Service) issueToken(ctx context.Context, u *chat.User) (*Session, error) {
	now := s.now()
	token := newSecret()
	t := &chat.Token{
		Hash:      HashToken(token),
		UserID:    u.ID,
		Kind:      chat.TokenLogin,
		CreatedAt: now,
		ExpiresAt: now.Add(s.loginExpiration()),
	}
	err := s.tx(ctx, func(tx chat.Store, _ *outbox) error {
		if err := tx.AddToken(ctx, t); err != nil {
			return err
		}
		u.LastLogin = now
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return &Session{User: u, Token: token, ExpiresAt: t.ExpiresAt, Kind: "password"}, nil
}

// loginExpiration is Accounts_LoginExpiration (days, default 90).
func (s *Service) loginExpiration() time.Duration {
	days := s.SettingInt("Accounts_LoginExpiration", 90)
	if days <= 0 {
		days = 90
	}
	return time.Duration(days) * 24 * time.Hour
}

// Authenticate returns the user that (userID, token) logs in, as REST's
// X-User-Id and X-Auth-Token headers present them.
func (s *Service) Authenticate(ctx context.Context, userID, token string) (*chat.User, error) {
	u, _, err := s.authenticateToken(ctx, token)
	if err != nil || u.ID != userID {
		return nil, chat.Errorf(chat.EUnauthorized, "error-unauthorized", "You must be logged in to do this.")
	}
	return u, nil
}

// AuthenticateToken returns the user a token (login or personal) belongs to.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*chat.User, error) {
	u, _, err := s.authenticateToken(ctx, token)
	return u, err
}

func (s *Service) authenticateToken(ctx context.Context, token string) (*chat.User, *chat.Token, error) {
	unauthorized := chat.Errorf(chat.EUnauthorized, "error-unauthorized", "You must be logged in to do this.")
	if token == "" {
		return nil, nil, unauthorized
	}
	t, err := s.store.TokenByHash(ctx, HashToken(token))
	if err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, nil, unauthorized
		}
		return nil, nil, err
	}
	if !t.ExpiresAt.IsZero() && s.now().After(t.ExpiresAt) {
		return nil, nil, unauthorized
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, nil, unauthorized
		}
		return nil, nil, err
	}
	if !u.Active {
		return nil, nil, unauthorized
	}
	return u, t, nil
}

// Logout removes the token the client logged in with.
func (s *Service) Logout(ctx context.Context, token string) error {
	err := s.store.DeleteToken(ctx, HashToken(token))
	if chat.IsKind(err, chat.ENotFound) {
		return nil
	}
	return err
}

// GeneratePersonalAccessToken creates a named personal access token.
func (s *Service) GeneratePersonalAccessToken(ctx context.Context, actor *chat.User, name string, bypass2FA bool) (string, error) {
	if err := s.require(ctx, actor, "create-personal-access-tokens", ""); err != nil {
		return "", chat.Errorf(chat.EForbidden, "not-authorized", "Not Authorized")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", chat.ErrInvalidParam("must have required property 'tokenName'")
	}
	existing, err := s.store.TokensByUser(ctx, actor.ID, chat.TokenPersonal)
	if err != nil {
		return "", err
	}
	for _, t := range existing {
		if t.Name == name {
			return "", chat.Errorf(chat.EInvalid, "error-token-already-exists", "A token with this name already exists")
		}
	}
	token := newSecret()
	t := &chat.Token{
		Hash:      HashToken(token),
		UserID:    actor.ID,
		Kind:      chat.TokenPersonal,
		Name:      name,
		LastPart:  token[len(token)-6:],
		Bypass2FA: bypass2FA,
		CreatedAt: s.now(),
	}
	if err := s.store.AddToken(ctx, t); err != nil {
		return "", err
	}
	return token, nil
}

// PersonalAccessTokens lists the actor's personal access tokens.
func (s *Service) PersonalAccessTokens(ctx context.Context, actor *chat.User) ([]chat.Token, error) {
	if err := s.require(ctx, actor, "create-personal-access-tokens", ""); err != nil {
		return nil, chat.Errorf(chat.EForbidden, "not-authorized", "Not Authorized")
	}
	return s.store.TokensByUser(ctx, actor.ID, chat.TokenPersonal)
}

// RemovePersonalAccessToken deletes one of the actor's personal tokens.
func (s *Service) RemovePersonalAccessToken(ctx context.Context, actor *chat.User, name string) error {
	if err := s.require(ctx, actor, "create-personal-access-tokens", ""); err != nil {
		return chat.Errorf(chat.EForbidden, "not-authorized", "Not Authorized")
	}
	tokens, err := s.store.TokensByUser(ctx, actor.ID, chat.TokenPersonal)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.Name == name {
			return s.store.DeleteToken(ctx, t.Hash)
		}
	}
	return chat.Errorf(chat.EInvalid, "error-token-does-not-exists", "Invalid token")
}
