package core

import (
	"context"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Integration permissions, by integration type: "all" manages everyone's
// integrations of that type, "own" only those the actor created.
var integrationPerms = map[string]struct{ all, own string }{
	chat.IntegrationIncoming: {"manage-incoming-integrations", "manage-own-incoming-integrations"},
	chat.IntegrationOutgoing: {"manage-outgoing-integrations", "manage-own-outgoing-integrations"},
}

// IntegrationInput is what integrations.create and integrations.update
// accept. Nil fields are absent from the request: create requires some of
// them, update leaves the others as they are.
type IntegrationInput struct {
	Type                              string
	Name                              *string
	Enabled                           *bool
	Username                          *string
	Channel                           *string // "#room, @user"
	Alias                             *string
	Emoji                             *string
	Avatar                            *string
	ScriptEnabled                     *bool
	Script                            *string
	ScriptEngine                      *string
	OverrideDestinationChannelEnabled *bool

	// Outgoing webhooks.
	Event               *string
	URLs                []string
	TriggerWords        []string
	TriggerWordAnywhere *bool
	ImpersonateUser     *bool
	RetryFailedCalls    *bool
	RetryCount          *int
	RetryDelay          *string
	RunOnEdits          *bool
	TargetRoom          *string
	Token               *string
}

func errInvalidIntegrationType() error {
	return chat.Errorf(chat.EInvalid, "", "Invalid integration type.")
}

func errNoIntegration() error { return chat.Errorf(chat.EInvalid, "", "No integration found.") }

// errIntegration is a Meteor.Error of one of Rocket.Chat's integration
// methods, which the REST API answers with 400.
func errIntegration(typ, msg, method string) error {
	return &chat.Error{Kind: chat.EInvalid, Type: typ, Message: msg, Details: map[string]any{"method": method}}
}

func errInvalidIntegration(method string) error {
	return errIntegration("error-invalid-integration", "Invalid integration", method)
}

// canManageIntegrations reports whether the actor may manage some
// integrations of type typ: all of them (all) or their own (own).
func (s *Service) canManageIntegrations(ctx context.Context, actor *chat.User, typ string) (all, own bool) {
	p := integrationPerms[typ]
	return s.Can(ctx, actor, p.all, ""), s.Can(ctx, actor, p.own, "")
}

// mayManageIntegration reports whether the actor may see and change in.
func (s *Service) mayManageIntegration(ctx context.Context, actor *chat.User, in *chat.Integration) bool {
	all, own := s.canManageIntegrations(ctx, actor, in.Type)
	return all || (own && in.CreatedBy.ID == actor.ID)
}

// canManageAnyIntegration is the gate of integrations.remove.
func (s *Service) canManageAnyIntegration(ctx context.Context, actor *chat.User) bool {
	for typ := range integrationPerms {
		if all, own := s.canManageIntegrations(ctx, actor, typ); all || own {
			return true
		}
	}
	return false
}

// CreateIntegration adds a webhook (integrations.create).
func (s *Service) CreateIntegration(ctx context.Context, actor *chat.User, in IntegrationInput) (*chat.Integration, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	switch in.Type {
	case chat.IntegrationIncoming:
		return s.createIncoming(ctx, actor, in)
	case chat.IntegrationOutgoing:
		return s.createOutgoing(ctx, actor, in)
	}
	return nil, errInvalidIntegrationType()
}

// UpdateIntegration changes a webhook (integrations.update).
func (s *Service) UpdateIntegration(ctx context.Context, actor *chat.User, id, targetURL string, in IntegrationInput) (*chat.Integration, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	var cur *chat.Integration
	var err error
	switch in.Type {
	case chat.IntegrationIncoming:
		cur, err = s.integrationByID(ctx, id, in.Type)
	case chat.IntegrationOutgoing:
		if targetURL != "" {
			cur, err = s.integrationByURL(ctx, targetURL)
		} else {
			cur, err = s.integrationByID(ctx, id, in.Type)
		}
	default:
		return nil, errInvalidIntegrationType()
	}
	if err != nil {
		return nil, err
	}
	return s.updateIntegration(ctx, actor, cur, in)
}

// updateIntegration changes cur, found by the caller, as in asks.
func (s *Service) updateIntegration(ctx context.Context, actor *chat.User, cur *chat.Integration, in IntegrationInput) (*chat.Integration, error) {
	if in.Type == chat.IntegrationIncoming {
		return s.updateIncoming(ctx, actor, cur, in)
	}
	return s.updateOutgoing(ctx, actor, cur, in)
}

// integrationByID finds an integration of type typ (any type when empty),
// answering "No integration found." otherwise.
func (s *Service) integrationByID(ctx context.Context, id, typ string) (*chat.Integration, error) {
	if id == "" {
		return nil, errNoIntegration()
	}
	in, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && typ != "" && in.Type != typ) {
		return nil, errNoIntegration()
	}
	return in, err
}

