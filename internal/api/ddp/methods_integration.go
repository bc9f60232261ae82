package ddp

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// integrationMethods are Rocket.Chat's integration methods. Rocket.Chat
// deprecates them in favour of integrations.* over REST, but old clients
// and SDKs still call them; they run the same use cases as REST.
func (h *Handler) integrationMethods(m map[string]methodFunc) {
	m["addIncomingIntegration"] = h.addIntegration(chat.IntegrationIncoming)
	m["addOutgoingIntegration"] = h.addIntegration(chat.IntegrationOutgoing)
	m["updateIncomingIntegration"] = h.updateIntegration(chat.IntegrationIncoming)
	m["updateOutgoingIntegration"] = h.updateIntegration(chat.IntegrationOutgoing)
	m["deleteIncomingIntegration"] = h.deleteIntegration(chat.IntegrationIncoming)
	m["deleteOutgoingIntegration"] = h.deleteIntegration(chat.IntegrationOutgoing)
	m["clearIntegrationHistory"] = h.clearIntegrationHistory
	m["replayOutgoingIntegration"] = h.replayOutgoingIntegration
}

// integrationParam reads the integration object of parameter i as a
// webhook of type typ, whatever type it names, as Rocket.Chat's methods do.
func (c *call) integrationParam(i int, typ string) (core.IntegrationInput, error) {
	var req wire.IntegrationRequest
	ok, err := c.arg(i, &req)
	if err != nil {
		return core.IntegrationInput{}, err
	}
	if !ok {
		return core.IntegrationInput{}, c.invalid("Invalid integration")
	}
	in, err := req.Input()
	in.Type = typ
	return in, err
}

// addIntegration answers addIncomingIntegration and
// addOutgoingIntegration: [integration] → the integration.
func (h *Handler) addIntegration(typ string) methodFunc {
	return func(ctx context.Context, c *call) (any, error) {
		if c.actor == nil {
			// Each method has its own way of saying so.
			if typ == chat.IntegrationIncoming {
				return nil, &chat.Error{Kind: chat.EUnauthorized, Type: "invalid-user", Message: "Invalid User", Details: map[string]any{"method": c.name}}
			}
			return nil, &chat.Error{Kind: chat.EUnauthorized, Type: "Invalid User"}
		}
		in, err := c.integrationParam(0, typ)
		if err != nil {
			return nil, err
		}
		return integrationResult(h.core.CreateIntegration(ctx, c.actor, in))
	}
}

// integrationResult answers a method that returns the integration.
func integrationResult(it *chat.Integration, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return wire.NewIntegration(it, wire.EJSON), nil
}

// updateIntegration answers updateIncomingIntegration and
// updateOutgoingIntegration: [integrationId, integration] → the
// integration as it now is.
func (h *Handler) updateIntegration(typ string) methodFunc {
	return func(ctx context.Context, c *call) (any, error) {
		id, err := c.str(0)
		if err != nil {
			return nil, err
		}
		in, err := c.integrationParam(1, typ)
		if err != nil {
			return nil, err
		}
		return integrationResult(h.core.UpdateIntegrationByID(ctx, c.actor, typ, id, in))
	}
}

// deleteIntegration answers deleteIncomingIntegration and
// deleteOutgoingIntegration: [integrationId] → true.
func (h *Handler) deleteIntegration(typ string) methodFunc {
	return func(ctx context.Context, c *call) (any, error) {
		id, err := c.str(0)
		if err != nil {
			return nil, err
		}
		if err := h.core.DeleteIntegration(ctx, c.actor, typ, id); err != nil {
			return nil, err
		}
		return true, nil
	}
}

// clearIntegrationHistory: [integrationId] → true.
func (h *Handler) clearIntegrationHistory(ctx context.Context, c *call) (any, error) {
	id, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if err := h.core.ClearIntegrationHistory(ctx, c.actor, id); err != nil {
		return nil, err
	}
	return true, nil
}

// replayOutgoingIntegration: [{integrationId, historyId}] → true, once the
// call is queued.
func (h *Handler) replayOutgoingIntegration(ctx context.Context, c *call) (any, error) {
	var p struct {
		IntegrationID string `json:"integrationId"`
		HistoryID     string `json:"historyId"`
	}
	if _, err := c.arg(0, &p); err != nil {
		return nil, err
	}
	if err := h.core.ReplayOutgoing(ctx, c.actor, p.IntegrationID, p.HistoryID); err != nil {
		return nil, err
	}
	return true, nil
}
