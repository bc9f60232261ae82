package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// integrationDoc holds the integration fields that have no column, with
// Rocket.Chat's names.
//
// CreatedBy is always written, even empty, so that the document is never
// empty (jsonText would store "") and UpdateIntegration can carry it over
// in SQL.
type integrationDoc struct {
	Username                          string      `json:"username,omitempty"`
	UserID                            string      `json:"userId,omitempty"`
	Channels                          []string    `json:"channel,omitempty"`
	Alias                             string      `json:"alias,omitempty"`
	Emoji                             string      `json:"emoji,omitempty"`
	Avatar                            string      `json:"avatar,omitempty"`
	Token                             string      `json:"token,omitempty"`
	OverrideDestinationChannelEnabled bool        `json:"overrideDestinationChannelEnabled,omitempty"`
	ScriptEnabled                     bool        `json:"scriptEnabled,omitempty"`
	Script                            string      `json:"script,omitempty"`
	ScriptEngine                      string      `json:"scriptEngine,omitempty"`
	ScriptError                       string      `json:"scriptError,omitempty"`
	Event                             string      `json:"event,omitempty"`
	URLs                              []string    `json:"urls,omitempty"`
	TriggerWords                      []string    `json:"triggerWords,omitempty"`
	TriggerWordAnywhere               bool        `json:"triggerWordAnywhere,omitempty"`
	ImpersonateUser                   bool        `json:"impersonateUser,omitempty"`
	RetryFailedCalls                  bool        `json:"retryFailedCalls,omitempty"`
	RetryCount                        int         `json:"retryCount,omitempty"`
	RetryDelay                        string      `json:"retryDelay,omitempty"`
	RunOnEdits                        bool        `json:"runOnEdits,omitempty"`
	TargetRoom                        string      `json:"targetRoom,omitempty"`
	CreatedBy                         userRefDoc  `json:"_createdBy"`
	UpdatedBy                         *userRefDoc `json:"_updatedBy,omitempty"`
}

func integrationDocText(in *chat.Integration) (string, error) {
	return jsonText(integrationDoc{
		Username: in.Username, UserID: in.UserID, Channels: in.Channels, Alias: in.Alias, Emoji: in.Emoji,
		Avatar: in.Avatar, Token: in.Token, OverrideDestinationChannelEnabled: in.OverrideDestinationChannelEnabled,
		ScriptEnabled: in.ScriptEnabled, Script: in.Script, ScriptEngine: in.ScriptEngine, ScriptError: in.ScriptError,
		Event: in.Event, URLs: in.URLs, TriggerWords: in.TriggerWords, TriggerWordAnywhere: in.TriggerWordAnywhere,
		ImpersonateUser: in.ImpersonateUser, RetryFailedCalls: in.RetryFailedCalls, RetryCount: in.RetryCount,
		RetryDelay: in.RetryDelay, RunOnEdits: in.RunOnEdits, TargetRoom: in.TargetRoom,
		CreatedBy: toUserRefDoc(in.CreatedBy), UpdatedBy: toUserRefPtr(in.UpdatedBy),
	})
}

const integrationColumns = `id, type, name, enabled, created_at, updated_at, doc`

func scanIntegration(sc scanner) (*chat.Integration, error) {
	var (
		in               chat.Integration
		created, updated int64
		doc              string
	)
	if err := sc.Scan(&in.ID, &in.Type, &in.Name, &in.Enabled, &created, &updated, &doc); err != nil {
		return nil, err
	}
	in.CreatedAt, in.UpdatedAt = fromMS(created), fromMS(updated)
	var d integrationDoc
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	in.Username, in.UserID, in.Channels = d.Username, d.UserID, d.Channels
	in.Alias, in.Emoji, in.Avatar, in.Token = d.Alias, d.Emoji, d.Avatar, d.Token
	in.OverrideDestinationChannelEnabled = d.OverrideDestinationChannelEnabled
	in.ScriptEnabled, in.Script, in.ScriptEngine, in.ScriptError = d.ScriptEnabled, d.Script, d.ScriptEngine, d.ScriptError
	in.Event, in.URLs, in.TriggerWords, in.TriggerWordAnywhere = d.Event, d.URLs, d.TriggerWords, d.TriggerWordAnywhere
	in.ImpersonateUser, in.RetryFailedCalls, in.RetryCount = d.ImpersonateUser, d.RetryFailedCalls, d.RetryCount
	in.RetryDelay, in.RunOnEdits, in.TargetRoom = d.RetryDelay, d.RunOnEdits, d.TargetRoom
	in.CreatedBy, in.UpdatedBy = d.CreatedBy.ref(), d.UpdatedBy.refPtr()
	return &in, nil
}

