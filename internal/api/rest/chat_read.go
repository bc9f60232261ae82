package rest

import (
	"context"
	"strconv"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// chatReadRoutes lists the chat.* endpoints that read messages.
func (a *API) chatReadRoutes() {
	a.handle("GET /api/v1/chat.getMessage", authRequired, a.handleChatGetMessage)
	a.handle("GET /api/v1/chat.getThreadMessages", authRequired, a.handleChatGetThreadMessages)
	a.handle("GET /api/v1/chat.getThreadsList", authRequired, a.handleChatGetThreadsList)
	a.handle("GET /api/v1/chat.syncThreadMessages", authRequired, a.handleChatSyncThreadMessages)
	a.handle("GET /api/v1/chat.syncThreadsList", authRequired, a.handleChatSyncThreadsList)
	a.handle("GET /api/v1/chat.syncMessages", authRequired, a.handleChatSyncMessages)
	a.handle("GET /api/v1/chat.search", authRequired, a.handleChatSearch)
	a.handle("GET /api/v1/chat.getPinnedMessages", authRequired, a.handleChatMessageList(a.core.PinnedMessages))
	a.handle("GET /api/v1/chat.getStarredMessages", authRequired, a.handleChatMessageList(a.core.StarredMessages))
	a.handle("GET /api/v1/chat.getMentionedMessages", authRequired, a.handleChatMessageList(a.core.MentionedMessages))
	a.handle("GET /api/v1/chat.getDeletedMessages", authRequired, a.handleChatGetDeletedMessages)
	a.handle("GET /api/v1/chat.getDiscussions", authRequired, a.handleChatGetDiscussions)
}

// messageDocs renders messages for REST; an empty list is [] (never null),
// as clients iterate it.
func messageDocs(ms []chat.Message) []*wire.Message { return wire.NewMessages(ms, date) }

// corePage turns REST pagination into a core page; sortField is the field
// whose direction the listing honours (ts, tlm).
func corePage(p pagination, sortField string) core.Page {
	cp := core.Page{Offset: p.Offset, Limit: p.Count}
	for _, f := range p.Sort {
		if f.Field == sortField {
			asc := !f.Desc
			cp.Ascending = &asc
			break
		}
	}
	return cp
}

// dateParam reads a required ISO date from the query, with the endpoint's
// error type for a missing or malformed one.
func (r *Request) dateParam(name, errType string) (time.Time, error) {
	s := r.q(name)
	if s == "" {
		return time.Time{}, required(name)
	}
	t, err := wire.ParseISO(s)
	if err != nil {
		return time.Time{}, chat.Errorf(chat.EInvalid, errType, "The \"%s\" query parameter must be a valid date.", name)
	}
	return t, nil
}

// handleChatGetMessage answers GET chat.getMessage?msgId= with {message}.
func (a *API) handleChatGetMessage(r *Request) (obj, error) {
	id := r.q("msgId")
	if id == "" {
		return nil, &chat.Error{Kind: chat.EInvalid, Message: `The "msgId" query parameter must be provided.`}
	}
	m, err := a.core.GetMessage(r.Context(), r.Actor, id)
	if err != nil {
		return nil, err
	}
	return obj{"message": messageDoc(m)}, nil
}

// handleChatGetThreadMessages answers GET chat.getThreadMessages?tmid=
// with the thread's replies, oldest first, paginated.
func (a *API) handleChatGetThreadMessages(r *Request) (obj, error) {
	tmid := r.q("tmid")
	if tmid == "" {
		return nil, required("tmid")
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	msgs, total, err := a.core.ThreadMessages(r.Context(), r.Actor, tmid, corePage(p, "ts"))
	if err != nil {
		return nil, err
	}
	return paged(obj{"messages": messageDocs(msgs)}, len(msgs), p, total), nil
}

// handleChatGetThreadsList answers GET chat.getThreadsList?rid=&type=&text=
// with {threads, count, offset, total}, most recent reply first.
func (a *API) handleChatGetThreadsList(r *Request) (obj, error) {
	rid := r.q("rid")
	if rid == "" {
		return nil, required("rid")
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	threads, total, err := a.core.ThreadsList(r.Context(), r.Actor, rid, core.ThreadsListOptions{
		Type: r.q("type"), Text: r.q("text"), Page: corePage(p, "tlm"),
	})
	if err != nil {
		return nil, err
	}
	return paged(obj{"threads": messageDocs(threads)}, len(threads), p, total), nil
}

// syncDoc renders a Sync as Rocket.Chat's {update, remove}.
func syncDoc(s *core.Sync) obj {
	return obj{"update": messageDocs(s.Updated), "remove": wire.NewRemovals(s.Removed, date)}
}

// handleChatSyncThreadMessages answers GET
// chat.syncThreadMessages?tmid=&updatedSince= with {messages:{update,
// remove}}.
func (a *API) handleChatSyncThreadMessages(r *Request) (obj, error) {
	tmid := r.q("tmid")
	if tmid == "" {
		return nil, required("tmid")
	}
	since, err := r.dateParam("updatedSince", "error-updatedSince-param-invalid")
	if err != nil {
		return nil, err
	}
	s, err := a.core.SyncThreadMessages(r.Context(), r.Actor, tmid, since)
	if err != nil {
		return nil, err
	}
	return obj{"messages": syncDoc(s)}, nil
}

// handleChatSyncThreadsList answers GET chat.syncThreadsList?rid=&updatedSince=
// with {threads:{update, remove}}.
func (a *API) handleChatSyncThreadsList(r *Request) (obj, error) {
	rid := r.q("rid")
	if rid == "" {
		return nil, required("rid")
	}
	since, err := r.dateParam("updatedSince", "error-updatedSince-param-invalid")
	if err != nil {
		return nil, err
	}
	s, err := a.core.SyncThreadsList(r.Context(), r.Actor, rid, since)
	if err != nil {
		return nil, err
	}
	return obj{"threads": syncDoc(s)}, nil
}

// handleChatSyncMessages answers GET chat.syncMessages with
// {result:{updated, deleted, cursor?}}: either everything changed after
// lastUpdate, or one page of the cursor form (type, next|previous, count).
func (a *API) handleChatSyncMessages(r *Request) (obj, error) {
	roomID, typ, next, prev := r.q("roomId"), r.q("type"), r.q("next"), r.q("previous")
	if roomID == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-param-required", `The required "roomId" query param is missing`)
	}
	if r.q("lastUpdate") == "" && typ == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-param-required", `The "type" or "lastUpdate" parameters must be provided`)
	}
	if (next != "" || prev != "") && r.q("lastUpdate") != "" {
		return nil, chat.Errorf(chat.EInvalid, "error-cursor-and-lastUpdate-conflict", `The attributes "next", "previous" and "lastUpdate" cannot be used together`)
	}
	if (next != "" || prev != "") && typ == "" {
		return nil, chat.Errorf(chat.EInvalid, "error-type-param-required", `The "type" parameter is required when using the "next" or "previous" parameters`)
	}
	if r.q("lastUpdate") != "" {
		since, err := r.dateParam("lastUpdate", "error-lastUpdate-param-invalid")
		if err != nil {
			return nil, err
		}
		s, err := a.core.SyncMessages(r.Context(), r.Actor, roomID, since)
		if err != nil {
			return nil, err
		}
		return obj{"result": obj{"updated": messageDocs(s.Updated), "deleted": wire.NewRemovals(s.Removed, date)}}, nil
	}
	count := 0
	if c := r.q("count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			return nil, chat.ErrInvalidParam("must be integer: 'count'")
		}
		count = n
	}
	pg, err := a.core.SyncMessagesPage(r.Context(), r.Actor, roomID, core.SyncCursor{Type: typ, Next: next, Previous: prev, Count: count})
	if err != nil {
		return nil, err
	}
	res := obj{"updated": messageDocs(pg.Updated), "deleted": wire.NewRemovals(pg.Deleted, date)}
	if next != "" || prev != "" {
		res["cursor"] = obj{"next": pg.Next, "previous": pg.Previous}
	}
	return obj{"result": res}, nil
}

