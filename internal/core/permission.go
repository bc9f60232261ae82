package core

import (
	"context"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Can reports whether actor holds permission perm, through a global role or,
// when roomID is set, a role in that room. Nil actors hold the permissions of
// the anonymous role.
func (s *Service) Can(ctx context.Context, actor *chat.User, perm, roomID string) bool {
	s.mu.RLock()
	roles := s.perms[perm]
	s.mu.RUnlock()
	if len(roles) == 0 {
		return false
	}
	if actor == nil {
		return roles["anonymous"]
	}
	for _, r := range actor.Roles {
		if roles[r] {
			return true
		}
	}
	if roomID == "" {
		return false
	}
	sub, err := s.store.Membership(ctx, roomID, actor.ID)
	if err != nil {
		return false
	}
	for _, r := range sub.Roles {
		if roles[r] {
			return true
		}
	}
	return false
}

// canWithSub is Can for callers that already hold the subscription.
func (s *Service) canWithSub(actor *chat.User, sub *chat.Subscription, perm string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	roles := s.perms[perm]
	for _, r := range actor.Roles {
		if roles[r] {
			return true
		}
	}
	if sub != nil {
		for _, r := range sub.Roles {
			if roles[r] {
				return true
			}
		}
	}
	return false
}

// require returns Rocket.Chat's permission error unless actor holds perm.
func (s *Service) require(ctx context.Context, actor *chat.User, perm, roomID string) error {
	if actor == nil {
		return chat.Errorf(chat.EUnauthorized, "error-unauthorized", "You must be logged in to do this.")
	}
	if !s.Can(ctx, actor, perm, roomID) {
		return chat.ErrUnauthorizedAction()
	}
	return nil
}

// Permissions lists permissions changed after since, in Rocket.Chat's
// order (the store's Position), which EmbeddedChat depends on: it reads
// the list by index.
func (s *Service) Permissions(ctx context.Context, since time.Time) ([]chat.Permission, error) {
	return s.store.Permissions(ctx, since)
}

// UpdatePermissions sets the roles of several permissions at once
// (permissions.update). Every id and role is checked before anything is
// written, so a bad entry changes nothing. It returns every permission.
func (s *Service) UpdatePermissions(ctx context.Context, actor *chat.User, updates []chat.Permission) ([]chat.Permission, error) {
	if err := s.require(ctx, actor, "access-permissions", ""); err != nil {
		return nil, err
	}
	roles, err := s.store.Roles(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range roles {
		known[r.ID] = true
	}
	for _, u := range updates {
		if u.ID == "" {
			return nil, chat.ErrInvalidParam("must have required property '_id'")
		}
		for _, r := range u.Roles {
			if !known[r] {
				return nil, chat.Errorf(chat.EInvalid, "error-invalid-role", "Invalid role")
			}
		}
	}
	at := s.now()
	var changed []chat.Permission
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		changed = changed[:0]
		for _, u := range updates {
			p, err := tx.PermissionByID(ctx, u.ID)
			if err != nil {
				if chat.IsKind(err, chat.ENotFound) {
					return chat.Errorf(chat.EInvalid, "error-invalid-permission", "Invalid permission")
				}
				return err
			}
			p.Roles = dedupRoles(u.Roles)
			p.UpdatedAt = at
			if err := tx.UpsertPermission(ctx, p); err != nil {
				return err
			}
			changed = append(changed, *p)
			o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventPermission, At: at}, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range changed {
		s.cachePermission(p)
	}
	return s.store.Permissions(ctx, time.Time{})
}

// dedupRoles returns xs without duplicates, in first-seen order, never
// nil.
func dedupRoles(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// Roles lists every role.
func (s *Service) Roles(ctx context.Context) ([]chat.Role, error) { return s.store.Roles(ctx) }

// UsersInRole lists the users holding a global role, or with roomID the
// members of that room holding a room role (roles.getUsersInRole). Like
// Rocket.Chat it needs access-permissions, and view-other-user-channels
// to look into a room.
func (s *Service) UsersInRole(ctx context.Context, actor *chat.User, role, roomID string, offset, limit int) ([]chat.User, int, error) {
	if err := s.require(ctx, actor, "access-permissions", ""); err != nil {
		return nil, 0, err
	}
	if role == "" {
		return nil, 0, chat.Errorf(chat.EInvalid, "error-param-not-provided", "Query param \"role\" is required")
	}
	if roomID != "" && !s.Can(ctx, actor, "view-other-user-channels", "") {
		return nil, 0, &chat.Error{Kind: chat.EInvalid, Type: "error-not-allowed", Message: "Not allowed"}
	}
	if _, err := s.store.RoleByID(ctx, role); err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return nil, 0, chat.Errorf(chat.EInvalid, "error-invalid-roleId", "")
		}
		return nil, 0, err
	}
	if roomID == "" {
		return s.store.ListUsers(ctx, chat.UserFilter{Role: role, Offset: offset, Limit: limit, Sort: []chat.SortField{{Field: "username"}}})
	}
	r, err := s.findRoom(ctx, s.store, roomID)
	if err != nil {
		return nil, 0, err
	}
	subs, err := s.store.SubscriptionsWithRoles(ctx, r.ID)
	if err != nil {
		return nil, 0, err
	}
	var ids []string
	for _, sub := range subs {
		if sub.HasRole(role) {
			ids = append(ids, sub.User.ID)
		}
	}
	users, err := s.store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	return page(users, offset, limit), len(users), nil
}

// page cuts one page out of a slice.
func page[T any](xs []T, offset, limit int) []T {
	if offset >= len(xs) {
		return nil
	}
	xs = xs[offset:]
	if limit > 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs
}
