package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Profile field limits, as in Rocket.Chat.
const (
	maxBio      = 260
	maxNickname = 120
)

// actionNotAllowed is Rocket.Chat's refusal from insertOrUpdateUser: a
// Meteor.Error, which REST answers with 400 and errorType
// error-action-not-allowed.
func actionNotAllowed(msg, action string) error {
	return &chat.Error{Kind: chat.EInvalid, Type: "error-action-not-allowed", Message: msg,
		Details: map[string]any{"method": "insertOrUpdateUser", "action": action}}
}

// Registration is a users.register request.
type Registration struct {
	Username string
	Email    string
	Password string
	Name     string
	Secret   string // the secret URL's token when registration needs one
}

// Register implements users.register: self-service sign-up, subject to
// Accounts_RegistrationForm ("Public", "Disabled" or "Secret URL").
// Registered users get the roles of Accounts_Registration_Users_Default_Roles
// and join the default channels.
func (s *Service) Register(ctx context.Context, actor *chat.User, reg Registration) (*chat.User, error) {
	if actor != nil {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: "Logged in users can not register again."}
	}
	reg.Username, reg.Email, reg.Name = strings.TrimSpace(reg.Username), strings.TrimSpace(reg.Email), strings.TrimSpace(reg.Name)
	for _, f := range []struct{ name, v string }{{"username", reg.Username}, {"email", reg.Email}, {"pass", reg.Password}} {
		if f.v == "" {
			return nil, chat.ErrInvalidParam("must have required property '%s'", f.name)
		}
	}
	ok, err := s.usernameAvailable(ctx, s.store, reg.Username, "")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: "Username is already in use"}
	}
	details := map[string]any{"method": "registerUser"}
	switch s.SettingString("Accounts_RegistrationForm") {
	case "Disabled":
		return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-user-registration-disabled", Message: "User registration is disabled", Details: details}
	case "Secret URL":
		secret := s.SettingString("Accounts_RegistrationForm_SecretURL")
		if reg.Secret == "" || secret == "" || reg.Secret != secret {
			return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-user-registration-secret", Message: "User registration is only allowed via Secret URL", Details: details}
		}
	}
	if err := s.validatePassword(reg.Password); err != nil {
		return nil, err
	}
	if reg.Name == "" && s.SettingBool("Accounts_RequireNameForSignUp") {
		return nil, fieldRequired("Name")
	}
	roles := settingList(s.SettingString("Accounts_Registration_Users_Default_Roles"))
	if len(roles) == 0 {
		roles = []string{"user"}
	}
	active := !s.SettingBool("Accounts_ManuallyApproveNewUsers")
	return s.createUser(ctx, NewUser{
		Username: reg.Username, Email: reg.Email, Password: reg.Password, Name: reg.Name,
		Roles: roles, Active: &active, JoinDefaultChannels: true,
	})
}

// CreateUser implements users.create: an account made by someone holding
// create-user, checked the way Rocket.Chat's insertOrUpdateUser checks it.
func (s *Service) CreateUser(ctx context.Context, actor *chat.User, nu NewUser) (*chat.User, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if !s.Can(ctx, actor, "create-user", "") {
		return nil, actionNotAllowed("Adding user is not allowed", "Adding_user")
	}
	if err := s.checkRoleIDs(ctx, actor, nu.Roles); err != nil {
		return nil, err
	}
	if strings.TrimSpace(nu.Name) == "" && s.SettingBool("Accounts_RequireNameForSignUp") {
		return nil, fieldRequired("Name")
	}
	if nu.SetRandomPassword {
		nu.Password, nu.RequirePasswordChange = chat.RandomString(24), true
	}
	if nu.Password == "" {
		return nil, fieldRequired("Password")
	}
	if err := s.validatePassword(nu.Password); err != nil {
		return nil, err
	}
	if nu.Type == "" && contains(nu.Roles, "bot") {
		nu.Type = chat.UserTypeBot
	}
	return s.createUser(ctx, nu)
}

