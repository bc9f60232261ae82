package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// outgoingUserAgent identifies the calls to the targets.
const outgoingUserAgent = "Liftoff outgoing webhook (Rocket.Chat compatible)"

// jsTime is how JavaScript's JSON renders a Date, which is what targets
// written for Rocket.Chat parse.
const jsTime = "2006-01-02T15:04:05.000Z"

// outgoingRun is one call of a webhook to one of its URLs about one event;
// a retry is a new run with tries counted up.
type outgoingRun struct {
	it    chat.Integration
	url   string
	event string
	ev    *outgoingEvent
	word  string
	tries int
	// replay, when set, is the payload of a recorded run, sent again
	// instead of one mapped from ev.
	replay map[string]any
}

// runHistory records a run as it goes, with the step names of
// Rocket.Chat's trigger handler, which clients show. Steps between the
// writes are kept in memory: a run is written when it starts, before the
// call, after it, and when it ends.
type runHistory struct {
	o   *outgoing
	ctx context.Context
	rec chat.IntegrationHistory
}

func (h *runHistory) save(add bool) {
	h.rec.UpdatedAt = h.o.s.now()
	var err error
	if add {
		h.rec.CreatedAt = h.rec.UpdatedAt
		err = h.o.s.store.AddIntegrationHistory(h.ctx, &h.rec)
	} else {
		err = h.o.s.store.UpdateIntegrationHistory(h.ctx, &h.rec)
	}
	// Gone means the webhook was removed meanwhile, with its history.
	if err != nil && !chat.IsKind(err, chat.ENotFound) && h.ctx.Err() == nil {
		h.o.log.Warn("outgoing webhook: record history", "integration", h.rec.IntegrationID, "error", err)
	}
}

// finish records the run's last step.
func (h *runHistory) finish(step string) {
	h.rec.Step, h.rec.Finished = step, true
	h.save(false)
}

// fail records a failed step; Rocket.Chat leaves such runs unfinished.
func (h *runHistory) fail(step, stack string) {
	h.rec.Step, h.rec.Error = step, true
	if stack != "" {
		h.rec.ErrorStack = stack
	}
	h.save(false)
}

// execute makes one call, as Rocket.Chat's executeTriggerUrl does: map the
// event to data, let the script prepare the request, call, let the script
// read the response, post the answer back, or retry.
func (o *outgoing) execute(run *outgoingRun) {
	ctx := o.ctx
	if ctx.Err() != nil {
		return
	}
	// The list the event was matched against may be a TTL old: the
	// webhook may have been disabled, removed or changed since, here or on
	// another instance, and must then not be called.
	it, err := o.s.store.IntegrationByID(ctx, run.it.ID)
	if err != nil {
		if !chat.IsKind(err, chat.ENotFound) && ctx.Err() == nil {
			o.log.Warn("outgoing webhook: reload", "integration", run.it.ID, "error", err)
		}
		return
	}
	// A replay is of an event the webhook was called about, even if it
	// has since been set to listen to another.
	if it.Type != chat.IntegrationOutgoing || !it.Enabled || !contains(it.URLs, run.url) || (run.replay == nil && it.Event != run.event) {
		return
	}
	h := &runHistory{o: o, ctx: ctx, rec: chat.IntegrationHistory{
		ID: chat.NewID(), IntegrationID: it.ID, Event: run.event, Step: "start-execute-trigger-url",
	}}
	h.save(true)
	var data map[string]any
	if run.replay != nil {
		// The recorded payload, with the token the target now expects.
		data = maps.Clone(run.replay)
		data["token"] = it.Token
	} else {
		data = o.eventData(ctx, it, run)
	}
	h.rec.Step, h.rec.TriggerWord = "mapped-args-to-data", run.word
	h.rec.Data, _ = json.Marshal(data)

	req := hookscript.OutgoingRequest{
		URL: run.url, Method: http.MethodPost, Headers: map[string]string{"User-Agent": outgoingUserAgent}, Data: data,
	}
	script := it.ScriptEnabled && it.ScriptError == "" && strings.TrimSpace(it.Script) != ""
	if script {
		prepared, ok := o.prepare(ctx, h, it, run, req, data)
		if !ok {
			return
		}
		req = prepared
	}
	resp, content, err := o.call(ctx, h, req)
	if err != nil {
		// Rocket.Chat records a failed call and gives up; a refused
		// connection or a timeout is what retries are for, so they are
		// retried like an error status.
		h.rec.Step, h.rec.HTTPError = "after-http-call", err.Error()
		o.retry(h, it, run)
		return
	}
	h.rec.Step, h.rec.HTTPResult = "after-http-call", content
	h.save(false)
	if script {
		switch res := o.process(ctx, h, it, req, resp, content); {
		case res == nil || res.Action == hookscript.DefaultHandling:
		case res.Action == hookscript.PostNothing:
			h.finish("after-process-false-result")
			return
		default:
			if _, err := o.reply(ctx, it, run, res.Content, data); err != nil {
				o.log.Warn("outgoing webhook: post script answer", "integration", it.ID, "error", err)
				h.finish("after-process-send-message-failed")
				return
			}
			h.finish("after-process-send-message")
			return
		}
	}
	success := resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusAccepted
	// Rocket.Chat also retries a successful call with an empty answer,
	// calling the target again about an event it has handled; here an
	// empty success is a success with nothing to post.
	if !success {
		if content != "" {
			switch resp.StatusCode {
			case http.StatusGone:
				// The target says it is gone for good: stop calling it.
				h.fail("after-process-http-status-410", "")
				o.disable(ctx, it.ID)
				return
			case http.StatusInternalServerError:
				// Rocket.Chat does not retry a 500 that explains itself.
				h.fail("after-process-http-status-500", "")
				return
			}
		}
		o.retry(h, it, run)
		return
	}
	answer := jsonObject(resp.Header.Get("Content-Type"), content)
	if answer == nil || (answer["text"] == nil && answer["attachments"] == nil) {
		h.finish("after-http-call")
		return
	}
	if _, err := o.reply(ctx, it, run, answer, data); err != nil {
		o.log.Warn("outgoing webhook: post answer", "integration", it.ID, "error", err)
		h.finish("after-http-call-send-message-failed")
		return
	}
	h.finish("url-response-sent-message")
}

