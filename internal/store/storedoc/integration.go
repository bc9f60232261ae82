package storedoc

import "github.com/liftoff-chat/liftoff/internal/chat"

// Integration holds an integration's fields that have no column, with
// Rocket.Chat's names. CreatedBy is always written, even empty, so that
// the document is never empty and an update can carry it over in SQL.
type Integration struct {
	Username                          string   `json:"username,omitempty"`
	UserID                            string   `json:"userId,omitempty"`
	Channels                          []string `json:"channel,omitempty"`
	Alias                             string   `json:"alias,omitempty"`
	Emoji                             string   `json:"emoji,omitempty"`
	Avatar                            string   `json:"avatar,omitempty"`
	Token                             string   `json:"token,omitempty"`
	OverrideDestinationChannelEnabled bool     `json:"overrideDestinationChannelEnabled,omitempty"`
	ScriptEnabled                     bool     `json:"scriptEnabled,omitempty"`
	Script                            string   `json:"script,omitempty"`
	ScriptEngine                      string   `json:"scriptEngine,omitempty"`
	ScriptError                       string   `json:"scriptError,omitempty"`
	Event                             string   `json:"event,omitempty"`
	URLs                              []string `json:"urls,omitempty"`
	TriggerWords                      []string `json:"triggerWords,omitempty"`
	TriggerWordAnywhere               bool     `json:"triggerWordAnywhere,omitempty"`
	ImpersonateUser                   bool     `json:"impersonateUser,omitempty"`
	RetryFailedCalls                  bool     `json:"retryFailedCalls,omitempty"`
	RetryCount                        int      `json:"retryCount,omitempty"`
	RetryDelay                        string   `json:"retryDelay,omitempty"`
	RunOnEdits                        bool     `json:"runOnEdits,omitempty"`
	TargetRoom                        string   `json:"targetRoom,omitempty"`
	CreatedBy                         UserRef  `json:"_createdBy"`
	UpdatedBy                         *UserRef `json:"_updatedBy,omitempty"`
}

// NewIntegration returns the document of in.
func NewIntegration(in *chat.Integration) Integration {
	return Integration{
		Username: in.Username, UserID: in.UserID, Channels: in.Channels, Alias: in.Alias, Emoji: in.Emoji,
		Avatar: in.Avatar, Token: in.Token, OverrideDestinationChannelEnabled: in.OverrideDestinationChannelEnabled,
		ScriptEnabled: in.ScriptEnabled, Script: in.Script, ScriptEngine: in.ScriptEngine, ScriptError: in.ScriptError,
		Event: in.Event, URLs: in.URLs, TriggerWords: in.TriggerWords, TriggerWordAnywhere: in.TriggerWordAnywhere,
		ImpersonateUser: in.ImpersonateUser, RetryFailedCalls: in.RetryFailedCalls, RetryCount: in.RetryCount,
		RetryDelay: in.RetryDelay, RunOnEdits: in.RunOnEdits, TargetRoom: in.TargetRoom,
		CreatedBy: UserRef(in.CreatedBy), UpdatedBy: newUserRefPtr(in.UpdatedBy),
	}
}

// Apply copies the document's fields into in.
func (d *Integration) Apply(in *chat.Integration) {
	in.Username, in.UserID, in.Channels = d.Username, d.UserID, d.Channels
	in.Alias, in.Emoji, in.Avatar, in.Token = d.Alias, d.Emoji, d.Avatar, d.Token
	in.OverrideDestinationChannelEnabled = d.OverrideDestinationChannelEnabled
	in.ScriptEnabled, in.Script, in.ScriptEngine, in.ScriptError = d.ScriptEnabled, d.Script, d.ScriptEngine, d.ScriptError
	in.Event, in.URLs, in.TriggerWords, in.TriggerWordAnywhere = d.Event, d.URLs, d.TriggerWords, d.TriggerWordAnywhere
	in.ImpersonateUser, in.RetryFailedCalls, in.RetryCount = d.ImpersonateUser, d.RetryFailedCalls, d.RetryCount
	in.RetryDelay, in.RunOnEdits, in.TargetRoom = d.RetryDelay, d.RunOnEdits, d.TargetRoom
	in.CreatedBy, in.UpdatedBy = chat.UserRef(d.CreatedBy), d.UpdatedBy.refPtr()
}

// IntegrationHistory holds a run's fields that have no column.
//
// Data and HTTPCallData are kept as strings holding their compact JSON
// text, not as nested JSON: encoding/json would escape <, > and & inside
// them and jsonb would reorder their keys, while the stores return exactly
// the bytes they were given, compacted.
type IntegrationHistory struct {
	Event        string `json:"event,omitempty"`
	Step         string `json:"step,omitempty"`
	TriggerWord  string `json:"triggerWord,omitempty"`
	URL          string `json:"url,omitempty"`
	Data         string `json:"data,omitempty"`
	HTTPCallData string `json:"httpCallData,omitempty"`
	HTTPResult   string `json:"httpResult,omitempty"`
	HTTPError    string `json:"httpError,omitempty"`
	Error        bool   `json:"error,omitempty"`
	ErrorStack   string `json:"errorStack,omitempty"`
	Finished     bool   `json:"finished,omitempty"`
}

// NewIntegrationHistory returns the document of h; invalid JSON in its raw
// fields is an error.
func NewIntegrationHistory(h *chat.IntegrationHistory) (IntegrationHistory, error) {
	data, err := compactJSON("data", h.Data)
	if err != nil {
		return IntegrationHistory{}, err
	}
	call, err := compactJSON("httpCallData", h.HTTPCallData)
	if err != nil {
		return IntegrationHistory{}, err
	}
	return IntegrationHistory{
		Event: h.Event, Step: h.Step, TriggerWord: h.TriggerWord, URL: h.URL, Data: data, HTTPCallData: call,
		HTTPResult: h.HTTPResult, HTTPError: h.HTTPError, Error: h.Error, ErrorStack: h.ErrorStack, Finished: h.Finished,
	}, nil
}

// Apply copies the document's fields into h.
func (d *IntegrationHistory) Apply(h *chat.IntegrationHistory) {
	h.Event, h.Step, h.TriggerWord, h.URL = d.Event, d.Step, d.TriggerWord, d.URL
	h.Data, h.HTTPCallData = rawJSON(d.Data), rawJSON(d.HTTPCallData)
	h.HTTPResult, h.HTTPError, h.Error, h.ErrorStack, h.Finished = d.HTTPResult, d.HTTPError, d.Error, d.ErrorStack, d.Finished
}
