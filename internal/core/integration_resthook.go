package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// REST hook events: what Zapier's Rocket.Chat app subscribes to through
// /hooks/add, with Rocket.Chat's names.
const (
	hookNewMessageOnChannel = "newMessageOnChannel"
	hookNewMessageToUser    = "newMessageToUser"
)

// HookSubscription is a REST hook subscription, the body of /hooks/add:
// call TargetURL when Event happens.
type HookSubscription struct {
	Event     string
	Name      string
	TargetURL string
	// ChannelName is the room of newMessageOnChannel (data.channel_name);
	// Username the user of newMessageToUser (data.username).
	ChannelName  string
	Username     string
	TriggerWords []string
}

// SubscribeHook adds an outgoing webhook that calls sub.TargetURL, as
// Rocket.Chat's /hooks/add does. The caller authenticates with an incoming
// webhook's id and token and acts as the account that webhook posts as,
// whose permissions decide. The webhook posts its answers as rocket.cat.
func (s *Service) SubscribeHook(ctx context.Context, id, token string, sub HookSubscription) (*chat.Integration, error) {
	_, user, err := s.webhookUser(ctx, id, token)
	if err != nil {
		return nil, err
	}
	yes, no, username, event, empty := true, false, "rocket.cat", eventSendMessage, ""
	in := IntegrationInput{
		Type: chat.IntegrationOutgoing, Name: &sub.Name, Enabled: &yes, Username: &username, Event: &event,
		URLs: []string{sub.TargetURL}, TriggerWords: sub.TriggerWords, ScriptEnabled: &no, Script: &empty,
	}
	var channel string
	switch sub.Event {
	case hookNewMessageOnChannel:
		// No room leaves the channel absent, which creating refuses.
		if channel = sub.ChannelName; channel != "" && !strings.Contains(channel, "#") {
			channel = "#" + channel
		}
	case hookNewMessageToUser:
		// Rocket.Chat creates this one disabled, so that it never fires;
		// a subscription is made to fire, so it is enabled here too.
		if sub.Username == "" {
			return nil, chat.Errorf(chat.EInvalid, "", "username-required")
		}
		if channel = sub.Username; !strings.Contains(channel, "@") {
			channel = "@" + channel
		}
	default:
		return nil, chat.ErrInvalidParam("must be equal to one of the allowed values: 'event'")
	}
	if channel != "" {
		in.Channel = &channel
	}
	return s.CreateIntegration(ctx, user, in)
}

// UnsubscribeHook removes the outgoing webhook that calls targetURL, as
// Rocket.Chat's /hooks/remove does, with the permissions of the account
// the incoming webhook that id and token name posts as.
func (s *Service) UnsubscribeHook(ctx context.Context, id, token, targetURL string) error {
	_, user, err := s.webhookUser(ctx, id, token)
	if err != nil {
		return err
	}
	in, err := s.findByURL(ctx, targetURL)
	if err != nil {
		return err
	}
	if in == nil {
		return chat.Errorf(chat.EInvalid, "", "integration-not-found")
	}
	return s.DeleteIntegration(ctx, user, chat.IntegrationOutgoing, in.ID)
}
