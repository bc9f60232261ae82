package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// incomingTokenLength is the length of an incoming webhook's secret, as
// Rocket.Chat makes them.
const incomingTokenLength = 48

// field is a request field and whether the request had it.
type field struct {
	name    string
	present bool
}

// requireFields answers Rocket.Chat's schema error for the first absent
// required field.
func requireFields(fields ...field) error {
	for _, f := range fields {
		if !f.present {
			return chat.ErrInvalidParam("must have required property '%s'", f.name)
		}
	}
	return nil
}

func (s *Service) createIncoming(ctx context.Context, actor *chat.User, in IntegrationInput) (*chat.Integration, error) {
	const method = "addIncomingIntegration"
	if err := requireFields(field{"name", in.Name != nil}, field{"enabled", in.Enabled != nil},
		field{"username", in.Username != nil}, field{"channel", in.Channel != nil},
		field{"scriptEnabled", in.ScriptEnabled != nil}); err != nil {
		return nil, err
	}
	if all, own := s.canManageIntegrations(ctx, actor, in.Type); !all && !own {
		return nil, errIntegration("not_authorized", "Unauthorized", method)
	}
	channels, err := integrationChannels(in.Channel, method)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(*in.Username) == "" {
		return nil, errIntegration("error-invalid-username", "Invalid username", method)
	}
	if _, err := s.store.UserByUsername(ctx, strings.TrimSpace(*in.Username)); chat.IsKind(err, chat.ENotFound) {
		return nil, errIntegration("error-invalid-user", "Invalid user", method)
	} else if err != nil {
		return nil, err
	}
	if err := s.checkIntegrationChannels(ctx, actor, channels, in.Type, method); err != nil {
		return nil, err
	}
	now := s.now()
	it := &chat.Integration{
		ID: chat.NewID(), Type: chat.IntegrationIncoming, Name: strings.TrimSpace(*in.Name), Enabled: *in.Enabled,
		Channels: channels, Token: chat.RandomString(incomingTokenLength),
		CreatedAt: now, CreatedBy: actor.Ref(), UpdatedAt: now,
	}
	setString(&it.Alias, in.Alias)
	setString(&it.Emoji, in.Emoji)
	setString(&it.Avatar, in.Avatar)
	setBool(&it.OverrideDestinationChannelEnabled, in.OverrideDestinationChannelEnabled)
	s.setScript(it, in.ScriptEnabled, in.Script, in.ScriptEngine)
	if err := s.insertIntegration(ctx, it, *in.Username); err != nil {
		return nil, err
	}
	return it, nil
}

func (s *Service) updateIncoming(ctx context.Context, actor *chat.User, cur *chat.Integration, in IntegrationInput) (*chat.Integration, error) {
	const method = "updateIncomingIntegration"
	channels, err := integrationChannels(in.Channel, method)
	if err != nil {
		return nil, err
	}
	all, own := s.canManageIntegrations(ctx, actor, cur.Type)
	switch {
	case !all && !own:
		return nil, errIntegration("not_authorized", "Unauthorized", method)
	case !all && cur.CreatedBy.ID != actor.ID:
		return nil, errInvalidIntegration(method)
	}
	if err := s.checkIntegrationChannels(ctx, actor, channels, cur.Type, method); err != nil {
		return nil, err
	}
	username := cur.Username
	if in.Username != nil {
		username = *in.Username
	}
	if _, err := s.store.UserByUsername(ctx, strings.TrimSpace(username)); chat.IsKind(err, chat.ENotFound) {
		return nil, errIntegration("error-invalid-post-as-user", "Invalid Post As User", method)
	} else if err != nil {
		return nil, err
	}
	ref := actor.Ref()
	var out *chat.Integration
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		it, err := tx.IntegrationByID(ctx, cur.ID)
		if chat.IsKind(err, chat.ENotFound) {
			return errInvalidIntegration(method)
		}
		if err != nil {
			return err
		}
		u, err := s.integrationUser(ctx, tx, o, username)
		if err != nil {
			return err
		}
		it.Username, it.UserID, it.Channels = u.Username, u.ID, channels
		setString(&it.Name, in.Name)
		setBool(&it.Enabled, in.Enabled)
		setString(&it.Alias, in.Alias)
		setString(&it.Emoji, in.Emoji)
		setString(&it.Avatar, in.Avatar)
		setBool(&it.OverrideDestinationChannelEnabled, in.OverrideDestinationChannelEnabled)
		s.setScript(it, in.ScriptEnabled, in.Script, in.ScriptEngine)
		it.UpdatedAt, it.UpdatedBy = s.now(), &ref
		out = it
		return tx.UpdateIntegration(ctx, it)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