// checkRoleIDs refuses unknown roles, and the admin role to those who may
// not assign it.
func (s *Service) checkRoleIDs(ctx context.Context, actor *chat.User, roles []string) error {
	if len(roles) == 0 {
		return nil
	}
	all, err := s.store.Roles(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, r := range all {
		known[r.ID] = true
	}
	for _, r := range roles {
		if !known[r] {
			return actionNotAllowed("The field Roles consist invalid role id", "Assign_role")
		}
	}
	if contains(roles, "admin") && !s.Can(ctx, actor, "assign-admin-role", "") {
		return actionNotAllowed("Assigning admin is not allowed", "Assign_admin")
	}
	return nil
}

// UserUpdate is a users.update request; nil fields are left as they are.
type UserUpdate struct {
	Email, Name, Password, Username, Bio, Nickname, StatusText *string

	Active                *bool
	Verified              *bool
	RequirePasswordChange *bool
	Roles                 []string // nil: unchanged
	CustomFields          map[string]any
	Preferences           map[string]any // settings.preferences: replaces
	Language              *string
}

// UpdateUser implements users.update, with Rocket.Chat's checks in its
// order: editing others needs edit-other-user-info, changing roles
// assign-roles (and assign-admin-role for admin), a password
// edit-other-user-password, the active flag edit-other-user-active-status;
// the Accounts_Allow*Change settings bind users editing themselves.
// Everything is written in one transaction.
func (s *Service) UpdateUser(ctx context.Context, actor *chat.User, userID string, up UserUpdate) (*chat.User, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	self := userID == actor.ID
	if up.Verified != nil && *up.Verified && self {
		return nil, actionNotAllowed("Editing email verification is not allowed", "Editing_user")
	}
	editOther := s.Can(ctx, actor, "edit-other-user-info", "")
	if !self && !editOther {
		return nil, actionNotAllowed("Editing user is not allowed", "Editing_user")
	}
	if err := s.checkRoleIDs(ctx, actor, up.Roles); err != nil {
		return nil, err
	}
	if up.Username != nil {
		*up.Username = strings.TrimSpace(*up.Username)
		if err := s.validUsername(*up.Username); err != nil {
			return nil, err
		}
	}
	u, err := s.store.UserByID(ctx, userID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errUserInvalid()
	}
	if err != nil {
		return nil, err
	}
	editOtherPassword := s.Can(ctx, actor, "edit-other-user-password", "")
	if err := s.checkEditing(ctx, actor, u, up, self, editOther, editOtherPassword); err != nil {
		return nil, err
	}
	if up.Active != nil && *up.Active != u.Active {
		if err := s.checkActiveChange(ctx, actor, u, *up.Active); err != nil {
			return nil, err
		}
	}
	var email, hash string
	if up.Email != nil && strings.TrimSpace(*up.Email) != "" {
		if email, err = s.validEmail(ctx, s.store, *up.Email, u.ID); err != nil {
			return nil, err
		}
	}
	// Rocket.Chat sets a password through users.update only for callers
	// holding edit-other-user-password, themselves included; others'
	// passwords are silently kept.
	if up.Password != nil && strings.TrimSpace(*up.Password) != "" && editOtherPassword {
		if err := s.validatePassword(*up.Password); err != nil {
			return nil, err
		}
		if hash, err = HashPassword(strings.TrimSpace(*up.Password)); err != nil {
			return nil, err
		}
	}
	if err := checkProfileText(up.Bio, up.Nickname); err != nil {
		return nil, err
	}
	var out *chat.User
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if err := s.applyIdentity(ctx, tx, o, u, up.Username, up.Name); err != nil {
			return err
		}
		if up.StatusText != nil {
			u.StatusText = clipRunes(strings.TrimSpace(*up.StatusText), maxStatusText)
		}
		if email != "" {
			setPrimaryEmail(u, email, up.Verified != nil && *up.Verified)
		} else if up.Verified != nil && len(u.Emails) > 0 {
			u.Emails[0].Verified = *up.Verified
		}
		if hash != "" {
			u.PasswordHash = hash
			if !self { // a reset by an administrator ends the user's sessions
				if err := tx.DeleteUserTokens(ctx, u.ID, chat.TokenLogin); err != nil {
					return err
				}
			}
		}
		applyProfileText(u, up.Bio, up.Nickname)
		if up.Roles != nil {
			u.Roles = dedupRoles(up.Roles)
		}
		if up.Preferences != nil {
			u.Preferences = up.Preferences
		}
		if up.Language != nil {
			if u.Preferences == nil {
				u.Preferences = map[string]any{}
			}
			u.Preferences["language"] = *up.Language
		}
		if up.RequirePasswordChange != nil {
			u.RequirePasswordChange = *up.RequirePasswordChange
		}
		mergeCustomFields(u, up.CustomFields)
		if up.Active != nil && *up.Active != u.Active {
			u.Active = *up.Active
			if !u.Active {
				if err := tx.DeleteUserTokens(ctx, u.ID, chat.TokenLogin); err != nil {
					return err
				}
			}
		}
		u.UpdatedAt = s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		o.addData(chat.UserTopic(u.ID), chat.Event{Kind: chat.EventUserChanged, UserID: u.ID, At: u.UpdatedAt},
			UserChange{ID: u.ID, Username: u.Username, Name: u.Name})
		out = u
		return nil
	})
	return out, err
}

