package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const integrationColumns = `id, type, name, enabled, created_at, updated_at, doc`

func scanIntegration(sc scanner) (*chat.Integration, error) {
	var (
		in               chat.Integration
		created, updated int64
		doc              []byte
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

// CreateIntegration inserts in; a known id is EConflict, reported without
// raising an error, which would abort the caller's transaction.
func (s *Store) CreateIntegration(ctx context.Context, in *chat.Integration) error {
	doc, err := jsonDoc(storedoc.NewIntegration(in))
	if err != nil {
		return wrap("create integration", err)
	}
	tag, err := s.exec(ctx, `INSERT INTO integrations (id, type, name, name_key, created_by, enabled, created_at,
		updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
		in.ID, in.Type, in.Name, fold(in.Name), in.CreatedBy.ID, in.Enabled, ms(in.CreatedAt), ms(in.UpdatedAt), doc)
	switch {
	case err != nil:
		return wrap("create integration", err)
	case tag.RowsAffected() == 0:
		return conflict("error-duplicate", "integration "+in.ID+" already exists", nil)
	}
	return nil
}

// UpdateIntegration writes every field but ID, Type, CreatedAt and
// CreatedBy. The creator lives in the document too; the statement keeps
// the stored one, so that no read has to come first.
func (s *Store) UpdateIntegration(ctx context.Context, in *chat.Integration) error {
	doc, err := jsonDoc(storedoc.NewIntegration(in))
	if err != nil {
		return wrap("update integration", err)
	}
	tag, err := s.exec(ctx, `UPDATE integrations SET name = $1, name_key = $2, enabled = $3, updated_at = $4,
		doc = jsonb_set($5::jsonb, '{_createdBy}', coalesce(doc -> '_createdBy', '{}')) WHERE id = $6`,
		in.Name, fold(in.Name), in.Enabled, ms(in.UpdatedAt), doc, in.ID)
	if err != nil {
		return wrap("update integration", err)
	}
	return mustAffect(tag, "integration")
}

// DeleteIntegration removes an integration; its history goes with it (ON
// DELETE CASCADE).
func (s *Store) DeleteIntegration(ctx context.Context, id string) error {
	tag, err := s.exec(ctx, `DELETE FROM integrations WHERE id = $1`, id)
	if err != nil {
		return wrap("delete integration", err)
	}
	return mustAffect(tag, "integration")
}

// IntegrationByID returns one integration; on a Store bound to a
// transaction the row stays locked.
func (s *Store) IntegrationByID(ctx context.Context, id string) (*chat.Integration, error) {
	var in *chat.Integration
	err := s.with(ctx, func(c conn) (err error) {
		in, err = scanIntegration(c.QueryRow(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE id = $1`+s.lock(""), id))
		return err
	})
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
		all := "type = ANY(" + w.arg(list(f.AllTypes)) + "::text[])"
		switch {
		case len(f.OwnTypes) == 0 || f.OwnerID == "":
			w.add(all)
		default:
			w.add("(" + all + " OR (type = ANY(" + w.arg(f.OwnTypes) + "::text[]) AND created_by = " + w.arg(f.OwnerID) + "))")
		}
	}
	if f.Type != "" {
		w.add("type = " + w.arg(f.Type))
	}
	if f.Name != "" {
		w.contains("name_key", f.Name)
	}
	if f.Enabled {
		w.add("enabled")
	}
	var (
		out   []chat.Integration
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM integrations`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+integrationColumns+` FROM integrations`+w.String()+` ORDER BY created_at DESC, id DESC`+
		page(f.Offset, f.Limit), w.args...).Query(func(rows pgx.Rows) (err error) {
		out, err = collect(rows, nil, scanIntegration)
		return err
	})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list integrations", err)
	}
	return out, total, nil
}

func integrationHistoryDocJSON(h *chat.IntegrationHistory) ([]byte, error) {
	d, err := storedoc.NewIntegrationHistory(h)
	if err != nil {
		return nil, err
	}
	return jsonDoc(d)
}

const integrationHistoryColumns = `id, integration_id, created_at, updated_at, doc`

func scanIntegrationHistory(sc scanner) (*chat.IntegrationHistory, error) {
	var (
		h                chat.IntegrationHistory
		created, updated int64
		doc              []byte
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
// integration ENotFound. Both are reported without raising an error, which
// would abort the caller's transaction.
func (s *Store) AddIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) error {
	doc, err := integrationHistoryDocJSON(h)
	if err != nil {
		return wrap("add integration history", err)
	}
	var inserted, known bool
	err = s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH ins AS (
				INSERT INTO integration_history (`+integrationHistoryColumns+`)
				SELECT $1::text, $2::text, $3::bigint, $4::bigint, $5::jsonb
				WHERE EXISTS (SELECT 1 FROM integrations WHERE id = $2)
				ON CONFLICT (id) DO NOTHING RETURNING 1)
			SELECT EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM integrations WHERE id = $2)`,
			h.ID, h.IntegrationID, ms(h.CreatedAt), ms(h.UpdatedAt), doc).Scan(&inserted, &known)
	})
	switch {
	case isForeignKey(err): // the integration was deleted meanwhile
		return chat.ErrNotFound("integration")
	case err != nil:
		return wrap("add integration history", err)
	case !known:
		return chat.ErrNotFound("integration")
	case !inserted:
		return conflict("error-duplicate", "integration history "+h.ID+" already exists", nil)
	}
	return nil
}

