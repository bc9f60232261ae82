package ddp

import (
	"context"
	"sort"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

func (h *Handler) settingsMethods(m map[string]methodFunc) {
	m["public-settings/get"] = h.publicSettingsGet
	m["private-settings/get"] = h.privateSettingsGet
	m["permissions/get"] = h.permissionsGet
	m["getUserRoles"] = h.getUserRoles
}

// publicSettingsGet: [] → every public setting; [date] → {update, remove}.
func (h *Handler) publicSettingsGet(ctx context.Context, c *call) (any, error) {
	since, asked, err := c.date(0)
	if err != nil {
		return nil, err
	}
	settings, err := h.core.PublicSettings(ctx, since)
	if err != nil {
		return nil, err
	}
	docs := make([]wire.PublicSetting, 0, len(settings))
	for _, s := range settings {
		docs = append(docs, wire.PublicSetting{ID: s.ID, Value: s.Value})
	}
	if !asked {
		return docs, nil
	}
	return updatesAndRemovals{Update: docs, Remove: []wire.Removed{}}, nil
}

// privateSettingsGet: [] → every setting with its type, group, choices and
// environment lock, for those allowed to view privileged settings (the
// administration pages); [date] → {update, remove}.
func (h *Handler) privateSettingsGet(ctx context.Context, c *call) (any, error) {
	u, err := c.user()
	if err != nil {
		return nil, err
	}
	since, asked, err := c.date(0)
	if err != nil {
		return nil, err
	}
	settings, err := h.core.AllSettings(ctx, u, since)
	if err != nil {
		return nil, err
	}
	docs := make([]*wire.Setting, 0, len(settings))
	for i := range settings {
		docs = append(docs, wire.NewSetting(&settings[i], wire.EJSON))
	}
	if !asked {
		return docs, nil
	}
	return updatesAndRemovals{Update: docs, Remove: []wire.Removed{}}, nil
}

// permissionsGet: [] → every permission with its roles; [date] →
// {update, remove}.
func (h *Handler) permissionsGet(ctx context.Context, c *call) (any, error) {
	since, asked, err := c.date(0)
	if err != nil {
		return nil, err
	}
	perms, err := h.core.Permissions(ctx, since)
	if err != nil {
		return nil, err
	}
	docs := wire.NewPermissions(perms, wire.EJSON)
	if !asked {
		return docs, nil
	}
	return updatesAndRemovals{Update: docs, Remove: []wire.Removed{}}, nil
}

// userRoles is an entry of getUserRoles.
type userRoles struct {
	ID       string   `json:"_id"`
	Username string   `json:"username"`
	Roles    []string `json:"roles"`
}

// getUserRoles: [] → the users holding a global role that Rocket.Chat
// lists there: a role of scope Users with a description (admin and the
// livechat roles by default). EmbeddedChat reads it to find the admins.
func (h *Handler) getUserRoles(ctx context.Context, c *call) (any, error) {
	if _, err := c.user(); err != nil {
		return nil, err
	}
	roles, err := h.core.Roles(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []userRoles{}
	for _, r := range roles {
		if r.Scope != "Users" || r.Description == "" {
			continue
		}
		// A read-only listing with no REST twin; core has no use case for
		// it, so it reads the store.
		users, _, err := h.core.Store().ListUsers(ctx, chat.UserFilter{Role: r.ID})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if seen[u.ID] {
				continue
			}
			seen[u.ID] = true
			out = append(out, userRoles{ID: u.ID, Username: u.Username, Roles: u.Roles})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}