// checkEditing is Rocket.Chat's validateUserEditing: which fields the
// actor may change on u.
func (s *Service) checkEditing(ctx context.Context, actor, u *chat.User, up UserUpdate, self, editOther, editOtherPassword bool) error {
	notAllowed := func(msg string) error { return actionNotAllowed(msg, "Update_user") }
	if up.Roles != nil && !sameRoleSet(u.Roles, up.Roles) && !s.Can(ctx, actor, "assign-roles", "") {
		return actionNotAllowed("Assign roles is not allowed", "Assign_role")
	}
	if !s.SettingBool("Accounts_AllowUserProfileChange") && !editOther && !editOtherPassword {
		return notAllowed("Edit user profile is not allowed")
	}
	bound := !editOther || self // the Allow*Change settings apply
	changed := func(old string, v *string) bool { return v != nil && *v != old }
	if changed(u.Username, up.Username) && bound && !s.SettingBool("Accounts_AllowUsernameChange") {
		return notAllowed("Edit username is not allowed")
	}
	if changed(u.StatusText, up.StatusText) && bound && !s.SettingBool("Accounts_AllowUserStatusMessageChange") {
		return notAllowed("Edit user status is not allowed")
	}
	if changed(u.Name, up.Name) && bound && !s.SettingBool("Accounts_AllowRealNameChange") {
		return notAllowed("Edit user real name is not allowed")
	}
	if len(u.Emails) > 0 && changed(u.Emails[0].Address, up.Email) && bound && !s.SettingBool("Accounts_AllowEmailChange") {
		return notAllowed("Edit user email is not allowed")
	}
	if up.Password != nil && *up.Password != "" && (!editOtherPassword || self) && !s.SettingBool("Accounts_AllowPasswordChange") {
		return notAllowed("Edit user password is not allowed")
	}
	return nil
}

// checkActiveChange is Rocket.Chat's setUserActiveStatus check: it needs
// edit-other-user-active-status, and the last active administrator may not
// be deactivated.
func (s *Service) checkActiveChange(ctx context.Context, actor, u *chat.User, active bool) error {
	if !s.Can(ctx, actor, "edit-other-user-active-status", "") {
		return &chat.Error{Kind: chat.EInvalid, Type: "error-not-allowed", Message: "Not allowed", Details: map[string]any{"method": "setUserActiveStatus"}}
	}
	if !active && u.HasRole("admin") {
		yes := true
		n, err := s.store.CountUsers(ctx, chat.UserFilter{Role: "admin", Active: &yes})
		if err != nil {
			return err
		}
		if n <= 1 {
			return &chat.Error{Kind: chat.EInvalid, Type: "error-action-not-allowed", Message: "Leaving the app without an active admin is not allowed",
				Details: map[string]any{"method": "setUserActiveStatus", "action": "Remove_last_admin"}}
		}
	}
	return nil
}

