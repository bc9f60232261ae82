package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// outgoingEventUse says what an outgoing webhook's event relies on, as
// Rocket.Chat's outgoingEvents table does: rooms to listen to, trigger
// words to look for, a room to post into.
type outgoingEventUse struct {
	channel, triggerWords, targetRoom bool
}

// outgoingEvents are the events an outgoing webhook may listen to.
var outgoingEvents = map[string]outgoingEventUse{
	eventSendMessage:  {channel: true, triggerWords: true},
	eventFileUploaded: {channel: true},
	eventRoomArchived: {},
	eventRoomCreated:  {},
	eventRoomJoined:   {channel: true},
	eventRoomLeft:     {channel: true},
	eventUserCreated:  {targetRoom: true},
}

// Scoped channels: an outgoing webhook may listen to every room of a kind.
const (
	allPublicChannels = "all_public_channels"
	allPrivateGroups  = "all_private_groups"
	allDirectMessages = "all_direct_messages"
)

// Retry delays of an outgoing webhook.
const (
	retryPowersOfTen     = "powers-of-ten"
	retryPowersOfTwo     = "powers-of-two"
	retryIncrementsOfTwo = "increments-of-two"
	defaultRetryCount    = 4
	outgoingTokenLength  = 24
)

func isScopedChannel(c string) bool {
	switch strings.ToLower(c) {
	case allPublicChannels, allPrivateGroups, allDirectMessages:
		return true
	}
	return false
}

func (s *Service) createOutgoing(ctx context.Context, actor *chat.User, in IntegrationInput) (*chat.Integration, error) {
	const method = "addOutgoingIntegration"
	// The order of Rocket.Chat's request schema, so the same field is
	// reported first.
	if err := requireFields(field{"username", in.Username != nil}, field{"channel", in.Channel != nil},
		field{"event", in.Event != nil}, field{"scriptEnabled", in.ScriptEnabled != nil},
		field{"name", in.Name != nil}, field{"enabled", in.Enabled != nil}); err != nil {
		return nil, err
	}
	if all, own := s.canManageIntegrations(ctx, actor, in.Type); !all && !own {
		return nil, errIntegration("not_authorized", "Unauthorized", method)
	}
	now := s.now()
	it := &chat.Integration{
		ID: chat.NewID(), Type: chat.IntegrationOutgoing, Name: strings.TrimSpace(*in.Name), Enabled: *in.Enabled,
		CreatedAt: now, CreatedBy: actor.Ref(), UpdatedAt: now,
	}
	if err := s.validateOutgoing(ctx, actor, it, in, method); err != nil {
		return nil, err
	}
	// Rocket.Chat leaves the token to the client; one is made here when
	// none is given, so that targets can always authenticate the calls.
	if in.Token == nil || strings.TrimSpace(*in.Token) == "" {
		it.Token = chat.RandomString(outgoingTokenLength)
	}
	if err := s.insertIntegration(ctx, it, it.Username); err != nil {
		return nil, err
	}
	s.outgoing.invalidate()
	return it, nil
}

