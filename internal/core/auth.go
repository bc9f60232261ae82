package core

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

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

// checkPassword reports whether c is u's password.
func checkPassword(u *chat.User, c Credential) bool {
	if u.PasswordHash == "" || c.empty() {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(c.digest())) == nil
}

// checkPasswordCode checks a password sent as a second factor, the way
// Rocket.Chat's password fallback does: clients send the SHA-256 digest of
// the password, older ones the password itself.
func checkPasswordCode(u *chat.User, code string) bool {
	if isHexDigest(code) && checkPassword(u, Credential{Digest: code}) {
		return true
	}
	return checkPassword(u, Credential{Plain: code})
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

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

// Login errors carry the codes and reasons Meteor's accounts package
// gives (clients show the reason). REST turns "User not found" into
// "Unauthorized" as Rocket.Chat's login endpoint does.

func errLoggedOut() error {
	return chat.Errorf(chat.EUnauthorized, "403", "You've been logged out by the server. Please log in again.")
}

func errUserNotFound() error { return chat.Errorf(chat.EUnauthorized, "403", "User not found") }

func errIncorrectPassword() error {
	return chat.Errorf(chat.EUnauthorized, "403", "Incorrect password")
}

// Login checks credentials and issues a login token. A resume login
// accepts login tokens and personal access tokens and returns the same
// token.
func (s *Service) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	if req.Resume != "" {
		u, tok, err := s.authenticateToken(ctx, req.Resume)
		if err != nil {
			if chat.IsKind(err, chat.EUnauthorized) {
				return nil, errLoggedOut()
			}
			return nil, err
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
			return nil, errUserNotFound()
		}
		return nil, err
	}
	if !checkPassword(u, req.Password) {
		return nil, errIncorrectPassword()
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
		// Re-read inside the transaction so that a concurrent profile
		// change is not overwritten with the copy read before the
		// password check.
		fresh, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		fresh.LastLogin = now
		if err := tx.UpdateUser(ctx, fresh); err != nil {
			return err
		}
		*u = *fresh
		return nil
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

// errLoginRequired is the error of every failed token check.
func errLoginRequired() error {
	return chat.Errorf(chat.EUnauthorized, "error-unauthorized", "You must be logged in to do this.")
}

// Authenticate returns the user that (userID, token) logs in, as REST's
// X-User-Id and X-Auth-Token headers present them.
func (s *Service) Authenticate(ctx context.Context, userID, token string) (*chat.User, error) {
	u, _, err := s.authenticateToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(u.ID), []byte(userID)) != 1 {
		return nil, errLoginRequired()
	}
	return u, nil
}

// AuthenticateToken returns the user a token (login or personal) belongs to.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*chat.User, error) {
	u, _, err := s.authenticateToken(ctx, token)
	return u, err
}

// authenticateToken finds the live token and its active user. Failures
// other than a bad token (the store being down) keep their own kind, so
// that clients are not told to log in again when the server is at fault.
func (s *Service) authenticateToken(ctx context.Context, token string) (*chat.User, *chat.Token, error) {
	if token == "" {
		return nil, nil, errLoginRequired()
	}
	t, err := s.store.TokenByHash(ctx, HashToken(token))
	if err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, nil, errLoginRequired()
		}
		return nil, nil, err
	}
	if !t.ExpiresAt.IsZero() && s.now().After(t.ExpiresAt) {
		return nil, nil, errLoginRequired()
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, nil, errLoginRequired()
		}
		return nil, nil, err
	}
	if !u.Active {
		return nil, nil, errLoginRequired()
	}
	return u, t, nil
}

// Logout removes the token the client logged in with. Logging out with a
// personal access token removes it, as in Rocket.Chat, where both kinds
// live in the same list.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.store.DeleteToken(ctx, HashToken(token))
	if chat.IsKind(err, chat.ENotFound) {
		return nil
	}
	return err
}

// logoutOtherSessions removes the user's login tokens except keep (the
// hash of the token of the session asking), inside tx.
func logoutOtherSessions(ctx context.Context, tx chat.Store, userID, keepToken string) error {
	tokens, err := tx.TokensByUser(ctx, userID, chat.TokenLogin)
	if err != nil {
		return err
	}
	keep := ""
	if keepToken != "" {
		keep = HashToken(keepToken)
	}
	for _, t := range tokens {
		if t.Hash == keep {
			continue
		}
		if err := tx.DeleteToken(ctx, t.Hash); err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
	}
	return nil
}

// errNotAuthorizedPAT is what Rocket.Chat's personal-token methods throw
// when create-personal-access-tokens is missing (a Meteor.Error, so REST
// answers 400).
func errNotAuthorizedPAT() error {
	return chat.Errorf(chat.EInvalid, "not-authorized", "Not Authorized")
}

