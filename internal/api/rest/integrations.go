package rest

import (
	"encoding/json"
	"strings"

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
	a.hookRoutes()
}

// integrationBody is the body of integrations.create, .update and
// .remove, for both webhook types.
type integrationBody struct {
	Type                              string          `json:"type"`
	IntegrationID                     string          `json:"integrationId"`
	TargetURL                         string          `json:"target_url"`
	Name                              *string         `json:"name"`
	Enabled                           *bool           `json:"enabled"`
	Username                          *string         `json:"username"`
	Channel                           *string         `json:"channel"`
	Alias                             *string         `json:"alias"`
	Emoji                             *string         `json:"emoji"`
	Avatar                            *string         `json:"avatar"`
	ScriptEnabled                     *bool           `json:"scriptEnabled"`
	Script                            *string         `json:"script"`
	ScriptEngine                      *string         `json:"scriptEngine"`
	OverrideDestinationChannelEnabled *bool           `json:"overrideDestinationChannelEnabled"`
	Event                             *string         `json:"event"`
	URLs                              []string        `json:"urls"`
	TriggerWords                      json.RawMessage `json:"triggerWords"`
	TriggerWordAnywhere               *bool           `json:"triggerWordAnywhere"`
	ImpersonateUser                   *bool           `json:"impersonateUser"`
	RetryFailedCalls                  *bool           `json:"retryFailedCalls"`
	RetryCount                        *int            `json:"retryCount"`
	RetryDelay                        *string         `json:"retryDelay"`
	RunOnEdits                        *bool           `json:"runOnEdits"`
	TargetRoom                        *string         `json:"targetRoom"`
	Token                             *string         `json:"token"`
}

func (b *integrationBody) input() (core.IntegrationInput, error) {
	in := core.IntegrationInput{
		Type: b.Type, Name: b.Name, Enabled: b.Enabled, Username: b.Username, Channel: b.Channel,
		Alias: b.Alias, Emoji: b.Emoji, Avatar: b.Avatar, ScriptEnabled: b.ScriptEnabled, Script: b.Script,
		ScriptEngine: b.ScriptEngine, OverrideDestinationChannelEnabled: b.OverrideDestinationChannelEnabled,
		Event: b.Event, URLs: b.URLs, TriggerWordAnywhere: b.TriggerWordAnywhere,
		ImpersonateUser: b.ImpersonateUser, RetryFailedCalls: b.RetryFailedCalls, RetryCount: b.RetryCount,
		RetryDelay: b.RetryDelay, RunOnEdits: b.RunOnEdits, TargetRoom: b.TargetRoom, Token: b.Token,
	}
	// Trigger words come as a list or, from older clients, one
	// comma-separated string.
	if len(b.TriggerWords) > 0 && string(b.TriggerWords) != "null" {
		var list []string
		var one string
		switch {
		case json.Unmarshal(b.TriggerWords, &list) == nil:
		case json.Unmarshal(b.TriggerWords, &one) == nil:
			list = strings.Split(one, ",")
		default:
			return in, chat.ErrInvalidParam("must be array: 'triggerWords'")
		}
		in.TriggerWords = list
	}
	return in, nil
}

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
	in, err := b.input()
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

// integrationDoc renders an integration as Rocket.Chat stores it, empty
// optional fields left out.
func integrationDoc(it *chat.Integration) obj {
	d := obj{
		"_id": it.ID, "type": it.Type, "name": it.Name, "enabled": it.Enabled,
		"username": it.Username, "userId": it.UserID, "channel": nonNil(it.Channels),
		"token": it.Token, "scriptEnabled": it.ScriptEnabled, "scriptEngine": it.ScriptEngine,
		"_createdAt": wire.Date{T: it.CreatedAt, F: date},
		"_createdBy": wire.UserRef{ID: it.CreatedBy.ID, Username: it.CreatedBy.Username},
		"_updatedAt": wire.Date{T: it.UpdatedAt, F: date},
	}
	optional := map[string]string{"alias": it.Alias, "emoji": it.Emoji, "avatar": it.Avatar, "script": it.Script, "scriptError": it.ScriptError}
	for k, v := range optional {
		if v != "" {
			d[k] = v
		}
	}
	if it.UpdatedBy != nil {
		d["_updatedBy"] = wire.UserRef{ID: it.UpdatedBy.ID, Username: it.UpdatedBy.Username}
	}
	if it.Type == chat.IntegrationIncoming {
		d["overrideDestinationChannelEnabled"] = it.OverrideDestinationChannelEnabled
		return d
	}
	d["event"], d["urls"], d["triggerWords"] = it.Event, nonNil(it.URLs), nonNil(it.TriggerWords)
	d["triggerWordAnywhere"], d["impersonateUser"], d["runOnEdits"] = it.TriggerWordAnywhere, it.ImpersonateUser, it.RunOnEdits
	d["retryFailedCalls"], d["retryCount"], d["retryDelay"] = it.RetryFailedCalls, it.RetryCount, it.RetryDelay
	if it.TargetRoom != "" {
		d["targetRoom"] = it.TargetRoom
	}
	return d
}

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
