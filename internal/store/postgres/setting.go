package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const settingColumns = `id, value, env_locked, ord, updated_at, doc`

func scanSetting(sc scanner) (*chat.Setting, error) {
	var (
		st         chat.Setting
		value, doc []byte
		updated    int64
	)
	if err := sc.Scan(&st.ID, &value, &st.EnvLocked, &st.Order, &updated, &doc); err != nil {
		return nil, err
	}
	st.UpdatedAt = fromMS(updated)
	var err error
	if st.Value, err = storedoc.DecodeSettingValue(value); err != nil {
		return nil, err
	}
	var d storedoc.Setting
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	if err := d.Apply(&st); err != nil {
		return nil, err
	}
	return &st, nil
}

func collectSettings(rows pgx.Rows, err error) ([]chat.Setting, error) {
	return collect(rows, err, scanSetting)
}

// UpsertSetting inserts a setting, or updates everything but its value when
// it exists, so that refreshing defaults at start keeps what an admin chose.
func (s *Store) UpsertSetting(ctx context.Context, st *chat.Setting) error {
	value, err := jsonValue(st.Value)
	if err != nil {
		return wrap("upsert setting", err)
	}
	d, err := storedoc.NewSetting(st)
	if err != nil {
		return wrap("upsert setting", err)
	}
	// jsonDoc cleans the default inside the document along with the rest.
	doc, err := jsonDoc(d)
	if err != nil {
		return wrap("upsert setting", err)
	}
	if _, err := s.exec(ctx, `INSERT INTO settings (`+settingColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET env_locked = excluded.env_locked, ord = excluded.ord,
		updated_at = excluded.updated_at, doc = excluded.doc`,
		st.ID, value, st.EnvLocked, st.Order, ms(st.UpdatedAt), doc); err != nil {
		return wrap("upsert setting", err)
	}
	return nil
}

// SetSettingValue changes one setting's value and lock; an unknown id is
// ENotFound.
func (s *Store) SetSettingValue(ctx context.Context, id string, value any, envLocked bool, at time.Time) error {
	v, err := jsonValue(value)
	if err != nil {
		return wrap("set setting value", err)
	}
	tag, err := s.exec(ctx, `UPDATE settings SET value = $1, env_locked = $2, updated_at = $3 WHERE id = $4`,
		v, envLocked, ms(at), id)
	if err != nil {
		return wrap("set setting value", err)
	}
	return mustAffect(tag, "setting")
}

// SettingByID returns one setting; on a Store bound to a transaction the
// row stays locked.
func (s *Store) SettingByID(ctx context.Context, id string) (*chat.Setting, error) {
	var st *chat.Setting
	err := s.with(ctx, func(c conn) (err error) {
		st, err = scanSetting(c.QueryRow(ctx, `SELECT `+settingColumns+` FROM settings WHERE id = $1`+s.lock(""), id))
		return err
	})
	if err != nil {
		return nil, notFound(err, "setting", "setting by id")
	}
	return st, nil
}

// Settings returns the settings changed after since (all when zero), by
// Order then id.
func (s *Store) Settings(ctx context.Context, since time.Time) ([]chat.Setting, error) {
	w := &where{}
	w.since("updated_at", since)
	var out []chat.Setting
	err := s.with(ctx, func(c conn) (err error) {
		out, err = collectSettings(c.Query(ctx, `SELECT `+settingColumns+` FROM settings`+w.String()+` ORDER BY ord, id`, w.args...))
		return err
	})
	if err != nil {
		return nil, wrap("settings", err)
	}
	return out, nil
}

const permissionColumns = `id, roles, grp, position, updated_at`

func scanPermission(sc scanner) (*chat.Permission, error) {
	var (
		p       chat.Permission
		updated int64
	)
	if err := sc.Scan(&p.ID, &p.Roles, &p.Group, &p.Position, &updated); err != nil {
		return nil, err
	}
	p.Roles = orNil(p.Roles)
	p.UpdatedAt = fromMS(updated)
	return &p, nil
}

// UpsertPermission inserts or replaces a permission.
func (s *Store) UpsertPermission(ctx context.Context, p *chat.Permission) error {
	if _, err := s.exec(ctx, `INSERT INTO permissions (`+permissionColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, grp = excluded.grp, position = excluded.position,
		updated_at = excluded.updated_at`,
		p.ID, list(p.Roles), p.Group, p.Position, ms(p.UpdatedAt)); err != nil {
		return wrap("upsert permission", err)
	}
	return nil
}

// InsertPermissionIfMissing adds p only when its id is unknown, so that an
// admin's grants survive restarts.
func (s *Store) InsertPermissionIfMissing(ctx context.Context, p *chat.Permission) error {
	if _, err := s.exec(ctx, `INSERT INTO permissions (`+permissionColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO NOTHING`,
		p.ID, list(p.Roles), p.Group, p.Position, ms(p.UpdatedAt)); err != nil {
		return wrap("insert permission", err)
	}
	return nil
}

// PermissionByID returns one permission; on a Store bound to a transaction
// the row stays locked.
func (s *Store) PermissionByID(ctx context.Context, id string) (*chat.Permission, error) {
	var p *chat.Permission
	err := s.with(ctx, func(c conn) (err error) {
		p, err = scanPermission(c.QueryRow(ctx, `SELECT `+permissionColumns+` FROM permissions WHERE id = $1`+s.lock(""), id))
		return err
	})
	if err != nil {
		return nil, notFound(err, "permission", "permission by id")
	}
	return p, nil
}

// Permissions returns the permissions changed after since (all when zero),
// by Position then id.
func (s *Store) Permissions(ctx context.Context, since time.Time) ([]chat.Permission, error) {
	w := &where{}
	w.since("updated_at", since)
	var out []chat.Permission
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT `+permissionColumns+` FROM permissions`+w.String()+` ORDER BY position, id`, w.args...)
		out, err = collect(rows, err, scanPermission)
		return err
	})
	if err != nil {
		return nil, wrap("permissions", err)
	}
	return out, nil
}