// GeneratePersonalAccessToken creates a named personal access token and
// returns it in plain text; only its hash is stored.
func (s *Service) GeneratePersonalAccessToken(ctx context.Context, actor *chat.User, name string, bypass2FA bool) (string, error) {
	if actor == nil {
		return "", errLoginRequired()
	}
	if !s.Can(ctx, actor, "create-personal-access-tokens", "") {
		return "", errNotAuthorizedPAT()
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

// RegeneratePersonalAccessToken replaces a personal access token with a
// new one of the same name and 2FA setting.
func (s *Service) RegeneratePersonalAccessToken(ctx context.Context, actor *chat.User, name string) (string, error) {
	t, err := s.personalToken(ctx, actor, name)
	if err != nil {
		return "", err
	}
	if err := s.store.DeleteToken(ctx, t.Hash); err != nil && !chat.IsKind(err, chat.ENotFound) {
		return "", err
	}
	return s.GeneratePersonalAccessToken(ctx, actor, name, t.Bypass2FA)
}

// PersonalAccessTokens lists the actor's personal access tokens.
func (s *Service) PersonalAccessTokens(ctx context.Context, actor *chat.User) ([]chat.Token, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if !s.Can(ctx, actor, "create-personal-access-tokens", "") {
		return nil, errNotAuthorizedPAT()
	}
	return s.store.TokensByUser(ctx, actor.ID, chat.TokenPersonal)
}

// RemovePersonalAccessToken deletes one of the actor's personal tokens.
func (s *Service) RemovePersonalAccessToken(ctx context.Context, actor *chat.User, name string) error {
	t, err := s.personalToken(ctx, actor, name)
	if err != nil {
		return err
	}
	err = s.store.DeleteToken(ctx, t.Hash)
	if chat.IsKind(err, chat.ENotFound) {
		return nil
	}
	return err
}

// personalToken finds one of the actor's personal tokens by name.
func (s *Service) personalToken(ctx context.Context, actor *chat.User, name string) (*chat.Token, error) {
	tokens, err := s.PersonalAccessTokens(ctx, actor)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, chat.ErrInvalidParam("must have required property 'tokenName'")
	}
	for i := range tokens {
		if tokens[i].Name == name {
			return &tokens[i], nil
		}
	}
	return nil, chat.Errorf(chat.EInvalid, "error-token-does-not-exists", "Invalid token")
}

// validatePassword applies Rocket.Chat's password policy
// (Accounts_Password_Policy_*) when it is enabled, with its error codes.
func (s *Service) validatePassword(pw string) error {
	if strings.TrimSpace(pw) == "" {
		return chat.Errorf(chat.EInvalid, "error-password-policy-not-met", "The password provided does not meet the server's password policy.")
	}
	if !s.SettingBool("Accounts_Password_Policy_Enabled") {
		return nil
	}
	fail := func(code, reason string) error { return chat.Errorf(chat.EInvalid, code, "%s", reason) }
	n := len([]rune(pw))
	if min := s.SettingInt("Accounts_Password_Policy_MinLength", -1); min > 0 && n < min {
		return fail("error-password-policy-not-met-minLength", "The password does not meet the minimum length password policy.")
	}
	if max := s.SettingInt("Accounts_Password_Policy_MaxLength", -1); max > 0 && n > max {
		return fail("error-password-policy-not-met-maxLength", "The password does not meet the maximum length password policy.")
	}
	if s.SettingBool("Accounts_Password_Policy_ForbidRepeatingCharacters") {
		limit := s.SettingInt("Accounts_Password_Policy_ForbidRepeatingCharactersCount", 3)
		if limit > 0 && longestRun(pw) > limit {
			return fail("error-password-policy-not-met-repeatingCharacters", "The password contains repeating characters which is against the password policy.")
		}
	}
	has := func(pred func(rune) bool) bool { return strings.IndexFunc(pw, pred) >= 0 }
	if s.SettingBool("Accounts_Password_Policy_AtLeastOneLowercase") && !has(unicode.IsLower) {
		return fail("error-password-policy-not-met-oneLowercase", "The password does not contain at least one lowercase character which is against the password policy.")
	}
	if s.SettingBool("Accounts_Password_Policy_AtLeastOneUppercase") && !has(unicode.IsUpper) {
		return fail("error-password-policy-not-met-oneUppercase", "The password does not contain at least one uppercase character which is against the password policy.")
	}
	if s.SettingBool("Accounts_Password_Policy_AtLeastOneNumber") && !has(unicode.IsDigit) {
		return fail("error-password-policy-not-met-oneNumber", "The password does not contain at least one numerical character which is against the password policy.")
	}
	special := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) }
	if s.SettingBool("Accounts_Password_Policy_AtLeastOneSpecialCharacter") && !has(special) {
		return fail("error-password-policy-not-met-oneSpecial", "The password does not contain at least one special character which is against the password policy.")
	}
	return nil
}

// longestRun returns the length of the longest run of one repeated
// character.
func longestRun(s string) int {
	best, run := 0, 0
	var prev rune = -1
	for _, r := range s {
		if r == prev {
			run++
		} else {
			run, prev = 1, r
		}
		if run > best {
			best = run
		}
	}
	return best
}

// requirePasswordCode enforces Rocket.Chat's "password as second factor"
// for sensitive profile changes: the current password must accompany the
// request.
func requirePasswordCode(u *chat.User, code string) error {
	if u.PasswordHash == "" {
		return nil // nothing to check against: accounts without a password
	}
	if code == "" {
		return &chat.Error{Kind: chat.EInvalid, Type: "totp-required", Message: "TOTP Required", Details: map[string]any{"method": "password", "codeGenerated": false}}
	}
	if !checkPasswordCode(u, code) {
		return &chat.Error{Kind: chat.EInvalid, Type: "totp-invalid", Message: "TOTP Invalid", Details: map[string]any{"method": "password"}}
	}
	return nil
}
