package core

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// loadSettings fills the settings and permissions caches from the store.
func (s *Service) loadSettings(ctx context.Context) error {
	all, err := s.store.Settings(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	perms, err := s.store.Permissions(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("load permissions: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = make(map[string]*chat.Setting, len(all))
	for i := range all {
		s.settings[all[i].ID] = &all[i]
	}
	s.perms = make(map[string]map[string]bool, len(perms))
	for _, p := range perms {
		s.perms[p.ID] = roleSet(p.Roles)
	}
	return nil
}

func roleSet(roles []string) map[string]bool {
	set := make(map[string]bool, len(roles))
	for _, r := range roles {
		set[r] = true
	}
	return set
}

// Setting returns a setting's current value.
func (s *Service) Setting(id string) (any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.settings[id]
	if !ok {
		return nil, false
	}
	return st.Value, true
}

// SettingBool returns a boolean setting, or false.
func (s *Service) SettingBool(id string) bool {
	v, _ := s.Setting(id)
	b, _ := v.(bool)
	return b
}

// SettingInt returns a numeric setting, or def when unset or not a number.
func (s *Service) SettingInt(id string, def int) int {
	v, ok := s.Setting(id)
	if !ok {
		return def
	}
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	case json.Number:
		i, err := n.Int64()
		if err == nil {
			return int(i)
		}
	case string:
		if i, err := strconv.Atoi(n); err == nil {
			return i
		}
	}
	return def
}

// SettingString returns a string setting, or "".
func (s *Service) SettingString(id string) string {
	v, _ := s.Setting(id)
	str, _ := v.(string)
	return str
}

// SettingDoc returns a copy of a setting's whole document.
func (s *Service) SettingDoc(id string) (chat.Setting, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.settings[id]
	if !ok {
		return chat.Setting{}, false
	}
	return *st, true
}

// cacheSetting records a changed setting in the cache.
func (s *Service) cacheSetting(st chat.Setting) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings[st.ID] = &st
}

// cachePermission records a changed permission in the cache.
func (s *Service) cachePermission(p chat.Permission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perms[p.ID] = roleSet(p.Roles)
}

// ApplyEvent refreshes the caches from an event published by any instance
// (including this one); the realtime hub feeds it every global event.
func (s *Service) ApplyEvent(ev chat.Event) {
	switch ev.Kind {
	case chat.EventSetting:
		var st chat.Setting
		if json.Unmarshal(ev.Data, &st) == nil && st.ID != "" {
			s.cacheSetting(st)
		}
	case chat.EventPermission:
		var p chat.Permission
		if json.Unmarshal(ev.Data, &p) == nil && p.ID != "" {
			s.cachePermission(p)
		}
	}
}

// PublicSettings returns the public, visible settings changed after
// since, in the store's order.
func (s *Service) PublicSettings(ctx context.Context, since time.Time) ([]chat.Setting, error) {
	all, err := s.store.Settings(ctx, since)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, st := range all {
		if st.Public && !st.Hidden {
			out = append(out, st)
		}
	}
	return out, nil
}

// VisibleSettings returns the settings actor may list (Rocket.Chat's
// GET settings): every visible setting with view-privileged-setting, the
// public ones otherwise.
func (s *Service) VisibleSettings(ctx context.Context, actor *chat.User, since time.Time) ([]chat.Setting, error) {
	if !s.Can(ctx, actor, "view-privileged-setting", "") {
		return s.PublicSettings(ctx, since)
	}
	all, err := s.store.Settings(ctx, since)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, st := range all {
		if !st.Hidden {
			out = append(out, st)
		}
	}
	return out, nil
}

// AllSettings returns every setting, for administrators.
func (s *Service) AllSettings(ctx context.Context, actor *chat.User, since time.Time) ([]chat.Setting, error) {
	if !s.Can(ctx, actor, "view-privileged-setting", "") {
		return nil, chat.ErrUnauthorizedAction()
	}
	return s.store.Settings(ctx, since)
}

// errSettingNotFound is the error for unknown and hidden settings alike, so
// that hidden ones are not revealed.
func errSettingNotFound(id string) error {
	return chat.Errorf(chat.ENotFound, "error-setting-not-found", "Setting %s not found", id)
}

// GetSetting returns one setting: public ones to anyone, private ones to
// those allowed to view privileged settings. Hidden settings do not
// exist for the API.
func (s *Service) GetSetting(ctx context.Context, actor *chat.User, id string) (*chat.Setting, error) {
	st, err := s.store.SettingByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && st.Hidden) {
		return nil, errSettingNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	if !st.Public {
		if actor == nil {
			return nil, errLoginRequired()
		}
		if !s.Can(ctx, actor, "view-privileged-setting", "") {
			return nil, chat.ErrUnauthorizedAction()
		}
	}
	return st, nil
}

// SetSetting changes a setting's value as an administrator. The value must
// suit the setting's type; settings forced by OVERWRITE_SETTING_<id> are
// refused.
func (s *Service) SetSetting(ctx context.Context, actor *chat.User, id string, value any) (*chat.Setting, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if !s.Can(ctx, actor, "edit-privileged-setting", "") {
		return nil, chat.ErrUnauthorizedAction()
	}
	st, err := s.store.SettingByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && st.Hidden) {
		return nil, errSettingNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	if st.EnvLocked {
		return nil, chat.Errorf(chat.EInvalid, "error-setting-locked", "Setting %s is locked by the environment", id)
	}
	v, err := coerceSetting(st, value)
	if err != nil {
		return nil, err
	}
	return s.writeSetting(ctx, st, v, false)
}

// writeSetting stores a value (and lock) and announces it: public settings
// to everyone, private ones to logged-in clients, which filter by
// permission.
func (s *Service) writeSetting(ctx context.Context, st *chat.Setting, v any, lock bool) (*chat.Setting, error) {
	at := s.now()
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := tx.SetSettingValue(ctx, st.ID, v, lock, at); err != nil {
			return err
		}
		st.Value, st.EnvLocked, st.UpdatedAt = v, lock, at
		topic := chat.TopicLogged
		if st.Public {
			topic = chat.TopicAll
		}
		o.addData(topic, chat.Event{Kind: chat.EventSetting, At: at}, st)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.cacheSetting(*st)
	return st, nil
}

// coerceSetting checks a new value against the setting's type and returns
// it in canonical form: bool for booleans, int for ints, string for the
// text types. Strings are accepted for booleans and ints too, because
// environment variables only carry strings.
func coerceSetting(st *chat.Setting, value any) (any, error) {
	bad := func() error {
		return chat.Errorf(chat.EInvalid, "error-invalid-setting-value", "Invalid value for setting %s", st.ID)
	}
	switch st.Type {
	case "boolean":
		switch v := value.(type) {
		case bool:
			return v, nil
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return nil, bad()
			}
			return b, nil
		}
		return nil, bad()
	case "int":
		n, ok := settingNumber(value)
		if !ok {
			return nil, bad()
		}
		return n, nil
	case "select", "radio":
		str, ok := value.(string)
		if !ok {
			if n, isNum := settingNumber(value); isNum {
				str = strconv.Itoa(n) // selects may have numeric keys
			} else {
				return nil, bad()
			}
		}
		if len(st.Values) == 0 {
			return str, nil
		}
		for _, o := range st.Values {
			if o.Key == str {
				return str, nil
			}
		}
		return nil, bad()
	case "string", "code", "password", "relativeUrl", "email", "font", "language", "color", "timezone", "roomPick":
		str, ok := value.(string)
		if !ok {
			return nil, bad()
		}
		return str, nil
	case "action", "group", "section", "asset", "multiSelect", "date", "lookup":
		return nil, bad()
	}
	switch v := value.(type) {
	case string, bool:
		return v, nil
	}
	if n, ok := settingNumber(value); ok {
		return n, nil
	}
	return nil, bad()
}

