package core

import (
	"context"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// InitOptions configures first-start seeding.
type InitOptions struct {
	// Env holds the process environment, for OVERWRITE_SETTING_<id>,
	// <id> and the ADMIN_* variables.
	Env map[string]string
}

// Init seeds what a fresh deployment needs — Rocket.Chat's roles,
// permissions and settings, #general, the rocket.cat bot and, when
// ADMIN_USERNAME/ADMIN_PASS are set, the first administrator — and loads
// the caches. It is safe to run at every start and on several instances
// at once: every step is an upsert or checks first.
func (s *Service) Init(ctx context.Context, opts InitOptions) error {
	existing, err := s.store.Settings(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	firstStart := len(existing) == 0
	now := s.now()
	for _, r := range defaultRoles() {
		r.UpdatedAt = now
		if err := s.store.UpsertRole(ctx, &r); err != nil {
			return fmt.Errorf("seed role %s: %w", r.ID, err)
		}
	}
	for _, p := range defaultPermissions() {
		p.UpdatedAt = now
		if err := s.store.InsertPermissionIfMissing(ctx, &p); err != nil {
			return fmt.Errorf("seed permission %s: %w", p.ID, err)
		}
	}
	known := map[string]bool{}
	for _, st := range existing {
		known[st.ID] = true
	}
	for _, st := range defaultSettings() {
		if known[st.ID] {
			continue
		}
		st.UpdatedAt = now
		if err := s.store.UpsertSetting(ctx, &st); err != nil {
			return fmt.Errorf("seed setting %s: %w", st.ID, err)
		}
	}
	if err := s.loadSettings(ctx); err != nil {
		return err
	}
	if err := s.ApplyEnvSettings(ctx, opts.Env, firstStart); err != nil {
		return err
	}
	if err := s.seedBot(ctx); err != nil {
		return err
	}
	if err := s.seedGeneral(ctx); err != nil {
		return err
	}
	return s.seedAdmin(ctx, opts.Env)
}

// seedBot creates rocket.cat, Rocket.Chat's built-in bot.
func (s *Service) seedBot(ctx context.Context) error {
	if _, err := s.store.UserByID(ctx, chat.BotUserID); err == nil {
		return nil
	}
	now := s.now()
	bot := &chat.User{
		ID: chat.BotUserID, Username: chat.BotUsername, Name: "Rocket.Cat", Type: chat.UserTypeBot,
		Active: true, Roles: []string{"bot"}, Status: chat.StatusOnline, StatusDefault: chat.StatusOnline,
		StatusConnection: chat.StatusOnline, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateUser(ctx, bot); err != nil && !chat.IsKind(err, chat.EConflict) {
		return fmt.Errorf("seed rocket.cat: %w", err)
	}
	return nil
}

// seedGeneral creates #general, the default channel.
func (s *Service) seedGeneral(ctx context.Context) error {
	if _, err := s.store.RoomByID(ctx, chat.GeneralRoomID); err == nil {
		return nil
	}
	now := s.now()
	r := &chat.Room{
		ID: chat.GeneralRoomID, Type: chat.RoomChannel, Name: "general", FName: "general",
		Default: true, Creator: chat.UserRef{ID: chat.BotUserID, Username: chat.BotUsername},
		CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateRoom(ctx, r); err != nil && !chat.IsKind(err, chat.EConflict) {
		return fmt.Errorf("seed #general: %w", err)
	}
	return nil
}

// seedAdmin creates the administrator named by ADMIN_USERNAME and
// ADMIN_PASS (and ADMIN_EMAIL), unless a user by that name exists.
func (s *Service) seedAdmin(ctx context.Context, env map[string]string) error {
	name, pass := env["ADMIN_USERNAME"], env["ADMIN_PASS"]
	if name == "" || pass == "" {
		return nil
	}
	if _, err := s.store.UserByUsername(ctx, name); err == nil {
		return nil
	}
	_, err := s.createUser(ctx, NewUser{
		Username: name, Name: env["ADMIN_NAME"], Email: env["ADMIN_EMAIL"], Password: pass,
		Roles: []string{"admin", "user"}, Verified: true, JoinDefaultChannels: true,
	})
	if err != nil && !chat.IsKind(err, chat.EConflict) {
		return fmt.Errorf("create admin %s: %w", name, err)
	}
	// The operator chose the administrator, so there is no first-run
	// wizard left to show.
	if st, ok := s.SettingDoc("Show_Setup_Wizard"); ok && !st.EnvLocked && st.Value != "completed" {
		if _, err := s.writeSetting(ctx, &st, "completed", false); err != nil {
			return err
		}
	}
	return nil
}
