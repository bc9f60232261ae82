package rest

import (
	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// integrationRoutes lists the integrations.* endpoints and the webhook
// URLs themselves.
// https://developer.rocket.chat/apidocs/integrations-endpoints
func (a *API) integrationRoutes() {
	a.handle("POST /api/v1/integrations.create", authRequired, a.handleIntegrationsCreate)
	a.handle("PUT /api/v1/integrations.update", authRequired, a.handleIntegrationsUpdate)
	a.handle("POST /api/v1/integrations.remove", authRequired, a.handleIntegrationsRemove)
	a.handle("GET /api/v1/integrations.get", authRequired, a.handleIntegrationsGet)
	a.handle("GET /api/v1/integrations.list", authRequired, a.handleIntegrationsList)
	a.handle("GET /api/v1/integrations.history", authRequired, a.handleIntegrationsHistory)
	a.handle("POST /api/v1/integrations.history.clear", authRequired, a.handleIntegrationsHistoryClear)
	a.handle("POST /api/v1/integrations.outgoing.replay", authRequired, a.handleIntegrationsOutgoingReplay)
	a.hookRoutes()
}

// integrationBody is the body of integrations.create, .update and
// .remove, for both webhook types.
type integrationBody = wire.IntegrationRequest

func (r *Request) readIntegrationBody() (*integrationBody, error) {
	var b integrationBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Type == "" {
		return nil, chat.ErrInvalidParam("must have required property 'type'")
	}
	return &b, nil
}

// readIntegrationInput reads the body of integrations.create and .update.
func (r *Request) readIntegrationInput() (*integrationBody, core.IntegrationInput, error) {
	b, err := r.readIntegrationBody()
	if err != nil {
		return nil, core.IntegrationInput{}, err
	}
	in, err := b.Input()
	return b, in, err
}

func (a *API) handleIntegrationsCreate(r *Request) (obj, error) {
	_, in, err := r.readIntegrationInput()
	if err != nil {
		return nil, err
	}
	it, err := a.core.CreateIntegration(r.Context(), r.Actor, in)
	if err != nil {
		return nil, err
	}
	return obj{"integration": integrationDoc(it)}, nil
}

func (a *API) handleIntegrationsUpdate(r *Request) (obj, error) {
	b, in, err := r.readIntegrationInput()
	if err != nil {
		return nil, err
	}
	it, err := a.core.UpdateIntegration(r.Context(), r.Actor, b.IntegrationID, b.TargetURL, in)
	if err != nil {
		return nil, err
	}
	return obj{"integration": integrationDoc(it)}, nil
}

func (a *API) handleIntegrationsRemove(r *Request) (obj, error) {
	b, err := r.readIntegrationBody()
	if err != nil {
		return nil, err
	}
	it, err := a.core.RemoveIntegration(r.Context(), r.Actor, b.Type, b.IntegrationID, b.TargetURL)
	if err != nil {
		return nil, err
	}
	return obj{"integration": integrationDoc(it)}, nil
}

func (a *API) handleIntegrationsGet(r *Request) (obj, error) {
	it, err := a.core.GetIntegration(r.Context(), r.Actor, r.q("integrationId"), r.q("createdBy"))
	if err != nil {
		return nil, err
	}
	return obj{"integration": integrationDoc(it)}, nil
}

func (a *API) handleIntegrationsList(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	list, total, err := a.core.ListIntegrations(r.Context(), r.Actor, r.q("name"), r.q("type"), p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	docs := make([]obj, len(list))
	for i := range list {
		docs[i] = integrationDoc(&list[i])
	}
	return obj{"integrations": docs, "offset": p.Offset, "items": len(docs), "count": len(docs), "total": total}, nil
}

func (a *API) handleIntegrationsHistory(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	list, total, err := a.core.IntegrationHistory(r.Context(), r.Actor, r.q("id"), p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	docs := make([]obj, len(list))
	for i := range list {
		docs[i] = historyDoc(&list[i])
	}
	return obj{"history": docs, "offset": p.Offset, "items": len(docs), "count": len(docs), "total": total}, nil
}

// historyBody is the body of integrations.history.clear and
// integrations.outgoing.replay, the REST forms of the
// clearIntegrationHistory and replayOutgoingIntegration methods.
type historyBody struct {
	IntegrationID *string `json:"integrationId"`
	HistoryID     *string `json:"historyId"`
}

// readHistoryBody reads a historyBody; withRun says whether historyId is
// required. Empty strings are refused like absent ones, as Rocket.Chat's
// schemas (minLength 1) do.
func (r *Request) readHistoryBody(withRun bool) (integrationID, runID string, err error) {
	var b historyBody
	if err := r.decode(&b); err != nil {
		return "", "", err
	}
	if b.IntegrationID == nil || *b.IntegrationID == "" {
		return "", "", required("integrationId")
	}
	if !withRun {
		return *b.IntegrationID, "", nil
	}
	if b.HistoryID == nil || *b.HistoryID == "" {
		return "", "", required("historyId")
	}
	return *b.IntegrationID, *b.HistoryID, nil
}

func (a *API) handleIntegrationsHistoryClear(r *Request) (obj, error) {
	id, _, err := r.readHistoryBody(false)
	if err != nil {
		return nil, err
	}
	return nil, a.core.ClearIntegrationHistory(r.Context(), r.Actor, id)
}

func (a *API) handleIntegrationsOutgoingReplay(r *Request) (obj, error) {
	id, runID, err := r.readHistoryBody(true)
	if err != nil {
		return nil, err
	}
	return nil, a.core.ReplayOutgoing(r.Context(), r.Actor, id, runID)
}

// integrationDoc renders an integration as Rocket.Chat stores it.
func integrationDoc(it *chat.Integration) obj { return wire.NewIntegration(it, date) }

// historyDoc renders one run of an outgoing webhook.
func historyDoc(h *chat.IntegrationHistory) obj {
	d := obj{
		"_id": h.ID, "type": "outgoing-webhook", "step": h.Step, "event": h.Event,
		"integration": obj{"_id": h.IntegrationID},
		"error":       h.Error, "finished": h.Finished,
		"_createdAt": wire.Date{T: h.CreatedAt, F: date}, "_updatedAt": wire.Date{T: h.UpdatedAt, F: date},
	}
	optional := map[string]string{"triggerWord": h.TriggerWord, "url": h.URL, "httpResult": h.HTTPResult, "httpError": h.HTTPError, "errorStack": h.ErrorStack}
	for k, v := range optional {
		if v != "" {
			d[k] = v
		}
	}
	if len(h.Data) > 0 {
		d["data"] = h.Data
	}
	if len(h.HTTPCallData) > 0 {
		d["httpCallData"] = h.HTTPCallData
	}
	return d
}
