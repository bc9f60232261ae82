package ddp

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (h *Handler) presenceMethods(m map[string]methodFunc) {
	m["UserPresence:setDefaultStatus"] = h.setDefaultStatus
	m["UserPresence:online"] = h.connectionStatus(chat.StatusOnline)
	m["UserPresence:away"] = h.connectionStatus(chat.StatusAway)
	m["UserPresence:connect"] = h.connectionStatus(chat.StatusOnline)
	m["setUserStatus"] = h.setUserStatus
}

// setDefaultStatus: [status] → true. The chosen status is what others see
// while the user is connected.
func (h *Handler) setDefaultStatus(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	status, err := c.requireStr(0, "status")
	if err != nil {
		return nil, err
	}
	if _, err := h.core.SetUserStatus(ctx, actor, "", core.StatusChange{Status: &status}); err != nil {
		return nil, err
	}
	h.refreshStatus(ctx, actor.ID)
	return true, nil
}

// setUserStatus: [status, statusText] → nothing.
func (h *Handler) setUserStatus(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	var ch core.StatusChange
	var status, text string
	if ok, err := c.arg(0, &status); err != nil {
		return nil, err
	} else if ok && status != "" {
		ch.Status = &status
	}
	if ok, err := c.arg(1, &text); err != nil {
		return nil, err
	} else if ok {
		ch.Message = &text
	}
	if ch.Status == nil && ch.Message == nil {
		return nil, nil
	}
	if _, err := h.core.SetUserStatus(ctx, actor, "", ch); err != nil {
		return nil, err
	}
	h.refreshStatus(ctx, actor.ID)
	return nil, nil
}

// refreshStatus recomputes a connected user's shown status from their
// connections and the status they just chose (choosing online while idle
// shows away).
func (h *Handler) refreshStatus(ctx context.Context, uid string) {
	if h.presence == nil {
		return
	}
	if conn := h.presence.ConnectionStatus(uid); conn != chat.StatusOffline {
		if _, err := h.core.RecomputeStatus(ctx, uid, conn); err != nil {
			h.log.Warn("ddp: recompute status failed", "user_id", uid, "error", err)
		}
	}
}

// connectionStatus answers UserPresence:online and UserPresence:away: the
// connection reports its user active or idle. Over REST there is no
// connection, and nothing changes.
func (h *Handler) connectionStatus(status string) methodFunc {
	return func(ctx context.Context, c *call) (any, error) {
		actor, err := c.user()
		if err != nil {
			return nil, err
		}
		if c.sess != nil && h.presence != nil {
			if err := h.presence.SetConnectionStatus(ctx, c.sess.id, actor.ID, status); err != nil {
				return nil, err
			}
		}
		return true, nil
	}
}