// UpdateIntegrationHistory writes every field of a run but ID,
// IntegrationID and CreatedAt, which place it in its listing.
func (s *Store) UpdateIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) error {
	doc, err := integrationHistoryDocJSON(h)
	if err != nil {
		return wrap("update integration history", err)
	}
	tag, err := s.exec(ctx, `UPDATE integration_history SET updated_at = $1, doc = $2 WHERE id = $3`,
		ms(h.UpdatedAt), doc, h.ID)
	if err != nil {
		return wrap("update integration history", err)
	}
	return mustAffect(tag, "integration history")
}

// IntegrationHistory returns a page of an integration's runs, newest first,
// and their number. limit 0 means no limit.
func (s *Store) IntegrationHistory(ctx context.Context, integrationID string, offset, limit int) ([]chat.IntegrationHistory, int, error) {
	var (
		out   []chat.IntegrationHistory
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM integration_history WHERE integration_id = $1`, integrationID).
		QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+integrationHistoryColumns+` FROM integration_history WHERE integration_id = $1
		ORDER BY created_at DESC, id DESC`+page(offset, limit), integrationID).Query(func(rows pgx.Rows) (err error) {
		out, err = collect(rows, nil, scanIntegrationHistory)
		return err
	})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("integration history", err)
	}
	return out, total, nil
}

// IntegrationRun returns one run of an integration.
func (s *Store) IntegrationRun(ctx context.Context, integrationID, id string) (*chat.IntegrationHistory, error) {
	var h *chat.IntegrationHistory
	err := s.with(ctx, func(c conn) (err error) {
		h, err = scanIntegrationHistory(c.QueryRow(ctx, `SELECT `+integrationHistoryColumns+`
			FROM integration_history WHERE integration_id = $1 AND id = $2`, integrationID, id))
		return err
	})
	if err != nil {
		return nil, notFound(err, "integration history", "integration run")
	}
	return h, nil
}

// ClearIntegrationHistory removes every run of an integration; none, or an
// unknown integration, is no error.
func (s *Store) ClearIntegrationHistory(ctx context.Context, integrationID string) error {
	if _, err := s.exec(ctx, `DELETE FROM integration_history WHERE integration_id = $1`, integrationID); err != nil {
		return wrap("clear integration history", err)
	}
	return nil
}
