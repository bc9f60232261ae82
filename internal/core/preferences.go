package core

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// defaultPreferencePrefix names the settings that hold the server-wide
// defaults of user preferences, as in Rocket.Chat.
const defaultPreferencePrefix = "Accounts_Default_User_Preferences_"

// prefKind is the JSON type a preference must have.
type prefKind int

const (
	prefBool prefKind = iota
	prefNumber
	prefString
	prefStrings // array of strings
	prefObjects // array of objects
)

// preferenceKinds lists the preferences users.setPreferences accepts, with
// their types (Rocket.Chat's UsersSetPreferencesParamsPOST schema, which
// refuses any other key).
var preferenceKinds = map[string]prefKind{
	"newRoomNotification": prefString, "newMessageNotification": prefString, "clockMode": prefNumber,
	"useEmojis": prefBool, "convertAsciiEmoji": prefBool, "saveMobileBandwidth": prefBool,
	"collapseMediaByDefault": prefBool, "autoImageLoad": prefBool, "emailNotificationMode": prefString,
	"unreadAlert": prefBool, "notificationsSoundVolume": prefNumber, "desktopNotifications": prefString,
	"pushNotifications": prefString, "enableAutoAway": prefBool, "highlights": prefStrings,
	"alsoSendThreadToChannel": prefString, "desktopNotificationRequireInteraction": prefBool,
	"showThreadsInMainChannel": prefBool, "hideUsernames": prefBool, "hideRoles": prefBool,
	"displayAvatars": prefBool, "hideFlexTab": prefBool, "sendOnEnter": prefString, "language": prefString,
	"sidebarShowFavorites": prefBool, "sidebarShowUnread": prefBool, "sidebarSortby": prefString,
	"sidebarViewMode": prefString, "sidebarDisplayAvatar": prefBool, "sidebarGroupByType": prefBool,
	"muteFocusedConversations": prefBool, "dontAskAgainList": prefObjects, "featuresPreview": prefObjects,
	"themeAppearence": prefString, "fontSize": prefString, "receiveLoginDetectionEmail": prefBool,
	"notifyCalendarEvents": prefBool, "idleTimeLimit": prefNumber, "idleTimeLimitH": prefNumber,
	"idleTimeLimitM": prefNumber, "idleTimeLimitS": prefNumber, "omnichannelTranscriptEmail": prefBool,
	"omnichannelTranscriptPDF": prefBool, "omnichannelHideConversationAfterClosing": prefBool,
	"enableMobileRinging": prefBool, "mentionsWithSymbol": prefBool,
}

// DefaultPreferences returns the server-wide preference defaults, from the
// Accounts_Default_User_Preferences_* settings.
func (s *Service) DefaultPreferences() map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]any{}
	for id, st := range s.settings {
		if key, ok := strings.CutPrefix(id, defaultPreferencePrefix); ok && key != "" {
			out[key] = st.Value
		}
	}
	return out
}

// EffectivePreferences returns u's preferences over the server defaults:
// what /me and login report as settings.preferences.
func (s *Service) EffectivePreferences(u *chat.User) map[string]any {
	out := s.DefaultPreferences()
	for k, v := range u.Preferences {
		out[k] = v
	}
	return out
}

// checkPreferences validates a users.setPreferences data object and
// returns it with values in canonical types (strings holding booleans or
// numbers are accepted, as Rocket.Chat's validator coerces them).
func checkPreferences(data map[string]any) (map[string]any, error) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys) // report the first bad key deterministically
	out := make(map[string]any, len(data))
	for _, k := range keys {
		kind, ok := preferenceKinds[k]
		if !ok {
			return nil, chat.ErrInvalidParam("must NOT have additional properties: '%s'", k)
		}
		v, ok := coercePreference(kind, data[k])
		if !ok {
			return nil, chat.ErrInvalidParam("must be %s: 'data.%s'", prefKindName(kind), k)
		}
		out[k] = v
	}
	if v, ok := out["alsoSendThreadToChannel"].(string); ok && v != "default" && v != "always" && v != "never" {
		return nil, chat.ErrInvalidParam("must be equal to one of the allowed values: 'data.alsoSendThreadToChannel'")
	}
	if v, ok := out["notificationsSoundVolume"].(float64); ok && (v < 0 || v > 100) {
		return nil, chat.ErrInvalidParam("must be between 0 and 100: 'data.notificationsSoundVolume'")
	}
	return out, nil
}

func prefKindName(k prefKind) string {
	switch k {
	case prefBool:
		return "boolean"
	case prefNumber:
		return "number"
	case prefString:
		return "string"
	}
	return "array"
}

// coercePreference returns v in the preference's canonical type.
func coercePreference(kind prefKind, v any) (any, bool) {
	switch kind {
	case prefBool:
		switch x := v.(type) {
		case bool:
			return x, true
		case string:
			b, err := strconv.ParseBool(x)
			return b, err == nil
		}
	case prefNumber:
		switch x := v.(type) {
		case float64:
			return x, true
		case int:
			return float64(x), true
		case json.Number:
			f, err := x.Float64()
			return f, err == nil
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			return f, err == nil
		}
	case prefString:
		x, ok := v.(string)
		return x, ok
	case prefStrings:
		xs, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			str, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, str)
		}
		return out, true
	case prefObjects:
		xs, ok := v.([]any)
		if !ok {
			return nil, false
		}
		for _, x := range xs {
			if _, ok := x.(map[string]any); !ok {
				return nil, false
			}
		}
		return normalizeNumbers(xs), true
	}
	return nil, false
}

// normalizeNumbers turns json.Number leaves into float64, so stored
// preferences hold plain JSON values.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeNumbers(x[k])
		}
	}
	return v
}

// SetPreferences implements users.setPreferences: it merges data into the
// preferences of the actor, or of userID with edit-other-user-info, and
// returns the user.
func (s *Service) SetPreferences(ctx context.Context, actor *chat.User, userID string, data map[string]any) (*chat.User, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if userID == "" {
		userID = actor.ID
	}
	if userID != actor.ID && !s.Can(ctx, actor, "edit-other-user-info", "") {
		return nil, chat.Errorf(chat.EInvalid, "error-action-not-allowed", "Editing user is not allowed")
	}
	prefs, err := checkPreferences(data)
	if err != nil {
		return nil, err
	}
	var out *chat.User
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := tx.UserByID(ctx, userID)
		if chat.IsKind(err, chat.ENotFound) {
			return chat.Errorf(chat.EInvalid, "error-invalid-user", "The optional \"userId\" param provided does not match any users")
		}
		if err != nil {
			return err
		}
		merged := make(map[string]any, len(u.Preferences)+len(prefs))
		for k, v := range u.Preferences {
			merged[k] = v
		}
		for k, v := range prefs {
			merged[k] = v
		}
		u.Preferences = merged
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

// CheckPreferences validates a preferences object the way
// users.setPreferences does, for adapters that accept preferences
// elsewhere (users.update's settings.preferences).
func (s *Service) CheckPreferences(data map[string]any) (map[string]any, error) {
	return checkPreferences(data)
}
