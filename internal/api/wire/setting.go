package wire

import "github.com/liftoff-chat/liftoff/internal/chat"

// Setting is Rocket.Chat's ISetting as settings.public and the admin
// endpoints return it.
type Setting struct {
	ID           string          `json:"_id"`
	Value        any             `json:"value"`
	Type         string          `json:"type,omitempty"`
	PackageValue any             `json:"packageValue,omitempty"`
	Public       bool            `json:"public"`
	Hidden       bool            `json:"hidden,omitempty"`
	Group        string          `json:"group,omitempty"`
	Section      string          `json:"section,omitempty"`
	Values       []SettingOption `json:"values,omitempty"`
	I18nLabel    string          `json:"i18nLabel,omitempty"`
	Blocked      bool            `json:"blocked,omitempty"`
	EnvLocked    bool            `json:"env,omitempty"`
	Sorter       int             `json:"sorter"`
	UpdatedAt    *Date           `json:"_updatedAt,omitempty"`
}

// SettingOption is a select's choice.
type SettingOption struct {
	Key       string `json:"key"`
	I18nLabel string `json:"i18nLabel"`
}

// NewSetting renders a setting.
func NewSetting(s *chat.Setting, f Format) *Setting {
	w := &Setting{
		ID: s.ID, Value: s.Value, Type: s.Type, PackageValue: s.PackageValue, Public: s.Public,
		Hidden: s.Hidden, Group: s.Group, Section: s.Section, I18nLabel: s.I18nLabel,
		Blocked: s.EnvLocked, EnvLocked: s.EnvLocked, Sorter: s.Order, UpdatedAt: NewDate(s.UpdatedAt, f),
	}
	for _, o := range s.Values {
		w.Values = append(w.Values, SettingOption(o))
	}
	return w
}

// PublicSetting is the short form of settings.public entries.
type PublicSetting struct {
	ID    string `json:"_id"`
	Value any    `json:"value"`
}

// Permission is Rocket.Chat's IPermission.
type Permission struct {
	ID        string   `json:"_id"`
	Roles     []string `json:"roles"`
	Group     string   `json:"group,omitempty"`
	UpdatedAt Date     `json:"_updatedAt"`
}

// NewPermissions renders permissions.
func NewPermissions(ps []chat.Permission, f Format) []Permission {
	out := make([]Permission, len(ps))
	for i, p := range ps {
		roles := p.Roles
		if roles == nil {
			roles = []string{}
		}
		out[i] = Permission{ID: p.ID, Roles: roles, Group: p.Group, UpdatedAt: Date{p.UpdatedAt, f}}
	}
	return out
}

// Role is Rocket.Chat's IRole.
type Role struct {
	ID          string `json:"_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Scope       string `json:"scope"`
	Protected   bool   `json:"protected"`
	Mandatory2F bool   `json:"mandatory2fa"`
	UpdatedAt   *Date  `json:"_updatedAt,omitempty"`
}

// NewRoles renders roles.
func NewRoles(rs []chat.Role, f Format) []Role {
	out := make([]Role, len(rs))
	for i, r := range rs {
		out[i] = Role{ID: r.ID, Name: r.Name, Description: r.Description, Scope: r.Scope, Protected: r.Protected, UpdatedAt: NewDate(r.UpdatedAt, f)}
	}
	return out
}
