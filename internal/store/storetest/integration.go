package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var integrationTests = []test{
	{"RoundTrip", testIntegrationRoundTrip},
	{"ConflictsAndNotFound", testIntegrationErrors},
	{"Update", testIntegrationUpdate},
	{"List", testListIntegrations},
	{"History", testIntegrationHistory},
	{"HistoryUpdate", testIntegrationHistoryUpdate},
	{"HistoryGoesWithIntegration", testIntegrationHistoryGoesWithIntegration},
	{"InTx", testIntegrationInTx},
}

// newIntegration returns an enabled webhook of type typ created by uid at
// t0+sec, with only the required fields.
func newIntegration(id, typ, name, uid string, sec int) *chat.Integration {
	return &chat.Integration{
		ID: id, Type: typ, Name: name, Enabled: true, Username: "rocket.cat", UserID: "bot",
		Channels: []string{"#general"}, Token: "token-" + id,
		CreatedAt: at(sec), CreatedBy: chat.UserRef{ID: uid, Username: "user-" + uid}, UpdatedAt: at(sec),
	}
}

// fullOutgoing returns an outgoing webhook with every field set.
func fullOutgoing(id string) *chat.Integration {
	return &chat.Integration{
		ID: id, Type: chat.IntegrationOutgoing, Name: "Relay to CI", Enabled: true,
		Username: "ci.bot", UserID: "u-bot", Channels: []string{"#builds", "@alice"},
		Alias: "CI", Emoji: ":robot:", Avatar: "https://example.com/ci.png", Token: "s3cr3t",
		OverrideDestinationChannelEnabled: true,
		ScriptEnabled:                     true, Script: "class Script { prepare_outgoing_request({ request }) { return { request }; } }",
		ScriptEngine: "isolated-vm", ScriptError: "SyntaxError: line 1",
		Event: "sendMessage", URLs: []string{"https://ci.example.com/hook", "https://backup.example.com/hook"},
		TriggerWords: []string{"!build", "!deploy"}, TriggerWordAnywhere: true, ImpersonateUser: true,
		RetryFailedCalls: true, RetryCount: 6, RetryDelay: "powers-of-ten", RunOnEdits: true, TargetRoom: "#results",
		CreatedAt: at(1), CreatedBy: chat.UserRef{ID: "u1", Username: "alice", Name: "Alice"},
		UpdatedAt: at(2),
	}
}

func integrationIDs(ins []chat.Integration) []string {
	return ids(ins, func(in chat.Integration) string { return in.ID })
}

func historyIDs(hs []chat.IntegrationHistory) []string {
	return ids(hs, func(h chat.IntegrationHistory) string { return h.ID })
}

func testIntegrationRoundTrip(t *testing.T, s chat.Store) {
	full := fullOutgoing("o1")
	must(t, s.CreateIntegration(ctx(t), full))
	got, err := s.IntegrationByID(ctx(t), "o1")
	must(t, err)
	equal(t, "full integration", got, full)

	edited := fullOutgoing("o2")
	edited.UpdatedBy = &chat.UserRef{ID: "u2", Username: "bob", Name: "Bob"}
	must(t, s.CreateIntegration(ctx(t), edited))
	got, err = s.IntegrationByID(ctx(t), "o2")
	must(t, err)
	equal(t, "integration with an editor", got, edited)

	// Empty lists and the empty creator read back as nil and zero.
	minimal := &chat.Integration{ID: "i1", Type: chat.IntegrationIncoming}
	must(t, s.CreateIntegration(ctx(t), minimal))
	got, err = s.IntegrationByID(ctx(t), "i1")
	must(t, err)
	equal(t, "minimal integration", got, minimal)
}