func (s *Service) updateOutgoing(ctx context.Context, actor *chat.User, cur *chat.Integration, in IntegrationInput) (*chat.Integration, error) {
	const method = "updateOutgoingIntegration"
	// Rocket.Chat's update replaces the whole integration; here absent
	// fields keep their values, and the result is validated as a whole.
	in = mergeOutgoing(cur, in)
	probe := *cur
	if err := s.validateOutgoing(ctx, actor, &probe, in, method); err != nil {
		return nil, err
	}
	if strings.TrimSpace(probe.Token) == "" {
		return nil, errIntegration("error-invalid-token", "Invalid token", method)
	}
	all, own := s.canManageIntegrations(ctx, actor, cur.Type)
	switch {
	case !all && !own:
		return nil, errIntegration("not_authorized", "Unauthorized", method)
	case !all && cur.CreatedBy.ID != actor.ID:
		return nil, errIntegration("invalid_integration", "[methods] updateOutgoingIntegration -> integration not found", method)
	}
	// probe holds the validated settings over the current integration;
	// the fields an outgoing webhook's validation does not cover are set
	// here, and the whole is written.
	setString(&probe.Name, in.Name)
	setBool(&probe.Enabled, in.Enabled)
	ref := actor.Ref()
	probe.UpdatedAt, probe.UpdatedBy = s.now(), &ref
	err := s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := s.integrationUser(ctx, tx, o, probe.Username)
		if err != nil {
			return err
		}
		probe.Username, probe.UserID = u.Username, u.ID
		err = tx.UpdateIntegration(ctx, &probe)
		if chat.IsKind(err, chat.ENotFound) {
			return errIntegration("invalid_integration", "[methods] updateOutgoingIntegration -> integration not found", method)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.outgoing.invalidate()
	return &probe, nil
}

// mergeOutgoing fills the fields absent from an update with the
// integration's current values.
func mergeOutgoing(cur *chat.Integration, in IntegrationInput) IntegrationInput {
	str := func(p *string, v string) *string {
		if p != nil {
			return p
		}
		return &v
	}
	flag := func(p *bool, v bool) *bool {
		if p != nil {
			return p
		}
		return &v
	}
	in.Username = str(in.Username, cur.Username)
	in.Channel = str(in.Channel, strings.Join(cur.Channels, ", "))
	in.Event = str(in.Event, cur.Event)
	in.TargetRoom = str(in.TargetRoom, cur.TargetRoom)
	in.Token = str(in.Token, cur.Token)
	in.RetryDelay = str(in.RetryDelay, cur.RetryDelay)
	in.ScriptEnabled = flag(in.ScriptEnabled, cur.ScriptEnabled)
	in.TriggerWordAnywhere = flag(in.TriggerWordAnywhere, cur.TriggerWordAnywhere)
	in.ImpersonateUser = flag(in.ImpersonateUser, cur.ImpersonateUser)
	in.RetryFailedCalls = flag(in.RetryFailedCalls, cur.RetryFailedCalls)
	in.RunOnEdits = flag(in.RunOnEdits, cur.RunOnEdits)
	if in.URLs == nil {
		in.URLs = cur.URLs
	}
	if in.TriggerWords == nil {
		in.TriggerWords = cur.TriggerWords
	}
	if in.RetryCount == nil {
		n := cur.RetryCount
		in.RetryCount = &n
	}
	if in.Script == nil {
		sc := cur.Script
		in.Script = &sc
	}
	return in
}

// validateOutgoing checks an outgoing webhook's settings in the order of
// Rocket.Chat's validateOutgoingIntegration, and writes them into it.
func (s *Service) validateOutgoing(ctx context.Context, actor *chat.User, it *chat.Integration, in IntegrationInput, method string) error {
	event := ""
	if in.Event != nil {
		event = strings.TrimSpace(*in.Event)
	}
	use, ok := outgoingEvents[event]
	if !ok {
		return errIntegration("error-invalid-event-type", "Invalid event type", method)
	}
	username := ""
	if in.Username != nil {
		username = strings.TrimSpace(*in.Username)
	}
	if username == "" {
		return errIntegration("error-invalid-username", "Invalid username", method)
	}
	targetRoom := ""
	if in.TargetRoom != nil {
		targetRoom = strings.TrimSpace(*in.TargetRoom)
	}
	if use.targetRoom && targetRoom == "" {
		return errIntegration("error-invalid-targetRoom", "Invalid Target Room", method)
	}
	var urls []string
	for _, u := range in.URLs {
		if u = strings.TrimSpace(u); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 {
		return errIntegration("error-invalid-urls", "Invalid URLs", method)
	}
	var channels []string
	if use.channel {
		if in.Channel == nil || strings.TrimSpace(*in.Channel) == "" {
			return errIntegration("error-invalid-channel", "Invalid Channel", method)
		}
		for _, c := range strings.Split(*in.Channel, ",") {
			c = strings.TrimSpace(c)
			switch {
			case isScopedChannel(c):
				c = strings.ToLower(c)
			case c == "" || (c[0] != '#' && c[0] != '@'):
				return errIntegration("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method)
			}
			channels = append(channels, c)
		}
	} else if !s.Can(ctx, actor, "manage-outgoing-integrations", "") {
		// Events that do not depend on a room see every room.
		return errIntegration("error-invalid-permissions", "Invalid permission for required Integration creation.", method)
	}
	if _, err := s.store.UserByUsername(ctx, username); chat.IsKind(err, chat.ENotFound) {
		return errIntegration("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", method)
	} else if err != nil {
		return err
	}
	var words []string
	if use.triggerWords {
		for _, w := range in.TriggerWords {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
	}
	var rooms []string
	for _, c := range channels {
		switch {
		case c == allPublicChannels:
			// Anyone may listen to the public channels.
		case isScopedChannel(c):
			if !s.Can(ctx, actor, "manage-outgoing-integrations", "") {
				return errIntegration("error-invalid-channel", "Invalid Channel", method)
			}
		default:
			rooms = append(rooms, c)
		}
	}
	if err := s.checkIntegrationChannels(ctx, actor, rooms, chat.IntegrationOutgoing, method); err != nil {
		return err
	}
	retryCount, retryDelay := 0, ""
	if in.RetryCount != nil {
		retryCount = *in.RetryCount
	}
	if in.RetryDelay != nil {
		retryDelay = strings.ToLower(strings.TrimSpace(*in.RetryDelay))
	}
	retry := in.RetryFailedCalls != nil && *in.RetryFailedCalls
	if retry {
		if retryCount <= 0 {
			retryCount = defaultRetryCount
		}
		if retryDelay == "" {
			retryDelay = retryPowersOfTen
		}
		// Rocket.Chat accepts any delay and fails each retry at run time;
		// refusing it here tells the admin while they are looking.
		if _, ok := retryWait(retryDelay, 0); !ok {
			return errIntegration("error-invalid-retry-delay", "Invalid retry delay", method)
		}
	}
	it.Event, it.Username, it.TargetRoom, it.URLs, it.Channels, it.TriggerWords = event, username, targetRoom, urls, channels, words
	it.RetryFailedCalls, it.RetryCount, it.RetryDelay = retry, retryCount, retryDelay
	setBool(&it.TriggerWordAnywhere, in.TriggerWordAnywhere)
	setBool(&it.ImpersonateUser, in.ImpersonateUser)
	setBool(&it.RunOnEdits, in.RunOnEdits)
	setString(&it.Alias, in.Alias)
	setString(&it.Emoji, in.Emoji)
	setString(&it.Avatar, in.Avatar)
	if in.Token != nil {
		it.Token = strings.TrimSpace(*in.Token)
	}
	s.setScript(it, in.ScriptEnabled, in.Script, in.ScriptEngine)
	return nil
}
