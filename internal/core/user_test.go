package core

import (
	"encoding/json"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// acctErrType returns a domain error's Rocket.Chat type, or "" for nil.
func acctErrType(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	ce, ok := err.(*chat.Error)
	if !ok {
		t.Fatalf("not a domain error: %v", err)
	}
	return ce.Type
}

// mkRoom makes a room with members directly through the store, so that
// these tests do not depend on the room use cases.
func (e *acctEnv) mkRoom(typ chat.RoomType, name string, owner *chat.User, members ...*chat.User) *chat.Room {
	e.t.Helper()
	now := e.s.now()
	r := &chat.Room{ID: chat.NewID(), Type: typ, Name: name, FName: name, Creator: owner.Ref(), CreatedAt: now, UpdatedAt: now}
	all := append([]*chat.User{owner}, members...)
	if typ == chat.RoomDirect {
		r.Name, r.FName = "", ""
		for _, u := range all {
			r.UIDs = append(r.UIDs, u.ID)
			r.Usernames = append(r.Usernames, u.Username)
		}
		r.ID = chat.DirectRoomID(r.UIDs...)
	}
	err := e.s.tx(e.ctx, func(tx chat.Store, o *outbox) error {
		if err := tx.CreateRoom(e.ctx, r); err != nil {
			return err
		}
		for i, u := range all {
			var roles []string
			if i == 0 && typ != chat.RoomDirect {
				roles = []string{"owner"}
			}
			if _, err := e.s.subscribe(e.ctx, tx, o, r, u, roles, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func TestFirstUserBecomesAdmin(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, nil) // no ADMIN_* variables
	first, err := e.s.Register(e.ctx, nil, Registration{Username: "first", Email: "first@example.com", Password: "pw-first", Name: "First"})
	if err != nil {
		t.Fatal(err)
	}
	if !first.HasRole("admin") || !first.HasRole("user") || !first.Active {
		t.Fatalf("first user %+v", first)
	}
	second, err := e.s.Register(e.ctx, nil, Registration{Username: "second", Email: "second@example.com", Password: "pw-2", Name: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	if second.HasRole("admin") {
		t.Fatal("the second user became admin too")
	}
	general, err := e.st.Subscription(e.ctx, chat.GeneralRoomID, second.ID)
	if err != nil || general == nil {
		t.Fatalf("registered user is not in #general: %v", err)
	}
}

func TestRegisterRules(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	reg := func(name string) error {
		_, err := e.s.Register(e.ctx, nil, Registration{Username: name, Email: name + "@example.com", Password: "pw", Name: name})
		return err
	}
	if _, err := e.s.Register(e.ctx, admin, Registration{Username: "x", Email: "x@example.com", Password: "pw"}); err == nil {
		t.Fatal("a logged-in user registered again")
	}
	if err := reg("Admin"); err == nil || err.Error() != "Username is already in use" {
		t.Fatalf("taken username: %v", err)
	}
	if _, err := e.s.Register(e.ctx, nil, Registration{Username: "nomail", Password: "pw"}); acctErrType(t, err) != "invalid-params" {
		t.Fatalf("missing email: %v", err)
	}
	acctSetSetting(e.s, "Accounts_RegistrationForm", "Disabled")
	if err := reg("late"); acctErrType(t, err) != "error-user-registration-disabled" {
		t.Fatalf("disabled: %v", err)
	}
	acctSetSetting(e.s, "Accounts_RegistrationForm", "Secret URL")
	if err := reg("late"); acctErrType(t, err) != "error-user-registration-secret" {
		t.Fatalf("secret URL without secret: %v", err)
	}
	acctSetSetting(e.s, "Accounts_RegistrationForm", "Public")
	acctSetSetting(e.s, "Accounts_ManuallyApproveNewUsers", true)
	if err := reg("pending"); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.st.UserByUsername(e.ctx, "pending"); u.Active {
		t.Fatal("a user needing approval is active")
	}
	if _, err := e.s.Login(e.ctx, LoginRequest{User: "pending", Password: Credential{Plain: "pw"}}); acctErrType(t, err) != "error-user-is-not-activated" {
		t.Fatalf("inactive login: %v", err)
	}
}

func TestCreateUserChecks(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob := e.mkUser("bob")
	nu := func(name string) NewUser {
		return NewUser{Username: name, Name: name, Email: name + "@example.com", Password: "pw-" + name}
	}
	if _, err := e.s.CreateUser(e.ctx, bob, nu("x1")); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("create without create-user: %v", err)
	}
	e.s.cachePermission(chat.Permission{ID: "create-user", Roles: []string{"admin", "user"}})
	withAdmin := nu("x2")
	withAdmin.Roles = []string{"admin"}
	if _, err := e.s.CreateUser(e.ctx, bob, withAdmin); err == nil || err.(*chat.Error).Message != "Assigning admin is not allowed" {
		t.Fatalf("admin role without assign-admin-role: %v", err)
	}
	for _, tt := range []struct {
		name string
		edit func(*NewUser)
		want string
	}{
		{"unknown role", func(n *NewUser) { n.Roles = []string{"wizard"} }, "error-action-not-allowed"},
		{"no name", func(n *NewUser) { n.Name = "" }, "error-the-field-is-required"},
		{"no username", func(n *NewUser) { n.Username = " " }, "error-the-field-is-required"},
		{"no password", func(n *NewUser) { n.Password = "" }, "error-the-field-is-required"},
		{"bad username", func(n *NewUser) { n.Username = "no spaces" }, "error-input-is-not-a-valid-field"},
		{"reserved username", func(n *NewUser) { n.Username = "here" }, "error-input-is-not-a-valid-field"},
		{"taken username", func(n *NewUser) { n.Username = "BOB" }, "error-field-unavailable"},
		{"taken email", func(n *NewUser) { n.Email = "Bob@Example.com" }, "error-field-unavailable"},
		{"bad email", func(n *NewUser) { n.Email = "not-an-email" }, "error-invalid-email"},
	} {
		n := nu("fresh")
		tt.edit(&n)
		if _, err := e.s.CreateUser(e.ctx, admin, n); acctErrType(t, err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := e.st.UserByUsername(e.ctx, "fresh"); !chat.IsKind(err, chat.ENotFound) {
		t.Fatal("a refused creation left a user behind")
	}
	acctSetSetting(e.s, "Accounts_BlockedUsernameList", "root, Staff")
	if _, err := e.s.CreateUser(e.ctx, admin, nu("staff")); acctErrType(t, err) != "error-field-unavailable" {
		t.Fatalf("blocked username: %v", err)
	}
	acctSetSetting(e.s, "Accounts_AllowedDomainsList", "example.org")
	if _, err := e.s.CreateUser(e.ctx, admin, nu("outsider")); acctErrType(t, err) != "error-invalid-domain" {
		t.Fatalf("domain outside the allow list: %v", err)
	}
	acctSetSetting(e.s, "Accounts_AllowedDomainsList", "")
	robot := nu("robot")
	robot.Roles = []string{"bot"}
	robot.SetRandomPassword = true
	robot.Password = ""
	u, err := e.s.CreateUser(e.ctx, admin, robot)
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != chat.UserTypeBot || !u.RequirePasswordChange || u.PasswordHash == "" {
		t.Fatalf("bot %+v", u)
	}
}

func TestUpdateUserRenamePropagates(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	alice, bob := e.mkUser("alice"), e.mkUser("bob")
	dm := e.mkRoom(chat.RoomDirect, "", alice, bob)
	ch := e.mkRoom(chat.RoomChannel, "team", alice, bob)
	logged, err := e.bus.Subscribe(e.ctx, chat.TopicLogged)
	if err != nil {
		t.Fatal(err)
	}
	defer logged.Close()

	newName, newUsername := "Alice Liddell", "alice2"
	u, err := e.s.UpdateUser(e.ctx, admin, alice.ID, UserUpdate{Username: &newUsername, Name: &newName})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "alice2" || u.Name != "Alice Liddell" {
		t.Fatalf("user %+v", u)
	}
	own, _ := e.st.Subscription(e.ctx, ch.ID, alice.ID)
	if own.User.Username != "alice2" || own.User.Name != "Alice Liddell" {
		t.Fatalf("alice's subscription still names %+v", own.User)
	}
	other, _ := e.st.Subscription(e.ctx, dm.ID, bob.ID)
	if other.Name != "alice2" || other.FName != "Alice Liddell" {
		t.Fatalf("bob's DM subscription is named %q/%q", other.Name, other.FName)
	}
	room, _ := e.st.RoomByID(e.ctx, dm.ID)
	if !contains(room.Usernames, "alice2") || contains(room.Usernames, "alice") {
		t.Fatalf("DM usernames %v", room.Usernames)
	}
	ev := acctNextEvent(t, logged)
	var ch2 UserChange
	if ev.Kind != chat.EventUserChanged || json.Unmarshal(ev.Data, &ch2) != nil || !ch2.NameChanged || ch2.Username != "alice2" {
		t.Fatalf("event %+v", ev)
	}
	taken := "BOB"
	if _, err := e.s.UpdateUser(e.ctx, admin, alice.ID, UserUpdate{Username: &taken}); acctErrType(t, err) != "error-field-unavailable" {
		t.Fatalf("renaming onto a taken name: %v", err)
	}
}

func TestUpdateUserChecks(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	bob, carl := e.mkUser("bob"), e.mkUser("carl")
	str := func(s string) *string { return &s }
	yes, no := true, false

	if _, err := e.s.UpdateUser(e.ctx, carl, bob.ID, UserUpdate{Name: str("x")}); err == nil || err.(*chat.Error).Message != "Editing user is not allowed" {
		t.Fatalf("carl editing bob: %v", err)
	}
	if u, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Name: str("Bobby"), Bio: str(" hi ")}); err != nil || u.Name != "Bobby" || u.Bio != "hi" {
		t.Fatalf("bob editing himself: %+v %v", u, err)
	}
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Roles: []string{"admin", "user"}}); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("bob making himself admin: %v", err)
	}
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Verified: &yes}); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("bob verifying himself: %v", err)
	}
	acctSetSetting(e.s, "Accounts_AllowRealNameChange", false)
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Name: str("Robert")}); err == nil || err.(*chat.Error).Message != "Edit user real name is not allowed" {
		t.Fatalf("name change while disabled: %v", err)
	}
	if _, err := e.s.UpdateUser(e.ctx, admin, bob.ID, UserUpdate{Name: str("Robert")}); err != nil {
		t.Fatalf("an admin may still rename others: %v", err)
	}
	long := string(make([]byte, maxBio+1))
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Bio: &long}); acctErrType(t, err) != "error-bio-size-exceeded" {
		t.Fatalf("long bio: %v", err)
	}
	if _, err := e.s.UpdateUser(e.ctx, admin, "nobody", UserUpdate{Name: str("x")}); acctErrType(t, err) != "error-invalid-user" {
		t.Fatalf("unknown user: %v", err)
	}

	// A password set by an administrator ends the user's sessions.
	if _, err := e.s.UpdateUser(e.ctx, admin, bob.ID, UserUpdate{Password: str("new-pass-1")}); err != nil {
		t.Fatal(err)
	}
	sess, err := e.s.Login(e.ctx, LoginRequest{User: "bob", Password: Credential{Plain: "new-pass-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateUser(e.ctx, admin, bob.ID, UserUpdate{Password: str("new-pass-2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.AuthenticateToken(e.ctx, sess.Token); !chat.IsKind(err, chat.EUnauthorized) {
		t.Fatal("bob's session survived an admin password reset")
	}
	// Users without edit-other-user-password cannot set passwords here.
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Password: str("mine-now")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Login(e.ctx, LoginRequest{User: "bob", Password: Credential{Plain: "new-pass-2"}}); err != nil {
		t.Fatal("bob's own users.update changed his password")
	}

	// Deactivation needs edit-other-user-active-status and logs out.
	if _, err := e.s.UpdateUser(e.ctx, bob, bob.ID, UserUpdate{Active: &no}); acctErrType(t, err) != "error-not-allowed" {
		t.Fatalf("bob deactivating himself: %v", err)
	}
	sess, _ = e.s.Login(e.ctx, LoginRequest{User: "bob", Password: Credential{Plain: "new-pass-2"}})
	if u, err := e.s.UpdateUser(e.ctx, admin, bob.ID, UserUpdate{Active: &no}); err != nil || u.Active {
		t.Fatalf("deactivate: %+v %v", u, err)
	}
	if _, err := e.s.AuthenticateToken(e.ctx, sess.Token); !chat.IsKind(err, chat.EUnauthorized) {
		t.Fatal("a deactivated user's session still works")
	}
	if _, err := e.s.UpdateUser(e.ctx, admin, admin.ID, UserUpdate{Active: &no}); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("deactivating the last admin: %v", err)
	}
}

func TestUpdateOwnProfile(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	u, err := e.s.AdminCreateUser(e.ctx, NewUser{Username: "dana", Name: "Dana", Email: "dana@example.com", Password: "old-pass"})
	if err != nil {
		t.Fatal(err)
	}
	keep, _ := e.s.Login(e.ctx, LoginRequest{User: "dana", Password: Credential{Plain: "old-pass"}})
	other, _ := e.s.Login(e.ctx, LoginRequest{User: "dana", Password: Credential{Plain: "old-pass"}})
	str := func(s string) *string { return &s }

	if _, err := e.s.UpdateOwnProfile(e.ctx, u, keep.Token, ProfileUpdate{Email: str("d2@example.com")}); acctErrType(t, err) != "totp-required" {
		t.Fatalf("email change without the password: %v", err)
	}
	if _, err := e.s.UpdateOwnProfile(e.ctx, u, keep.Token, ProfileUpdate{NewPassword: "new-pass", CurrentPassword: "wrong"}); acctErrType(t, err) != "totp-invalid" {
		t.Fatalf("wrong current password: %v", err)
	}
	if _, err := e.s.UpdateOwnProfile(e.ctx, u, keep.Token, ProfileUpdate{NewPassword: "old-pass", CurrentPassword: "old-pass"}); acctErrType(t, err) != "error-password-same-as-current" {
		t.Fatalf("same password: %v", err)
	}
	got, err := e.s.UpdateOwnProfile(e.ctx, u, keep.Token, ProfileUpdate{
		NewPassword: "new-pass", CurrentPassword: PasswordDigest("old-pass"), Email: str("d2@example.com"),
		Nickname: str("dd"), StatusText: str("away for lunch"), StatusType: str("away"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.PrimaryEmail() != "d2@example.com" || got.Emails[0].Verified || got.Nickname != "dd" || got.Status != "away" || got.StatusText != "away for lunch" {
		t.Fatalf("profile %+v", got)
	}
	if _, err := e.s.AuthenticateToken(e.ctx, keep.Token); err != nil {
		t.Fatal("the session that changed the password was logged out")
	}
	if _, err := e.s.AuthenticateToken(e.ctx, other.Token); !chat.IsKind(err, chat.EUnauthorized) {
		t.Fatal("another session survived a password change")
	}
	if _, err := e.s.Login(e.ctx, LoginRequest{User: "dana", Password: Credential{Plain: "new-pass"}}); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	admin, _ := e.st.UserByUsername(e.ctx, "admin")
	alice, bob, carl := e.mkUser("alice"), e.mkUser("bob"), e.mkUser("carl")
	dm := e.mkRoom(chat.RoomDirect, "", alice, bob)
	owned := e.mkRoom(chat.RoomChannel, "owned", alice, carl)
	shared := e.mkRoom(chat.RoomGroup, "shared", bob, alice)
	tok, _ := e.s.GeneratePersonalAccessToken(e.ctx, alice, "t", false)

	if err := e.s.DeleteUser(e.ctx, bob, alice.ID, false); !chat.IsKind(err, chat.EForbidden) {
		t.Fatalf("bob deleting alice: %v", err)
	}
	if err := e.s.DeleteUser(e.ctx, admin, chat.BotUserID, true); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("deleting rocket.cat: %v", err)
	}
	if err := e.s.DeleteUser(e.ctx, admin, admin.ID, true); acctErrType(t, err) != "error-action-not-allowed" {
		t.Fatalf("deleting the last admin: %v", err)
	}
	if err := e.s.DeleteUser(e.ctx, admin, alice.ID, false); acctErrType(t, err) != "user-last-owner" {
		t.Fatalf("deleting a last owner without confirmRelinquish: %v", err)
	}
	if _, err := e.st.UserByID(e.ctx, alice.ID); err != nil {
		t.Fatal("a refused deletion removed the user")
	}
	logged, _ := e.bus.Subscribe(e.ctx, chat.TopicLogged)
	defer logged.Close()
	if err := e.s.DeleteUser(e.ctx, admin, alice.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.UserByID(e.ctx, alice.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatal("user still there")
	}
	if _, err := e.st.RoomByID(e.ctx, dm.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatal("the DM with the deleted user remains")
	}
	if subs, _ := e.st.SubscriptionsOfUser(e.ctx, bob.ID, chat.SubscriptionFilter{}); len(subs) != 1 { // only shared: the DM is gone
		t.Fatalf("bob's subscriptions after the deletion: %d", len(subs))
	}
	heir, err := e.st.Subscription(e.ctx, owned.ID, carl.ID)
	if err != nil || !heir.HasRole("owner") {
		t.Fatalf("carl did not inherit the room: %+v %v", heir, err)
	}
	r, _ := e.st.RoomByID(e.ctx, shared.ID)
	if r.UsersCount != 1 {
		t.Fatalf("shared room usersCount %d", r.UsersCount)
	}
	if _, err := e.s.AuthenticateToken(e.ctx, tok); err == nil {
		t.Fatal("the deleted user's token still works")
	}
	ev := acctNextEvent(t, logged)
	var ch UserChange
	if ev.Kind != chat.EventUserChanged || json.Unmarshal(ev.Data, &ch) != nil || !ch.Deleted || ch.ID != alice.ID {
		t.Fatalf("event %+v", ev)
	}
	if err := e.s.DeleteUser(e.ctx, admin, alice.ID, true); acctErrType(t, err) != "error-invalid-user" {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestUsernameSuggestion(t *testing.T) {
	t.Parallel()
	e := newAcctEnv(t, map[string]string{"ADMIN_USERNAME": "admin", "ADMIN_PASS": "pw"})
	u := &chat.User{ID: "x", Name: "Émile Zola", Emails: []chat.Email{{Address: "ez@example.com"}}}
	got, err := e.s.UsernameSuggestion(e.ctx, u)
	if err != nil || got != "mile.zola" {
		t.Fatalf("suggestion %q %v", got, err)
	}
	e.mkUser("mile.zola")
	got, _ = e.s.UsernameSuggestion(e.ctx, u)
	if got != "ez" {
		t.Fatalf("second suggestion %q", got)
	}
	for in, want := range map[string]string{"John Smith": "john.smith", " ..Odd__ ": "odd", "a@b": "ab"} {
		if got := slugUsername(in); got != want {
			t.Errorf("slugUsername(%q) = %q, want %q", in, got, want)
		}
	}
}
