package core

import (
	"context"
	"net/mail"
	"regexp"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// NewUser describes an account to create.
type NewUser struct {
	Username string
	Name     string
	Email    string
	Password string
	Type     string // user (default) or bot
	Roles    []string
	Active   *bool
	Verified bool

	RequirePasswordChange bool
	JoinDefaultChannels   bool
	CustomFields          map[string]any
	Bio                   string
	Nickname              string
	StatusText            string
	Preferences           map[string]any
	// SetRandomPassword gives the account a random password that must be
	// changed at first login (users.create's setRandomPassword).
	SetRandomPassword bool
}

// UserChange is the Data of an EventUserChanged event, in the shape the
// realtime hub reads (realtime.UserChange): renames (Rocket.Chat's
// Users:NameChanged) and deletions (Users:Deleted) go to TopicLogged;
// deletions and other changes of a user's own document go to the user's
// topic too, so that their connections can react (a deleted user's are
// closed).
type UserChange struct {
	ID            string `json:"_id"`
	Username      string `json:"username,omitempty"`
	Name          string `json:"name,omitempty"`
	AvatarETag    string `json:"avatarETag,omitempty"`
	NameChanged   bool   `json:"nameChanged,omitempty"`
	AvatarChanged bool   `json:"avatarChanged,omitempty"`
	Deleted       bool   `json:"deleted,omitempty"`
	// MessageErasureType is Users:Deleted's; Liftoff keeps a deleted
	// user's messages ("Keep").
	MessageErasureType string `json:"messageErasureType,omitempty"`
}

// usernamePattern returns the compiled UTF8_User_Names_Validation pattern.
func (s *Service) usernamePattern() *regexp.Regexp {
	pat := s.SettingString("UTF8_User_Names_Validation")
	if pat == "" {
		pat = `[0-9a-zA-Z-_.]+`
	}
	re, err := regexp.Compile("^(?:" + pat + ")$")
	if err != nil {
		return regexp.MustCompile(`^[0-9a-zA-Z-_.]+$`)
	}
	return re
}

// fieldRequired is Rocket.Chat's error for a missing account field.
func fieldRequired(field string) error {
	return &chat.Error{Kind: chat.EInvalid, Type: "error-the-field-is-required", Message: "The field " + field + " is required",
		Details: map[string]any{"method": "insertOrUpdateUser", "field": field}}
}

// validUsername checks a username's shape: the configured pattern, and
// not one of the words mentions reserve.
func (s *Service) validUsername(username string) error {
	if !s.usernamePattern().MatchString(username) || username == "all" || username == "here" {
		return &chat.Error{Kind: chat.EInvalid, Type: "error-input-is-not-a-valid-field", Message: username + " is not a valid username",
			Details: map[string]any{"method": "insertOrUpdateUser", "input": username, "field": "Username"}}
	}
	return nil
}

// usernameAvailable reports whether a username is free: not taken by
// another account (matched case-insensitively) and not blocked by
// Accounts_BlockedUsernameList.
func (s *Service) usernameAvailable(ctx context.Context, st chat.Store, username, exceptUserID string) (bool, error) {
	for _, b := range settingList(s.SettingString("Accounts_BlockedUsernameList")) {
		if strings.EqualFold(b, username) {
			return false, nil
		}
	}
	u, err := st.UserByUsername(ctx, username)
	switch {
	case chat.IsKind(err, chat.ENotFound):
		return true, nil
	case err != nil:
		return false, err
	}
	return u.ID == exceptUserID, nil
}

// errFieldUnavailable is Rocket.Chat's "already in use" error.
func errFieldUnavailable(value string) error {
	return &chat.Error{Kind: chat.EConflict, Type: "error-field-unavailable", Message: value + " is already in use :(",
		Details: map[string]any{"method": "insertOrUpdateUser", "field": value}}
}

// validEmail normalises and checks an address: its shape, the domain
// allow and block lists, and that no other account uses it.
func (s *Service) validEmail(ctx context.Context, st chat.Store, email, exceptUserID string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email, "@") {
		return "", chat.Errorf(chat.EInvalid, "error-invalid-email", "Invalid email %s", email)
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	if allowed := settingList(s.SettingString("Accounts_AllowedDomainsList")); len(allowed) > 0 && !listHasFold(allowed, domain) {
		return "", chat.Errorf(chat.EInvalid, "error-invalid-domain", "The email domain is not allowed")
	}
	if listHasFold(settingList(s.SettingString("Accounts_BlockedDomainsList")), domain) {
		return "", chat.Errorf(chat.EInvalid, "error-email-domain-blacklisted", "The email domain is blacklisted")
	}
	u, err := st.UserByEmail(ctx, email)
	switch {
	case chat.IsKind(err, chat.ENotFound):
	case err != nil:
		return "", err
	case u.ID != exceptUserID:
		return "", errFieldUnavailable(email)
	}
	return email, nil
}

// settingList splits a comma-separated setting into trimmed items.
func settingList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func listHasFold(xs []string, v string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// validateNewUser checks the fields Rocket.Chat checks, in its order.
func (s *Service) validateNewUser(ctx context.Context, nu *NewUser) error {
	nu.Username = strings.TrimSpace(nu.Username)
	nu.Email = strings.TrimSpace(strings.ToLower(nu.Email))
	nu.Name = strings.TrimSpace(nu.Name)
	if nu.Username == "" {
		return fieldRequired("Username")
	}
	if err := s.validUsername(nu.Username); err != nil {
		return err
	}
	ok, err := s.usernameAvailable(ctx, s.store, nu.Username, "")
	if err != nil {
		return err
	}
	if !ok {
		return errFieldUnavailable(nu.Username)
	}
	if nu.Email != "" {
		email, err := s.validEmail(ctx, s.store, nu.Email, "")
		if err != nil {
			return err
		}
		nu.Email = email
	}
	return nil
}

// createUser stores a validated account and, when asked, subscribes it to
// the default channels with a join message in each. As in Rocket.Chat, the
// first person to get an account while no person holds the admin role
// becomes an administrator, so that a server started without ADMIN_*
// variables can still be administered.
func (s *Service) createUser(ctx context.Context, nu NewUser) (*chat.User, error) {
	if err := s.validateNewUser(ctx, &nu); err != nil {
		return nil, err
	}
	now := s.now()
	u := &chat.User{
		ID:                    chat.NewID(),
		Username:              nu.Username,
		Name:                  nu.Name,
		Type:                  nu.Type,
		Active:                nu.Active == nil || *nu.Active,
		Roles:                 append([]string(nil), nu.Roles...),
		Status:                chat.StatusOffline,
		StatusDefault:         chat.StatusOnline,
		StatusConnection:      chat.StatusOffline,
		StatusText:            clipRunes(strings.TrimSpace(nu.StatusText), maxStatusText),
		RequirePasswordChange: nu.RequirePasswordChange,
		CustomFields:          nu.CustomFields,
		Bio:                   strings.TrimSpace(nu.Bio),
		Nickname:              strings.TrimSpace(nu.Nickname),
		Preferences:           nu.Preferences,
		CreatedAt:             now,
		UpdatedAt:             now,
	}
	if u.Name == "" {
		u.Name = u.Username
	}
	if u.Type == "" {
		u.Type = chat.UserTypeUser
	}
	if len(u.Roles) == 0 {
		u.Roles = []string{"user"}
	}
	if nu.Email != "" {
		u.Emails = []chat.Email{{Address: nu.Email, Verified: nu.Verified}}
	}
	if nu.Password != "" {
		h, err := HashPassword(nu.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if u.Type == chat.UserTypeUser && !u.HasRole("admin") {
			admins, err := tx.CountUsers(ctx, chat.UserFilter{Role: "admin", Types: []string{chat.UserTypeUser}})
			if err != nil {
				return err
			}
			if admins == 0 {
				u.Roles = append(u.Roles, "admin")
				u.Active = true // an inactive first admin would lock everyone out
			}
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			if chat.IsKind(err, chat.EConflict) {
				return errFieldUnavailable(u.Username)
			}
			return err
		}
		s.userCreated(ctx, o, u)
		if !nu.JoinDefaultChannels {
			return nil
		}
		rooms, _, err := tx.ListRooms(ctx, chat.RoomFilter{Default: boolPtr(true)})
		if err != nil {
			return err
		}
		for i := range rooms {
			r := &rooms[i]
			if _, err := s.subscribe(ctx, tx, o, r, u, nil, true); err != nil {
				if chat.IsKind(err, chat.EConflict) {
					continue
				}
				return err
			}
			if err := s.systemMessage(ctx, tx, o, r, chat.MsgUserJoined, u.Username, u, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("user created", "user_id", u.ID, "username", u.Username)
	return u, nil
}

// renameUser changes a user's username and display name inside tx and
// carries the change to what copies them: the user's memberships, the
// direct-message rooms they are in and the other member's subscription to
// each. Messages keep the name they were sent under, as Rocket.Chat's
// clients resolve authors by id.
func (s *Service) renameUser(ctx context.Context, tx chat.Store, o *outbox, u *chat.User, username, name string) error {
	oldUsername := u.Username
	u.Username, u.Name = username, name
	at := s.now()
	if err := tx.RenameUserInSubscriptions(ctx, u.ID, u.Username, u.Name, at); err != nil {
		return err
	}
	dms, err := tx.SubscriptionsOfUser(ctx, u.ID, chat.SubscriptionFilter{Types: []chat.RoomType{chat.RoomDirect}})
	if err != nil {
		return err
	}
	for _, dm := range dms {
		r, err := tx.RoomByID(ctx, dm.RoomID)
		if chat.IsKind(err, chat.ENotFound) {
			continue
		}
		if err != nil {
			return err
		}
		for i, uid := range r.UIDs {
			if uid == u.ID && i < len(r.Usernames) {
				r.Usernames[i] = u.Username
			}
		}
		if err := s.roomChanged(ctx, tx, o, r); err != nil {
			return err
		}
		for _, uid := range r.UIDs {
			if uid == u.ID {
				continue
			}
			sub, err := s.subscription(ctx, tx, r.ID, uid)
			if err != nil {
				return err
			}
			if sub == nil || sub.Name != oldUsername {
				continue
			}
			sub.Name, sub.FName, sub.UpdatedAt = u.Username, u.Name, at
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
			o.addData(chat.UserTopic(uid), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: uid, At: at}, sub)
		}
	}
	o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventUserChanged, UserID: u.ID, At: at},
		UserChange{ID: u.ID, Username: u.Username, Name: u.Name, NameChanged: true})
	return nil
}

// UsernameSuggestion proposes a free username for the actor, the way
// Rocket.Chat's getUsernameSuggestion does: from the name, then the email
// address, then Accounts_DefaultUsernamePrefixSuggestion with a number.
func (s *Service) UsernameSuggestion(ctx context.Context, actor *chat.User) (string, error) {
	if actor == nil {
		return "", errLoginRequired()
	}
	var candidates []string
	if actor.Name != "" {
		candidates = append(candidates, slugUsername(actor.Name), slugUsername(strings.ReplaceAll(actor.Name, " ", ".")))
	}
	if e := actor.PrimaryEmail(); e != "" {
		candidates = append(candidates, slugUsername(e[:strings.IndexByte(e, '@')]))
	}
	for _, c := range candidates {
		if c == "" || s.validUsername(c) != nil {
			continue
		}
		ok, err := s.usernameAvailable(ctx, s.store, c, actor.ID)
		if err != nil {
			return "", err
		}
		if ok {
			return c, nil
		}
	}
	prefix := s.SettingString("Accounts_DefaultUsernamePrefixSuggestion")
	if prefix == "" {
		prefix = "user"
	}
	base := prefix
	if len(candidates) > 0 && candidates[0] != "" {
		base = candidates[0]
	}
	for i := 0; i < 20; i++ {
		c := base + "-" + strings.ToLower(chat.RandomString(4))
		if s.validUsername(c) != nil {
			c = prefix + "-" + strings.ToLower(chat.RandomString(4))
		}
		ok, err := s.usernameAvailable(ctx, s.store, c, actor.ID)
		if err != nil {
			return "", err
		}
		if ok {
			return c, nil
		}
	}
	return prefix + "-" + strings.ToLower(chat.RandomString(8)), nil
}

// slugUsername keeps the characters usernames allow by default, lower
// case.
func slugUsername(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('.')
		}
	}
	return strings.Trim(b.String(), ".-_")
}

// clipRunes cuts s to at most n characters.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// UserInfo is what users.info returns: the user, whether the caller may
// see their private fields (themselves, or view-full-other-user-info), and
// with includeRooms their memberships when the caller may see them.
type UserInfo struct {
	User  *chat.User
	Full  bool
	Self  bool
	Rooms []chat.Subscription // nil unless asked for and allowed
}

// GetUserInfo looks a user up by id or by username (exactly one is used,
// the id first) for users.info.
func (s *Service) GetUserInfo(ctx context.Context, actor *chat.User, userID, username string, includeRooms bool) (*UserInfo, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	var u *chat.User
	var err error
	switch {
	case userID != "":
		u, err = s.store.UserByID(ctx, userID)
	case username != "":
		u, err = s.store.UserByUsername(ctx, username)
	default:
		return nil, chat.ErrInvalidParam("must have required property 'userId'")
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: "User not found."}
	}
	if err != nil {
		return nil, err
	}
	info := &UserInfo{User: u, Self: u.ID == actor.ID}
	info.Full = info.Self || s.Can(ctx, actor, "view-full-other-user-info", "")
	if includeRooms && (info.Self || s.Can(ctx, actor, "view-other-user-channels", "")) {
		if info.Rooms, err = s.store.SubscriptionsOfUser(ctx, u.ID, chat.SubscriptionFilter{}); err != nil {
			return nil, err
		}
		if info.Rooms == nil {
			info.Rooms = []chat.Subscription{}
		}
	}
	return info, nil
}