// applyIdentity renames u when a new username or name is given, checking
// that a new username is free.
func (s *Service) applyIdentity(ctx context.Context, tx chat.Store, o *outbox, u *chat.User, username, name *string) error {
	newUsername, newName := u.Username, u.Name
	if username != nil && *username != "" {
		newUsername = *username
	}
	if name != nil && strings.TrimSpace(*name) != "" {
		newName = strings.TrimSpace(*name)
	}
	if newUsername == u.Username && newName == u.Name {
		return nil
	}
	if !strings.EqualFold(newUsername, u.Username) {
		ok, err := s.usernameAvailable(ctx, tx, newUsername, u.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errFieldUnavailable(newUsername)
		}
	}
	return s.renameUser(ctx, tx, o, u, newUsername, newName)
}

// checkProfileText enforces Rocket.Chat's bio and nickname limits.
func checkProfileText(bio, nickname *string) error {
	if bio != nil && len([]rune(*bio)) > maxBio {
		return chat.Errorf(chat.EInvalid, "error-bio-size-exceeded", "Bio size exceeds %d characters", maxBio)
	}
	if nickname != nil && len([]rune(*nickname)) > maxNickname {
		return chat.Errorf(chat.EInvalid, "error-nickname-size-exceeded", "Nickname size exceeds %d characters", maxNickname)
	}
	return nil
}

func applyProfileText(u *chat.User, bio, nickname *string) {
	if bio != nil {
		u.Bio = strings.TrimSpace(*bio)
	}
	if nickname != nil {
		u.Nickname = strings.TrimSpace(*nickname)
	}
}

// setPrimaryEmail replaces the user's first address.
func setPrimaryEmail(u *chat.User, email string, verified bool) {
	if len(u.Emails) > 0 && u.Emails[0].Address == email {
		u.Emails[0].Verified = u.Emails[0].Verified || verified
		return
	}
	e := chat.Email{Address: email, Verified: verified}
	if len(u.Emails) == 0 {
		u.Emails = []chat.Email{e}
		return
	}
	u.Emails[0] = e
}

func mergeCustomFields(u *chat.User, fields map[string]any) {
	if len(fields) == 0 {
		return
	}
	if u.CustomFields == nil {
		u.CustomFields = map[string]any{}
	}
	for k, v := range fields {
		u.CustomFields[k] = v
	}
}

// sameRoleSet reports whether two role lists hold the same roles.
func sameRoleSet(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !contains(a, x) {
			return false
		}
	}
	return true
}

// ProfileUpdate is a users.updateOwnBasicInfo request; nil fields are left
// as they are.
type ProfileUpdate struct {
	Email, Name, Username, Nickname, Bio, StatusText, StatusType *string
	// CurrentPassword (plain or SHA-256 hex) must accompany a new email
	// or password.
	CurrentPassword string
	NewPassword     string
	CustomFields    map[string]any
}

