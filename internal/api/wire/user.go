package wire

import "github.com/liftoff-chat/liftoff/internal/chat"

// Email is an entry of a user's emails.
type Email struct {
	Address  string `json:"address"`
	Verified bool   `json:"verified"`
}

// User is Rocket.Chat's IUser as clients see it. Private fields are
// filled only for the user themselves and for those allowed to view full
// user information.
type User struct {
	ID               string         `json:"_id"`
	Username         string         `json:"username"`
	Name             string         `json:"name,omitempty"`
	Type             string         `json:"type"`
	Active           bool           `json:"active"`
	Status           string         `json:"status"`
	StatusConnection string         `json:"statusConnection,omitempty"`
	StatusText       string         `json:"statusText,omitempty"`
	UTCOffset        float64        `json:"utcOffset"`
	AvatarETag       string         `json:"avatarETag,omitempty"`
	Nickname         string         `json:"nickname,omitempty"`
	Bio              string         `json:"bio,omitempty"`
	Roles            []string       `json:"roles,omitempty"`
	Emails           []Email        `json:"emails,omitempty"`
	CreatedAt        *Date          `json:"createdAt,omitempty"`
	UpdatedAt        *Date          `json:"_updatedAt,omitempty"`
	LastLogin        *Date          `json:"lastLogin,omitempty"`
	Settings         *UserSettings  `json:"settings,omitempty"`
	CustomFields     map[string]any `json:"customFields,omitempty"`
	RequirePwChange  bool           `json:"requirePasswordChange,omitempty"`
	AvatarURL        string         `json:"avatarUrl,omitempty"`
}

// UserSettings holds a user's preferences.
type UserSettings struct {
	Preferences map[string]any `json:"preferences"`
}

// NewUser renders a user. full adds the private fields (emails, roles,
// dates, settings).
func NewUser(u *chat.User, f Format, full bool) *User {
	w := &User{
		ID:               u.ID,
		Username:         u.Username,
		Name:             u.Name,
		Type:             u.Type,
		Active:           u.Active,
		Status:           u.Status,
		StatusConnection: u.StatusConnection,
		StatusText:       u.StatusText,
		UTCOffset:        u.UTCOffset,
		AvatarETag:       u.AvatarETag,
		Nickname:         u.Nickname,
		Bio:              u.Bio,
		Roles:            u.Roles,
	}
	if w.Status == "" {
		w.Status = chat.StatusOffline
	}
	if !full {
		return w
	}
	for _, e := range u.Emails {
		w.Emails = append(w.Emails, Email(e))
	}
	w.CreatedAt = NewDate(u.CreatedAt, f)
	w.UpdatedAt = NewDate(u.UpdatedAt, f)
	w.LastLogin = NewDate(u.LastLogin, f)
	prefs := u.Preferences
	if prefs == nil {
		prefs = map[string]any{}
	}
	w.Settings = &UserSettings{Preferences: prefs}
	w.CustomFields = u.CustomFields
	w.RequirePwChange = u.RequirePasswordChange
	return w
}

// NewUsers renders a list of users.
func NewUsers(us []chat.User, f Format, full bool) []*User {
	out := make([]*User, len(us))
	for i := range us {
		out[i] = NewUser(&us[i], f, full)
	}
	return out
}