// settingNumber reads an integral number from a decoded JSON value or a string.
func settingNumber(value any) (int, bool) {
	switch v := value.(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		if v != float64(int(v)) {
			return 0, false
		}
		return int(v), true
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return 0, false
		}
		return int(i), true
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, false
		}
		return i, true
	}
	return 0, false
}

// ApplyEnvSettings applies Rocket.Chat's environment conventions:
// OVERWRITE_SETTING_<id> forces a value (and locks it) at every start;
// <id> sets a value only when the setting is first created, which Init
// signals with firstStart. A removed override unlocks its setting, which
// keeps the last forced value. Values are parsed per the setting's type; a
// value that does not fit is an error, so that a typo stops the start
// instead of being ignored.
func (s *Service) ApplyEnvSettings(ctx context.Context, env map[string]string, firstStart bool) error {
	s.mu.RLock()
	ids := make([]string, 0, len(s.settings))
	for id := range s.settings {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	sort.Strings(ids)
	for _, id := range ids {
		st, _ := s.SettingDoc(id)
		raw, forced := env["OVERWRITE_SETTING_"+id]
		if !forced {
			if st.EnvLocked { // an override was removed: unlock
				if _, err := s.writeSetting(ctx, &st, st.Value, false); err != nil {
					return err
				}
			}
			if !firstStart {
				continue
			}
			var ok bool
			if raw, ok = env[id]; !ok {
				continue
			}
		}
		v, err := coerceSetting(&st, raw)
		if err != nil {
			return fmt.Errorf("environment value for setting %s: %w", id, err)
		}
		if sameSettingValue(st.Value, v) && st.EnvLocked == forced {
			continue // nothing changes; do not bump _updatedAt at every start
		}
		if _, err := s.writeSetting(ctx, &st, v, forced); err != nil {
			return err
		}
	}
	return nil
}

// sameSettingValue compares setting values across their decoded forms (a stored
// int may come back as a float64).
func sameSettingValue(a, b any) bool {
	if x, ok := settingNumber(a); ok {
		if y, ok := settingNumber(b); ok {
			_, aStr := a.(string)
			_, bStr := b.(string)
			return x == y && aStr == bStr
		}
	}
	return a == b
}
