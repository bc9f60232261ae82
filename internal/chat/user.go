package chat

import "time"

// User types, as in Rocket.Chat's IUser.type.
const (
	UserTypeUser = "user"
	UserTypeBot  = "bot"
	UserTypeApp  = "app"
)

// Presence statuses. The numeric codes are Rocket.Chat's, used on
// stream-notify-logged.
const (
	StatusOffline = "offline"
	StatusOnline  = "online"
	StatusAway    = "away"
	StatusBusy    = "busy"
)

// StatusCode returns Rocket.Chat's numeric presence code for a status.
func StatusCode(status string) int {
	switch status {
	case StatusOnline:
		return 1
	case StatusAway:
		return 2
	case StatusBusy:
		return 3
	}
	return 0
}

// ValidStatus reports whether s is a status a user may choose.
func ValidStatus(s string) bool {
	return s == StatusOnline || s == StatusAway || s == StatusBusy || s == StatusOffline
}

// UserRef is the light reference to a user embedded in other documents
// (Rocket.Chat's `u`).
type UserRef struct {
	ID       string
	Username string
	Name     string
}

// Email is one of a user's addresses.
type Email struct {
	Address  string
	Verified bool
}

// User is an account: a person, a bot or an app.
type User struct {
	ID       string
	Username string
	Name     string
	Type     string
	Active   bool
	Roles    []string
	Emails   []Email

	// PasswordHash is bcrypt over the lowercase hex SHA-256 of the password,
	// as Meteor stores it. Empty when the user has no password.
	PasswordHash          string
	RequirePasswordChange bool

	// Status is the effective presence shown to others; StatusDefault is the
	// one the user chose; StatusConnection comes from live connections.
	Status           string
	StatusDefault    string
	StatusConnection string
	StatusText       string

	UTCOffset    float64
	AvatarETag   string
	Bio          string
	Nickname     string
	Preferences  map[string]any
	CustomFields map[string]any

	CreatedAt time.Time
	UpdatedAt time.Time
	LastLogin time.Time
}

// Ref returns the user's light reference.
func (u *User) Ref() UserRef { return UserRef{ID: u.ID, Username: u.Username, Name: u.Name} }

// HasRole reports whether the user holds a global role.
func (u *User) HasRole(role string) bool {
	for _, r := range u.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// PrimaryEmail returns the user's first address, or "".
func (u *User) PrimaryEmail() string {
	if len(u.Emails) == 0 {
		return ""
	}
	return u.Emails[0].Address
}

// Token kinds.
const (
	TokenLogin    = "login"
	TokenPersonal = "personalAccessToken"
)

// Token is a login or personal access token. Only its hash is stored:
// base64(SHA-256(token)), as Rocket.Chat stores it.
type Token struct {
	Hash      string
	UserID    string
	Kind      string
	Name      string // personal access tokens only
	LastPart  string // last characters of the plaintext, to tell tokens apart
	Bypass2FA bool
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never
}

// UserFilter selects users for listings.
type UserFilter struct {
	Text     string // matches username, name or email, case-insensitively
	IDs      []string
	Role     string
	Types    []string
	Active   *bool
	Statuses []string
	Offset   int
	Limit    int // 0: no limit
	Sort     []SortField
}

// SortField orders a listing by one field.
type SortField struct {
	Field string
	Desc  bool
}