// prepare runs the script's prepare_outgoing_request, posts the message it
// may return, and returns the request to make; false when there is none.
func (o *outgoing) prepare(ctx context.Context, h *runHistory, it *chat.Integration, run *outgoingRun, req hookscript.OutgoingRequest, data map[string]any) (hookscript.OutgoingRequest, bool) {
	res, err := o.s.scripts.PrepareOutgoing(ctx, it.ID, it.Script, req)
	var se *hookscript.ScriptError
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Method == "":
		// A script that cannot be loaded leaves the plain call, as in
		// Rocket.Chat.
		o.log.Warn("outgoing webhook: load script", "integration", it.ID, "error", err)
		return req, true
	default:
		h.rec.Error, h.rec.ErrorStack = true, scriptStack(err)
		h.finish("after-prepare-no-opts")
		return req, false
	}
	if res.Message != nil {
		if _, err := o.reply(ctx, it, run, res.Message, data); err != nil {
			o.log.Warn("outgoing webhook: post prepared message", "integration", it.ID, "error", err)
			h.finish("after-prepare-send-message-failed")
			return req, false
		}
		h.rec.Step = "after-prepare-send-message"
	}
	if res.Request == nil {
		if res.Message == nil {
			h.finish("after-prepare-no-opts")
		} else {
			h.finish("after-prepare-no-url_or_method")
		}
		return req, false
	}
	return *res.Request, true
}

// process runs the script's process_outgoing_response; nil leaves the
// default handling.
func (o *outgoing) process(ctx context.Context, h *runHistory, it *chat.Integration, req hookscript.OutgoingRequest, resp *http.Response, content string) *hookscript.OutgoingResult {
	headers := map[string]string{}
	for k, v := range resp.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	res, err := o.s.scripts.ProcessOutgoingResponse(ctx, it.ID, it.Script, req, hookscript.OutgoingResponse{
		StatusCode: resp.StatusCode, Headers: headers, Body: content,
	})
	if err != nil {
		var se *hookscript.ScriptError
		if errors.As(err, &se) && se.Method != "" {
			h.fail("execute-script-error-running-process_outgoing_response", scriptStack(err))
		} else {
			o.log.Warn("outgoing webhook: load script", "integration", it.ID, "error", err)
		}
		return nil
	}
	return res
}

func scriptStack(err error) string {
	var se *hookscript.ScriptError
	if errors.As(err, &se) && se.Stack != "" {
		return se.Message + "\n" + se.Stack
	}
	return err.Error()
}