func testIntegrationErrors(t *testing.T, s chat.Store) {
	must(t, s.CreateIntegration(ctx(t), newIntegration("i1", chat.IntegrationIncoming, "one", "u1", 1)))
	wantKind(t, s.CreateIntegration(ctx(t), newIntegration("i1", chat.IntegrationOutgoing, "other", "u2", 2)), chat.EConflict)
	got, err := s.IntegrationByID(ctx(t), "i1")
	must(t, err)
	equal(t, "integration after a refused create", got.Name, "one")

	_, err = s.IntegrationByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateIntegration(ctx(t), newIntegration("nope", chat.IntegrationIncoming, "x", "u1", 1)), chat.ENotFound)
	wantKind(t, s.DeleteIntegration(ctx(t), "nope"), chat.ENotFound)

	must(t, s.DeleteIntegration(ctx(t), "i1"))
	_, err = s.IntegrationByID(ctx(t), "i1")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.DeleteIntegration(ctx(t), "i1"), chat.ENotFound)
}

func testIntegrationUpdate(t *testing.T, s chat.Store) {
	orig := fullOutgoing("o1")
	must(t, s.CreateIntegration(ctx(t), orig))

	// Every field changes in the request; ID, Type, CreatedAt and CreatedBy
	// must keep their stored values.
	in := &chat.Integration{
		ID: "o1", Type: chat.IntegrationIncoming, Name: "Renamed Hook", Enabled: false,
		Username: "other.bot", UserID: "u-other", Channels: []string{"#ops"},
		Alias: "Ops", Emoji: ":fire:", Avatar: "https://example.com/ops.png", Token: "n3w",
		ScriptEngine: "vm2", Event: "roomCreated", URLs: []string{"https://ops.example.com"},
		RetryCount: 1, RetryDelay: "increments-of-two", TargetRoom: "@bob",
		CreatedAt: at(50), CreatedBy: chat.UserRef{ID: "u9", Username: "mallory"},
		UpdatedAt: at(60), UpdatedBy: &chat.UserRef{ID: "u2", Username: "bob", Name: "Bob"},
	}
	must(t, s.UpdateIntegration(ctx(t), in))
	want := *in
	want.Type, want.CreatedAt, want.CreatedBy = orig.Type, orig.CreatedAt, orig.CreatedBy
	got, err := s.IntegrationByID(ctx(t), "o1")
	must(t, err)
	equal(t, "updated integration", got, &want)

	// The name search follows the new name.
	list, _, err := s.ListIntegrations(ctx(t), chat.IntegrationFilter{Name: "renamed"})
	must(t, err)
	equal(t, "found by the new name", integrationIDs(list), []string{"o1"})
	list, _, err = s.ListIntegrations(ctx(t), chat.IntegrationFilter{Name: "relay"})
	must(t, err)
	equal(t, "found by the old name", integrationIDs(list), nil)
	// The creator still owns it.
	list, _, err = s.ListIntegrations(ctx(t), chat.IntegrationFilter{OwnTypes: []string{chat.IntegrationOutgoing}, OwnerID: "u1"})
	must(t, err)
	equal(t, "owned by its creator", integrationIDs(list), []string{"o1"})

	// Clearing the lists and the editor clears them.
	cleared := want
	cleared.Channels, cleared.URLs, cleared.UpdatedBy, cleared.UpdatedAt = nil, nil, nil, at(70)
	must(t, s.UpdateIntegration(ctx(t), &cleared))
	got, err = s.IntegrationByID(ctx(t), "o1")
	must(t, err)
	equal(t, "cleared integration", got, &cleared)

	// A creator that was empty stays empty.
	must(t, s.CreateIntegration(ctx(t), &chat.Integration{ID: "i1", Type: chat.IntegrationIncoming, Name: "anon"}))
	anon := &chat.Integration{ID: "i1", Type: chat.IntegrationIncoming, Name: "anon", Enabled: true,
		CreatedBy: chat.UserRef{ID: "u3"}, UpdatedAt: at(5)}
	must(t, s.UpdateIntegration(ctx(t), anon))
	got, err = s.IntegrationByID(ctx(t), "i1")
	must(t, err)
	anon.CreatedBy = chat.UserRef{}
	equal(t, "updated integration without a creator", got, anon)
}

