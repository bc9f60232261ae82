package chat

import (
	"context"
	"encoding/json"
	"time"
)

// Integration types, with Rocket.Chat's names.
const (
	IntegrationIncoming = "webhook-incoming"
	IntegrationOutgoing = "webhook-outgoing"
)

// Integration is a webhook: an incoming one posts what other systems send
// to its URL (/hooks/<ID>/<Token>) as messages; an outgoing one calls
// other systems when something happens in chat.
type Integration struct {
	ID      string
	Type    string // IntegrationIncoming or IntegrationOutgoing
	Name    string
	Enabled bool
	// Username and UserID name the account messages are posted as.
	Username string
	UserID   string
	// Channels are the destinations ("#room" or "@user"); for an outgoing
	// webhook, the rooms it listens to (none: all).
	Channels []string
	// Alias, Emoji and Avatar decorate the messages posted.
	Alias  string
	Emoji  string
	Avatar string
	// Token authenticates calls to an incoming webhook's URL; an outgoing
	// webhook sends it to its targets.
	Token string
	// OverrideDestinationChannelEnabled lets a caller of an incoming
	// webhook choose another room than Channels.
	OverrideDestinationChannelEnabled bool
	// Script, when ScriptEnabled, turns requests into messages (incoming)
	// or shapes the calls and their answers (outgoing). ScriptError holds
	// the error met compiling it.
	ScriptEnabled bool
	Script        string
	ScriptEngine  string
	ScriptError   string

	// Outgoing webhooks only.
	Event               string   // sendMessage, roomCreated, ...
	URLs                []string // targets
	TriggerWords        []string // none: every message
	TriggerWordAnywhere bool
	ImpersonateUser     bool
	RetryFailedCalls    bool
	RetryCount          int
	RetryDelay          string // powers-of-ten, powers-of-two, increments-of-two
	RunOnEdits          bool
	TargetRoom          string

	CreatedAt time.Time
	CreatedBy UserRef
	UpdatedAt time.Time
	UpdatedBy *UserRef
}

// IntegrationFilter selects integrations. A listing sees the types in
// AllTypes whoever created them, and the types in OwnTypes when OwnerID
// created them; with both empty it sees everything.
type IntegrationFilter struct {
	AllTypes []string
	OwnTypes []string
	OwnerID  string
	// Type keeps one type; Name matches part of the name, ignoring case.
	Type string
	Name string
	// Enabled keeps only enabled integrations.
	Enabled bool
	Offset  int
	Limit   int // 0: no limit
}

// IntegrationHistory records one run of an outgoing webhook: what
// triggered it, what was sent where, and what came back.
type IntegrationHistory struct {
	ID            string
	IntegrationID string
	Event         string
	Step          string // how far the run got
	TriggerWord   string
	URL           string
	// Data is what the event offered; HTTPCallData what was sent.
	Data         json.RawMessage
	HTTPCallData json.RawMessage
	HTTPResult   string
	HTTPError    string
	Error        bool
	ErrorStack   string
	Finished     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IntegrationStore keeps webhooks and the history of outgoing ones.
type IntegrationStore interface {
	// CreateIntegration fails with EConflict on a known id.
	CreateIntegration(ctx context.Context, in *Integration) error
	// UpdateIntegration writes every field but ID, Type, CreatedAt and
	// CreatedBy.
	UpdateIntegration(ctx context.Context, in *Integration) error
	// DeleteIntegration removes an integration and its history.
	DeleteIntegration(ctx context.Context, id string) error
	IntegrationByID(ctx context.Context, id string) (*Integration, error)
	// ListIntegrations returns a page, newest first, and the total.
	ListIntegrations(ctx context.Context, f IntegrationFilter) ([]Integration, int, error)

	// AddIntegrationHistory records a run; UpdateIntegrationHistory
	// rewrites it as it goes on (ENotFound when gone).
	AddIntegrationHistory(ctx context.Context, h *IntegrationHistory) error
	UpdateIntegrationHistory(ctx context.Context, h *IntegrationHistory) error
	// IntegrationHistory returns one integration's runs, newest first,
	// and the total.
	IntegrationHistory(ctx context.Context, integrationID string, offset, limit int) ([]IntegrationHistory, int, error)
	// IntegrationRun returns one run of an integration; ENotFound when
	// the integration has no run with that id.
	IntegrationRun(ctx context.Context, integrationID, id string) (*IntegrationHistory, error)
	// ClearIntegrationHistory removes every run of an integration.
	ClearIntegrationHistory(ctx context.Context, integrationID string) error
}
