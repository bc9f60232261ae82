package core

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// SyncCursor asks for one page of a room's changes in the cursor form of
// chat.syncMessages: Type "UPDATED" (changed messages, by update time) or
// "DELETED" (removals, by deletion time), after the Next cursor or before
// the Previous one. Cursors are update (or deletion) times in ms.
type SyncCursor struct {
	Type     string
	Next     string
	Previous string
	Count    int
}

// SyncPage is one page of SyncMessagesPage, with the cursors of its
// neighbours (nil at the ends).
type SyncPage struct {
	Updated  []chat.Message
	Deleted  []chat.Removal
	Next     *string
	Previous *string
}

// SyncMessagesPage is the cursor form of chat.syncMessages, following
// Rocket.Chat's cursor rules (including that a type without a cursor gives
// an empty page).
func (s *Service) SyncMessagesPage(ctx context.Context, actor *chat.User, roomID string, c SyncCursor) (*SyncPage, error) {
	r, err := s.syncRoom(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Type != "UPDATED" && c.Type != "DELETED":
		return nil, chat.Errorf(chat.EInvalid, "error-type-param-not-supported", `The "type" parameter must be either "UPDATED" or "DELETED"`)
	case c.Next != "" && c.Previous != "":
		return nil, chat.Errorf(chat.EInvalid, "error-cursor-conflict", `You cannot provide both "next" and "previous" parameters`)
	case c.Next == "" && c.Previous == "":
		return &SyncPage{}, nil
	}
	if c.Count <= 0 {
		c.Count = 20
	}
	raw := c.Next
	if raw == "" {
		raw = c.Previous
	}
	ms, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, chat.Errorf(chat.EInvalid, "error-invalid-cursor", "Invalid Date")
	}
	at := time.UnixMilli(ms).UTC()
	// Keys are the times the cursor orders by; the page takes count+1 to
	// learn whether there is more.
	var keys []time.Time
	page := &SyncPage{}
	if c.Type == "UPDATED" {
		since := at
		if c.Previous != "" {
			since = time.Time{}
		}
		msgs, _, err := s.store.ListMessages(ctx, chat.MessageFilter{RoomID: r.ID, UpdatedSince: since})
		if err != nil {
			return nil, err
		}
		msgs = slices.DeleteFunc(msgs, func(m chat.Message) bool { return c.Previous != "" && !m.UpdatedAt.Before(at) })
		slices.SortStableFunc(msgs, func(a, b chat.Message) int { return cmpTime(a.UpdatedAt, b.UpdatedAt, c.Previous != "") })
		if len(msgs) > c.Count+1 {
			msgs = msgs[:c.Count+1]
		}
		for _, m := range msgs {
			keys = append(keys, m.UpdatedAt)
		}
		page.Updated = msgs
	} else {
		since := at
		if c.Previous != "" {
			since = time.Time{}
		}
		rms, _, err := s.store.DeletedMessages(ctx, r.ID, since, 0, 0)
		if err != nil {
			return nil, err
		}
		rms = slices.DeleteFunc(rms, func(x chat.Removal) bool { return c.Previous != "" && !x.DeletedAt.Before(at) })
		slices.SortStableFunc(rms, func(a, b chat.Removal) int { return cmpTime(a.DeletedAt, b.DeletedAt, c.Previous != "") })
		if len(rms) > c.Count+1 {
			rms = rms[:c.Count+1]
		}
		for _, x := range rms {
			keys = append(keys, x.DeletedAt)
		}
		page.Deleted = rms
	}
	page.Next, page.Previous = syncCursors(keys, c)
	if len(keys) > c.Count {
		if page.Updated != nil {
			page.Updated = page.Updated[:c.Count]
		} else {
			page.Deleted = page.Deleted[:c.Count]
		}
	}
	return page, nil
}

// cmpTime orders times ascending, or descending when desc.
func cmpTime(a, b time.Time, desc bool) int {
	c := a.Compare(b)
	if desc {
		return -c
	}
	return c
}

// syncCursors computes the next and previous cursors of a page whose
// entries (count+1 at most) have the given keys, as Rocket.Chat's
// mountNextCursor and mountPreviousCursor do.
func syncCursors(keys []time.Time, c SyncCursor) (next, prev *string) {
	n := len(keys)
	if n == 0 {
		return nil, nil
	}
	cur := func(i int) *string {
		s := strconv.FormatInt(keys[i].UnixMilli(), 10)
		return &s
	}
	switch {
	case c.Previous != "":
		next = cur(0)
	case n > c.Count:
		next = cur(n - 2)
	}
	switch {
	case c.Next != "":
		prev = cur(0)
	case n > c.Count:
		prev = cur(n - 2)
	}
	return next, prev
}