func testListIntegrations(t *testing.T, s chat.Store) {
	const in, out = chat.IntegrationIncoming, chat.IntegrationOutgoing
	for _, it := range []struct {
		id, typ, name, uid string
		sec                int
		enabled            bool
	}{
		{"i1", in, "Deploy Bot", "u1", 1, true},
		{"i2", in, "Café au lait", "u2", 2, false},
		{"o1", out, "GitHub relay", "u1", 3, true},
		{"o2", out, "CAFÉ alerts", "u2", 4, true},
		{"o3", out, "deploy hook", "u2", 4, false}, // same time as o2
	} {
		x := newIntegration(it.id, it.typ, it.name, it.uid, it.sec)
		x.Enabled = it.enabled
		must(t, s.CreateIntegration(ctx(t), x))
	}
	cases := []struct {
		name string
		f    chat.IntegrationFilter
		want []string
	}{
		// Newest first; ties by id, descending too (the choice the
		// backends agreed on).
		{"everything", chat.IntegrationFilter{}, []string{"o3", "o2", "o1", "i2", "i1"}},
		{"all of both types", chat.IntegrationFilter{AllTypes: []string{in, out}}, []string{"o3", "o2", "o1", "i2", "i1"}},
		{"all incoming, own outgoing",
			chat.IntegrationFilter{AllTypes: []string{in}, OwnTypes: []string{out}, OwnerID: "u1"}, []string{"o1", "i2", "i1"}},
		{"all outgoing only", chat.IntegrationFilter{AllTypes: []string{out}, OwnerID: "u1"}, []string{"o3", "o2", "o1"}},
		{"own of both types", chat.IntegrationFilter{OwnTypes: []string{in, out}, OwnerID: "u2"}, []string{"o3", "o2", "i2"}},
		{"own outgoing only", chat.IntegrationFilter{OwnTypes: []string{out}, OwnerID: "u1"}, []string{"o1"}},
		{"own of someone without any", chat.IntegrationFilter{OwnTypes: []string{in, out}, OwnerID: "u9"}, nil},
		// An empty OwnerID owns nothing (the choice the backends agreed
		// on; see below for integrations without a creator).
		{"own without an owner", chat.IntegrationFilter{OwnTypes: []string{out}}, nil},
		{"type", chat.IntegrationFilter{Type: out}, []string{"o3", "o2", "o1"}},
		{"type within permissions",
			chat.IntegrationFilter{AllTypes: []string{in}, OwnTypes: []string{out}, OwnerID: "u1", Type: out}, []string{"o1"}},
		{"name, case-insensitive", chat.IntegrationFilter{Name: "DEPLOY"}, []string{"o3", "i1"}},
		{"name, beyond ASCII", chat.IntegrationFilter{Name: "café"}, []string{"o2", "i2"}},
		{"name, upper-case beyond ASCII", chat.IntegrationFilter{Name: "CAFÉ A"}, []string{"o2", "i2"}},
		{"name, inside a word", chat.IntegrationFilter{Name: "lay"}, []string{"o1"}},
		{"name, wildcards are literal", chat.IntegrationFilter{Name: "%"}, nil},
		{"name, underscore is literal", chat.IntegrationFilter{Name: "_"}, nil},
		{"enabled", chat.IntegrationFilter{Enabled: true}, []string{"o2", "o1", "i1"}},
		{"enabled and name", chat.IntegrationFilter{Enabled: true, Name: "deploy"}, []string{"i1"}},
	}
	for _, c := range cases {
		got, total, err := s.ListIntegrations(ctx(t), c.f)
		must(t, err)
		equal(t, c.name, integrationIDs(got), c.want)
		equal(t, c.name+" total", total, len(c.want))
	}

	pages := []struct {
		offset, limit int
		want          []string
	}{
		{0, 2, []string{"o3", "o2"}},
		{1, 2, []string{"o2", "o1"}},
		{4, 2, []string{"i1"}},
		{5, 2, nil},
		{3, 0, []string{"i2", "i1"}},
	}
	for _, p := range pages {
		name := fmt.Sprintf("page offset %d limit %d", p.offset, p.limit)
		got, total, err := s.ListIntegrations(ctx(t), chat.IntegrationFilter{Offset: p.offset, Limit: p.limit})
		must(t, err)
		equal(t, name, integrationIDs(got), p.want)
		equal(t, name+" total", total, 5)
	}
	got, total, err := s.ListIntegrations(ctx(t), chat.IntegrationFilter{Type: out, Offset: 1, Limit: 1})
	must(t, err)
	equal(t, "filtered page", integrationIDs(got), []string{"o2"})
	equal(t, "filtered page total", total, 3)
	// An empty OwnerID owns nothing, not even what has no creator.
	must(t, s.CreateIntegration(ctx(t), &chat.Integration{ID: "o0", Type: out, Name: "orphan", CreatedAt: at(0)}))
	got, total, err = s.ListIntegrations(ctx(t), chat.IntegrationFilter{OwnTypes: []string{out}})
	must(t, err)
	equal(t, "own without an owner", integrationIDs(got), nil)
	equal(t, "own without an owner total", total, 0)
	got, _, err = s.ListIntegrations(ctx(t), chat.IntegrationFilter{AllTypes: []string{in}, OwnTypes: []string{out}})
	must(t, err)
	equal(t, "all incoming, own outgoing without an owner", integrationIDs(got), []string{"i2", "i1"})

	// Listed integrations are whole.
	want := newIntegration("o1", out, "GitHub relay", "u1", 3)
	got, _, err = s.ListIntegrations(ctx(t), chat.IntegrationFilter{Name: "github"})
	must(t, err)
	equal(t, "listed integration", got, []chat.Integration{*want})
}

