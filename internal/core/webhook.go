package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// WebhookCall is a request to an incoming webhook's URL.
type WebhookCall struct {
	IntegrationID string
	Token         string
	// Payload is the request's content: its JSON body, or the JSON in a
	// form's payload field. Nil when there was none.
	Payload map[string]any
	// The rest is what an integration script sees of the request.
	Raw       string
	Headers   map[string]string
	URL       hookscript.URL
	URLRaw    string
	URLParams map[string]string
}

// WebhookResult is what a successful call did.
type WebhookResult struct {
	// Posted lists the messages written, one per destination.
	Posted []Posted
	// Response is the body a script asked to answer with.
	Response map[string]any
	// Separate is set when the caller asked for one answer per
	// destination (separateResponse).
	Separate bool
}

// WebhookFailure is a call refused with a value of the caller's or the
// script's choosing, answered as Rocket.Chat's {success: false, error}.
type WebhookFailure struct {
	Value any
}

func (f *WebhookFailure) Error() string {
	if s, ok := f.Value.(string); ok {
		return s
	}
	return "webhook failure"
}

func webhookFail(v any) error { return &WebhookFailure{Value: v} }

// errBadWebhook answers an unknown integration or a wrong token alike, so
// that ids cannot be probed.
func errBadWebhook() error {
	return chat.Errorf(chat.ENotFound, "", "Invalid integration id or token provided.")
}

// CheckWebhook reports whether id and token name an incoming webhook.
func (s *Service) CheckWebhook(ctx context.Context, id, token string) error {
	_, err := s.incomingWebhook(ctx, id, token)
	return err
}

// incomingWebhook finds the incoming webhook that id and token name.
func (s *Service) incomingWebhook(ctx context.Context, id, token string) (*chat.Integration, error) {
	it, err := s.store.IntegrationByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errBadWebhook()
	}
	if err != nil {
		return nil, err
	}
	if it.Type != chat.IntegrationIncoming || subtle.ConstantTimeCompare([]byte(it.Token), []byte(token)) != 1 {
		return nil, errBadWebhook()
	}
	return it, nil
}

// webhookUser finds the incoming webhook that id and token name, and the
// account it posts as, which is who a call to its URLs acts as.
func (s *Service) webhookUser(ctx context.Context, id, token string) (*chat.Integration, *chat.User, error) {
	it, err := s.incomingWebhook(ctx, id, token)
	if err != nil {
		return nil, nil, err
	}
	user, err := s.store.UserByID(ctx, it.UserID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, errLoginRequired()
	}
	if err != nil {
		return nil, nil, err
	}
	return it, user, nil
}

// ExecuteWebhook runs an incoming webhook: it checks the token, lets the
// integration's script (if any) turn the request into a message, and
// posts that message as the integration's user to its channels (or, when
// the integration allows it, to those the request names). Messages get
// md like any other, from the same parser.
func (s *Service) ExecuteWebhook(ctx context.Context, call WebhookCall) (*WebhookResult, error) {
	it, user, err := s.webhookUser(ctx, call.IntegrationID, call.Token)
	if err != nil {
		return nil, err
	}
	if !it.Enabled {
		return nil, chat.Errorf(chat.EUnavailable, "", "Service Unavailable")
	}
	payload := call.Payload
	separate, _ := payload["separateResponse"].(bool)
	res := &WebhookResult{}
	if it.ScriptEnabled && it.ScriptError == "" && strings.TrimSpace(it.Script) != "" {
		out, err := s.scripts.ProcessIncoming(ctx, it.ID, it.Script, hookscript.IncomingRequest{
			URL: call.URL, URLRaw: call.URLRaw, URLParams: call.URLParams,
			Content: contentOrEmpty(payload), ContentRaw: call.Raw, Headers: call.Headers,
			User: hookscript.User{ID: user.ID, Name: user.Name, Username: user.Username},
		})
		switch {
		case err != nil:
			s.log.Warn("webhook script failed", "integration", it.ID, "error", err)
			return nil, webhookFail("error-running-script")
		case out == nil:
			return res, nil
		case out.Error != nil:
			return nil, webhookFail(out.Error)
		}
		// The script's content replaces the payload (hookscript makes sure
		// there is one); the caller's separateResponse stands unless the
		// content sets its own.
		payload, res.Response = out.Content, out.Response
		if v, ok := payload["separateResponse"]; ok {
			separate, _ = v.(bool)
		}
	}
	if len(payload) == 0 && !it.ScriptEnabled {
		return res, nil
	}
	pm, err := webhookMessage(it, payload)
	if err != nil {
		return nil, err
	}
	posted, err := s.PostMessage(ctx, user, pm)
	if err != nil {
		var ce *chat.Error
		if errors.As(err, &ce) && ce.Kind != chat.EUnavailable && ce.Kind != chat.EInternal {
			// Rocket.Chat answers webhooks with the bare error code.
			if ce.Type != "" {
				return nil, webhookFail(ce.Type)
			}
			return nil, webhookFail(ce.Message)
		}
		return nil, err
	}
	if len(posted) == 0 {
		return nil, webhookFail("unknown-error")
	}
	res.Posted, res.Separate = posted, separate
	return res, nil
}

