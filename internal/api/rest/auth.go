package rest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (a *API) authRoutes() {
	a.handle("POST /api/v1/login", public, a.handleLogin)
	a.handle("GET /api/v1/logout", authRequired, a.handleLogout)
	a.handle("POST /api/v1/logout", authRequired, a.handleLogout)
	a.handle("GET /api/v1/me", authRequired, a.handleMe)
}

// loginBody accepts every login shape of rc-api.md §3.2: user as a string
// (username or email) or as {username}/{email}; username or email at top
// level; the password as plain text or {digest, algorithm} (or Meteor's
// older {hashed}); or resume with a login or personal access token.
type loginBody struct {
	User     json.RawMessage `json:"user"`
	Username string          `json:"username"`
	Email    string          `json:"email"`
	Password json.RawMessage `json:"password"`
	Resume   string          `json:"resume"`
}

// parseLogin turns any accepted body into a core.LoginRequest.
func parseLogin(b loginBody) (core.LoginRequest, bool) {
	req := core.LoginRequest{Resume: b.Resume, User: b.Username, Email: b.Email}
	if len(b.User) > 0 && string(b.User) != "null" {
		var s string
		var o struct {
			Username string `json:"username"`
			Email    string `json:"email"`
		}
		switch {
		case json.Unmarshal(b.User, &s) == nil:
			req.User = s
		case json.Unmarshal(b.User, &o) == nil:
			req.User, req.Email = o.Username, o.Email
		default:
			return req, false
		}
	}
	if len(b.Password) > 0 && string(b.Password) != "null" {
		var s string
		var o struct {
			Digest    string `json:"digest"`
			Algorithm string `json:"algorithm"`
			Hashed    string `json:"hashed"`
		}
		switch {
		case json.Unmarshal(b.Password, &s) == nil:
			req.Password.Plain = s
		case json.Unmarshal(b.Password, &o) == nil:
			if o.Algorithm != "" && !strings.EqualFold(o.Algorithm, "sha-256") {
				return req, false
			}
			req.Password.Digest = o.Digest
			if req.Password.Digest == "" {
				req.Password.Digest = o.Hashed
			}
		default:
			return req, false
		}
	}
	return req, true
}

// handleLogin answers POST /api/v1/login with Rocket.Chat's
// {status:"success", data:{userId, authToken, me}}. Failures are 401 with
// the legacy {status:"error", error, message} body; an unknown user is
// reported as "Unauthorized" so that the endpoint does not reveal which
// usernames exist.
func (a *API) handleLogin(r *Request) (obj, error) {
	var b loginBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	req, ok := parseLogin(b)
	if !ok {
		return nil, chat.ErrInvalidParam("invalid login body")
	}
	sess, err := a.core.Login(r.Context(), req)
	if err != nil {
		var ce *chat.Error
		if errors.As(err, &ce) && ce.Kind == chat.EUnauthorized {
			code, msg := any(ce.Type), ce.Message
			switch {
			case ce.Message == "User not found":
				code, msg = "Unauthorized", "Unauthorized"
			case ce.Type == "403":
				code = 403
			}
			writeJSON(r.W, http.StatusUnauthorized, obj{"success": false, "status": "error", "error": code, "message": msg})
			return nil, nil
		}
		return nil, err
	}
	return obj{
		"status": "success",
		"data":   obj{"userId": sess.User.ID, "authToken": sess.Token, "me": a.meDoc(r, sess.User)},
	}, nil
}

// handleLogout answers GET or POST /api/v1/logout.
func (a *API) handleLogout(r *Request) (obj, error) {
	if err := a.core.Logout(r.Context(), r.Token); err != nil {
		return nil, err
	}
	return obj{"status": "success", "data": obj{"message": "You've been logged out!"}}, nil
}

// handleMe answers GET /api/v1/me: the caller's full document at top level.
func (a *API) handleMe(r *Request) (obj, error) {
	return a.meDoc(r, r.Actor), nil
}

// meDoc renders the caller's own document as Rocket.Chat's getUserInfo
// does: every private field, settings.preferences over the server
// defaults, the primary address as email, and avatarUrl.
func (a *API) meDoc(r *Request, u *chat.User) obj {
	m := userDoc(u, true)
	m["settings"] = obj{"preferences": a.core.EffectivePreferences(u)}
	m["avatarUrl"] = a.absoluteURL(r, avatarURL(u))
	for _, e := range u.Emails {
		if e.Verified {
			m["email"] = e.Address
			break
		}
	}
	if _, ok := m["email"]; !ok && u.PrimaryEmail() != "" {
		m["email"] = u.PrimaryEmail()
	}
	return m
}

// absoluteURL turns a server path into a full URL, on Site_Url when it is
// set and on the address the client used otherwise.
func (a *API) absoluteURL(r *Request, path string) string {
	if site := strings.TrimRight(a.core.SettingString("Site_Url"), "/"); site != "" {
		return site + path
	}
	if r == nil || r.Host == "" {
		return path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host + path
}