// newHistory returns a run of integration iid created at t0+sec.
func newHistory(id, iid string, sec int) *chat.IntegrationHistory {
	return &chat.IntegrationHistory{ID: id, IntegrationID: iid, Event: "sendMessage", Step: "started",
		CreatedAt: at(sec), UpdatedAt: at(sec)}
}

func testIntegrationHistory(t *testing.T, s chat.Store) {
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o1")))
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o2")))

	// Raw JSON comes back as the bytes given, compacted (the choice the
	// backends agreed on): not reordered, respaced or HTML-escaped.
	full := &chat.IntegrationHistory{
		ID: "h1", IntegrationID: "o1", Event: "sendMessage", Step: "after-process-http-status-200",
		TriggerWord: "!build", URL: "https://ci.example.com/hook?a=1&b=2",
		Data:         json.RawMessage(` { "z": 1, "a": [true, null, "<b>&amp;</b>"], "m": {"é": 1.5} } `),
		HTTPCallData: json.RawMessage(`{"url":"https://ci.example.com/hook?a=1&b=2","method":"POST"}`),
		HTTPResult:   `{"statusCode":200}`, HTTPError: "none", Error: true, ErrorStack: "Error: boom\n    at x",
		Finished: true, CreatedAt: at(1), UpdatedAt: at(2),
	}
	must(t, s.AddIntegrationHistory(ctx(t), full))
	list, total, err := s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	want := *full
	want.Data = json.RawMessage(`{"z":1,"a":[true,null,"<b>&amp;</b>"],"m":{"é":1.5}}`)
	equal(t, "history", list, []chat.IntegrationHistory{want})
	equal(t, "history total", total, 1)
	one, err := s.IntegrationRun(ctx(t), "o1", "h1")
	must(t, err)
	equal(t, "run", *one, want)
	_, err = s.IntegrationRun(ctx(t), "o2", "h1") // another integration's run
	wantKind(t, err, chat.ENotFound)
	_, err = s.IntegrationRun(ctx(t), "o1", "nope")
	wantKind(t, err, chat.ENotFound)

	wantKind(t, s.AddIntegrationHistory(ctx(t), newHistory("h1", "o1", 9)), chat.EConflict)
	// A run of an unknown integration is refused (the choice the backends
	// agreed on), so that no history outlives its integration.
	wantKind(t, s.AddIntegrationHistory(ctx(t), newHistory("hx", "nope", 1)), chat.ENotFound)

	must(t, s.AddIntegrationHistory(ctx(t), newHistory("h2", "o1", 3)))
	must(t, s.AddIntegrationHistory(ctx(t), newHistory("h3", "o1", 3)))
	must(t, s.AddIntegrationHistory(ctx(t), newHistory("h4", "o1", 2)))
	minimal := &chat.IntegrationHistory{ID: "h5", IntegrationID: "o2"}
	must(t, s.AddIntegrationHistory(ctx(t), minimal))

	pages := []struct {
		offset, limit int
		want          []string
	}{
		{0, 0, []string{"h3", "h2", "h4", "h1"}}, // newest first, ties by id descending
		{0, 2, []string{"h3", "h2"}},
		{1, 2, []string{"h2", "h4"}},
		{3, 5, []string{"h1"}},
		{4, 5, nil},
		{2, 0, []string{"h4", "h1"}},
	}
	for _, p := range pages {
		name := fmt.Sprintf("history offset %d limit %d", p.offset, p.limit)
		list, total, err := s.IntegrationHistory(ctx(t), "o1", p.offset, p.limit)
		must(t, err)
		equal(t, name, historyIDs(list), p.want)
		equal(t, name+" total", total, 4)
	}
	list, total, err = s.IntegrationHistory(ctx(t), "o2", 0, 0)
	must(t, err)
	equal(t, "minimal run", list, []chat.IntegrationHistory{*minimal})
	equal(t, "other integration's total", total, 1)
	list, total, err = s.IntegrationHistory(ctx(t), "nope", 0, 0)
	must(t, err)
	equal(t, "unknown integration's history", historyIDs(list), nil)
	equal(t, "unknown integration's total", total, 0)

	must(t, s.ClearIntegrationHistory(ctx(t), "o1"))
	list, total, err = s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	equal(t, "cleared history", historyIDs(list), nil)
	equal(t, "cleared total", total, 0)
	// A cleared run is gone.
	wantKind(t, s.UpdateIntegrationHistory(ctx(t), newHistory("h2", "o1", 3)), chat.ENotFound)
	list, _, err = s.IntegrationHistory(ctx(t), "o2", 0, 0)
	must(t, err)
	equal(t, "other history kept", historyIDs(list), []string{"h5"})
	// Clearing what is empty or unknown is no error (the choice the
	// backends agreed on).
	must(t, s.ClearIntegrationHistory(ctx(t), "o1"))
	must(t, s.ClearIntegrationHistory(ctx(t), "nope"))
	// The integration itself stays.
	_, err = s.IntegrationByID(ctx(t), "o1")
	must(t, err)
}