// CreateIntegration inserts in; a known id is EConflict.
func (s *Store) CreateIntegration(ctx context.Context, in *chat.Integration) error {
	doc, err := integrationDocText(in)
	if err != nil {
		return fmt.Errorf("create integration: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO integrations (id, type, name, name_key, created_by, enabled, created_at,
		updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Type, in.Name, fold(in.Name), in.CreatedBy.ID, in.Enabled, ms(in.CreatedAt), ms(in.UpdatedAt), doc)
	switch {
	case isUnique(err, ""):
		return conflict("error-duplicate", "integration "+in.ID+" already exists", err)
	case err != nil:
		return fmt.Errorf("create integration: %w", err)
	}
	return nil
}

// UpdateIntegration writes every field but ID, Type, CreatedAt and
// CreatedBy. The creator lives in the document too; the statement keeps
// the stored one, so that no read has to come first.
func (s *Store) UpdateIntegration(ctx context.Context, in *chat.Integration) error {
	doc, err := integrationDocText(in)
	if err != nil {
		return fmt.Errorf("update integration: %w", err)
	}
	res, err := s.exec(ctx, `UPDATE integrations SET name = ?, name_key = ?, enabled = ?, updated_at = ?,
		doc = json_set(?, '$._createdBy', doc -> '$._createdBy') WHERE id = ?`,
		in.Name, fold(in.Name), in.Enabled, ms(in.UpdatedAt), doc, in.ID)
	if err != nil {
		return fmt.Errorf("update integration: %w", err)
	}
	return mustAffect(res, "integration")
}

// DeleteIntegration removes an integration; its history goes with it (ON
// DELETE CASCADE).
func (s *Store) DeleteIntegration(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM integrations WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete integration: %w", err)
	}
	return mustAffect(res, "integration")
}

// IntegrationByID returns one integration.
func (s *Store) IntegrationByID(ctx context.Context, id string) (*chat.Integration, error) {
	in, err := scanIntegration(s.rd().QueryRowContext(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "integration", "integration by id")
	}
	return in, nil
}