const roleColumns = `id, name, description, scope, protected, updated_at`

func scanRole(sc scanner) (*chat.Role, error) {
	var (
		r       chat.Role
		updated int64
	)
	if err := sc.Scan(&r.ID, &r.Name, &r.Description, &r.Scope, &r.Protected, &updated); err != nil {
		return nil, err
	}
	r.UpdatedAt = fromMS(updated)
	return &r, nil
}

// UpsertRole inserts or replaces a role.
func (s *Store) UpsertRole(ctx context.Context, r *chat.Role) error {
	if _, err := s.exec(ctx, `INSERT INTO roles (`+roleColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
		scope = excluded.scope, protected = excluded.protected, updated_at = excluded.updated_at`,
		r.ID, r.Name, r.Description, r.Scope, r.Protected, ms(r.UpdatedAt)); err != nil {
		return wrap("upsert role", err)
	}
	return nil
}

// Roles returns every role, by id.
func (s *Store) Roles(ctx context.Context) ([]chat.Role, error) {
	var out []chat.Role
	err := s.with(ctx, func(c conn) error {
		rows, err := c.Query(ctx, `SELECT `+roleColumns+` FROM roles ORDER BY id`)
		out, err = collect(rows, err, scanRole)
		return err
	})
	if err != nil {
		return nil, wrap("roles", err)
	}
	return out, nil
}

// RoleByID returns one role; on a Store bound to a transaction the row stays
// locked.
func (s *Store) RoleByID(ctx context.Context, id string) (*chat.Role, error) {
	var r *chat.Role
	err := s.with(ctx, func(c conn) (err error) {
		r, err = scanRole(c.QueryRow(ctx, `SELECT `+roleColumns+` FROM roles WHERE id = $1`+s.lock(""), id))
		return err
	})
	if err != nil {
		return nil, notFound(err, "role", "role by id")
	}
	return r, nil
}
