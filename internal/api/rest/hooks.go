package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// hookRoutes lists the URLs of incoming webhooks. They authenticate with
// the token in the path, not with a login, and answer errors the way
// Rocket.Chat's webhook API does: {success: false, error: <code>}.
func (a *API) hookRoutes() {
	for _, method := range []string{"GET", "POST"} {
		a.handle(method+" /hooks/{integrationId}/{token}", public, a.handleHook)
		// The older form of the URL also named the user.
		a.handle(method+" /hooks/{integrationId}/{userId}/{token}", public, a.handleHook)
	}
	// The REST hooks Zapier uses, authenticated like the URLs above. A
	// literal segment is more specific than {integrationId}, so ServeMux
	// never takes "add" or "info" for an integration id.
	for _, tail := range []string{"/{integrationId}/{token}", "/{integrationId}/{userId}/{token}"} {
		a.handle("GET /hooks/info"+tail, public, a.handleHookInfo)
		a.handle("GET /hooks/sample"+tail, public, a.handleHookSample)
		a.handle("POST /hooks/add"+tail, public, a.handleHookAdd)
		a.handle("POST /hooks/remove"+tail, public, a.handleHookRemove)
	}
}

func (a *API) handleHook(r *Request) (obj, error) {
	payload, raw, err := r.hookPayload()
	if err != nil {
		a.writeHookError(r, err)
		return nil, nil
	}
	call := core.WebhookCall{
		IntegrationID: r.PathValue("integrationId"), Token: r.PathValue("token"),
		Payload: payload, Raw: raw, Headers: map[string]string{},
		URL: hookscript.URL{
			Hash: r.URL.Fragment, Search: searchOf(r.URL), Query: map[string]string{},
			Pathname: r.URL.Path, Path: r.URL.RequestURI(),
		},
		URLRaw:    r.URL.RequestURI(),
		URLParams: map[string]string{"integrationId": r.PathValue("integrationId"), "token": r.PathValue("token")},
	}
	if uid := r.PathValue("userId"); uid != "" {
		call.URLParams["userId"] = uid
	}
	for k, v := range r.URL.Query() {
		call.URL.Query[k] = v[0]
	}
	for k, v := range r.Header {
		call.Headers[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	res, err := a.core.ExecuteWebhook(r.Context(), call)
	if err != nil {
		a.writeHookError(r, err)
		return nil, nil
	}
	out := obj{}
	for k, v := range res.Response {
		out[k] = v
	}
	if res.Response == nil && res.Separate {
		responses := make([]obj, len(res.Posted))
		for i, p := range res.Posted {
			responses[i] = obj{"channel": p.Channel, "message": messageDoc(p.Message)}
		}
		out["responses"] = responses
	}
	return out, nil
}

// handleHookInfo answers {success: true} when the URL names a webhook.
func (a *API) handleHookInfo(r *Request) (obj, error) {
	if err := a.core.CheckWebhook(r.Context(), r.PathValue("integrationId"), r.PathValue("token")); err != nil {
		a.writeHookError(r, err)
	}
	return nil, nil
}

// handleHookSample answers the sample payloads Zapier shows while a zap is
// set up: three messages of the shape outgoing webhooks send.
func (a *API) handleHookSample(r *Request) (obj, error) {
	if err := a.core.CheckWebhook(r.Context(), r.PathValue("integrationId"), r.PathValue("token")); err != nil {
		a.writeHookError(r, err)
		return nil, nil
	}
	now := wire.FormatISO(time.Now())
	samples := make([]obj, 3)
	for i := range samples {
		samples[i] = obj{
			"token": chat.RandomString(24), "channel_id": chat.NewID(), "channel_name": "general", "timestamp": now,
			"user_id": chat.NewID(), "user_name": "rocket.cat", "text": fmt.Sprintf("Sample text %d", i+1), "trigger_word": "Sample",
		}
	}
	writeJSON(r.W, http.StatusOK, samples)
	return nil, nil
}

// hookAddBody is the body of /hooks/add, Zapier's subscribe call.
type hookAddBody struct {
	Event     *string `json:"event"`
	Name      *string `json:"name"`
	TargetURL *string `json:"target_url"`
	Data      struct {
		ChannelName  string          `json:"channel_name"`
		TriggerWords json.RawMessage `json:"trigger_words"`
		Username     string          `json:"username"`
	} `json:"data"`
}

// handleHookAdd subscribes a target URL to messages: it adds an outgoing
// webhook and answers with it, merged with success as Rocket.Chat does.
func (a *API) handleHookAdd(r *Request) (obj, error) {
	var b hookAddBody
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	switch {
	case b.Event == nil:
		return nil, required("event")
	case b.Name == nil:
		return nil, required("name")
	case b.TargetURL == nil:
		return nil, required("target_url")
	}
	words, err := wire.WordList(b.Data.TriggerWords, "data.trigger_words")
	if err != nil {
		return nil, err
	}
	it, err := a.core.SubscribeHook(r.Context(), r.PathValue("integrationId"), r.PathValue("token"), core.HookSubscription{
		Event: *b.Event, Name: *b.Name, TargetURL: *b.TargetURL,
		ChannelName: b.Data.ChannelName, Username: b.Data.Username, TriggerWords: words,
	})
	if err != nil {
		return nil, a.hookAPIError(r, err)
	}
	return integrationDoc(it), nil
}

// handleHookRemove unsubscribes a target URL: it removes the outgoing
// webhook that calls it.
func (a *API) handleHookRemove(r *Request) (obj, error) {
	var b struct {
		TargetURL *string `json:"target_url"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	if b.TargetURL == nil {
		return nil, required("target_url")
	}
	err := a.core.UnsubscribeHook(r.Context(), r.PathValue("integrationId"), r.PathValue("token"), *b.TargetURL)
	return nil, a.hookAPIError(r, err)
}

// hookAPIError answers an error of the REST hooks: a wrong integration id
// or token as every webhook URL does, anything else (the rules of adding
// and removing webhooks) as the REST API does. It returns the error left
// for the caller to write, if any.
func (a *API) hookAPIError(r *Request, err error) error {
	if chat.IsKind(err, chat.ENotFound) || chat.IsKind(err, chat.EUnauthorized) {
		a.writeHookError(r, err)
		return nil
	}
	return err
}

// hookPayload reads a webhook's content as Rocket.Chat does: a JSON body;
// or, for a form, the JSON in its single payload field (Slack's format),
// or the whole body parsed as JSON when it is a single field (what curl -d
// sends); or the fields of a larger form as strings.
func (r *Request) hookPayload() (map[string]any, string, error) {
	b, err := r.rawBody()
	if err != nil {
		return nil, "", err
	}
	raw := string(b)
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, raw, nil
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return nil, raw, &core.WebhookFailure{Value: "invalid form body"}
		}
		switch {
		case len(form) == 1 && form.Has("payload"):
			b = []byte(form.Get("payload"))
		case len(form) == 1:
			// b is the body as sent.
		default:
			m := map[string]any{}
			for k := range form {
				m[k] = form.Get(k)
			}
			return m, raw, nil
		}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, raw, &core.WebhookFailure{Value: "the payload is not a JSON object"}
	}
	return m, raw, nil
}

func searchOf(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// writeHookError answers a failed webhook call.
func (a *API) writeHookError(r *Request, err error) {
	var f *core.WebhookFailure
	if errors.As(err, &f) {
		writeJSON(r.W, http.StatusBadRequest, obj{"success": false, "error": f.Value})
		return
	}
	var ce *chat.Error
	if !errors.As(err, &ce) {
		a.writeError(r.W, r, err)
		return
	}
	switch ce.Kind {
	case chat.EUnauthorized:
		writeUnauthorized(r.W)
	case chat.ENotFound:
		writeJSON(r.W, http.StatusNotFound, obj{"success": false, "error": ce.Message})
	case chat.EUnavailable:
		writeJSON(r.W, http.StatusServiceUnavailable, obj{"success": false, "error": "Service Unavailable"})
	case chat.ETooLarge:
		a.writeError(r.W, r, err)
	default:
		msg := ce.Message
		if ce.Type != "" {
			msg = ce.Type
		}
		writeJSON(r.W, http.StatusBadRequest, obj{"success": false, "error": msg})
	}
}
