package ddp

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (h *Handler) authMethods(m map[string]methodFunc) {
	m["login"] = h.login
	m["logout"] = h.logout
}

// loginParams is any of the login forms of rc-api.md §2.3.
type loginParams struct {
	User     json.RawMessage `json:"user"`
	Password json.RawMessage `json:"password"`
	Resume   string          `json:"resume"`
	TOTP     *struct {
		Login json.RawMessage `json:"login"`
	} `json:"totp"`
}

// loginResult is what every login form answers.
type loginResult struct {
	ID           string    `json:"id"`
	Token        string    `json:"token"`
	TokenExpires wire.Date `json:"tokenExpires"`
	Type         string    `json:"type"`
}

// errLoginForm is Meteor's answer to a login request in no known form.
func errLoginForm() error {
	return &chat.Error{Kind: chat.EInvalid, Type: "400", Message: "Unrecognized options for login request"}
}

// parseLoginParams turns a login parameter into a core request. The
// password may be the plain text (the old SDK sends that) or its SHA-256
// digest (every current client).
func parseLoginParams(raw json.RawMessage) (core.LoginRequest, error) {
	var p loginParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return core.LoginRequest{}, errLoginForm()
	}
	if p.TOTP != nil && len(p.TOTP.Login) > 0 {
		// Two-factor codes are not enforced yet; the inner login decides.
		return parseLoginParams(p.TOTP.Login)
	}
	if p.Resume != "" {
		return core.LoginRequest{Resume: p.Resume}, nil
	}
	var req core.LoginRequest
	if len(p.User) == 0 || len(p.Password) == 0 {
		return req, errLoginForm()
	}
	var name string
	var who struct{ Username, Email, ID string }
	switch {
	case json.Unmarshal(p.User, &name) == nil:
		req.User = name
	case json.Unmarshal(p.User, &who) == nil:
		req.User, req.Email = who.Username, who.Email
		if req.User == "" && req.Email == "" && who.ID != "" {
			req.User = who.ID
		}
	default:
		return req, errLoginForm()
	}
	var plain string
	var hashed struct {
		Digest    string `json:"digest"`
		Algorithm string `json:"algorithm"`
	}
	switch {
	case json.Unmarshal(p.Password, &plain) == nil:
		req.Password.Plain = plain
	case json.Unmarshal(p.Password, &hashed) == nil:
		if hashed.Algorithm != "" && !strings.EqualFold(hashed.Algorithm, "sha-256") {
			return req, &chat.Error{Kind: chat.EInvalid, Type: "400", Message: "Unsupported password algorithm"}
		}
		req.Password.Digest = hashed.Digest
	default:
		return req, errLoginForm()
	}
	if req.Password.Plain == "" && req.Password.Digest == "" {
		return req, errLoginForm()
	}
	return req, nil
}

// login answers DDP's login: password (plain or digest) or resume token
// (login or personal access token). On a socket, the connection is then
// logged in, which marks the user online.
func (h *Handler) login(ctx context.Context, c *call) (any, error) {
	if c.nparams() == 0 {
		return nil, errLoginForm()
	}
	req, err := parseLoginParams(c.params[0])
	if err != nil {
		return nil, err
	}
	sess, err := h.core.Login(ctx, req)
	if err != nil {
		return nil, err
	}
	if c.sess != nil {
		if err := c.sess.loginAs(ctx, sess.User, sess.Token); err != nil {
			return nil, err
		}
	}
	return loginResult{ID: sess.User.ID, Token: sess.Token, TokenExpires: wire.Date{T: sess.ExpiresAt, F: wire.EJSON}, Type: sess.Kind}, nil
}

// loginAs logs the connection in as u; logged in as someone else, it is
// logged out first, which ends their subscriptions.
func (s *session) loginAs(ctx context.Context, u *chat.User, token string) error {
	s.wmu.Lock()
	other := s.uid != "" && s.uid != u.ID
	s.wmu.Unlock()
	if other {
		s.logout()
	}
	if err := s.h.hub.Login(ctx, s.rt, u); err != nil {
		return err
	}
	s.setUser(u.ID, token)
	return nil
}

// logout answers DDP's logout: the token the connection logged in with is
// revoked and the connection stays open, logged out (Meteor's behaviour;
// closing would make the SDKs reconnect in a loop).
func (h *Handler) logout(ctx context.Context, c *call) (any, error) {
	if c.actor != nil && c.token != "" {
		if err := h.core.Logout(ctx, c.token); err != nil {
			return nil, err
		}
	}
	if c.sess != nil {
		c.sess.logout()
	}
	return nil, nil
}

// logout forgets the connection's login; subscriptions that needed it end
// with nosub.
func (s *session) logout() {
	for _, id := range s.h.hub.Logout(s.rt) {
		s.send(nosubFrame(json.RawMessage(id), nil))
	}
	s.setUser("", "")
}
