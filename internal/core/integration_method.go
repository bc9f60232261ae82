package core

import (
	"context"
	"encoding/json"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// This file holds the use cases behind Rocket.Chat's integration methods
// (updateIncomingIntegration, deleteOutgoingIntegration,
// clearIntegrationHistory, replayOutgoingIntegration...), which old
// clients and SDKs still call over DDP. They share the rules of the REST
// endpoints but answer with the methods' own errors: the REST endpoints
// look the integration up before calling the method, the methods look it
// up themselves.

// updateMethod names the Rocket.Chat method that changes webhooks of type
// typ.
func updateMethod(typ string) string {
	if typ == chat.IntegrationOutgoing {
		return "updateOutgoingIntegration"
	}
	return "updateIncomingIntegration"
}

// UpdateIntegrationByID changes the webhook of type typ that id names
// (the updateIncomingIntegration and updateOutgoingIntegration methods).
// Fields absent from in keep their values, as with integrations.update.
func (s *Service) UpdateIntegrationByID(ctx context.Context, actor *chat.User, typ, id string, in IntegrationInput) (*chat.Integration, error) {
	if typ != chat.IntegrationIncoming && typ != chat.IntegrationOutgoing {
		return nil, errInvalidIntegrationType()
	}
	method := updateMethod(typ)
	if actor == nil {
		return nil, errIntegration("error-invalid-user", "Invalid user", method)
	}
	if all, own := s.canManageIntegrations(ctx, actor, typ); !all && !own {
		return nil, errIntegration("not_authorized", "Unauthorized", method)
	}
	cur, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && cur.Type != typ) {
		if typ == chat.IntegrationOutgoing {
			return nil, errIntegration("invalid_integration", "[methods] updateOutgoingIntegration -> integration not found", method)
		}
		return nil, errInvalidIntegration(method)
	}
	if err != nil {
		return nil, err
	}
	in.Type = typ
	return s.updateIntegration(ctx, actor, cur, in)
}

// DeleteIntegration removes the webhook of type typ that id names (the
// deleteIncomingIntegration and deleteOutgoingIntegration methods).
// Rocket.Chat's methods delete an integration of either type; here each
// deletes only its own type, so that managing incoming webhooks does not
// let one delete outgoing ones.
func (s *Service) DeleteIntegration(ctx context.Context, actor *chat.User, typ, id string) error {
	if typ != chat.IntegrationIncoming && typ != chat.IntegrationOutgoing {
		return errInvalidIntegrationType()
	}
	method := deleteMethod(typ)
	if actor == nil {
		return errIntegration("not_authorized", "Unauthorized", method)
	}
	if all, own := s.canManageIntegrations(ctx, actor, typ); !all && !own {
		return errIntegration("not_authorized", "Unauthorized", method)
	}
	in, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && in.Type != typ) {
		return errInvalidIntegration(method)
	}
	if err != nil {
		return err
	}
	return s.removeIntegration(ctx, actor, in)
}

// managedIntegration finds the integration whose history the actor asks
// about, as Rocket.Chat's history methods do: any integration for those
// who manage every outgoing webhook, their own for those who manage their
// own; refused answers the others.
func (s *Service) managedIntegration(ctx context.Context, actor *chat.User, id, method string, refused error) (*chat.Integration, error) {
	all, own := s.canManageIntegrations(ctx, actor, chat.IntegrationOutgoing)
	if !all && !own {
		return nil, refused
	}
	in, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && !all && in.CreatedBy.ID != actor.ID) {
		return nil, errInvalidIntegration(method)
	}
	return in, err
}

// ClearIntegrationHistory removes every recorded run of an integration
// (clearIntegrationHistory, integrations.history.clear).
func (s *Service) ClearIntegrationHistory(ctx context.Context, actor *chat.User, id string) error {
	const method = "clearIntegrationHistory"
	unauthorized := errIntegration("not_authorized", "Unauthorized", method)
	if actor == nil {
		return unauthorized
	}
	in, err := s.managedIntegration(ctx, actor, id, method, unauthorized)
	if err != nil {
		return err
	}
	return s.store.ClearIntegrationHistory(ctx, in.ID)
}

// ReplayOutgoing calls an outgoing webhook again about the event of one of
// its recorded runs (replayOutgoingIntegration,
// integrations.outgoing.replay). The call is queued like any other and
// recorded as a new run; it sends the payload the run recorded, with the
// webhook's current token, to the URL the run called, and its answer is
// posted as usual. As in Rocket.Chat, a disabled webhook is not called.
//
// Rocket.Chat rebuilds the payload from the message, room and user as they
// are now; the recorded payload is what the target missed, and stays
// replayable after the message is deleted.
func (s *Service) ReplayOutgoing(ctx context.Context, actor *chat.User, integrationID, runID string) error {
	const method = "replayOutgoingIntegration"
	if actor == nil {
		return errIntegration("not_authorized", "Unauthorized", method)
	}
	// Rocket.Chat answers a caller without either permission as if the
	// integration did not exist.
	in, err := s.managedIntegration(ctx, actor, integrationID, method, errInvalidIntegration(method))
	if err != nil {
		return err
	}
	if in.Type != chat.IntegrationOutgoing {
		return chat.Errorf(chat.EInvalid, "integration-type-must-be-outgoing", "The integration type to replay must be an outgoing webhook.")
	}
	run, err := s.store.IntegrationRun(ctx, in.ID, runID)
	if chat.IsKind(err, chat.ENotFound) {
		return errIntegration("error-invalid-integration-history", "Invalid Integration History", method)
	}
	if err != nil {
		return err
	}
	var data map[string]any
	if len(run.Data) == 0 || json.Unmarshal(run.Data, &data) != nil || data == nil || run.URL == "" {
		return chat.Errorf(chat.EInvalid, "history-data-must-be-defined", "The history data must be defined to replay an integration.")
	}
	// The run's URL is where the call went, after the script, if any,
	// changed it. A URL that is no longer one of the webhook's is not
	// called: it was removed, or the script chose it.
	if !contains(in.URLs, run.URL) {
		return errIntegration("error-invalid-urls", "The URL of this run is no longer one of the webhook's URLs", method)
	}
	ev := &outgoingEvent{names: []string{run.Event}}
	if rid, _ := data["channel_id"].(string); rid != "" {
		// The room answers are posted into when they name none.
		r, err := s.store.RoomByID(ctx, rid)
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return err
		}
		ev.room = r
	}
	if !s.outgoing.enqueue(&outgoingRun{it: *in, url: run.URL, event: run.Event, ev: ev, word: run.TriggerWord, replay: data}) {
		return chat.Errorf(chat.EUnavailable, "", "outgoing webhook calls cannot be queued now; try again later")
	}
	return nil
}
