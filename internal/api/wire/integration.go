package wire

import (
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// IntegrationRequest is a webhook as clients send it: the body of
// integrations.create, .update and .remove, and the object the DDP
// methods addIncomingIntegration, updateOutgoingIntegration and the like
// take. It reads a request rather than rendering a value, unlike the rest
// of this package, because both adapters accept the same object and must
// read it the same way.
type IntegrationRequest struct {
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

// Input returns what core's integration use cases take.
func (b *IntegrationRequest) Input() (core.IntegrationInput, error) {
	in := core.IntegrationInput{
		Type: b.Type, Name: b.Name, Enabled: b.Enabled, Username: b.Username, Channel: b.Channel,
		Alias: b.Alias, Emoji: b.Emoji, Avatar: b.Avatar, ScriptEnabled: b.ScriptEnabled, Script: b.Script,
		ScriptEngine: b.ScriptEngine, OverrideDestinationChannelEnabled: b.OverrideDestinationChannelEnabled,
		Event: b.Event, URLs: b.URLs, TriggerWordAnywhere: b.TriggerWordAnywhere,
		ImpersonateUser: b.ImpersonateUser, RetryFailedCalls: b.RetryFailedCalls, RetryCount: b.RetryCount,
		RetryDelay: b.RetryDelay, RunOnEdits: b.RunOnEdits, TargetRoom: b.TargetRoom, Token: b.Token,
	}
	words, err := WordList(b.TriggerWords, "triggerWords")
	in.TriggerWords = words
	return in, err
}

// WordList reads a list of words sent as a JSON list or, by older clients
// and Zapier's schema, as one comma-separated string; nil when absent.
func WordList(raw json.RawMessage, field string) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return strings.Split(one, ","), nil
	}
	return nil, chat.ErrInvalidParam("must be array: '%s'", field)
}

// NewIntegration renders a webhook as Rocket.Chat stores it, empty
// optional fields left out. Lists are copied onto empty ones, so that none
// renders [] rather than null.
func NewIntegration(it *chat.Integration, f Format) map[string]any {
	d := map[string]any{
		"_id": it.ID, "type": it.Type, "name": it.Name, "enabled": it.Enabled,
		"username": it.Username, "userId": it.UserID, "channel": append([]string{}, it.Channels...),
		"token": it.Token, "scriptEnabled": it.ScriptEnabled, "scriptEngine": it.ScriptEngine,
		"_createdAt": Date{T: it.CreatedAt, F: f},
		"_createdBy": UserRef{ID: it.CreatedBy.ID, Username: it.CreatedBy.Username},
		"_updatedAt": Date{T: it.UpdatedAt, F: f},
	}
	optional := map[string]string{"alias": it.Alias, "emoji": it.Emoji, "avatar": it.Avatar, "script": it.Script, "scriptError": it.ScriptError}
	for k, v := range optional {
		if v != "" {
			d[k] = v
		}
	}
	if it.UpdatedBy != nil {
		d["_updatedBy"] = UserRef{ID: it.UpdatedBy.ID, Username: it.UpdatedBy.Username}
	}
	if it.Type == chat.IntegrationIncoming {
		d["overrideDestinationChannelEnabled"] = it.OverrideDestinationChannelEnabled
		return d
	}
	d["event"], d["urls"], d["triggerWords"] = it.Event, append([]string{}, it.URLs...), append([]string{}, it.TriggerWords...)
	d["triggerWordAnywhere"], d["impersonateUser"], d["runOnEdits"] = it.TriggerWordAnywhere, it.ImpersonateUser, it.RunOnEdits
	d["retryFailedCalls"], d["retryCount"], d["retryDelay"] = it.RetryFailedCalls, it.RetryCount, it.RetryDelay
	if it.TargetRoom != "" {
		d["targetRoom"] = it.TargetRoom
	}
	return d
}
