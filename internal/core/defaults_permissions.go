package core

import "github.com/liftoff-chat/liftoff/internal/chat"

// defaultPermissions returns Rocket.Chat's plain (non-setting) permissions
// with their default roles, as seeded on first start. Position is the index
// in the returned slice, which is also the order of permissions.listAll.
//
// The list follows apps/meteor/app/authorization/server/constant/permissions.ts
// (upstream, 8.x), with two departures:
//
//   - That file lists remove-livechat-department twice; Rocket.Chat upserts by
//     id, so the second entry never becomes a document. It appears once here.
//
//   - Six permissions are moved later. EmbeddedChat reads the listAll array
//     by index: update[28], update[70], update[140] and update[150] must be
//     edit-message, view-full-other-user-info, post-readonly and pin-message.
//     Rocket.Chat has since added permissions ahead of them (upstream order
//     puts them at 28, 72, 146 and 152), so we pull two admin dashboards
//     (view-device-management, view-engagement-dashboard) from before
//     view-full-other-user-info and four recent additions
//     (view-livechat-contact-history, delete-livechat-contact and the two
//     allow-*-voice-calls) from before post-readonly, and re-insert four of
//     them between post-readonly and pin-message and two right after
//     pin-message. Every other client looks permissions up by id, so only
//     the index of these four matters. TestDefaultPermissionsEmbeddedChatIndices
//     pins it.
func defaultPermissions() []chat.Permission {
	ps := []chat.Permission{
		{ID: "access-permissions", Roles: []string{"admin"}},
		{ID: "access-marketplace", Roles: []string{"admin", "user"}},
		{ID: "access-setting-permissions", Roles: []string{"admin"}},
		{ID: "add-oauth-service", Roles: []string{"admin"}},
		{ID: "add-user-to-joined-room", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "add-user-to-any-c-room", Roles: []string{"admin"}},
		{ID: "add-user-to-any-p-room", Roles: []string{}},
		{ID: "kick-user-from-any-c-room", Roles: []string{"admin"}},
		{ID: "kick-user-from-any-p-room", Roles: []string{}},
		{ID: "api-bypass-rate-limit", Roles: []string{"admin", "bot", "app"}},
		{ID: "archive-room", Roles: []string{"admin", "owner"}},
		{ID: "assign-admin-role", Roles: []string{"admin"}},
		{ID: "assign-roles", Roles: []string{"admin"}},
		{ID: "ban-user", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "bulk-register-user", Roles: []string{"admin"}},
		{ID: "change-livechat-room-visitor", Roles: []string{"admin", "livechat-manager", "livechat-agent"}},
		{ID: "create-c", Roles: []string{"admin", "user", "federated-external", "bot", "app"}},
		{ID: "create-d", Roles: []string{"admin", "user", "federated-external", "bot", "app"}},
		{ID: "create-p", Roles: []string{"admin", "user", "federated-external", "bot", "app"}},
		{ID: "create-personal-access-tokens", Roles: []string{"admin", "user"}},
		{ID: "create-user", Roles: []string{"admin"}},
		{ID: "clean-channel-history", Roles: []string{"admin"}},
		{ID: "delete-c", Roles: []string{"admin", "owner"}},
		{ID: "delete-d", Roles: []string{"admin"}},
		{ID: "delete-message", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "delete-own-message", Roles: []string{"admin", "user", "federated-external"}},
		{ID: "delete-p", Roles: []string{"admin", "owner"}},
		{ID: "delete-user", Roles: []string{"admin"}},
		{ID: "edit-message", Roles: []string{"admin", "owner", "moderator"}}, // EmbeddedChat: update[28]
		{ID: "edit-other-user-active-status", Roles: []string{"admin"}},
		{ID: "edit-other-user-info", Roles: []string{"admin"}},
		{ID: "edit-other-user-password", Roles: []string{"admin"}},
		{ID: "edit-other-user-avatar", Roles: []string{"admin"}},
		{ID: "edit-other-user-e2ee", Roles: []string{"admin"}},
		{ID: "edit-other-user-totp", Roles: []string{"admin"}},
		{ID: "edit-privileged-setting", Roles: []string{"admin"}},
		{ID: "edit-room", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "edit-room-avatar", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "edit-room-retention-policy", Roles: []string{"admin"}},
		{ID: "force-delete-message", Roles: []string{"admin", "owner"}},
		{ID: "join-without-join-code", Roles: []string{"admin", "bot", "app"}},
		{ID: "leave-c", Roles: []string{"admin", "user", "federated-external", "bot", "anonymous", "app"}},
		{ID: "leave-p", Roles: []string{"admin", "user", "federated-external", "bot", "anonymous", "app"}},
		{ID: "logout-other-user", Roles: []string{"admin"}},
		{ID: "manage-assets", Roles: []string{"admin"}},
		{ID: "manage-email-inbox", Roles: []string{"admin"}},
		{ID: "manage-emoji", Roles: []string{"admin"}},
		{ID: "manage-user-status", Roles: []string{"admin"}},
		{ID: "manage-outgoing-integrations", Roles: []string{"admin"}},
		{ID: "manage-incoming-integrations", Roles: []string{"admin"}},
		{ID: "manage-own-outgoing-integrations", Roles: []string{"admin"}},
		{ID: "manage-own-incoming-integrations", Roles: []string{"admin"}},
		{ID: "manage-oauth-apps", Roles: []string{"admin"}},
		{ID: "manage-selected-settings", Roles: []string{"admin"}},
		{ID: "mention-all", Roles: []string{"admin", "owner", "moderator", "user", "federated-external"}},
		{ID: "mention-here", Roles: []string{"admin", "owner", "moderator", "user", "federated-external"}},
		{ID: "mute-user", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "remove-user", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "run-import", Roles: []string{"admin"}},
		{ID: "run-migration", Roles: []string{"admin"}},
		{ID: "set-moderator", Roles: []string{"admin", "owner"}},
		{ID: "set-owner", Roles: []string{"admin", "owner"}},
		{ID: "send-many-messages", Roles: []string{"admin", "bot", "app"}},
		{ID: "set-leader", Roles: []string{"admin", "owner"}},
		{ID: "start-discussion", Roles: []string{"admin", "user", "federated-external", "guest", "app"}},
		{ID: "start-discussion-other-user", Roles: []string{"admin", "user", "federated-external", "owner", "app"}},
		{ID: "unarchive-room", Roles: []string{"admin"}},
		{ID: "view-c-room", Roles: []string{"admin", "user", "federated-external", "bot", "app", "anonymous"}},
		{ID: "user-generate-access-token", Roles: []string{"admin"}},
		{ID: "view-d-room", Roles: []string{"admin", "user", "federated-external", "bot", "app", "guest"}},
		// view-device-management and view-engagement-dashboard sit here upstream.
		{ID: "view-full-other-user-info", Roles: []string{"admin"}}, // EmbeddedChat: update[70]
		{ID: "view-joined-room", Roles: []string{"guest", "bot", "app", "anonymous"}},
		{ID: "view-join-code", Roles: []string{"admin"}},
		{ID: "view-logs", Roles: []string{"admin"}},
		{ID: "view-other-user-channels", Roles: []string{"admin"}},
		{ID: "view-p-room", Roles: []string{"admin", "user", "federated-external", "anonymous", "guest"}},
		{ID: "view-privileged-setting", Roles: []string{"admin"}},
		{ID: "view-room-administration", Roles: []string{"admin"}},
		{ID: "view-statistics", Roles: []string{"admin"}},
		{ID: "view-user-administration", Roles: []string{"admin"}},
		{ID: "preview-c-room", Roles: []string{"admin", "user", "federated-external", "anonymous"}},
		{ID: "view-outside-room", Roles: []string{"admin", "owner", "moderator", "user", "federated-external"}},
		{ID: "view-broadcast-member-list", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "call-management", Roles: []string{"admin", "owner", "moderator", "user"}},
		{ID: "create-invite-links", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "view-l-room", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "create-livechat-contact", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "update-livechat-contact", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "view-livechat-contact", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		// delete-livechat-contact and view-livechat-contact-history sit here upstream.
		{ID: "view-livechat-manager", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-omnichannel-contact-center", Roles: []string{"livechat-manager", "livechat-agent", "livechat-monitor", "admin"}},
		{ID: "edit-omnichannel-contact", Roles: []string{"livechat-manager", "livechat-agent", "admin"}},
		{ID: "view-livechat-rooms", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "close-livechat-room", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "close-others-livechat-room", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "on-hold-livechat-room", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "on-hold-others-livechat-room", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "save-others-livechat-room-info", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "remove-closed-livechat-rooms", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-analytics", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-queue", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "transfer-livechat-guest", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "manage-livechat-managers", Roles: []string{"livechat-manager", "admin"}},
		{ID: "manage-livechat-agents", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "manage-livechat-departments", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-departments", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "add-livechat-department-agents", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-real-time-monitoring", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-triggers", Roles: []string{"livechat-manager", "admin"}},
		{ID: "view-livechat-customfields", Roles: []string{"livechat-manager", "admin"}},
		{ID: "view-livechat-installation", Roles: []string{"livechat-manager", "admin"}},
		{ID: "view-livechat-appearance", Roles: []string{"livechat-manager", "admin"}},
		{ID: "view-livechat-webhooks", Roles: []string{"livechat-manager", "admin"}},
		{ID: "view-livechat-business-hours", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-room-closed-same-department", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-room-closed-by-another-agent", Roles: []string{"livechat-manager", "livechat-monitor", "admin"}},
		{ID: "view-livechat-room-customfields", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "edit-livechat-room-customfields", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "send-omnichannel-chat-transcript", Roles: []string{"livechat-manager", "admin"}},
		{ID: "mail-messages", Roles: []string{"admin"}},
		{ID: "toggle-room-e2e-encryption", Roles: []string{"owner", "admin"}},
		{ID: "message-impersonate", Roles: []string{"bot", "app"}},
		{ID: "create-team", Roles: []string{"admin", "user"}},
		{ID: "delete-team", Roles: []string{"admin", "owner"}},
		{ID: "convert-team", Roles: []string{"admin", "owner"}},
		{ID: "edit-team", Roles: []string{"admin", "owner"}},
		{ID: "add-team-member", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "edit-team-member", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "move-room-to-team", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "create-team-channel", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "create-team-group", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "delete-team-channel", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "delete-team-group", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "edit-team-channel", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "remove-team-channel", Roles: []string{"admin", "owner", "moderator"}},
		{ID: "view-all-team-channels", Roles: []string{"admin", "owner"}},
		{ID: "view-all-teams", Roles: []string{"admin"}},
		{ID: "remove-closed-livechat-room", Roles: []string{"livechat-manager", "admin"}},
		{ID: "remove-livechat-department", Roles: []string{"livechat-manager", "admin"}},
		// allow-internal-voice-calls and allow-external-voice-calls sit here upstream.
		{ID: "manage-apps", Roles: []string{"admin"}},
		{ID: "post-readonly", Roles: []string{"admin", "owner", "moderator"}}, // EmbeddedChat: update[140]
		{ID: "set-readonly", Roles: []string{"admin", "owner"}},
		{ID: "set-react-when-readonly", Roles: []string{"admin", "owner"}},
		{ID: "manage-cloud", Roles: []string{"admin"}},
		{ID: "manage-sounds", Roles: []string{"admin"}},
		{ID: "access-mailer", Roles: []string{"admin"}},
		// Moved here to put pin-message at 150.
		{ID: "view-livechat-contact-history", Roles: []string{"livechat-manager", "livechat-monitor", "livechat-agent", "admin"}},
		{ID: "delete-livechat-contact", Roles: []string{"livechat-manager", "admin"}},
		{ID: "allow-internal-voice-calls", Roles: []string{"admin", "user"}},
		{ID: "allow-external-voice-calls", Roles: []string{"admin", "user"}},
		{ID: "pin-message", Roles: []string{"owner", "moderator", "admin"}}, // EmbeddedChat: update[150]
		// Moved here from before view-full-other-user-info.
		{ID: "view-device-management", Roles: []string{"admin"}},
		{ID: "view-engagement-dashboard", Roles: []string{"admin"}},
		{ID: "mobile-upload-file", Roles: []string{"user", "federated-external", "admin"}},
		{ID: "send-mail", Roles: []string{"admin"}},
		{ID: "view-federation-data", Roles: []string{"admin"}},
		{ID: "access-federation", Roles: []string{"admin", "user", "federated-external"}},
		{ID: "add-all-to-room", Roles: []string{"admin"}},
		{ID: "get-server-info", Roles: []string{"admin"}},
		{ID: "register-on-cloud", Roles: []string{"admin"}},
		{ID: "test-admin-options", Roles: []string{"admin"}},
		{ID: "test-push-notifications", Roles: []string{"admin", "user"}},
		{ID: "sync-auth-services-users", Roles: []string{"admin"}},
		{ID: "restart-server", Roles: []string{"admin"}},
		{ID: "remove-slackbridge-links", Roles: []string{"admin"}},
		{ID: "view-import-operations", Roles: []string{"admin"}},
		{ID: "clear-oembed-cache", Roles: []string{"admin"}},
		{ID: "videoconf-ring-users", Roles: []string{"admin", "owner", "moderator", "user"}},
		{ID: "view-moderation-console", Roles: []string{"admin"}},
		{ID: "manage-moderation-actions", Roles: []string{"admin"}},
		{ID: "bypass-time-limit-edit-and-delete", Roles: []string{"bot", "app"}},
		{ID: "export-messages-as-pdf", Roles: []string{"admin", "user"}},
	}
	for i := range ps {
		ps[i].Group = "permissions"
		ps[i].Position = i
	}
	return ps
}