// UpdateOwnProfile implements users.updateOwnBasicInfo (Rocket.Chat's
// saveUserProfile). A new password ends the user's other sessions;
// currentToken is the session to keep.
func (s *Service) UpdateOwnProfile(ctx context.Context, actor *chat.User, currentToken string, up ProfileUpdate) (*chat.User, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if !s.SettingBool("Accounts_AllowUserProfileChange") {
		return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-not-allowed", Message: "Not allowed", Details: map[string]any{"method": "saveUserProfile"}}
	}
	u, err := s.store.UserByID(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if (up.Email != nil && *up.Email != "" && *up.Email != u.PrimaryEmail()) || up.NewPassword != "" {
		if err := requirePasswordCode(u, up.CurrentPassword); err != nil {
			return nil, err
		}
	}
	editing := UserUpdate{Email: up.Email, Username: up.Username, Name: up.Name, StatusText: up.StatusText}
	if up.NewPassword != "" {
		editing.Password = &up.NewPassword
	}
	editOther := s.Can(ctx, actor, "edit-other-user-info", "")
	if err := s.checkEditing(ctx, actor, u, editing, true, editOther, s.Can(ctx, actor, "edit-other-user-password", "")); err != nil {
		return nil, err
	}
	if up.Username != nil {
		*up.Username = strings.TrimSpace(*up.Username)
		if *up.Username != "" {
			if err := s.validUsername(*up.Username); err != nil {
				return nil, err
			}
		}
	}
	if up.StatusType != nil && *up.StatusType != "" && !chat.ValidStatus(*up.StatusType) {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-status", "Valid status types include online, away, offline, and busy.")
	}
	if err := checkProfileText(up.Bio, up.Nickname); err != nil {
		return nil, err
	}
	var email, hash string
	if up.Email != nil && *up.Email != "" && *up.Email != u.PrimaryEmail() {
		if email, err = s.validEmail(ctx, s.store, *up.Email, u.ID); err != nil {
			return nil, err
		}
	}
	if up.NewPassword != "" && s.SettingBool("Accounts_AllowPasswordChange") {
		if checkPassword(u, Credential{Plain: up.NewPassword}) {
			return nil, &chat.Error{Kind: chat.EInvalid, Type: "error-password-same-as-current", Message: "Entered password same as current password",
				Details: map[string]any{"method": "saveUserProfile"}}
		}
		if err := s.validatePassword(up.NewPassword); err != nil {
			return nil, err
		}
		if hash, err = HashPassword(up.NewPassword); err != nil {
			return nil, err
		}
	}
	var out *chat.User
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := tx.UserByID(ctx, actor.ID)
		if err != nil {
			return err
		}
		if err := s.applyIdentity(ctx, tx, o, u, up.Username, up.Name); err != nil {
			return err
		}
		applyProfileText(u, up.Bio, up.Nickname)
		if email != "" {
			setPrimaryEmail(u, email, false)
		}
		if hash != "" {
			u.PasswordHash = hash
			if err := logoutOtherSessions(ctx, tx, u.ID, currentToken); err != nil {
				return err
			}
		}
		mergeCustomFields(u, up.CustomFields)
		u.UpdatedAt = s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	if up.StatusText != nil || (up.StatusType != nil && *up.StatusType != "") {
		ch := StatusChange{Message: up.StatusText}
		if up.StatusType != nil && *up.StatusType != "" {
			ch.Status = up.StatusType
		}
		return s.writeStatus(ctx, out.ID, func(u *chat.User) {
			if ch.Message != nil {
				u.StatusText = clipRunes(strings.TrimSpace(*ch.Message), maxStatusText)
			}
			if ch.Status != nil {
				u.Status, u.StatusDefault = *ch.Status, *ch.Status
			}
		})
	}
	return out, nil
}

// DeleteUser implements users.delete (delete-user). The user's direct
// message rooms are deleted; they leave every other room. When they are the
// last owner of a room that has other members, confirmRelinquish must be
// set, and another member (the first by username) becomes its owner.
// Their messages stay (Rocket.Chat's "Keep" erasure type).
func (s *Service) DeleteUser(ctx context.Context, actor *chat.User, userID string, confirmRelinquish bool) error {
	if actor == nil {
		return errLoginRequired()
	}
	if !s.Can(ctx, actor, "delete-user", "") {
		return errAPIUnauthorized()
	}
	if userID == chat.BotUserID {
		return &chat.Error{Kind: chat.EInvalid, Type: "error-action-not-allowed", Message: "Deleting the rocket.cat user is not allowed",
			Details: map[string]any{"method": "deleteUser", "action": "Delete_user"}}
	}
	u, err := s.store.UserByID(ctx, userID)
	if chat.IsKind(err, chat.ENotFound) {
		return errInvalidUserParam()
	}
	if err != nil {
		return err
	}
	if u.HasRole("admin") {
		yes := true
		n, err := s.store.CountUsers(ctx, chat.UserFilter{Role: "admin", Active: &yes})
		if err != nil {
			return err
		}
		if n <= 1 && u.Active {
			return &chat.Error{Kind: chat.EInvalid, Type: "error-action-not-allowed", Message: "Leaving the app without admins is not allowed",
				Details: map[string]any{"method": "deleteUser", "action": "Remove_last_admin"}}
		}
	}
	subs, err := s.store.SubscriptionsOfUser(ctx, u.ID, chat.SubscriptionFilter{})
	if err != nil {
		return err
	}
	heirs, orphaned, err := s.roomHeirs(ctx, u.ID, subs)
	if err != nil {
		return err
	}
	if len(orphaned) > 0 && !confirmRelinquish {
		return &chat.Error{Kind: chat.EInvalid, Type: "user-last-owner", Details: map[string]any{"shouldChangeOwner": orphaned}}
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		at := s.now()
		for _, sub := range subs {
			r, err := tx.RoomByID(ctx, sub.RoomID)
			if chat.IsKind(err, chat.ENotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if r.Type == chat.RoomDirect {
				if err := tx.DeleteRoom(ctx, r.ID, at); err != nil && !chat.IsKind(err, chat.ENotFound) {
					return err
				}
				for _, uid := range r.UIDs {
					if uid != u.ID {
						o.add(chat.UserTopic(uid), chat.Event{Kind: chat.EventSubscriptionGone, RoomID: r.ID, UserID: uid, At: at})
					}
				}
				o.add(chat.RoomTopic(r.ID), chat.Event{Kind: chat.EventRoomRemoved, RoomID: r.ID, At: at})
				continue
			}
			if heir, ok := heirs[r.ID]; ok {
				hs, err := tx.Subscription(ctx, r.ID, heir)
				if err != nil {
					return err
				}
				hs.Roles = addUnique(hs.Roles, "owner")
				hs.UpdatedAt = at
				if err := tx.UpdateSubscription(ctx, hs); err != nil {
					return err
				}
				o.addData(chat.UserTopic(heir), chat.Event{Kind: chat.EventSubscription, RoomID: r.ID, UserID: heir, At: at}, hs)
			}
			if err := s.unsubscribe(ctx, tx, o, r, u.ID); err != nil && !chat.IsKind(err, chat.EInvalid) {
				return err
			}
			o.addData(chat.RoomTopic(r.ID), chat.Event{Kind: chat.EventRoomChanged, RoomID: r.ID, At: at}, r)
		}
		teams, err := tx.TeamsOfUser(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, t := range teams {
			if err := tx.RemoveTeamMember(ctx, t.ID, u.ID); err != nil && !chat.IsKind(err, chat.ENotFound) {
				return err
			}
		}
		if err := tx.DeleteUser(ctx, u.ID); err != nil {
			return err
		}
		change := UserChange{ID: u.ID, Username: u.Username, Name: u.Name, Deleted: true, MessageErasureType: "Keep"}
		o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventUserChanged, UserID: u.ID, At: at}, change)
		o.addData(chat.UserTopic(u.ID), chat.Event{Kind: chat.EventUserChanged, UserID: u.ID, At: at}, change)
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info("user deleted", "user_id", u.ID, "username", u.Username, "by", actor.ID)
	return nil
}

// roomHeirs finds, among the rooms of subs, those where userID is the only
// owner while others remain: heirs maps each to the member who would
// inherit it (the first other member by username), orphaned lists their
// ids.
func (s *Service) roomHeirs(ctx context.Context, userID string, subs []chat.Subscription) (heirs map[string]string, orphaned []string, err error) {
	heirs = map[string]string{}
	for _, sub := range subs {
		if sub.Type == chat.RoomDirect || !sub.HasRole("owner") {
			continue
		}
		holders, err := s.store.SubscriptionsWithRoles(ctx, sub.RoomID)
		if err != nil {
			return nil, nil, err
		}
		otherOwner := false
		for _, h := range holders {
			if h.User.ID != userID && h.HasRole("owner") {
				otherOwner = true
				break
			}
		}
		if otherOwner {
			continue
		}
		members, _, err := s.store.RoomMembers(ctx, sub.RoomID, chat.MemberFilter{Limit: 2})
		if err != nil {
			return nil, nil, err
		}
		for _, m := range members {
			if m.User.ID != userID {
				heirs[sub.RoomID] = m.User.ID
				orphaned = append(orphaned, sub.RoomID)
				break
			}
		}
	}
	return heirs, orphaned, nil
}
