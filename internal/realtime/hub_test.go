package realtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/liftoff-chat/liftoff/internal/bus/memory"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
)

// countingBus counts live subscriptions per topic, to check that the hub
// holds one per room whatever the number of connections.
type countingBus struct {
	chat.Bus
	mu   sync.Mutex
	live map[string]int
}

func (b *countingBus) Subscribe(ctx context.Context, topic string) (chat.BusSubscription, error) {
	s, err := b.Bus.Subscribe(ctx, topic)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.live[topic]++
	b.mu.Unlock()
	return &countedSub{BusSubscription: s, bus: b, topic: topic}, nil
}

func (b *countingBus) count(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.live[topic]
}

type countedSub struct {
	chat.BusSubscription
	bus   *countingBus
	topic string
	once  sync.Once
}

func (s *countedSub) Close() error {
	s.once.Do(func() {
		s.bus.mu.Lock()
		s.bus.live[s.topic]--
		s.bus.mu.Unlock()
	})
	return s.BusSubscription.Close()
}

// fixture is a hub over a real store and the in-process bus.
type fixture struct {
	hub  *Hub
	core *core.Service
	bus  *countingBus
	slow int
	mu   sync.Mutex
}

func newFixture(t *testing.T, queueFrames int) *fixture {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := &countingBus{Bus: memory.New(log), live: map[string]int{}}
	t.Cleanup(func() { bus.Close() })
	svc := core.New(core.Config{Store: st, Bus: bus, Logger: log})
	if err := svc.Init(ctx, core.InitOptions{Env: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{core: svc, bus: bus}
	f.hub = New(Config{Core: svc, Bus: bus, Logger: log, QueueFrames: queueFrames, OnSlowConsumer: func() {
		f.mu.Lock()
		f.slow++
		f.mu.Unlock()
	}})
	if err := f.hub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.hub.Close)
	return f
}

// publish sends an event as core would.
func (f *fixture) publish(t *testing.T, topic string, ev chat.Event, data any) {
	t.Helper()
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		ev.Data = b
	}
	if err := f.bus.Publish(context.Background(), topic, ev); err != nil {
		t.Fatal(err)
	}
}

// waitFrames takes frames from c until n arrived or the time is up.
func waitFrames(t *testing.T, c *Conn, n int) [][]byte {
	t.Helper()
	var got [][]byte
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		got = c.Take(got)
		time.Sleep(2 * time.Millisecond)
	}
	if len(got) < n {
		t.Fatalf("got %d frames, want %d: %q", len(got), n, got)
	}
	return got
}

func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func message(id, text string) *chat.Message {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &chat.Message{ID: id, RoomID: chat.GeneralRoomID, Text: text, TS: now, UpdatedAt: now,
		User: chat.UserRef{ID: "u1", Username: "alice"}}
}

