package rest

import (
	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

// subscriptionRoutes lists the subscriptions.* endpoints: a user's
// memberships and their read state.
// https://developer.rocket.chat/apidocs/subscriptions-endpoints
func (a *API) subscriptionRoutes() {
	a.handle("GET /api/v1/subscriptions.get", authRequired, a.handleSubscriptionsGet)
	a.handle("GET /api/v1/subscriptions.getOne", authRequired, a.handleSubscriptionsGetOne)
	a.handle("POST /api/v1/subscriptions.read", authRequired, a.handleSubscriptionsRead)
	a.handle("POST /api/v1/subscriptions.unread", authRequired, a.handleSubscriptionsUnread)
}

// subscriptionDoc renders a subscription for REST.
func subscriptionDoc(s *chat.Subscription) map[string]any { return wire.NewSubscription(s, date) }

// handleSubscriptionsGet answers GET subscriptions.get with {update,
// remove}: the caller's subscriptions (changed after updatedSince, when
// given) and the ones removed since.
func (a *API) handleSubscriptionsGet(r *Request) (obj, error) {
	since, err := r.updatedSince("error-roomId-param-invalid", `The "lastUpdate" query parameter must be a valid date.`)
	if err != nil {
		return nil, err
	}
	subs, removed, err := a.core.SubscriptionsForSync(r.Context(), r.Actor, since)
	if err != nil {
		return nil, err
	}
	return obj{"update": wire.NewSubscriptions(subs, date), "remove": wire.NewRemovals(removed, date)}, nil
}

// handleSubscriptionsGetOne answers GET subscriptions.getOne ?roomId with
// {subscription}, null when the caller is not in the room. tunread lists
// the threads with unread replies.
func (a *API) handleSubscriptionsGetOne(r *Request) (obj, error) {
	roomID := r.q("roomId")
	if roomID == "" {
		return nil, required("roomId")
	}
	sub, err := a.core.SubscriptionOf(r.Context(), r.Actor, roomID)
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return obj{"subscription": nil}, nil
	}
	doc := subscriptionDoc(sub)
	tunread, err := a.core.UnreadThreadsOf(r.Context(), r.Actor, roomID)
	if err != nil {
		return nil, err
	}
	if len(tunread) > 0 {
		doc["tunread"] = tunread
	}
	return obj{"subscription": doc}, nil
}

// handleSubscriptionsRead answers POST subscriptions.read {rid|roomId,
// readThreads?, seenUpTo?}. seenUpTo, a message id, is Liftoff's own: see
// core.Service.ReadMessages.
func (a *API) handleSubscriptionsRead(r *Request) (obj, error) {
	var b struct {
		RID         string `json:"rid"`
		RoomID      string `json:"roomId"`
		ReadThreads bool   `json:"readThreads"`
		SeenUpTo    string `json:"seenUpTo"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	rid := b.RID
	if rid == "" {
		rid = b.RoomID
	}
	if rid == "" {
		return nil, required("rid")
	}
	return nil, a.core.ReadMessages(r.Context(), r.Actor, rid, b.ReadThreads, b.SeenUpTo)
}

// handleSubscriptionsUnread answers POST subscriptions.unread {roomId} or
// {firstUnreadMessage: {_id}}.
func (a *API) handleSubscriptionsUnread(r *Request) (obj, error) {
	var b struct {
		RoomID             string `json:"roomId"`
		FirstUnreadMessage *struct {
			ID string `json:"_id"`
		} `json:"firstUnreadMessage"`
	}
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	first := ""
	if b.FirstUnreadMessage != nil {
		first = b.FirstUnreadMessage.ID
	}
	if b.RoomID == "" && first == "" {
		return nil, required("roomId")
	}
	return nil, a.core.MarkUnread(r.Context(), r.Actor, b.RoomID, first)
}
