package core

import "github.com/liftoff-chat/liftoff/internal/chat"

// defaultRoles returns Rocket.Chat's protected roles, seeded (and their
// name, scope and description refreshed) at every start.
//
// The first twelve are the ones upsertPermissions creates, in its order;
// livechat-monitor comes from the enterprise omnichannel module, which
// creates it with the default scope and an empty description. It is seeded
// here too because core permissions (view-l-room and the other livechat
// ones) grant it. A role's ID and Name are the same string, as in
// Rocket.Chat since 4.x. Descriptions are Rocket.Chat's, which the admin UI
// shows untranslated.
func defaultRoles() []chat.Role {
	rs := []chat.Role{
		{ID: "admin", Scope: "Users", Description: "Admin"},
		{ID: "moderator", Scope: "Subscriptions", Description: "Moderator"},
		{ID: "leader", Scope: "Subscriptions", Description: "Leader"},
		{ID: "owner", Scope: "Subscriptions", Description: "Owner"},
		{ID: "user", Scope: "Users"},
		{ID: "federated-external", Scope: "Users"},
		{ID: "bot", Scope: "Users"},
		{ID: "app", Scope: "Users"},
		{ID: "guest", Scope: "Users"},
		{ID: "anonymous", Scope: "Users"},
		{ID: "livechat-agent", Scope: "Users", Description: "Livechat Agent"},
		{ID: "livechat-manager", Scope: "Users", Description: "Livechat Manager"},
		{ID: "livechat-monitor", Scope: "Users"},
	}
	for i := range rs {
		rs[i].Name = rs[i].ID
		rs[i].Protected = true
	}
	return rs
}