// call makes the HTTP request and reads the body.
func (o *outgoing) call(ctx context.Context, h *runHistory, req hookscript.OutgoingRequest) (*http.Response, string, error) {
	var body io.Reader
	h.rec.Step, h.rec.URL, h.rec.HTTPCallData = "pre-http-call", req.URL, nil
	if req.Data != nil {
		b, err := json.Marshal(req.Data)
		if err != nil {
			return nil, "", fmt.Errorf("encode the request: %w", err)
		}
		body, h.rec.HTTPCallData = bytes.NewReader(b), b
	}
	h.save(false)
	timeout := outgoingTimeout
	if req.Timeout > 0 {
		timeout = req.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, "", err
	}
	for k, v := range req.Headers {
		hr.Header.Set(k, v)
	}
	if req.Data != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if req.Auth != "" {
		user, pass, ok := strings.Cut(req.Auth, ":")
		if !ok {
			return nil, "", errors.New(`auth option should be of the form "username:password"`)
		}
		hr.SetBasicAuth(user, pass)
	}
	resp, err := o.client.Do(hr)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, outgoingMaxResponse))
	if err != nil {
		return nil, "", fmt.Errorf("read the response: %w", err)
	}
	return resp, string(b), nil
}

// retry schedules the next try of a failed call, as the webhook's retry
// settings allow, and records why.
func (o *outgoing) retry(h *runHistory, it *chat.Integration, run *outgoingRun) {
	if !it.RetryFailedCalls || it.RetryCount <= 0 {
		h.fail("failed-and-not-configured-to-retry", "")
		return
	}
	if run.tries >= it.RetryCount || it.RetryDelay == "" {
		h.fail("too-many-retries", "")
		return
	}
	wait, ok := retryWait(it.RetryDelay, run.tries)
	if !ok {
		h.fail("failed-and-retry-delay-is-invalid", "The integration's retryDelay setting is invalid.")
		return
	}
	h.fail(fmt.Sprintf("going-to-retry-%d", run.tries+1), "")
	next := *run
	next.tries++
	o.retryLater(&next, wait)
}

// disable turns a webhook off (its target answered 410 Gone).
func (o *outgoing) disable(ctx context.Context, id string) {
	it, err := o.s.store.IntegrationByID(ctx, id)
	if err == nil {
		it.Enabled, it.UpdatedAt = false, o.s.now()
		err = o.s.store.UpdateIntegration(ctx, it)
	}
	if err != nil && !chat.IsKind(err, chat.ENotFound) {
		o.log.Warn("outgoing webhook: disable", "integration", id, "error", err)
	}
	o.log.Info("outgoing webhook disabled: its target answered 410 Gone", "integration", id)
	o.invalidate()
}

// jsonObject parses a response body that declares itself JSON (or
// JavaScript, as Rocket.Chat accepts); nil otherwise.
func jsonObject(contentType, content string) map[string]any {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/json", "text/javascript", "application/javascript", "application/x-javascript":
	default:
		return nil
	}
	var m map[string]any
	if json.Unmarshal([]byte(content), &m) != nil {
		return nil
	}
	return m
}

// reply posts a webhook's answer (the target's, or its script's) as
// Rocket.Chat's processWebhookMessage does: into the room the answer
// names, else the webhook's target room, else the room of the event; as
// the user who triggered it when the webhook impersonates, else as the
// webhook's account; labelled with the webhook's id.
func (o *outgoing) reply(ctx context.Context, it *chat.Integration, run *outgoingRun, msg, data map[string]any) ([]Posted, error) {
	var user *chat.User
	if it.ImpersonateUser {
		if name, _ := data["user_name"].(string); name != "" {
			user, _ = o.s.store.UserByUsername(ctx, name)
		}
	}
	if user == nil {
		var err error
		if user, err = o.s.store.UserByUsername(ctx, it.Username); chat.IsKind(err, chat.ENotFound) {
			user, err = o.s.store.UserByID(ctx, it.UserID)
		}
		if err != nil {
			return nil, fmt.Errorf("the webhook's user %q: %w", it.Username, err)
		}
	}
	dest := payloadDestinations(msg)
	if len(dest) == 0 && it.TargetRoom != "" {
		dest = []string{it.TargetRoom}
	}
	if len(dest) == 0 {
		if run.ev.room == nil {
			return nil, errors.New("no room to post into")
		}
		dest = []string{run.ev.room.ID}
	}
	pm := PostMessage{Channels: dest, Bot: map[string]any{"i": it.ID}, integration: true}
	pm.setContent(it, msg)
	if list, ok := msg["attachments"].([]any); ok {
		for _, a := range list {
			if m, ok := a.(map[string]any); ok {
				pm.Attachments = append(pm.Attachments, m)
			}
		}
	}
	pm.TMID, _ = msg["tmid"].(string)
	if g, ok := msg["groupable"].(bool); ok {
		pm.Groupable = &g
	}
	pm.CustomFields, _ = msg["customFields"].(map[string]any)
	return o.s.PostMessage(context.WithValue(ctx, outgoingOriginKey{}, it.ID), user, pm)
}

