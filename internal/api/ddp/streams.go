package ddp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/realtime"
)

// subTimeout bounds the time a subscription may take to become ready.
const subTimeout = 15 * time.Second

// streamOptions is a stream subscription's second parameter: a boolean
// (the legacy useCollection flag) or {useCollection, args}.
type streamOptions struct {
	UseCollection bool
	Args          []json.RawMessage
}

func (o *streamOptions) UnmarshalJSON(b []byte) error {
	var flag bool
	if json.Unmarshal(b, &flag) == nil {
		o.UseCollection = flag
		return nil
	}
	var obj struct {
		UseCollection bool              `json:"useCollection"`
		Args          []json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	o.UseCollection, o.Args = obj.UseCollection, obj.Args
	return nil
}

// Errors of refused subscriptions.
func errSubNotFound(name string) *meteorError {
	return newMeteorError("404", fmt.Sprintf("Subscription '%s' not found", name), nil)
}

func errSubNotAllowed() *meteorError { return newMeteorError("not-allowed", "Not allowed", nil) }

func errSubBadParams() *meteorError {
	return newMeteorError("invalid-params", "Invalid subscription parameters", nil)
}

// publications answer ready with no documents: Asteroid (the old SDK)
// subscribes to the login service configuration on every connect, and
// Meteor clients to the autoupdate versions.
var emptyPublications = []string{"meteor.loginServiceConfiguration", "meteor_autoupdate_clientVersions"}

// subscribe answers a sub: ready (after the placeholder document when
// useCollection is asked) or nosub with the reason.
func (s *session) subscribe(m inMsg) {
	if len(m.ID) == 0 || m.Name == "" {
		s.send(errorFrame("Malformed subscription", mustJSON(m)))
		return
	}
	start := time.Now()
	known, merr := s.stream(m)
	if merr != nil {
		s.send(nosubFrame(m.ID, merr))
	} else {
		s.send(readyFrame(m.ID))
	}
	if s.h.observeS != nil {
		name := m.Name
		if !known {
			name = "unknown"
		}
		s.h.observeS(name, time.Since(start))
	}
}

// stream applies a publication's read rule and registers it with the hub.
// known reports whether the publication exists.
func (s *session) stream(m inMsg) (known bool, _ *meteorError) {
	if contains(emptyPublications, m.Name) {
		return true, nil
	}
	switch m.Name {
	case realtime.StreamRoomMessages, realtime.StreamNotifyRoom, realtime.StreamNotifyUser,
		realtime.StreamNotifyLogged, realtime.StreamNotifyAll, realtime.StreamRoles:
	case realtime.StreamUserPresence:
		return true, s.watchPresence(m)
	default:
		return false, errSubNotFound(m.Name)
	}
	var event string
	if len(m.Params) == 0 || json.Unmarshal(m.Params[0], &event) != nil || event == "" {
		return true, errSubBadParams()
	}
	var opts streamOptions
	if len(m.Params) > 1 {
		if err := json.Unmarshal(m.Params[1], &opts); err != nil {
			return true, errSubBadParams()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), subTimeout)
	defer cancel()
	actor, _, err := s.actor(ctx)
	if err != nil {
		merr, known := toMeteorError(err)
		if !known {
			s.h.log.Error("ddp: read the connection's user", "error", err)
		}
		return true, merr
	}
	roomID, member, merr := s.h.readRule(ctx, actor, m.Name, event)
	if merr != nil {
		return true, merr
	}
	if opts.UseCollection {
		// Queued before Subscribe registers the key, so that no event can
		// reach the client before its placeholder document.
		s.send(realtime.AddedFrame(m.Name, event))
	}
	if err := s.h.hub.Subscribe(ctx, s.rt, idKey(m.ID), realtime.Key{Stream: m.Name, Event: event}, roomID, member); err != nil {
		s.h.log.Warn("ddp: subscribe failed", "name", m.Name, "event", event, "error", err)
		return true, internalError()
	}
	return true, nil
}

// readRule is each stream's read rule (rc-api.md §2.5). It returns the
// room whose topic the subscription needs, and whether it needs every room
// the user belongs to.
func (h *Handler) readRule(ctx context.Context, actor *chat.User, stream, event string) (roomID string, member bool, _ *meteorError) {
	switch stream {
	case realtime.StreamRoomMessages:
		if event == realtime.MyMessages {
			if actor == nil {
				return "", false, errSubNotAllowed()
			}
			return "", true, nil
		}
		return h.roomRule(ctx, actor, event)
	case realtime.StreamNotifyRoom:
		rid, name, ok := strings.Cut(event, "/")
		if !ok || name == "" {
			return "", false, errSubNotAllowed()
		}
		return h.roomRule(ctx, actor, rid)
	case realtime.StreamNotifyUser:
		uid, name, ok := strings.Cut(event, "/")
		if actor == nil || !ok || uid != actor.ID || name == "" {
			return "", false, errSubNotAllowed()
		}
		return "", name == "rooms-changed", nil
	case realtime.StreamNotifyLogged, realtime.StreamRoles:
		if actor == nil {
			return "", false, errSubNotAllowed()
		}
		if event == "private-settings-changed" && !h.core.Can(ctx, actor, "view-privileged-setting", "") {
			return "", false, errSubNotAllowed()
		}
		return "", false, nil
	case realtime.StreamNotifyAll:
		return "", false, nil
	}
	return "", false, errSubNotFound(stream)
}

// roomRule lets a connection follow a room it may read. The event name
// must be the room's id, which is what the events carry.
func (h *Handler) roomRule(ctx context.Context, actor *chat.User, rid string) (string, bool, *meteorError) {
	r, _, err := h.core.ReadableRoom(ctx, actor, rid)
	if err != nil || r.ID != rid {
		if err != nil && !chat.IsKind(err, chat.ENotFound) {
			h.log.Warn("ddp: room read rule failed", "room_id", rid, "error", err)
		}
		return "", false, errSubNotAllowed()
	}
	return r.ID, false, nil
}

// watchPresence handles stream-user-presence: params ["", {added, removed}].
// The first such subscription of a connection owns the watch list; later
// ones only edit it.
func (s *session) watchPresence(m inMsg) *meteorError {
	s.wmu.Lock()
	uid := s.uid
	s.wmu.Unlock()
	if uid == "" {
		return errSubNotAllowed()
	}
	var change struct {
		Added   []string `json:"added"`
		Removed []string `json:"removed"`
	}
	if len(m.Params) > 1 {
		if err := json.Unmarshal(m.Params[1], &change); err != nil {
			return errSubBadParams()
		}
	}
	s.h.hub.Watch(s.rt, idKey(m.ID), change.Added, change.Removed)
	return nil
}

// streamMethods are the client emits: calling the method named after a
// stream publishes into it (rc-api.md §2.4).
func (h *Handler) streamMethods(m map[string]methodFunc) {
	m[realtime.StreamNotifyRoom] = h.emitNotifyRoom
	for _, name := range []string{realtime.StreamRoomMessages, realtime.StreamNotifyUser, realtime.StreamNotifyLogged,
		realtime.StreamNotifyAll, realtime.StreamUserPresence, realtime.StreamRoles} {
		m[name] = h.emitRefused
	}
}

// errEmitNotAllowed is the streamer's answer to an emit its write rule
// refuses.
func errEmitNotAllowed(method string) error {
	return &chat.Error{Kind: chat.EForbidden, Type: "not-allowed", Message: "Not allowed", Details: map[string]any{"method": method}}
}

// emitRefused answers emits into streams only the server writes.
func (h *Handler) emitRefused(_ context.Context, c *call) (any, error) {
	return nil, errEmitNotAllowed(c.name)
}

// emitNotifyRoom handles typing notices: ["<rid>/typing", username, bool]
// and ["<rid>/user-activity", username, activities, extra?]. The username
// must be the caller's (or their name when UI_Use_Real_Name is on) and the
// caller must be able to read the room. The notice goes to every other
// connection following the room, under both event names, but not back to
// the connection that sent it.
func (h *Handler) emitNotifyRoom(ctx context.Context, c *call) (any, error) {
	actor, err := c.user()
	if err != nil {
		return nil, err
	}
	event, err := c.requireStr(0, "eventName")
	if err != nil {
		return nil, err
	}
	rid, name, _ := strings.Cut(event, "/")
	if name != "typing" && name != "user-activity" {
		return nil, errEmitNotAllowed(c.name)
	}
	username, err := c.str(1)
	if err != nil {
		return nil, err
	}
	if username != actor.Username && !(h.core.SettingBool("UI_Use_Real_Name") && username == actor.Name) {
		return nil, errEmitNotAllowed(c.name)
	}
	if _, _, err := h.core.ReadableRoom(ctx, actor, rid); err != nil {
		return nil, errEmitNotAllowed(c.name)
	}
	activities := []string{}
	if name == "typing" {
		var typing bool
		if _, err := c.arg(2, &typing); err != nil {
			return nil, err
		}
		if typing {
			activities = append(activities, "user-typing")
		}
	} else if _, err := c.arg(2, &activities); err != nil {
		return nil, err
	}
	data := []any{username, activities}
	if name == "user-activity" && len(c.params) > 3 {
		data = append(data, c.params[3])
	}
	origin := ""
	if c.sess != nil {
		origin = c.sess.id
	}
	ev := chat.Event{Kind: chat.EventUserActivity, RoomID: rid, UserID: actor.ID, Origin: origin, Data: mustJSON(data)}
	if err := h.core.Publish(ctx, chat.RoomTopic(rid), ev); err != nil {
		return nil, err
	}
	return nil, nil
}