// TestFrameRenderedOnce checks that one event is serialised once and the
// very same bytes are queued on every matching connection.
func TestFrameRenderedOnce(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	var conns []*Conn
	for i := range 3 {
		c := f.hub.Connect("c"+string(rune('0'+i)), nil)
		if err := f.hub.Subscribe(ctx, c, "s1", Key{StreamRoomMessages, chat.GeneralRoomID}, chat.GeneralRoomID, false); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	other := f.hub.Connect("other", nil)
	if err := f.hub.Subscribe(ctx, other, "s1", Key{StreamRoomMessages, "ELSEWHERE"}, "", false); err != nil {
		t.Fatal(err)
	}
	f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventMessage, RoomID: chat.GeneralRoomID, MessageID: "m1"}, message("m1", "hi"))

	var first []byte
	for i, c := range conns {
		frames := waitFrames(t, c, 1)
		if i == 0 {
			first = frames[0]
			continue
		}
		if unsafe.SliceData(frames[0]) != unsafe.SliceData(first) {
			t.Fatalf("connection %d got its own copy of the frame: rendered per connection", i)
		}
	}
	if !strings.HasPrefix(string(first), `{"msg":"changed","collection":"stream-room-messages","id":"id","fields":{"eventName":"GENERAL","args":[{"_id":"m1"`) {
		t.Fatalf("frame %s", first)
	}
	var frame struct {
		Fields struct {
			Args []map[string]any `json:"args"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(first, &frame); err != nil {
		t.Fatalf("frame is not JSON: %v", err)
	}
	if _, ok := frame.Fields.Args[0]["ts"].(map[string]any)["$date"].(float64); !ok {
		t.Fatalf("ts is not an EJSON date: %s", first)
	}
	time.Sleep(20 * time.Millisecond)
	if n := other.Pending(); n != 0 {
		t.Fatalf("a connection following another room got %d frames", n)
	}
}

// TestRoomTopicRefCount checks that many connections share one bus
// subscription per room, released with the last of them.
func TestRoomTopicRefCount(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	topic := chat.RoomTopic(chat.GeneralRoomID)
	var conns []*Conn
	for i := range 50 {
		c := f.hub.Connect(chat.NewID(), nil)
		for _, ev := range []Key{{StreamRoomMessages, chat.GeneralRoomID}, {StreamNotifyRoom, chat.GeneralRoomID + "/typing"}} {
			if err := f.hub.Subscribe(ctx, c, ev.Event, ev, chat.GeneralRoomID, false); err != nil {
				t.Fatal(err)
			}
		}
		conns = append(conns, c)
		_ = i
	}
	if n := f.bus.count(topic); n != 1 {
		t.Fatalf("%d bus subscriptions to %s for 50 connections, want 1", n, topic)
	}
	if s := f.hub.Stats(); s.Rooms != 1 || s.Connections != 50 {
		t.Fatalf("stats %+v", s)
	}
	for i, c := range conns {
		if i%2 == 0 {
			f.hub.Unsubscribe(c, chat.GeneralRoomID)
			f.hub.Unsubscribe(c, chat.GeneralRoomID+"/typing")
		} else {
			f.hub.Remove(c)
		}
	}
	eventually(t, func() bool { return f.bus.count(topic) == 0 }, "room topic released")
	if s := f.hub.Stats(); s.Rooms != 0 || s.Connections != 25 {
		t.Fatalf("stats after release %+v", s)
	}
}

// TestSlowConsumer checks that a connection that does not drain its queue
// is closed with a reason and counted, without disturbing the others.
func TestSlowConsumer(t *testing.T) {
	f := newFixture(t, 4)
	ctx := context.Background()
	slow, fast := f.hub.Connect("slow", nil), f.hub.Connect("fast", nil)
	for _, c := range []*Conn{slow, fast} {
		if err := f.hub.Subscribe(ctx, c, "s", Key{StreamRoomMessages, chat.GeneralRoomID}, chat.GeneralRoomID, false); err != nil {
			t.Fatal(err)
		}
	}
	var got [][]byte
	for i := range 10 {
		id := chat.NewID()
		f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventMessage, RoomID: chat.GeneralRoomID, MessageID: id}, message(id, "x"))
		got = append(got, waitFrames(t, fast, 1)...)
		_ = i
	}
	if len(got) != 10 {
		t.Fatalf("the draining connection got %d frames, want 10", len(got))
	}
	closed, reason := slow.Closed()
	if !closed || !strings.HasPrefix(reason, "slow consumer") {
		t.Fatalf("slow connection: closed=%v reason=%q", closed, reason)
	}
	select {
	case <-slow.Done():
	default:
		t.Fatal("Done not closed")
	}
	if s := f.hub.Stats(); s.SlowConsumers != 1 {
		t.Fatalf("slow consumers counted: %d", s.SlowConsumers)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.slow != 1 {
		t.Fatalf("OnSlowConsumer called %d times", f.slow)
	}
}

// TestMyMessagesMembersOnly checks that __my_messages__ carries the
// messages of the rooms the user belongs to, with the meta computed for
// them, and that membership changes follow subscription events.
func TestMyMessagesMembersOnly(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	st := f.core.Store()
	member := &chat.User{ID: "member000000000001", Username: "member"}
	outsider := &chat.User{ID: "outsider0000000001", Username: "outsider"}
	now := time.Now().UTC()
	sub := &chat.Subscription{ID: chat.NewID(), RoomID: chat.GeneralRoomID, User: chat.UserRef{ID: member.ID, Username: "member"},
		Type: chat.RoomChannel, Name: "general", Open: true, CreatedAt: now, UpdatedAt: now}
	for _, u := range []*chat.User{member, outsider} {
		u.Active, u.Roles, u.Type, u.CreatedAt, u.UpdatedAt = true, []string{"user"}, chat.UserTypeUser, now, now
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	mc, oc := f.hub.Connect("mc", nil), f.hub.Connect("oc", nil)
	for _, p := range []struct {
		c *Conn
		u *chat.User
	}{{mc, member}, {oc, outsider}} {
		if err := f.hub.Login(ctx, p.c, p.u); err != nil {
			t.Fatal(err)
		}
		if err := f.hub.Subscribe(ctx, p.c, "my", Key{StreamRoomMessages, MyMessages}, "", true); err != nil {
			t.Fatal(err)
		}
	}
	f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventMessage, RoomID: chat.GeneralRoomID, MessageID: "m1"}, message("m1", "hi"))
	frame := waitFrames(t, mc, 1)[0]
	if !strings.Contains(string(frame), `{"roomParticipant":true,"roomType":"c","roomName":"general"}]`) {
		t.Fatalf("__my_messages__ frame %s", frame)
	}
	time.Sleep(20 * time.Millisecond)
	if n := oc.Pending(); n != 0 {
		t.Fatalf("a non-member got %d frames", n)
	}

	// The outsider joins: the subscription event makes the room theirs.
	osub := *sub
	osub.ID, osub.User = chat.NewID(), chat.UserRef{ID: outsider.ID, Username: "outsider"}
	f.publish(t, chat.UserTopic(outsider.ID), chat.Event{Kind: chat.EventSubscription, RoomID: chat.GeneralRoomID, UserID: outsider.ID}, osub)
	eventually(t, func() bool { return len(f.hub.Rooms(oc)) == 1 }, "room added from the subscription event")
	f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventMessage, RoomID: chat.GeneralRoomID, MessageID: "m2"}, message("m2", "again"))
	waitFrames(t, oc, 1)

	// The member leaves: nothing more.
	f.publish(t, chat.UserTopic(member.ID), chat.Event{Kind: chat.EventSubscriptionGone, RoomID: chat.GeneralRoomID, UserID: member.ID}, nil)
	eventually(t, func() bool { return len(f.hub.Rooms(mc)) == 0 }, "room removed")
	mc.Take(nil)
	f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventMessage, RoomID: chat.GeneralRoomID, MessageID: "m3"}, message("m3", "gone"))
	waitFrames(t, oc, 1)
	if n := mc.Pending(); n != 0 {
		t.Fatalf("a user who left got %d frames", n)
	}
}

// TestActivityNotEchoed checks that a typing notice skips the connection
// it came from, and that both event names are rendered.
func TestActivityNotEchoed(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	a, b := f.hub.Connect("sender", nil), f.hub.Connect("receiver", nil)
	for _, c := range []*Conn{a, b} {
		for _, ev := range []string{"/typing", "/user-activity"} {
			k := Key{StreamNotifyRoom, chat.GeneralRoomID + ev}
			if err := f.hub.Subscribe(ctx, c, ev, k, chat.GeneralRoomID, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.publish(t, chat.RoomTopic(chat.GeneralRoomID), chat.Event{Kind: chat.EventUserActivity, RoomID: chat.GeneralRoomID, Origin: "sender"},
		[]any{"alice", []string{"user-typing"}})
	frames := waitFrames(t, b, 2)
	joined := string(frames[0]) + string(frames[1])
	if !strings.Contains(joined, `"eventName":"GENERAL/typing","args":["alice",true]`) ||
		!strings.Contains(joined, `"eventName":"GENERAL/user-activity","args":["alice",["user-typing"]]`) {
		t.Fatalf("frames %s", joined)
	}
	time.Sleep(20 * time.Millisecond)
	if n := a.Pending(); n != 0 {
		t.Fatalf("the sender got its own notice back (%d frames)", n)
	}
}

// TestSettingEventsRefreshCore checks that setting and permission events
// from any instance reach core's caches.
func TestSettingEventsRefreshCore(t *testing.T) {
	f := newFixture(t, 0)
	st, _ := f.core.SettingDoc("Site_Name")
	st.Value = "From another instance"
	f.publish(t, chat.TopicAll, chat.Event{Kind: chat.EventSetting}, st)
	eventually(t, func() bool { return f.core.SettingString("Site_Name") == "From another instance" }, "setting applied")
	f.publish(t, chat.TopicLogged, chat.Event{Kind: chat.EventPermission}, chat.Permission{ID: "pin-message", Roles: []string{"user"}})
	u := &chat.User{ID: "u", Roles: []string{"user"}}
	eventually(t, func() bool { return f.core.Can(context.Background(), u, "pin-message", "") }, "permission applied")
}