// eventData is the body of a call: Rocket.Chat's fields for the event.
func (o *outgoing) eventData(ctx context.Context, it *chat.Integration, run *outgoingRun) map[string]any {
	d := map[string]any{"token": it.Token, "bot": false}
	if run.word != "" {
		d["trigger_word"] = run.word
	}
	m, r := run.ev.message, run.ev.room
	switch run.event {
	case eventRoomCreated:
		d["channel_id"], d["timestamp"] = r.ID, r.CreatedAt.UTC().Format(jsTime)
		if r.Name != "" {
			d["channel_name"] = r.Name
		}
		d["user_id"], d["user_name"] = run.ev.user.ID, run.ev.user.Username
		d["owner"], _ = o.userData(ctx, run.ev.user)
		d["room"] = roomData(r)
		return d
	case eventUserCreated:
		var bot bool
		d["timestamp"] = run.ev.at.UTC().Format(jsTime)
		d["user_id"], d["user_name"] = run.ev.user.ID, run.ev.user.Username
		if d["user"], bot = o.userData(ctx, run.ev.user); bot {
			d["bot"] = true
		}
		return d
	}
	d["channel_id"] = r.ID
	if r.Name != "" {
		d["channel_name"] = r.Name
	}
	d["user_id"], d["user_name"] = m.User.ID, m.User.Username
	d["timestamp"] = m.TS.UTC().Format(jsTime)
	switch run.event {
	case eventSendMessage, eventFileUploaded:
		d["message_id"], d["text"] = m.ID, m.Text
		if m.Alias != "" {
			d["alias"] = m.Alias
		}
		if len(m.Bot) > 0 {
			d["bot"] = true
		}
		if run.event == eventSendMessage {
			d["siteUrl"] = o.s.SettingString("Site_Url")
			if !m.EditedAt.IsZero() {
				d["isEdited"] = true
			}
			if m.TMID != "" {
				d["tmid"] = m.TMID
			}
			break
		}
		d["user"], _ = o.userData(ctx, m.User)
		d["room"], d["message"] = roomData(r), messageData(m)
	default: // roomJoined, roomLeft, roomArchived: m is the system message
		var bot bool
		d["user"], bot = o.userData(ctx, m.User)
		d["room"] = roomData(r)
		if bot {
			d["bot"] = true
		}
	}
	return d
}

// userData renders the user an event is about, without secrets, and
// reports whether it is a bot.
func (o *outgoing) userData(ctx context.Context, ref chat.UserRef) (map[string]any, bool) {
	u, err := o.s.store.UserByID(ctx, ref.ID)
	if err != nil {
		return map[string]any{"_id": ref.ID, "username": ref.Username}, false
	}
	return map[string]any{
		"_id": u.ID, "username": u.Username, "name": u.Name, "type": u.Type, "active": u.Active,
		"roles": nonNilStrings(u.Roles), "status": u.Status, "createdAt": u.CreatedAt.UTC().Format(jsTime),
	}, u.Type == chat.UserTypeBot
}

func roomData(r *chat.Room) map[string]any {
	d := map[string]any{
		"_id": r.ID, "t": string(r.Type), "u": map[string]any{"_id": r.Creator.ID, "username": r.Creator.Username},
		"ts": r.CreatedAt.UTC().Format(jsTime), "ro": r.ReadOnly, "archived": r.Archived, "default": r.Default,
		"usersCount": r.UsersCount, "msgs": r.Msgs,
	}
	if r.Name != "" {
		d["name"], d["fname"] = r.Name, r.FName
	}
	return d
}

func messageData(m *chat.Message) map[string]any {
	d := map[string]any{
		"_id": m.ID, "rid": m.RoomID, "msg": m.Text, "ts": m.TS.UTC().Format(jsTime),
		"u": map[string]any{"_id": m.User.ID, "username": m.User.Username},
	}
	if m.File != nil {
		d["file"] = map[string]any{"_id": m.File.ID, "name": m.File.Name, "type": m.File.Type, "size": m.File.Size}
	}
	if len(m.Attachments) > 0 {
		d["attachments"] = m.Attachments
	}
	return d
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