// ListIntegrations returns a page of integrations, newest first, and the
// number of matches.
func (s *Store) ListIntegrations(ctx context.Context, f chat.IntegrationFilter) ([]chat.Integration, int, error) {
	w := &where{}
	if len(f.AllTypes) > 0 || len(f.OwnTypes) > 0 {
		// Without an owner, OwnTypes grants nothing: an empty OwnerID must
		// not match the integrations that have no creator.
		switch {
		case len(f.OwnTypes) == 0 || f.OwnerID == "":
			w.add("type IN (SELECT value FROM json_each(?))", stringsJSON(f.AllTypes))
		default:
			w.add(`(type IN (SELECT value FROM json_each(?))
				OR (type IN (SELECT value FROM json_each(?)) AND created_by = ?))`,
				stringsJSON(f.AllTypes), stringsJSON(f.OwnTypes), f.OwnerID)
		}
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	if f.Name != "" {
		w.add("instr(name_key, ?) > 0", fold(f.Name))
	}
	if f.Enabled {
		w.add("enabled = 1")
	}
	var (
		out   []chat.Integration
		total int
	)
	err := s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM integrations`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+integrationColumns+` FROM integrations`+w.String()+
			` ORDER BY created_at DESC, id DESC`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			in, err := scanIntegration(rows)
			if err != nil {
				return err
			}
			out = append(out, *in)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list integrations: %w", err)
	}
	return out, total, nil
}

// integrationHistoryDoc holds the history fields that have no column.
//
// Data and HTTPCallData are kept as strings holding their compact JSON
// text, not as nested JSON: encoding/json would escape <, > and & inside
// them, and the stores return exactly the bytes they were given,
// compacted, as the PostgreSQL store (whose jsonb would also reorder keys)
// does.
type integrationHistoryDoc struct {
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

// compactJSON returns raw as compact JSON text, "" when empty; invalid JSON
// is an error.
func compactJSON(what string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return "", fmt.Errorf("encode %s: %w", what, err)
	}
	return buf.String(), nil
}

func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

func integrationHistoryDocText(h *chat.IntegrationHistory) (string, error) {
	data, err := compactJSON("data", h.Data)
	if err != nil {
		return "", err
	}
	call, err := compactJSON("httpCallData", h.HTTPCallData)
	if err != nil {
		return "", err
	}
	return jsonText(integrationHistoryDoc{
		Event: h.Event, Step: h.Step, TriggerWord: h.TriggerWord, URL: h.URL, Data: data, HTTPCallData: call,
		HTTPResult: h.HTTPResult, HTTPError: h.HTTPError, Error: h.Error, ErrorStack: h.ErrorStack, Finished: h.Finished,
	})
}

const integrationHistoryColumns = `id, integration_id, created_at, updated_at, doc`

func scanIntegrationHistory(sc scanner) (*chat.IntegrationHistory, error) {
	var (
		h                chat.IntegrationHistory
		created, updated int64
		doc              string
	)
	if err := sc.Scan(&h.ID, &h.IntegrationID, &created, &updated, &doc); err != nil {
		return nil, err
	}
	h.CreatedAt, h.UpdatedAt = fromMS(created), fromMS(updated)
	var d integrationHistoryDoc
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	h.Event, h.Step, h.TriggerWord, h.URL = d.Event, d.Step, d.TriggerWord, d.URL
	h.Data, h.HTTPCallData = rawJSON(d.Data), rawJSON(d.HTTPCallData)
	h.HTTPResult, h.HTTPError, h.Error, h.ErrorStack, h.Finished = d.HTTPResult, d.HTTPError, d.Error, d.ErrorStack, d.Finished
	return &h, nil
}

// AddIntegrationHistory records a run; a known id is EConflict, an unknown
// integration ENotFound.
func (s *Store) AddIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) error {
	doc, err := integrationHistoryDocText(h)
	if err != nil {
		return fmt.Errorf("add integration history: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO integration_history (`+integrationHistoryColumns+`) VALUES (?, ?, ?, ?, ?)`,
		h.ID, h.IntegrationID, ms(h.CreatedAt), ms(h.UpdatedAt), doc)
	switch {
	case isUnique(err, ""):
		return conflict("error-duplicate", "integration history "+h.ID+" already exists", err)
	case isForeignKey(err):
		return chat.ErrNotFound("integration")
	case err != nil:
		return fmt.Errorf("add integration history: %w", err)
	}
	return nil
}

// UpdateIntegrationHistory writes every field of a run but ID,
// IntegrationID and CreatedAt, which place it in its listing.
func (s *Store) UpdateIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) error {
	doc, err := integrationHistoryDocText(h)
	if err != nil {
		return fmt.Errorf("update integration history: %w", err)
	}
	res, err := s.exec(ctx, `UPDATE integration_history SET updated_at = ?, doc = ? WHERE id = ?`,
		ms(h.UpdatedAt), doc, h.ID)
	if err != nil {
		return fmt.Errorf("update integration history: %w", err)
	}
	return mustAffect(res, "integration history")
}

// IntegrationHistory returns a page of an integration's runs, newest first,
// and their number. limit 0 means no limit.
func (s *Store) IntegrationHistory(ctx context.Context, integrationID string, offset, limit int) ([]chat.IntegrationHistory, int, error) {
	var (
		out   []chat.IntegrationHistory
		total int
	)
	err := s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM integration_history WHERE integration_id = ?`,
			integrationID).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+integrationHistoryColumns+` FROM integration_history
			WHERE integration_id = ? ORDER BY created_at DESC, id DESC`+page(offset, limit), integrationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			h, err := scanIntegrationHistory(rows)
			if err != nil {
				return err
			}
			out = append(out, *h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("integration history: %w", err)
	}
	return out, total, nil
}

// ClearIntegrationHistory removes every run of an integration; none, or an
// unknown integration, is no error.
func (s *Store) ClearIntegrationHistory(ctx context.Context, integrationID string) error {
	if _, err := s.exec(ctx, `DELETE FROM integration_history WHERE integration_id = ?`, integrationID); err != nil {
		return fmt.Errorf("clear integration history: %w", err)
	}
	return nil
}