func contentOrEmpty(p map[string]any) map[string]any {
	if p == nil {
		return map[string]any{}
	}
	return p
}

// webhookMessage reads a webhook payload the way Rocket.Chat's
// processWebhookMessage does, Slack's field names included: text or msg,
// username or alias, icon_url or avatar, icon_emoji or emoji, and the
// integration's own alias, avatar and emoji when the payload has none.
func webhookMessage(it *chat.Integration, p map[string]any) (PostMessage, error) {
	pm := PostMessage{Channels: it.Channels, Bot: map[string]any{"i": it.ID}, integration: true}
	if dest := payloadDestinations(p); len(dest) > 0 {
		if !it.OverrideDestinationChannelEnabled {
			return pm, webhookFail("overriding destination channel is disabled for this integration")
		}
		pm.Channels = dest
	}
	pm.setContent(it, p)
	// Attachments that are not a list are ignored, as Rocket.Chat does.
	if list, ok := p["attachments"].([]any); ok {
		for _, a := range list {
			m, ok := a.(map[string]any)
			if !ok {
				return pm, webhookFail("Match error: Expected object in field attachments")
			}
			pm.Attachments = append(pm.Attachments, m)
		}
	}
	pm.TMID, _ = p["tmid"].(string)
	if g, ok := p["groupable"].(bool); ok {
		pm.Groupable = &g
	}
	pm.CustomFields, _ = p["customFields"].(map[string]any)
	return pm, nil
}

// payloadDestinations reads the rooms a payload names: channel, or else
// roomId; none when it names neither.
func payloadDestinations(p map[string]any) []string {
	if dest := stringList(p["channel"]); len(dest) > 0 {
		return dest
	}
	return stringList(p["roomId"])
}

// setContent sets the message's text and how it shows its sender from a
// payload, with Slack's names too: text or msg, username or alias,
// icon_url or avatar, icon_emoji or emoji; the integration's own alias,
// avatar and emoji stand in for those the payload lacks.
func (pm *PostMessage) setContent(it *chat.Integration, p map[string]any) {
	pm.Text = firstString(p["text"], p["msg"])
	pm.Alias = firstString(p["username"], p["alias"], it.Alias)
	if a := firstString(p["icon_url"], p["avatar"]); a != "" {
		pm.Avatar = a
	} else if e := firstString(p["icon_emoji"], p["emoji"]); e != "" {
		pm.Emoji = e
	} else if it.Avatar != "" {
		pm.Avatar = it.Avatar
	} else {
		pm.Emoji = it.Emoji
	}
}

// stringList reads a destination field: one name or a list of them.
func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) != "" {
			return []string{x}
		}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// firstString returns the first non-empty string among vs.
func firstString(vs ...any) string {
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}
