package rest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// historyRoutes lists the room timelines: <type>.history (a page before
// latest, newest first) and <type>.messages (a paginated, filterable
// listing), for channels, groups and direct messages (im and its alias dm).
// https://developer.rocket.chat/apidocs/get-channel-history
func (a *API) historyRoutes() {
	for prefix, t := range map[string]chat.RoomType{
		"channels": chat.RoomChannel, "groups": chat.RoomGroup, "im": chat.RoomDirect, "dm": chat.RoomDirect,
	} {
		a.handle("GET /api/v1/"+prefix+".history", authRequired, a.handleRoomHistory(t))
		a.handle("GET /api/v1/"+prefix+".messages", authRequired, a.handleRoomMessages(t))
	}
}

// roomRef reads the room a timeline endpoint addresses: roomId or
// roomName, and for direct messages roomId or username.
func (r *Request) roomRef(t chat.RoomType) core.RoomRef {
	ref := core.RoomRef{ID: r.q("roomId"), Type: t}
	if t == chat.RoomDirect {
		ref.Name = r.q("username")
	} else {
		ref.Name = r.q("roomName")
	}
	return ref
}

// optionalDate reads an optional ISO date from the query.
func (r *Request) optionalDate(name string) (time.Time, error) {
	if r.q(name) == "" {
		return time.Time{}, nil
	}
	return r.dateParam(name, "error-invalid-date")
}

// handleRoomHistory answers GET <type>.history with {messages} newest
// first, plus {firstUnread?, unreadNotLoaded} when unreads=true.
func (a *API) handleRoomHistory(t chat.RoomType) handlerFunc {
	return func(r *Request) (obj, error) {
		ref := r.roomRef(t)
		if t == chat.RoomDirect && ref.ID == "" {
			return nil, chat.Errorf(chat.EInvalid, "error-room-param-not-provided", `Query param "roomId" is required`)
		}
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		latest, err := r.optionalDate("latest")
		if err != nil {
			return nil, err
		}
		oldest, err := r.optionalDate("oldest")
		if err != nil {
			return nil, err
		}
		page, err := a.core.History(r.Context(), r.Actor, ref, core.HistoryOptions{
			Latest: latest, Oldest: oldest, Inclusive: r.q("inclusive") == "true",
			Offset: p.Offset, Count: p.Count, Unreads: r.q("unreads") == "true",
			ShowThreadMessages: r.q("showThreadMessages") == "true",
		})
		if err != nil {
			return nil, err
		}
		res := obj{"messages": messageDocs(page.Messages)}
		if page.Unreads {
			res["unreadNotLoaded"] = page.UnreadNotLoaded
			if page.FirstUnread != nil {
				res["firstUnread"] = messageDoc(page.FirstUnread)
			}
		}
		return res, nil
	}
}

// handleRoomMessages answers GET <type>.messages with {messages, count,
// offset, total}: mentionIds, starredIds and pinned filter, sort orders by
// ts, and the query EmbeddedChat sends ({"tmid":{"$exists":false}}) hides
// thread replies.
func (a *API) handleRoomMessages(t chat.RoomType) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		opt := core.MessagesOptions{
			MentionedUser: firstID(r.q("mentionIds")),
			StarredBy:     firstID(r.q("starredIds")),
			Pinned:        strings.EqualFold(r.q("pinned"), "true"),
			Page:          corePage(p, "ts"),
		}
		if q := r.q("query"); q != "" {
			if err := applyMessageQuery(q, &opt); err != nil {
				return nil, err
			}
		}
		msgs, total, err := a.core.RoomMessages(r.Context(), r.Actor, r.roomRef(t), opt)
		if err != nil {
			return nil, err
		}
		return paged(obj{"messages": messageDocs(msgs)}, len(msgs), p, total), nil
	}
}

// firstID returns the first of a comma-separated list of ids. Clients send
// one (their own id); the store filters by a single user.
func firstID(list string) string {
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			return id
		}
	}
	return ""
}

// applyMessageQuery reads the parts of a Mongo-style query that clients
// send to the messages listings: tmid (a thread's id, or {"$exists":
// false} for the main timeline) and pinned. Other keys are ignored.
func applyMessageQuery(q string, opt *core.MessagesOptions) error {
	var query map[string]json.RawMessage
	if err := json.Unmarshal([]byte(q), &query); err != nil {
		return chat.Errorf(chat.EInvalid, "error-invalid-query", "Invalid query parameter provided: %q", q)
	}
	if raw, ok := query["tmid"]; ok {
		var id string
		var exists struct {
			Exists *bool `json:"$exists"`
		}
		switch {
		case json.Unmarshal(raw, &id) == nil:
			opt.TMID = id
		case json.Unmarshal(raw, &exists) == nil && exists.Exists != nil:
			opt.NoThreadReplies = !*exists.Exists
		}
	}
	if raw, ok := query["pinned"]; ok {
		var pinned bool
		if json.Unmarshal(raw, &pinned) == nil && pinned {
			opt.Pinned = true
		}
	}
	return nil
}
