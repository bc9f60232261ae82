package sqlite

import (
	"context"
	"fmt"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

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
	var d storedoc.Integration
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&in)
	return &in, nil
}

// CreateIntegration inserts in; a known id is EConflict.
func (s *Store) CreateIntegration(ctx context.Context, in *chat.Integration) error {
	doc, err := jsonText(storedoc.NewIntegration(in))
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
	doc, err := jsonText(storedoc.NewIntegration(in))
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
		out, err = collect(rows, err, scanIntegration)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list integrations: %w", err)
	}
	return out, total, nil
}

func integrationHistoryDocText(h *chat.IntegrationHistory) (string, error) {
	d, err := storedoc.NewIntegrationHistory(h)
	if err != nil {
		return "", err
	}
	return jsonText(d)
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
	var d storedoc.IntegrationHistory
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&h)
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
		out, err = collect(rows, err, scanIntegrationHistory)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("integration history: %w", err)
	}
	return out, total, nil
}

// IntegrationRun returns one run of an integration.
func (s *Store) IntegrationRun(ctx context.Context, integrationID, id string) (*chat.IntegrationHistory, error) {
	h, err := scanIntegrationHistory(s.rd().QueryRowContext(ctx, `SELECT `+integrationHistoryColumns+`
		FROM integration_history WHERE integration_id = ? AND id = ?`, integrationID, id))
	if err != nil {
		return nil, notFound(err, "integration history", "integration run")
	}
	return h, nil
}

// ClearIntegrationHistory removes every run of an integration; none, or an
// unknown integration, is no error.
func (s *Store) ClearIntegrationHistory(ctx context.Context, integrationID string) error {
	if _, err := s.exec(ctx, `DELETE FROM integration_history WHERE integration_id = ?`, integrationID); err != nil {
		return fmt.Errorf("clear integration history: %w", err)
	}
	return nil
}
