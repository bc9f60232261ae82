package ddp

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// methodTimeout bounds one method call.
const methodTimeout = 60 * time.Second

// methodFunc runs one DDP method. It returns the result to encode (nil for
// none) or an error.
type methodFunc func(ctx context.Context, c *call) (any, error)

// call is one method invocation, over a socket or over REST's method.call.
type call struct {
	h      *Handler
	sess   *session // nil over REST
	name   string
	params []json.RawMessage
	actor  *chat.User // nil when not logged in
	token  string
}

// methodTable lists every DDP method the server answers. Methods that need
// a login check it through c.user().
func (h *Handler) methodTable() map[string]methodFunc {
	m := map[string]methodFunc{}
	h.authMethods(m)
	h.messageMethods(m)
	h.roomMethods(m)
	h.settingsMethods(m)
	h.presenceMethods(m)
	h.streamMethods(m)
	h.integrationMethods(m)
	return m
}

// method runs a method sent over the socket and answers result then
// updated.
func (s *session) method(m inMsg) {
	if len(m.ID) == 0 || m.Method == "" {
		s.send(errorFrame("Malformed method invocation", mustJSON(m)))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), methodTimeout)
	actor, token, err := s.actor(ctx)
	cancel()
	if err != nil {
		// A store outage is answered 503, so clients retry rather than
		// report a bug; anything unexpected is masked as 500.
		merr, known := toMeteorError(err)
		if !known {
			s.h.log.Error("ddp: read the connection's user", "error", err)
		}
		s.send(resultFrame(m.ID, nil, merr))
		s.send(updatedFrame(m.ID))
		return
	}
	res, merr := s.h.run(context.Background(), &call{h: s.h, sess: s, name: m.Method, params: m.Params, actor: actor, token: token})
	s.send(resultFrame(m.ID, res, merr))
	s.send(updatedFrame(m.ID))
}

// run dispatches a call and encodes its outcome.
func (h *Handler) run(ctx context.Context, c *call) (result []byte, merr *meteorError) {
	start := time.Now()
	label := c.name
	fn, ok := h.methods[c.name]
	if !ok {
		label = "unknown"
	}
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("ddp: method panicked", "method", c.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			result, merr = nil, internalError()
		}
		if h.observeM != nil {
			h.observeM(label, c.sess != nil, c.actor != nil, time.Since(start))
		}
	}()
	if !ok {
		return nil, newMeteorError("404", fmt.Sprintf("Method '%s' not found", c.name), nil)
	}
	ctx, cancel := context.WithTimeout(ctx, methodTimeout)
	defer cancel()
	res, err := fn(ctx, c)
	if err != nil {
		me, known := toMeteorError(err)
		if !known {
			h.log.Error("ddp: method failed", "method", c.name, "error", err)
		}
		return nil, me
	}
	if res == nil {
		return nil, nil
	}
	if raw, ok := res.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(res)
	if err != nil {
		h.log.Error("ddp: encode result", "method", c.name, "error", err)
		return nil, internalError()
	}
	return b, nil
}

// user returns the logged-in caller, or Rocket.Chat's error for methods
// that need one.
func (c *call) user() (*chat.User, error) {
	if c.actor == nil {
		return nil, &chat.Error{Kind: chat.EUnauthorized, Type: "error-invalid-user", Message: "Invalid user", Details: map[string]any{"method": c.name}}
	}
	return c.actor, nil
}

// nparams returns how many parameters were sent.
func (c *call) nparams() int { return len(c.params) }

// arg decodes parameter i into v. A missing or null parameter leaves v
// unchanged and reports false.
func (c *call) arg(i int, v any) (bool, error) {
	if i >= len(c.params) {
		return false, nil
	}
	raw := c.params[i]
	if len(raw) == 0 || string(raw) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, c.invalid("Invalid parameter %d", i)
	}
	return true, nil
}

// str returns parameter i as a string, or "".
func (c *call) str(i int) (string, error) {
	var s string
	_, err := c.arg(i, &s)
	return s, err
}

// requireStr returns parameter i, which must be a non-empty string.
func (c *call) requireStr(i int, name string) (string, error) {
	s, err := c.str(i)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", c.invalid("Invalid %s", name)
	}
	return s, nil
}

// invalid is Meteor's check() failure for bad parameters.
func (c *call) invalid(format string, args ...any) error {
	return &chat.Error{Kind: chat.EInvalid, Type: "error-invalid-params", Message: fmt.Sprintf(format, args...), Details: map[string]any{"method": c.name}}
}

// CallMethod runs a DDP method on behalf of a REST caller (method.call and
// method.callAnon): message is the EJSON string of
// {msg:"method", id, method, params}, actor the authenticated user (nil for
// callAnon), and the answer the EJSON string of the result message.
// method is the name in the URL, used when the message names none.
func (h *Handler) CallMethod(ctx context.Context, actor *chat.User, token, method, message string) (string, error) {
	var m inMsg
	if err := json.Unmarshal([]byte(message), &m); err != nil {
		return "", chat.ErrInvalidParam("Invalid message")
	}
	if m.Method == "" {
		m.Method = method
	}
	if m.Method == "" {
		return "", chat.ErrInvalidParam("Invalid method")
	}
	id := m.ID
	if len(id) == 0 {
		id = json.RawMessage(`null`)
	}
	res, merr := h.run(ctx, &call{h: h, name: m.Method, params: m.Params, actor: actor, token: token})
	return string(resultFrame(id, res, merr)), nil
}
