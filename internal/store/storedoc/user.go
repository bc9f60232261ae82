package storedoc

import "github.com/liftoff-chat/liftoff/internal/chat"

// Email is one of a user's addresses.
type Email struct {
	Address  string `json:"address"`
	Verified bool   `json:"verified,omitempty"`
}

// User holds the user fields that have no column.
type User struct {
	Emails                []Email        `json:"emails,omitempty"`
	PasswordHash          string         `json:"password,omitempty"`
	RequirePasswordChange bool           `json:"requirePasswordChange,omitempty"`
	UTCOffset             float64        `json:"utcOffset,omitempty"`
	AvatarETag            string         `json:"avatarETag,omitempty"`
	Bio                   string         `json:"bio,omitempty"`
	Nickname              string         `json:"nickname,omitempty"`
	Preferences           map[string]any `json:"preferences,omitempty"`
	CustomFields          map[string]any `json:"customFields,omitempty"`
}

// NewUser returns the document of u.
func NewUser(u *chat.User) User {
	d := User{
		PasswordHash: u.PasswordHash, RequirePasswordChange: u.RequirePasswordChange,
		UTCOffset: u.UTCOffset, AvatarETag: u.AvatarETag, Bio: u.Bio, Nickname: u.Nickname,
		Preferences: u.Preferences, CustomFields: u.CustomFields,
	}
	for _, e := range u.Emails {
		d.Emails = append(d.Emails, Email(e))
	}
	return d
}

// Apply copies the document's fields into u.
func (d *User) Apply(u *chat.User) {
	u.Emails = nil
	for _, e := range d.Emails {
		u.Emails = append(u.Emails, chat.Email(e))
	}
	u.PasswordHash, u.RequirePasswordChange = d.PasswordHash, d.RequirePasswordChange
	u.UTCOffset, u.AvatarETag, u.Bio, u.Nickname = d.UTCOffset, d.AvatarETag, d.Bio, d.Nickname
	u.Preferences, u.CustomFields = d.Preferences, d.CustomFields
}

// UserSearch returns the text of a user's search column, which user
// searches look in: the username, the name and every address, folded.
func UserSearch(u *chat.User) string {
	fields := []string{u.Username, u.Name}
	for _, e := range u.Emails {
		fields = append(fields, e.Address)
	}
	return searchText(fields...)
}
