package rest

import (
	"encoding/json"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

func (a *API) permissionRoutes() {
	a.handle("GET /api/v1/permissions.listAll", authRequired, a.handlePermissionsListAll)
	a.handle("POST /api/v1/permissions.update", authRequired, a.handlePermissionsUpdate)
	a.handle("GET /api/v1/roles.list", authRequired, a.handleRolesList)
	a.handle("GET /api/v1/roles.getUsersInRole", authRequired, a.handleRolesGetUsersInRole)
}

// handlePermissionsListAll answers GET permissions.listAll (updatedSince?)
// with {update, remove}. The order of update is the store's Position
// order, which EmbeddedChat reads by index.
func (a *API) handlePermissionsListAll(r *Request) (obj, error) {
	since, err := r.queryDate("updatedSince")
	if err != nil {
		return nil, err
	}
	perms, err := a.core.Permissions(r.Context(), since)
	if err != nil {
		return nil, err
	}
	return obj{"update": wire.NewPermissions(perms, date), "remove": []obj{}}, nil
}

// handlePermissionsUpdate answers POST permissions.update
// {permissions:[{_id, roles}]} (access-permissions) with {permissions}:
// every permission after the change.
func (a *API) handlePermissionsUpdate(r *Request) (obj, error) {
	var b struct {
		Permissions []json.RawMessage `json:"permissions"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.Permissions == nil {
		return nil, required("permissions")
	}
	updates := make([]chat.Permission, 0, len(b.Permissions))
	for _, raw := range b.Permissions {
		var p struct {
			ID    *string   `json:"_id"`
			Roles *[]string `json:"roles"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, chat.ErrInvalidParam("must be object: 'permissions'")
		}
		if p.ID == nil {
			return nil, required("_id")
		}
		if p.Roles == nil {
			return nil, required("roles")
		}
		updates = append(updates, chat.Permission{ID: *p.ID, Roles: *p.Roles})
	}
	perms, err := a.core.UpdatePermissions(r.Context(), r.Actor, updates)
	if err != nil {
		return nil, err
	}
	return obj{"permissions": wire.NewPermissions(perms, date)}, nil
}

// handleRolesList answers GET roles.list with {roles}, without
// _updatedAt, as Rocket.Chat projects it out.
func (a *API) handleRolesList(r *Request) (obj, error) {
	roles, err := a.core.Roles(r.Context())
	if err != nil {
		return nil, err
	}
	out := wire.NewRoles(roles, date)
	for i := range out {
		out[i].UpdatedAt = nil
	}
	return obj{"roles": out}, nil
}

// handleRolesGetUsersInRole answers GET roles.getUsersInRole (role,
// roomId?, paginated; access-permissions) with {users, total}.
func (a *API) handleRolesGetUsersInRole(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	users, total, err := a.core.UsersInRole(r.Context(), r.Actor, r.q("role"), r.q("roomId"), p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	out := make([]obj, 0, len(users))
	for i := range users {
		u := &users[i]
		doc := obj{"_id": u.ID, "username": u.Username, "name": u.Name}
		emails := make([]wire.Email, 0, len(u.Emails))
		for _, e := range u.Emails {
			emails = append(emails, wire.Email(e))
		}
		doc["emails"] = emails
		if u.AvatarETag != "" {
			doc["avatarETag"] = u.AvatarETag
		}
		if !u.CreatedAt.IsZero() {
			doc["createdAt"] = wire.FormatISO(u.CreatedAt)
		}
		if !u.UpdatedAt.IsZero() {
			doc["_updatedAt"] = wire.FormatISO(u.UpdatedAt)
		}
		out = append(out, doc)
	}
	return obj{"users": out, "total": total}, nil
}
