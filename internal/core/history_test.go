package core

import (
	"fmt"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// seed stores n messages in room r, one second apart from base, and
// returns them oldest first. Every fifth is a thread reply to the first.
func (e *msgEnv) seed(r *chat.Room, n int, base time.Time) []chat.Message {
	e.t.Helper()
	var out []chat.Message
	for i := range n {
		m := &chat.Message{
			ID: fmt.Sprintf("m%03d", i), RoomID: r.ID, Text: fmt.Sprintf("message %d", i),
			User: e.admin.Ref(), TS: base.Add(time.Duration(i) * time.Second),
		}
		m.UpdatedAt = m.TS
		if i > 0 && i%5 == 0 {
			m.TMID = "m000"
		}
		if err := e.st.InsertMessage(e.ctx, m, true); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, *m)
	}
	return out
}

func ids(ms []chat.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestHistory(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	e.user("bob")
	r := e.room(chat.RoomGroup, "hist", e.admin, "bob")
	base := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	e.seed(r, 12, base) // m005 and m010 are thread replies

	ref := RoomRef{ID: r.ID, Type: chat.RoomGroup}
	page, err := e.s.History(e.ctx, e.admin, ref, HistoryOptions{Count: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(page.Messages)); got != "[m011 m009 m008 m007]" {
		t.Fatalf("newest page without replies = %s", got)
	}
	page, _ = e.s.History(e.ctx, e.admin, ref, HistoryOptions{Count: 3, ShowThreadMessages: true, Latest: base.Add(11 * time.Second)})
	if got := fmt.Sprint(ids(page.Messages)); got != "[m010 m009 m008]" {
		t.Fatalf("page before latest with replies = %s", got)
	}
	page, _ = e.s.History(e.ctx, e.admin, ref, HistoryOptions{Count: 3, ShowThreadMessages: true, Latest: base.Add(11 * time.Second), Inclusive: true})
	if got := fmt.Sprint(ids(page.Messages)); got != "[m011 m010 m009]" {
		t.Fatalf("inclusive page = %s", got)
	}
	// With oldest and unreads: the three messages after the mark that did
	// not fit the page are reported.
	page, _ = e.s.History(e.ctx, e.admin, ref, HistoryOptions{Count: 2, Oldest: base.Add(5 * time.Second), Unreads: true})
	if got := fmt.Sprint(ids(page.Messages)); got != "[m011 m009]" {
		t.Fatalf("page above oldest = %s", got)
	}
	if page.FirstUnread == nil || page.FirstUnread.ID != "m006" || page.UnreadNotLoaded != 3 {
		t.Fatalf("unreads = %v / %d, want m006 / 3", page.FirstUnread, page.UnreadNotLoaded)
	}

	carol := e.user("carol")
	_, err = e.s.History(e.ctx, carol, ref, HistoryOptions{})
	wantErr(t, err, chat.ENotFound, "error-room-not-found")
	_, err = e.s.History(e.ctx, e.admin, RoomRef{ID: r.ID, Type: chat.RoomChannel}, HistoryOptions{})
	wantErr(t, err, chat.ENotFound, "error-room-not-found")
}

func TestHistoryHidesSystemTypes(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	r := e.room(chat.RoomChannel, "sysmes", e.admin)
	for i := range 30 {
		m := &chat.Message{ID: fmt.Sprintf("s%02d", i), RoomID: r.ID, User: e.admin.Ref(), Text: "x", TS: time.UnixMilli(int64(1_700_000_000_000 + i*1000)).UTC()}
		if i%3 != 0 {
			m.Type = chat.MsgUserJoined
		}
		m.UpdatedAt = m.TS
		if err := e.st.InsertMessage(e.ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
	r, _ = e.st.RoomByID(e.ctx, r.ID)
	r.SysMes = []string{chat.MsgUserJoined}
	if err := e.st.UpdateRoom(e.ctx, r); err != nil {
		t.Fatal(err)
	}
	page, err := e.s.History(e.ctx, e.admin, RoomRef{ID: r.ID}, HistoryOptions{Count: 5, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 5 {
		t.Fatalf("got %d messages, want a full page of 5", len(page.Messages))
	}
	for _, m := range page.Messages {
		if m.Type != "" {
			t.Fatalf("hidden type %q in history", m.Type)
		}
	}
	// 10 visible messages; skipping 2 of them starts at the 3rd newest.
	if want := time.UnixMilli(1_700_000_000_000 + 21*1000).UTC(); !page.Messages[0].TS.Equal(want) {
		t.Fatalf("first = %v, want %v", page.Messages[0].TS, want)
	}
}

func TestLoadHistoryAndSurrounding(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	r := e.room(chat.RoomChannel, "load", e.admin)
	base := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	e.seed(r, 10, base)

	page, err := e.s.LoadHistory(e.ctx, e.admin, r.ID, base.Add(9*time.Second), 3, base.Add(2*time.Second), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(page.Messages)); got != "[m008 m007 m006]" {
		t.Fatalf("loadHistory = %s", got)
	}
	if page.FirstUnread == nil || page.FirstUnread.ID != "m003" || page.UnreadNotLoaded != 3 {
		t.Fatalf("unreads %+v %d", page.FirstUnread, page.UnreadNotLoaded)
	}
	missed, err := e.s.LoadMissed(e.ctx, e.admin, r.ID, base.Add(7*time.Second))
	if err != nil || fmt.Sprint(ids(missed)) != "[m009 m008]" {
		t.Fatalf("loadMissed = %v %v", ids(missed), err)
	}
	next, err := e.s.LoadNext(e.ctx, e.admin, r.ID, base.Add(6*time.Second), 2)
	if err != nil || fmt.Sprint(ids(next)) != "[m007 m008]" {
		t.Fatalf("loadNext = %v %v", ids(next), err)
	}
	sur, err := e.s.LoadSurrounding(e.ctx, e.admin, "m004", 5)
	if err != nil {
		t.Fatal(err)
	}
	// m005 is a thread reply and is not part of the room's timeline.
	if got := fmt.Sprint(ids(sur.Messages)); got != "[m002 m003 m004 m006 m007]" || !sur.MoreBefore || !sur.MoreAfter {
		t.Fatalf("surrounding = %s before=%v after=%v", got, sur.MoreBefore, sur.MoreAfter)
	}
}

func TestSyncMessagesPage(t *testing.T) {
	t.Parallel()
	e := newMsgEnv(t)
	r := e.room(chat.RoomChannel, "sync", e.admin)
	base := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	e.seed(r, 5, base)
	cur := func(d time.Duration) string { return fmt.Sprint(base.Add(d).UnixMilli()) }

	pg, err := e.s.SyncMessagesPage(e.ctx, e.admin, r.ID, SyncCursor{Type: "UPDATED", Next: cur(-time.Second), Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(pg.Updated)); got != "[m000 m001]" || pg.Next == nil || *pg.Next != cur(time.Second) {
		t.Fatalf("first page %s next=%v", got, pg.Next)
	}
	pg, _ = e.s.SyncMessagesPage(e.ctx, e.admin, r.ID, SyncCursor{Type: "UPDATED", Next: *pg.Next, Count: 2})
	if got := fmt.Sprint(ids(pg.Updated)); got != "[m002 m003]" || pg.Previous == nil || *pg.Previous != cur(2*time.Second) {
		t.Fatalf("second page %s prev=%v", got, pg.Previous)
	}
	pg, _ = e.s.SyncMessagesPage(e.ctx, e.admin, r.ID, SyncCursor{Type: "UPDATED", Next: cur(3 * time.Second), Count: 2})
	if got := fmt.Sprint(ids(pg.Updated)); got != "[m004]" || pg.Next != nil {
		t.Fatalf("last page %s next=%v", got, pg.Next)
	}
	pg, _ = e.s.SyncMessagesPage(e.ctx, e.admin, r.ID, SyncCursor{Type: "UPDATED", Previous: cur(3 * time.Second), Count: 2})
	if got := fmt.Sprint(ids(pg.Updated)); got != "[m002 m001]" {
		t.Fatalf("previous page %s", got)
	}
	_, err = e.s.SyncMessagesPage(e.ctx, e.admin, r.ID, SyncCursor{Type: "BOTH", Next: "1"})
	wantErr(t, err, chat.EInvalid, "error-type-param-not-supported")
}
