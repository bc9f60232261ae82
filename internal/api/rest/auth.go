package rest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
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
// level; the password as plain text or {digest, algorithm}; or resume.
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
	if len(b.User) > 0 {
		var s string
		var o struct{ Username, Email string }
		switch {
		case json.Unmarshal(b.User, &s) == nil:
			req.User = s
		case json.Unmarshal(b.User, &o) == nil:
			req.User, req.Email = o.Username, o.Email
		default:
			return req, false
		}
	}
	if len(b.Password) > 0 {
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
// {status:"success", data:{userId, authToken, me}}.
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
		if ce, ok := err.(*chat.Error); ok && ce.Kind == chat.EUnauthorized {
			code := any(ce.Type)
			if ce.Type == "403" {
				code = 403
			}
			writeJSON(r.W, http.StatusUnauthorized, obj{"success": false, "status": "error", "error": code, "message": ce.Message})
			return nil, nil
		}
		return nil, err
	}
	me := a.meDoc(sess.User)
	return obj{
		"status": "success",
		"data":   obj{"userId": sess.User.ID, "authToken": sess.Token, "me": me},
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
	return a.meDoc(r.Actor), nil
}

// meDoc renders the caller's own document as a map, with avatarUrl and
// email (top-level, as Rocket.Chat adds).
func (a *API) meDoc(u *chat.User) obj {
	w := wire.NewUser(u, date, true)
	w.AvatarURL = avatarURL(u)
	b, _ := json.Marshal(w)
	var m obj
	_ = json.Unmarshal(b, &m)
	if e := u.PrimaryEmail(); e != "" {
		m["email"] = e
	}
	return m
}
