package chat

import "time"

// Setting is one of Rocket.Chat's administration settings.
type Setting struct {
	ID           string
	Type         string // boolean, string, int, select, code, ...
	Value        any
	PackageValue any // the default
	Public       bool
	Hidden       bool
	Group        string
	Section      string
	Values       []SettingOption // for selects
	I18nLabel    string
	// EnvLocked is set when OVERWRITE_SETTING_<id> forces the value.
	EnvLocked bool
	Order     int
	UpdatedAt time.Time
}

// SettingOption is one choice of a select setting.
type SettingOption struct {
	Key       string
	I18nLabel string
}

// Permission grants an action to roles.
type Permission struct {
	ID        string
	Roles     []string
	Group     string // "permissions" or setting-permission groups
	Position  int    // order in permissions.listAll
	UpdatedAt time.Time
}

// Role is a global ("Users") or per-room ("Subscriptions") role.
type Role struct {
	ID          string
	Name        string
	Description string
	Scope       string // "Users" or "Subscriptions"
	Protected   bool
	UpdatedAt   time.Time
}