// ListUsers implements users.list: it needs view-d-room (and
// view-outside-room when API_Apply_permission_view-outside-room_on_users-list
// is on). full reports whether the caller may see private fields such as
// addresses (view-full-other-user-info or view-user-administration);
// without it, a text filter matches names only, never addresses.
func (s *Service) ListUsers(ctx context.Context, actor *chat.User, f chat.UserFilter) (users []chat.User, total int, full bool, err error) {
	if actor == nil {
		return nil, 0, false, errLoginRequired()
	}
	if !s.Can(ctx, actor, "view-d-room", "") {
		return nil, 0, false, errAPIUnauthorized()
	}
	if s.SettingBool("API_Apply_permission_view-outside-room_on_users-list") && !s.Can(ctx, actor, "view-outside-room", "") {
		return nil, 0, false, errAPIUnauthorized()
	}
	full = s.Can(ctx, actor, "view-full-other-user-info", "") || s.Can(ctx, actor, "view-user-administration", "")
	if f.Text != "" && !full && strings.Contains(f.Text, "@") {
		return []chat.User{}, 0, full, nil // the store's text search covers addresses
	}
	users, total, err = s.store.ListUsers(ctx, f)
	if err != nil {
		return nil, 0, false, err
	}
	return users, total, full, nil
}