func testIntegrationHistoryUpdate(t *testing.T, s chat.Store) {
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o1")))
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o2")))
	h := newHistory("h1", "o1", 1)
	h.Data = json.RawMessage(`{"message":"hi"}`)
	must(t, s.AddIntegrationHistory(ctx(t), h))
	must(t, s.AddIntegrationHistory(ctx(t), newHistory("h2", "o1", 2)))

	// The run goes on: every field but ID, IntegrationID and CreatedAt is
	// written (the choice the backends agreed on, as for integrations),
	// since those place the run in its listing.
	next := &chat.IntegrationHistory{
		ID: "h1", IntegrationID: "o2", Event: "sendMessage", Step: "finished", TriggerWord: "!deploy",
		URL: "https://ci.example.com", HTTPCallData: json.RawMessage(`{"data":{"text":"hi"}}`),
		HTTPResult: "ok", HTTPError: "", Error: false, ErrorStack: "", Finished: true,
		CreatedAt: at(90), UpdatedAt: at(5),
	}
	must(t, s.UpdateIntegrationHistory(ctx(t), next))
	list, total, err := s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	want := *next
	want.IntegrationID, want.CreatedAt = "o1", at(1)
	equal(t, "updated history", list, []chat.IntegrationHistory{{ID: "h2", IntegrationID: "o1", Event: "sendMessage",
		Step: "started", CreatedAt: at(2), UpdatedAt: at(2)}, want})
	equal(t, "updated total", total, 2)
	list, _, err = s.IntegrationHistory(ctx(t), "o2", 0, 0)
	must(t, err)
	equal(t, "other integration's history", historyIDs(list), nil)

	wantKind(t, s.UpdateIntegrationHistory(ctx(t), newHistory("nope", "o1", 1)), chat.ENotFound)
	bad := newHistory("h2", "o1", 2)
	bad.Data = json.RawMessage(`{"unterminated":`)
	if err := s.UpdateIntegrationHistory(ctx(t), bad); err == nil {
		t.Fatal("invalid raw JSON was stored")
	}
}