// integrationByURL finds the outgoing webhook that calls url.
func (s *Service) integrationByURL(ctx context.Context, url string) (*chat.Integration, error) {
	in, err := s.findByURL(ctx, url)
	if err == nil && in == nil {
		return nil, errNoIntegration()
	}
	return in, err
}

// findByURL returns the outgoing webhook that calls url, or nil.
func (s *Service) findByURL(ctx context.Context, url string) (*chat.Integration, error) {
	list, _, err := s.store.ListIntegrations(ctx, chat.IntegrationFilter{Type: chat.IntegrationOutgoing})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if contains(list[i].URLs, url) {
			return &list[i], nil
		}
	}
	return nil, nil
}

// RemoveIntegration deletes a webhook and returns it as it was
// (integrations.remove). An outgoing one may be named by a target URL.
func (s *Service) RemoveIntegration(ctx context.Context, actor *chat.User, typ, id, targetURL string) (*chat.Integration, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if !s.canManageAnyIntegration(ctx, actor) {
		return nil, chat.ErrUnauthorizedAction()
	}
	var in *chat.Integration
	var err error
	switch typ {
	case chat.IntegrationIncoming:
		if id == "" {
			return nil, chat.ErrInvalidParam("must have required property 'integrationId'")
		}
		in, err = s.integrationByID(ctx, id, "")
	case chat.IntegrationOutgoing:
		switch {
		case targetURL != "":
			in, err = s.integrationByURL(ctx, targetURL)
		case id != "":
			in, err = s.integrationByID(ctx, id, "")
		default:
			return nil, chat.Errorf(chat.EInvalid, "", "An integrationId or target_url needs to be provided.")
		}
	default:
		return nil, errInvalidIntegrationType()
	}
	if err != nil {
		return nil, err
	}
	if err := s.removeIntegration(ctx, actor, in); err != nil {
		return nil, err
	}
	return in, nil
}

// removeIntegration deletes in, found by the caller, with the checks of
// Rocket.Chat's delete methods: the actor must manage every webhook of its
// type, or their own and be its creator.
func (s *Service) removeIntegration(ctx context.Context, actor *chat.User, in *chat.Integration) error {
	method := deleteMethod(in.Type)
	all, own := s.canManageIntegrations(ctx, actor, in.Type)
	switch {
	case !all && !own:
		return errIntegration("not_authorized", "Unauthorized", method)
	case !all && in.CreatedBy.ID != actor.ID:
		return errInvalidIntegration(method)
	}
	if err := s.store.DeleteIntegration(ctx, in.ID); err != nil {
		if chat.IsKind(err, chat.ENotFound) {
			return errInvalidIntegration(method)
		}
		return err
	}
	s.scripts.Forget(in.ID)
	s.outgoing.invalidate()
	return nil
}

// deleteMethod names the Rocket.Chat method that deletes webhooks of type
// typ, which its errors carry.
func deleteMethod(typ string) string {
	if typ == chat.IntegrationOutgoing {
		return "deleteOutgoingIntegration"
	}
	return "deleteIncomingIntegration"
}

// GetIntegration returns one webhook the actor may manage
// (integrations.get); createdBy, when set, must name its creator.
func (s *Service) GetIntegration(ctx context.Context, actor *chat.User, id, createdBy string) (*chat.Integration, error) {
	if actor == nil {
		return nil, errLoginRequired()
	}
	if id == "" {
		return nil, chat.Errorf(chat.EInvalid, "", `The query parameter "integrationId" is required.`)
	}
	in, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) || (err == nil && createdBy != "" && in.CreatedBy.ID != createdBy) {
		return nil, chat.Errorf(chat.EInvalid, "", "The integration does not exists.")
	}
	if err != nil {
		return nil, err
	}
	if !s.mayManageIntegration(ctx, actor, in) {
		return nil, chat.Errorf(chat.EInvalid, "", "not-authorized")
	}
	return in, nil
}

// ListIntegrations lists the webhooks the actor may manage
// (integrations.list), filtered by name part and type.
func (s *Service) ListIntegrations(ctx context.Context, actor *chat.User, name, typ string, offset, limit int) ([]chat.Integration, int, error) {
	if actor == nil {
		return nil, 0, errLoginRequired()
	}
	f := chat.IntegrationFilter{Name: strings.TrimSpace(name), Type: typ, Offset: offset, Limit: limit}
	for t := range integrationPerms {
		switch all, own := s.canManageIntegrations(ctx, actor, t); {
		case all:
			f.AllTypes = append(f.AllTypes, t)
		case own:
			f.OwnTypes = append(f.OwnTypes, t)
		}
	}
	if len(f.AllTypes)+len(f.OwnTypes) == 0 {
		return nil, 0, chat.ErrUnauthorizedAction()
	}
	f.OwnerID = actor.ID
	if len(f.AllTypes) == len(integrationPerms) {
		f.AllTypes = nil // everything
	}
	return s.store.ListIntegrations(ctx, f)
}

