package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

// encodeValue encodes a setting value for its TEXT column.
func encodeValue(v any) (string, error) {
	b, err := storedoc.EncodeSettingValue(v)
	return string(b), err
}

const settingColumns = `id, value, env_locked, ord, updated_at, doc`

func scanSetting(sc scanner) (*chat.Setting, error) {
	var (
		st         chat.Setting
		value, doc string
		updated    int64
	)
	if err := sc.Scan(&st.ID, &value, &st.EnvLocked, &st.Order, &updated, &doc); err != nil {
		return nil, err
	}
	st.UpdatedAt = fromMS(updated)
	var err error
	if st.Value, err = storedoc.DecodeSettingValue([]byte(value)); err != nil {
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

// UpsertSetting inserts a setting, or updates everything but its value when
// it exists, so that refreshing defaults at start keeps what an admin chose.
func (s *Store) UpsertSetting(ctx context.Context, st *chat.Setting) error {
	value, err := encodeValue(st.Value)
	if err != nil {
		return err
	}
	d, err := storedoc.NewSetting(st)
	if err != nil {
		return err
	}
	doc, err := jsonText(d)
	if err != nil {
		return fmt.Errorf("upsert setting: %w", err)
	}
	if _, err := s.exec(ctx, `INSERT INTO settings (`+settingColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET env_locked = excluded.env_locked, ord = excluded.ord,
		updated_at = excluded.updated_at, doc = excluded.doc`,
		st.ID, value, st.EnvLocked, st.Order, ms(st.UpdatedAt), doc); err != nil {
		return fmt.Errorf("upsert setting: %w", err)
	}
	return nil
}

// SetSettingValue changes one setting's value and lock; an unknown id is
// ENotFound.
func (s *Store) SetSettingValue(ctx context.Context, id string, value any, envLocked bool, at time.Time) error {
	v, err := encodeValue(value)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE settings SET value = ?, env_locked = ?, updated_at = ? WHERE id = ?`,
		v, envLocked, ms(at), id)
	if err != nil {
		return fmt.Errorf("set setting value: %w", err)
	}
	return mustAffect(res, "setting")
}

// SettingByID returns one setting.
func (s *Store) SettingByID(ctx context.Context, id string) (*chat.Setting, error) {
	st, err := scanSetting(s.rd().QueryRowContext(ctx, `SELECT `+settingColumns+` FROM settings WHERE id = ?`, id))
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
	rows, err := s.rd().QueryContext(ctx, `SELECT `+settingColumns+` FROM settings`+w.String()+` ORDER BY ord, id`, w.args...)
	out, err := collect(rows, err, scanSetting)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return out, nil
}

const permissionColumns = `id, roles, grp, position, updated_at`

func scanPermission(sc scanner) (*chat.Permission, error) {
	var (
		p       chat.Permission
		roles   string
		updated int64
	)
	if err := sc.Scan(&p.ID, &roles, &p.Group, &p.Position, &updated); err != nil {
		return nil, err
	}
	p.UpdatedAt = fromMS(updated)
	return &p, fromJSON(roles, &p.Roles)
}

// UpsertPermission inserts or replaces a permission.
func (s *Store) UpsertPermission(ctx context.Context, p *chat.Permission) error {
	if _, err := s.exec(ctx, `INSERT INTO permissions (`+permissionColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, grp = excluded.grp, position = excluded.position,
		updated_at = excluded.updated_at`,
		p.ID, stringsText(p.Roles), p.Group, p.Position, ms(p.UpdatedAt)); err != nil {
		return fmt.Errorf("upsert permission: %w", err)
	}
	return nil
}

// InsertPermissionIfMissing adds p only when its id is unknown, so that an
// admin's grants survive restarts.
func (s *Store) InsertPermissionIfMissing(ctx context.Context, p *chat.Permission) error {
	if _, err := s.exec(ctx, `INSERT INTO permissions (`+permissionColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`,
		p.ID, stringsText(p.Roles), p.Group, p.Position, ms(p.UpdatedAt)); err != nil {
		return fmt.Errorf("insert permission: %w", err)
	}
	return nil
}

// PermissionByID returns one permission.
func (s *Store) PermissionByID(ctx context.Context, id string) (*chat.Permission, error) {
	p, err := scanPermission(s.rd().QueryRowContext(ctx, `SELECT `+permissionColumns+` FROM permissions WHERE id = ?`, id))
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
	rows, err := s.rd().QueryContext(ctx, `SELECT `+permissionColumns+` FROM permissions`+w.String()+` ORDER BY position, id`, w.args...)
	out, err := collect(rows, err, scanPermission)
	if err != nil {
		return nil, fmt.Errorf("permissions: %w", err)
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
	if _, err := s.exec(ctx, `INSERT INTO roles (`+roleColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
		scope = excluded.scope, protected = excluded.protected, updated_at = excluded.updated_at`,
		r.ID, r.Name, r.Description, r.Scope, r.Protected, ms(r.UpdatedAt)); err != nil {
		return fmt.Errorf("upsert role: %w", err)
	}
	return nil
}

// Roles returns every role, by id.
func (s *Store) Roles(ctx context.Context) ([]chat.Role, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+roleColumns+` FROM roles ORDER BY id`)
	out, err := collect(rows, err, scanRole)
	if err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	return out, nil
}

// RoleByID returns one role.
func (s *Store) RoleByID(ctx context.Context, id string) (*chat.Role, error) {
	r, err := scanRole(s.rd().QueryRowContext(ctx, `SELECT `+roleColumns+` FROM roles WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "role", "role by id")
	}
	return r, nil
}