// handleChatSearch answers GET chat.search?roomId=&searchText= with
// {messages}.
func (a *API) handleChatSearch(r *Request) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	msgs, err := a.core.SearchMessages(r.Context(), r.Actor, r.q("roomId"), r.q("searchText"), corePage(p, "ts"))
	if err != nil {
		return nil, err
	}
	return obj{"messages": messageDocs(msgs)}, nil
}

// roomListFunc is a core listing of one room's messages.
type roomListFunc func(ctx context.Context, actor *chat.User, roomID string, p core.Page) ([]chat.Message, int, error)

// handleChatMessageList answers the chat.get*Messages listings of a room
// with {messages, count, offset, total}.
func (a *API) handleChatMessageList(list roomListFunc) handlerFunc {
	return func(r *Request) (obj, error) {
		roomID := r.q("roomId")
		if roomID == "" {
			return nil, required("roomId")
		}
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		msgs, total, err := list(r.Context(), r.Actor, roomID, corePage(p, "ts"))
		if err != nil {
			return nil, err
		}
		return paged(obj{"messages": messageDocs(msgs)}, len(msgs), p, total), nil
	}
}

// handleChatGetDiscussions answers GET chat.getDiscussions?roomId=&text=.
func (a *API) handleChatGetDiscussions(r *Request) (obj, error) {
	roomID := r.q("roomId")
	if roomID == "" {
		return nil, required("roomId")
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	msgs, total, err := a.core.Discussions(r.Context(), r.Actor, roomID, r.q("text"), corePage(p, "ts"))
	if err != nil {
		return nil, err
	}
	return paged(obj{"messages": messageDocs(msgs)}, len(msgs), p, total), nil
}

// handleChatGetDeletedMessages answers GET chat.getDeletedMessages?roomId=&since=
// with {messages:[{_id}], count, offset, total}.
func (a *API) handleChatGetDeletedMessages(r *Request) (obj, error) {
	roomID := r.q("roomId")
	if roomID == "" {
		return nil, required("roomId")
	}
	since, err := r.dateParam("since", "error-since-param-invalid")
	if err != nil {
		return nil, err
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	rms, total, err := a.core.DeletedMessages(r.Context(), r.Actor, roomID, since, corePage(p, "ts"))
	if err != nil {
		return nil, err
	}
	out := make([]obj, len(rms))
	for i, x := range rms {
		out[i] = obj{"_id": x.ID}
	}
	return paged(obj{"messages": out}, len(out), p, total), nil
}