// IntegrationHistory lists the runs of an outgoing webhook
// (integrations.history), newest first.
func (s *Service) IntegrationHistory(ctx context.Context, actor *chat.User, id string, offset, limit int) ([]chat.IntegrationHistory, int, error) {
	if actor == nil {
		return nil, 0, errLoginRequired()
	}
	all, own := s.canManageIntegrations(ctx, actor, chat.IntegrationOutgoing)
	if !all && !own {
		return nil, 0, chat.ErrUnauthorizedAction()
	}
	if strings.TrimSpace(id) == "" {
		return nil, 0, chat.Errorf(chat.EInvalid, "", "Invalid integration id.")
	}
	if !all {
		// Only the history of the actor's own integrations is visible.
		in, err := s.store.IntegrationByID(ctx, id)
		if chat.IsKind(err, chat.ENotFound) || (err == nil && in.CreatedBy.ID != actor.ID) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
	}
	return s.store.IntegrationHistory(ctx, id, offset, limit)
}

// integrationChannels splits Rocket.Chat's comma-separated destination
// list, each of which must start with # or @.
func integrationChannels(channel *string, method string) ([]string, error) {
	if channel == nil || strings.TrimSpace(*channel) == "" {
		return nil, errIntegration("error-invalid-channel", "Invalid channel", method)
	}
	var out []string
	for _, c := range strings.Split(*channel, ",") {
		c = strings.TrimSpace(c)
		if c == "" || (c[0] != '#' && c[0] != '@') {
			return nil, errIntegration("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method)
		}
		out = append(out, c)
	}
	return out, nil
}

// checkIntegrationChannels checks that each destination exists and, for
// an actor who may not manage every integration, that they belong to the
// rooms named.
func (s *Service) checkIntegrationChannels(ctx context.Context, actor *chat.User, channels []string, typ, method string) error {
	all, own := s.canManageIntegrations(ctx, actor, typ)
	for _, c := range channels {
		name := c[1:]
		if c[0] == '@' {
			_, err := s.store.UserByID(ctx, name)
			if chat.IsKind(err, chat.ENotFound) {
				_, err = s.store.UserByUsername(ctx, name)
			}
			if chat.IsKind(err, chat.ENotFound) {
				return errIntegration("error-invalid-room", "Invalid room", method)
			}
			if err != nil {
				return err
			}
			continue
		}
		r, err := s.findRoom(ctx, s.store, name)
		if chat.IsKind(err, chat.ENotFound) {
			return errIntegration("error-invalid-room", "Invalid room", method)
		}
		if err != nil {
			return err
		}
		if all && own {
			continue
		}
		if _, err := s.store.Membership(ctx, r.ID, actor.ID); chat.IsKind(err, chat.ENotFound) {
			return errIntegration("error-invalid-channel", "Invalid Channel", method)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// integrationUser finds the account a webhook posts as and gives it the
// bot role, as Rocket.Chat does, so that its messages may carry a bot
// label.
func (s *Service) integrationUser(ctx context.Context, tx chat.Store, o *outbox, username string) (*chat.User, error) {
	u, err := tx.UserByUsername(ctx, strings.TrimSpace(username))
	if err != nil {
		return nil, err
	}
	if !u.HasRole("bot") {
		u.Roles = append(u.Roles, "bot")
		u.UpdatedAt = s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventRoles, UserID: u.ID, At: u.UpdatedAt}, map[string]any{
			"type": "added", "_id": "bot",
			"u": map[string]any{"_id": u.ID, "username": u.Username, "name": u.Name},
		})
	}
	return u, nil
}

// insertIntegration stores a new integration posting as username.
func (s *Service) insertIntegration(ctx context.Context, it *chat.Integration, username string) error {
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		u, err := s.integrationUser(ctx, tx, o, username)
		if err != nil {
			return err
		}
		it.Username, it.UserID = u.Username, u.ID
		return tx.CreateIntegration(ctx, it)
	})
}

// setScript stores a script and the result of compiling it.
func (s *Service) setScript(in *chat.Integration, enabled *bool, script, engine *string) {
	if enabled != nil {
		in.ScriptEnabled = *enabled
	}
	if script != nil {
		in.Script = *script
	}
	if engine != nil && *engine != "" {
		in.ScriptEngine = *engine
	}
	if in.ScriptEngine == "" {
		in.ScriptEngine = "isolated-vm"
	}
	in.ScriptError = ""
	if in.ScriptEnabled && strings.TrimSpace(in.Script) != "" {
		if err := s.scripts.Compile(in.Script); err != nil {
			in.ScriptError = err.Error()
		}
	}
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}
