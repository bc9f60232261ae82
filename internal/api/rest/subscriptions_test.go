package rest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// rmSub returns c's subscription to a room (nil when not a member).
func rmSub(t *testing.T, c *testenv.Client, rid string) map[string]any {
	t.Helper()
	sub, _ := c.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": rid}).MustOK(t)["subscription"].(map[string]any)
	return sub
}

func rmPost(t *testing.T, c *testenv.Client, rid, text string) map[string]any {
	t.Helper()
	return c.Post(t, "/api/v1/chat.postMessage", map[string]any{"roomId": rid, "text": text}).MustOK(t)["message"].(map[string]any)
}

func TestSubscriptionUnreadCounts(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "unreads", "bob")["_id"].(string)

	const n = 4
	for i := 0; i < n; i++ {
		rmPost(t, f.alice, id, fmt.Sprintf("message %d", i))
	}
	sub := rmSub(t, f.bob, id)
	if sub["unread"] != float64(n) || sub["alert"] != true || sub["userMentions"] != float64(0) || sub["groupMentions"] != float64(0) {
		t.Fatalf("after %d posts: %v", n, sub)
	}
	if sub["rid"] != id || sub["t"] != "c" || sub["name"] != "unreads" || sub["open"] != true {
		t.Fatalf("subscription fields %v", sub)
	}
	if u, _ := sub["u"].(map[string]any); u["_id"] != f.bob.UserID || u["username"] != "bob" {
		t.Fatalf("u %v", sub["u"])
	}
	wantISO(t, sub, "ts")
	wantISO(t, sub, "ls")
	wantISO(t, sub, "_updatedAt")
	if own := rmSub(t, f.alice, id); own["unread"] != float64(0) || own["alert"] != false {
		t.Fatalf("the sender's own messages count for her: %v", own)
	}

	rmPost(t, f.alice, id, "look @bob")
	if sub = rmSub(t, f.bob, id); sub["unread"] != float64(n+1) || sub["userMentions"] != float64(1) || sub["groupMentions"] != float64(0) {
		t.Fatalf("after @bob: %v", sub)
	}
	rmPost(t, f.alice, id, "hey @all")
	if sub = rmSub(t, f.bob, id); sub["unread"] != float64(n+2) || sub["userMentions"] != float64(1) || sub["groupMentions"] != float64(1) {
		t.Fatalf("after @all: %v", sub)
	}

	before := time.Now().Add(-2 * time.Second)
	f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id}).MustOK(t)
	sub = rmSub(t, f.bob, id)
	if sub["unread"] != float64(0) || sub["alert"] != false || sub["userMentions"] != float64(0) || sub["groupMentions"] != float64(0) {
		t.Fatalf("after read: %v", sub)
	}
	if ls, err := wire.ParseISO(sub["ls"].(string)); err != nil || ls.Before(before) {
		t.Fatalf("ls %v not moved to now", sub["ls"])
	}
	// The roomId spelling works too; reading an unknown room fails.
	rmPost(t, f.alice, id, "again")
	f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"roomId": id, "readThreads": true}).MustOK(t)
	if sub = rmSub(t, f.bob, id); sub["unread"] != float64(0) {
		t.Fatalf("after read by roomId: %v", sub)
	}
	rmFail(t, f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{}), 400, "invalid-params", "")
	rmFail(t, f.carol.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id}), 400, "error-invalid-subscription", "")

	// A read up to the message the reader saw leaves later ones unread.
	seen := rmPost(t, f.alice, id, "seen")
	rmPost(t, f.alice, id, "not seen yet")
	f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id, "seenUpTo": seen["_id"]}).MustOK(t)
	if sub = rmSub(t, f.bob, id); sub["unread"] != float64(1) || sub["ls"] != seen["ts"] {
		t.Fatalf("after a read up to a seen message: unread %v ls %v, want 1 and %v", sub["unread"], sub["ls"], seen["ts"])
	}
	rmFail(t, f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id, "seenUpTo": "nope"}), 400, "error-invalid-message", "")
	f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id}).MustOK(t)

	// Counters agree with the subscription.
	rmPost(t, f.alice, id, "one more @bob")
	c := f.bob.Get(t, "/api/v1/channels.counters", map[string]string{"roomId": id}).MustOK(t)
	if c["unreads"] != float64(1) || c["userMentions"] != float64(1) {
		t.Fatalf("counters %v", c)
	}
}

