package rest

import (
	"encoding/json"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

func (a *API) userRoutes() {
	a.handle("POST /api/v1/users.register", public, a.handleUsersRegister)
	a.handle("POST /api/v1/users.create", authRequired, a.handleUsersCreate)
	a.handle("GET /api/v1/users.info", authRequired, a.handleUsersInfo)
	a.handle("GET /api/v1/users.list", authRequired, a.handleUsersList)
	a.handle("POST /api/v1/users.update", authRequired, a.handleUsersUpdate)
	a.handle("POST /api/v1/users.updateOwnBasicInfo", authRequired, a.handleUsersUpdateOwnBasicInfo)
	a.handle("POST /api/v1/users.delete", authRequired, a.handleUsersDelete)
	a.handle("POST /api/v1/users.setStatus", authRequired, a.handleUsersSetStatus)
	a.handle("GET /api/v1/users.getStatus", authRequired, a.handleUsersGetStatus)
	a.handle("GET /api/v1/users.getPresence", authRequired, a.handleUsersGetPresence)
	a.handle("GET /api/v1/users.presence", authRequired, a.handleUsersPresence)
	a.handle("POST /api/v1/users.setPreferences", authRequired, a.handleUsersSetPreferences)
	a.handle("GET /api/v1/users.getPreferences", authRequired, a.handleUsersGetPreferences)
	a.handle("GET /api/v1/users.getUsernameSuggestion", authRequired, a.handleUsersGetUsernameSuggestion)
	a.handle("POST /api/v1/users.generatePersonalAccessToken", authRequired, a.handleUsersGeneratePersonalAccessToken)
	a.handle("POST /api/v1/users.regeneratePersonalAccessToken", authRequired, a.handleUsersRegeneratePersonalAccessToken)
	a.handle("GET /api/v1/users.getPersonalAccessTokens", authRequired, a.handleUsersGetPersonalAccessTokens)
	a.handle("POST /api/v1/users.removePersonalAccessToken", authRequired, a.handleUsersRemovePersonalAccessToken)
}

// userDoc renders a user as a JSON object. Without full, the private
// fields (addresses, roles, dates, connection status, settings, custom
// fields) are left out, as Rocket.Chat leaves them out for callers
// without view-full-other-user-info.
func userDoc(u *chat.User, full bool) obj {
	b, err := json.Marshal(wire.NewUser(u, date, full))
	if err != nil {
		panic("rest: encode user: " + err.Error()) // wire types always encode
	}
	m := obj{}
	_ = json.Unmarshal(b, &m)
	if !full {
		delete(m, "roles")
		delete(m, "statusConnection")
	}
	return m
}

// failure is Rocket.Chat's API.v1.failure(text): a 400 whose error is the
// text alone, without an errorType.
func failure(text string) error { return &chat.Error{Kind: chat.EInvalid, Message: text} }

// handleUsersRegister answers POST users.register
// {username, email, pass, name, secretURL?} with {user}.
func (a *API) handleUsersRegister(r *Request) (obj, error) {
	var b struct {
		Username  string `json:"username"`
		Email     string `json:"email"`
		Pass      string `json:"pass"`
		Name      string `json:"name"`
		Secret    string `json:"secret"`
		SecretURL string `json:"secretURL"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	secret := b.Secret
	if secret == "" {
		secret = b.SecretURL
	}
	u, err := a.core.Register(r.Context(), r.Actor, core.Registration{
		Username: b.Username, Email: b.Email, Password: b.Pass, Name: b.Name, Secret: secret,
	})
	if err != nil {
		return nil, err
	}
	return obj{"user": userDoc(u, true)}, nil
}

// userCreateBody is users.create's body.
type userCreateBody struct {
	Email                 *string        `json:"email"`
	Name                  *string        `json:"name"`
	Password              *string        `json:"password"`
	Username              *string        `json:"username"`
	Active                *bool          `json:"active"`
	Bio                   string         `json:"bio"`
	Nickname              string         `json:"nickname"`
	StatusText            string         `json:"statusText"`
	Roles                 []string       `json:"roles"`
	JoinDefaultChannels   *bool          `json:"joinDefaultChannels"`
	RequirePasswordChange bool           `json:"requirePasswordChange"`
	SetRandomPassword     bool           `json:"setRandomPassword"`
	SendWelcomeEmail      bool           `json:"sendWelcomeEmail"`
	Verified              bool           `json:"verified"`
	CustomFields          map[string]any `json:"customFields"`
	Settings              *struct {
		Preferences map[string]any `json:"preferences"`
	} `json:"settings"`
}

// handleUsersCreate answers POST users.create with {user}. Like
// Rocket.Chat's, it joins the new user to the default channels unless
// joinDefaultChannels is false.
func (a *API) handleUsersCreate(r *Request) (obj, error) {
	var b userCreateBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"email", b.Email}, {"name", b.Name}, {"password", b.Password}, {"username", b.Username}} {
		if f.v == nil {
			return nil, required(f.name)
		}
	}
	nu := core.NewUser{
		Username: *b.Username, Name: *b.Name, Email: *b.Email, Password: *b.Password,
		Roles: b.Roles, Active: b.Active, Verified: b.Verified,
		RequirePasswordChange: b.RequirePasswordChange, SetRandomPassword: b.SetRandomPassword,
		JoinDefaultChannels: b.JoinDefaultChannels == nil || *b.JoinDefaultChannels,
		CustomFields:        b.CustomFields, Bio: b.Bio, Nickname: b.Nickname, StatusText: b.StatusText,
	}
	if b.Settings != nil {
		nu.Preferences = b.Settings.Preferences
	}
	u, err := a.core.CreateUser(r.Context(), r.Actor, nu)
	if err != nil {
		return nil, err
	}
	return obj{"user": userDoc(u, true)}, nil
}

// handleUsersInfo answers GET users.info (userId or username, optional
// includeUserRooms or fields={"userRooms":1}) with {user}.
func (a *API) handleUsersInfo(r *Request) (obj, error) {
	userID, username := strings.TrimSpace(r.q("userId")), strings.TrimSpace(r.q("username"))
	if userID == "" && username == "" {
		return nil, required("userId")
	}
	withRooms := r.queryBool("includeUserRooms")
	if f := r.q("fields"); f != "" {
		var fields map[string]any
		if json.Unmarshal([]byte(f), &fields) == nil {
			if n, ok := fields["userRooms"].(float64); ok && n == 1 {
				withRooms = true
			}
		}
	}
	info, err := a.core.GetUserInfo(r.Context(), r.Actor, userID, username, withRooms)
	if err != nil {
		return nil, err
	}
	doc := userDoc(info.User, info.Full)
	if !info.Self {
		delete(doc, "settings")
	}
	doc["canViewAllInfo"] = info.Full
	if info.Rooms != nil {
		rooms := make([]obj, 0, len(info.Rooms))
		for _, s := range info.Rooms {
			roles := s.Roles
			if roles == nil {
				roles = []string{}
			}
			rooms = append(rooms, obj{"_id": s.ID, "rid": s.RoomID, "name": s.Name, "t": s.Type, "roles": roles, "unread": s.Unread})
		}
		doc["rooms"] = rooms
	}
	return obj{"user": doc}, nil
}

// userListSortFields maps users.list sort keys to the store's.
var userListSortFields = map[string]string{
	"username": "username", "name": "name", "createdAt": "createdAt", "status": "status",
	"_updatedAt": "_updatedAt", "lastLogin": "lastLogin",
}

// handleUsersList answers GET users.list (paginated, sort) with {users,
// count, offset, total}; each user carries Rocket.Chat's default list
// fields, addresses only for callers who may see them.
func (a *API) handleUsersList(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	f := chat.UserFilter{Offset: p.Offset, Limit: p.Count}
	for _, s := range p.Sort {
		field, ok := userListSortFields[s.Field]
		if !ok {
			return nil, chat.ErrInvalidParam("Invalid sort parameter provided: \"%s\"", s.Field)
		}
		f.Sort = append(f.Sort, chat.SortField{Field: field, Desc: s.Desc})
	}
	users, total, full, err := a.core.ListUsers(r.Context(), r.Actor, f)
	if err != nil {
		return nil, err
	}
	out := make([]obj, 0, len(users))
	for i := range users {
		u := &users[i]
		doc := obj{"_id": u.ID, "username": u.Username, "name": u.Name, "status": orOffline(u.Status),
			"active": u.Active, "type": u.Type, "roles": nonNil(u.Roles)}
		if u.AvatarETag != "" {
			doc["avatarETag"] = u.AvatarETag
		}
		if !u.LastLogin.IsZero() {
			doc["lastLogin"] = wire.FormatISO(u.LastLogin)
		}
		if full {
			emails := make([]wire.Email, 0, len(u.Emails))
			for _, e := range u.Emails {
				emails = append(emails, wire.Email(e))
			}
			doc["emails"] = emails
		}
		out = append(out, doc)
	}
	return paged(obj{"users": out}, len(out), p, total), nil
}

func orOffline(status string) string {
	if status == "" {
		return chat.StatusOffline
	}
	return status
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// handleUsersUpdate answers POST users.update {userId, data:{...}} with
// {user}.
func (a *API) handleUsersUpdate(r *Request) (obj, error) {
	var b struct {
		UserID string `json:"userId"`
		Data   *struct {
			Email                 *string        `json:"email"`
			Name                  *string        `json:"name"`
			Password              *string        `json:"password"`
			Username              *string        `json:"username"`
			Active                *bool          `json:"active"`
			Bio                   *string        `json:"bio"`
			Nickname              *string        `json:"nickname"`
			StatusText            *string        `json:"statusText"`
			Roles                 []string       `json:"roles"`
			RequirePasswordChange *bool          `json:"requirePasswordChange"`
			Verified              *bool          `json:"verified"`
			CustomFields          map[string]any `json:"customFields"`
			Language              *string        `json:"language"`
			Settings              *struct {
				Preferences map[string]any `json:"preferences"`
			} `json:"settings"`
		} `json:"data"`
		ConfirmRelinquish bool `json:"confirmRelinquish"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.UserID == "" {
		return nil, required("userId")
	}
	if b.Data == nil {
		return nil, required("data")
	}
	d := b.Data
	up := core.UserUpdate{
		Email: d.Email, Name: d.Name, Password: d.Password, Username: d.Username, Bio: d.Bio,
		Nickname: d.Nickname, StatusText: d.StatusText, Active: d.Active, Verified: d.Verified,
		RequirePasswordChange: d.RequirePasswordChange, Roles: d.Roles, CustomFields: d.CustomFields,
		Language: d.Language,
	}
	if d.Settings != nil && d.Settings.Preferences != nil {
		prefs, err := a.core.CheckPreferences(d.Settings.Preferences)
		if err != nil {
			return nil, err
		}
		up.Preferences = prefs
	}
	u, err := a.core.UpdateUser(r.Context(), r.Actor, b.UserID, up)
	if err != nil {
		return nil, err
	}
	return obj{"user": userDoc(u, true)}, nil
}

// handleUsersUpdateOwnBasicInfo answers POST users.updateOwnBasicInfo
// {data:{email, name, username, nickname, bio, statusText, statusType,
// currentPassword, newPassword}, customFields?} with {user}.
func (a *API) handleUsersUpdateOwnBasicInfo(r *Request) (obj, error) {
	var b struct {
		Data *struct {
			Email           *string `json:"email"`
			Name            *string `json:"name"`
			Username        *string `json:"username"`
			Nickname        *string `json:"nickname"`
			Bio             *string `json:"bio"`
			StatusText      *string `json:"statusText"`
			StatusType      *string `json:"statusType"`
			CurrentPassword string  `json:"currentPassword"`
			NewPassword     string  `json:"newPassword"`
		} `json:"data"`
		CustomFields map[string]any `json:"customFields"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Data == nil {
		return nil, required("data")
	}
	d := b.Data
	u, err := a.core.UpdateOwnProfile(r.Context(), r.Actor, r.Token, core.ProfileUpdate{
		Email: d.Email, Name: d.Name, Username: d.Username, Nickname: d.Nickname, Bio: d.Bio,
		StatusText: d.StatusText, StatusType: d.StatusType, CurrentPassword: d.CurrentPassword,
		NewPassword: d.NewPassword, CustomFields: b.CustomFields,
	})
	if err != nil {
		return nil, err
	}
	doc := userDoc(u, true)
	doc["settings"] = obj{"preferences": a.core.EffectivePreferences(u)}
	return obj{"user": doc}, nil
}

// userParams are the ways Rocket.Chat's getUserFromParams names a user.
type userParams struct {
	UserID   string `json:"userId"`
	Username string `json:"username"`
	User     string `json:"user"`
}

// target returns the id or username the parameters name ("" for none).
func (p userParams) target() string {
	for _, v := range []string{p.UserID, p.Username, p.User} {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// queryUserParams reads userId/username/user from the query string.
func (r *Request) queryUserParams() userParams {
	return userParams{UserID: r.q("userId"), Username: r.q("username"), User: r.q("user")}
}

// errUserParamMissing is getUserFromParams' error when no user is named.
func errUserParamMissing() error {
	return chat.Errorf(chat.EInvalid, "error-user-param-not-provided", "The required \"userId\" or \"username\" param was not provided")
}

// handleUsersDelete answers POST users.delete {userId|username,
// confirmRelinquish?} with {}.
func (a *API) handleUsersDelete(r *Request) (obj, error) {
	var b struct {
		userParams
		ConfirmRelinquish bool `json:"confirmRelinquish"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if !a.core.Can(r.Context(), r.Actor, "delete-user", "") {
		return nil, &chat.Error{Kind: chat.EForbidden, Message: "unauthorized"}
	}
	id, err := a.resolveUserID(r, b.userParams)
	if err != nil {
		return nil, err
	}
	return nil, a.core.DeleteUser(r.Context(), r.Actor, id, b.ConfirmRelinquish)
}

// resolveUserID turns user parameters into a user id, with
// getUserFromParams' errors.
func (a *API) resolveUserID(r *Request, p userParams) (string, error) {
	st := a.core.Store()
	var u *chat.User
	var err error
	switch {
	case strings.TrimSpace(p.UserID) != "":
		u, err = st.UserByID(r.Context(), strings.TrimSpace(p.UserID))
	case strings.TrimSpace(p.Username) != "":
		u, err = st.UserByUsername(r.Context(), strings.TrimSpace(p.Username))
	case strings.TrimSpace(p.User) != "":
		u, err = st.UserByUsername(r.Context(), strings.TrimSpace(p.User))
	default:
		return "", errUserParamMissing()
	}
	if chat.IsKind(err, chat.ENotFound) {
		return "", chat.Errorf(chat.EInvalid, "error-invalid-user", "The required \"userId\" or \"username\" param provided does not match any users")
	}
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// handleUsersSetStatus answers POST users.setStatus {status?, message?,
// userId|username?} with {}.
func (a *API) handleUsersSetStatus(r *Request) (obj, error) {
	var b struct {
		userParams
		Status  *string `json:"status"`
		Message *string `json:"message"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	_, err := a.core.SetUserStatus(r.Context(), r.Actor, b.target(), core.StatusChange{Status: b.Status, Message: b.Message})
	return nil, err
}

// handleUsersGetStatus answers GET users.getStatus: {_id, status,
// connectionStatus, message} about oneself, {_id, status, message} about
// others.
func (a *API) handleUsersGetStatus(r *Request) (obj, error) {
	st, err := a.core.GetUserStatus(r.Context(), r.Actor, r.queryUserParams().target())
	if err != nil {
		return nil, err
	}
	u := st.User
	res := obj{"_id": u.ID, "status": orOffline(u.Status), "message": u.StatusText}
	if st.Self {
		res["connectionStatus"] = orOffline(u.StatusConnection)
	}
	return res, nil
}

// handleUsersGetPresence answers GET users.getPresence: {presence,
// connectionStatus, lastLogin} about oneself, {presence} about others.
func (a *API) handleUsersGetPresence(r *Request) (obj, error) {
	st, err := a.core.GetUserStatus(r.Context(), r.Actor, r.queryUserParams().target())
	if err != nil {
		return nil, err
	}
	res := obj{"presence": orOffline(st.User.Status)}
	if st.Self {
		res["connectionStatus"] = orOffline(st.User.StatusConnection)
		if !st.User.LastLogin.IsZero() {
			res["lastLogin"] = wire.FormatISO(st.User.LastLogin)
		}
	}
	return res, nil
}

// handleUsersPresence answers GET users.presence {ids?, from?} with {users,
// full}: the users who are not offline, among ids (ids[]=a&ids[]=b,
// ids=a&ids=b or ids=a,b) when given. from, with which Rocket.Chat sends
// only the changes of the last ten minutes, is accepted and answered with
// the full list, which clients take in place of what they had.
func (a *API) handleUsersPresence(r *Request) (obj, error) {
	users, full, err := a.core.PresentUsers(r.Context(), r.Actor, r.queryList("ids"))
	if err != nil {
		return nil, err
	}
	out := make([]obj, len(users))
	for i := range users {
		u := &users[i]
		doc := obj{"_id": u.ID, "username": u.Username, "name": u.Name, "status": u.Status, "utcOffset": u.UTCOffset}
		if u.StatusText != "" {
			doc["statusText"] = u.StatusText
		}
		if u.AvatarETag != "" {
			doc["avatarETag"] = u.AvatarETag
		}
		out[i] = doc
	}
	return obj{"users": out, "full": full}, nil
}

// handleUsersSetPreferences answers POST users.setPreferences {userId?,
// data} with {user:{_id, settings:{preferences}}}.
func (a *API) handleUsersSetPreferences(r *Request) (obj, error) {
	var b struct {
		UserID string         `json:"userId"`
		Data   map[string]any `json:"data"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Data == nil {
		return nil, required("data")
	}
	u, err := a.core.SetPreferences(r.Context(), r.Actor, b.UserID, b.Data)
	if err != nil {
		return nil, err
	}
	prefs := u.Preferences
	if prefs == nil {
		prefs = map[string]any{}
	}
	return obj{"user": obj{"_id": u.ID, "settings": obj{"preferences": prefs}}}, nil
}

// handleUsersGetPreferences answers GET users.getPreferences with the
// caller's preferences over the server defaults.
func (a *API) handleUsersGetPreferences(r *Request) (obj, error) {
	return obj{"preferences": a.core.EffectivePreferences(r.Actor)}, nil
}

// handleUsersGetUsernameSuggestion answers GET users.getUsernameSuggestion
// with {result}.
func (a *API) handleUsersGetUsernameSuggestion(r *Request) (obj, error) {
	s, err := a.core.UsernameSuggestion(r.Context(), r.Actor)
	if err != nil {
		return nil, err
	}
	return obj{"result": s}, nil
}

// tokenNameBody is the body of the personal access token endpoints.
type tokenNameBody struct {
	TokenName       string `json:"tokenName"`
	BypassTwoFactor bool   `json:"bypassTwoFactor"`
}

func (r *Request) decodeTokenName() (tokenNameBody, error) {
	var b tokenNameBody
	if err := r.decode(&b); err != nil {
		return b, err
	}
	if strings.TrimSpace(b.TokenName) == "" {
		return b, failure("The 'tokenName' param is required")
	}
	return b, nil
}

// handleUsersGeneratePersonalAccessToken answers POST
// users.generatePersonalAccessToken {tokenName, bypassTwoFactor?} with
// {token}, the only time the token is shown.
func (a *API) handleUsersGeneratePersonalAccessToken(r *Request) (obj, error) {
	b, err := r.decodeTokenName()
	if err != nil {
		return nil, err
	}
	token, err := a.core.GeneratePersonalAccessToken(r.Context(), r.Actor, b.TokenName, b.BypassTwoFactor)
	if err != nil {
		return nil, err
	}
	return obj{"token": token}, nil
}

// handleUsersRegeneratePersonalAccessToken answers POST
// users.regeneratePersonalAccessToken {tokenName} with {token}.
func (a *API) handleUsersRegeneratePersonalAccessToken(r *Request) (obj, error) {
	b, err := r.decodeTokenName()
	if err != nil {
		return nil, err
	}
	token, err := a.core.RegeneratePersonalAccessToken(r.Context(), r.Actor, b.TokenName)
	if err != nil {
		return nil, err
	}
	return obj{"token": token}, nil
}

// handleUsersGetPersonalAccessTokens answers GET
// users.getPersonalAccessTokens with {tokens:[{name, createdAt,
// lastTokenPart, bypassTwoFactor}]}.
func (a *API) handleUsersGetPersonalAccessTokens(r *Request) (obj, error) {
	tokens, err := a.core.PersonalAccessTokens(r.Context(), r.Actor)
	if err != nil {
		return nil, err
	}
	out := make([]obj, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, obj{"name": t.Name, "createdAt": wire.FormatISO(t.CreatedAt), "lastTokenPart": t.LastPart, "bypassTwoFactor": t.Bypass2FA})
	}
	return obj{"tokens": out}, nil
}

// handleUsersRemovePersonalAccessToken answers POST
// users.removePersonalAccessToken {tokenName} with {}.
func (a *API) handleUsersRemovePersonalAccessToken(r *Request) (obj, error) {
	b, err := r.decodeTokenName()
	if err != nil {
		return nil, err
	}
	return nil, a.core.RemovePersonalAccessToken(r.Context(), r.Actor, b.TokenName)
}