func testIntegrationHistoryGoesWithIntegration(t *testing.T, s chat.Store) {
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o1")))
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o2")))
	for i := 1; i <= 3; i++ {
		must(t, s.AddIntegrationHistory(ctx(t), newHistory(fmt.Sprint("a", i), "o1", i)))
	}
	must(t, s.AddIntegrationHistory(ctx(t), newHistory("b1", "o2", 1)))

	must(t, s.DeleteIntegration(ctx(t), "o1"))
	list, total, err := s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	equal(t, "history of a deleted integration", historyIDs(list), nil)
	equal(t, "its total", total, 0)
	wantKind(t, s.UpdateIntegrationHistory(ctx(t), newHistory("a1", "o1", 1)), chat.ENotFound)
	list, _, err = s.IntegrationHistory(ctx(t), "o2", 0, 0)
	must(t, err)
	equal(t, "other history kept", historyIDs(list), []string{"b1"})

	// A new integration under the same id starts without history, and the
	// old runs' ids are free again.
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o1")))
	list, total, err = s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	equal(t, "history of the new integration", historyIDs(list), nil)
	equal(t, "its total", total, 0)
	must(t, s.AddIntegrationHistory(ctx(t), newHistory("a1", "o1", 1)))
}

// testIntegrationInTx checks that the refusals a webhook run may meet
// inside a transaction leave it usable.
func testIntegrationInTx(t *testing.T, s chat.Store) {
	must(t, s.CreateIntegration(ctx(t), fullOutgoing("o1")))
	must(t, s.WithTx(ctx(t), func(tx chat.Store) error {
		wantKind(t, tx.CreateIntegration(ctx(t), fullOutgoing("o1")), chat.EConflict)
		wantKind(t, tx.AddIntegrationHistory(ctx(t), newHistory("h0", "nope", 1)), chat.ENotFound)
		must(t, tx.AddIntegrationHistory(ctx(t), newHistory("h1", "o1", 1)))
		wantKind(t, tx.AddIntegrationHistory(ctx(t), newHistory("h1", "o1", 2)), chat.EConflict)
		in, err := tx.IntegrationByID(ctx(t), "o1")
		if err != nil {
			return err
		}
		in.Enabled, in.UpdatedAt = false, at(9)
		return tx.UpdateIntegration(ctx(t), in)
	}))
	in, err := s.IntegrationByID(ctx(t), "o1")
	must(t, err)
	equal(t, "enabled after the transaction", in.Enabled, false)
	list, _, err := s.IntegrationHistory(ctx(t), "o1", 0, 0)
	must(t, err)
	equal(t, "history after the transaction", historyIDs(list), []string{"h1"})
}