func TestSubscriptionsPrivateGroupUnreads(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "groups", "quiet", "bob")["_id"].(string)
	rmPost(t, f.alice, id, "psst")
	if sub := rmSub(t, f.bob, id); sub["unread"] != float64(1) || sub["t"] != "p" {
		t.Fatalf("bob's group subscription %v", sub)
	}
	// carol is not in the group: no subscription, and nothing else either.
	if res := f.carol.Get(t, "/api/v1/subscriptions.getOne", map[string]string{"roomId": id}).MustOK(t); res["subscription"] != nil {
		t.Fatalf("carol sees %v", res)
	}
	rmFail(t, f.carol.Get(t, "/api/v1/groups.counters", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/groups.members", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/groups.info", map[string]string{"roomId": id}), 400, "error-room-not-found", "")
	rmFail(t, f.carol.Get(t, "/api/v1/subscriptions.getOne", nil), 400, "invalid-params", "")
}

func TestSubscriptionsUnread(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	id := rmCreate(t, f.alice, "channels", "marks", "bob")["_id"].(string)
	rmFail(t, f.bob.Post(t, "/api/v1/subscriptions.unread", map[string]any{"roomId": id}), 400, "error-no-message-for-unread", "")

	first := rmPost(t, f.alice, id, "first")
	rmPost(t, f.alice, id, "second")
	f.bob.Post(t, "/api/v1/subscriptions.read", map[string]any{"rid": id}).MustOK(t)

	f.bob.Post(t, "/api/v1/subscriptions.unread", map[string]any{"roomId": id}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["alert"] != true {
		t.Fatalf("marked unread: %v", sub)
	}
	f.bob.Post(t, "/api/v1/subscriptions.unread", map[string]any{"firstUnreadMessage": map[string]any{"_id": first["_id"]}}).MustOK(t)
	if sub := rmSub(t, f.bob, id); sub["unread"] != float64(2) || sub["alert"] != true {
		t.Fatalf("unread from the first message: %v", sub)
	}
	own := rmPost(t, f.bob, id, "mine")
	rmFail(t, f.bob.Post(t, "/api/v1/subscriptions.unread", map[string]any{"firstUnreadMessage": map[string]any{"_id": own["_id"]}}), 403, "error-action-not-allowed", "")
	rmFail(t, f.bob.Post(t, "/api/v1/subscriptions.unread", map[string]any{}), 400, "invalid-params", "")
}

func TestSubscriptionsGet(t *testing.T) {
	t.Parallel()
	f := newRoomFix(t)
	all := f.bob.Get(t, "/api/v1/subscriptions.get", nil).MustOK(t)
	if update := all["update"].([]any); len(update) != 1 || len(all["remove"].([]any)) != 0 {
		t.Fatalf("bob's subscriptions (only #general) %v", all)
	}
	// The server runs in this process, on the same clock.
	time.Sleep(5 * time.Millisecond)
	since := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	id := rmCreate(t, f.alice, "channels", "synced", "bob")["_id"].(string)
	gone := rmCreate(t, f.alice, "channels", "gone", "bob")["_id"].(string)
	f.bob.Post(t, "/api/v1/channels.leave", map[string]any{"roomId": gone}).MustOK(t)

	res := f.bob.Get(t, "/api/v1/subscriptions.get", map[string]string{"updatedSince": wire.FormatISO(since)}).MustOK(t)
	var got []string
	for _, s := range res["update"].([]any) {
		got = append(got, s.(map[string]any)["rid"].(string))
	}
	removed := res["remove"].([]any)
	if len(got) != 1 || got[0] != id || len(removed) != 1 {
		t.Fatalf("since %s: update %v remove %v", since, got, removed)
	}
	wantISO(t, removed[0].(map[string]any), "_deletedAt")
	rmFail(t, f.bob.Get(t, "/api/v1/subscriptions.get", map[string]string{"updatedSince": "yesterday"}), 400, "error-roomId-param-invalid", "")
}
