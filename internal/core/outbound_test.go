package core

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestPublicAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.215.14":         true,
		"2606:2800:21f:cb07::1": true,
		"127.0.0.1":             false,
		"::1":                   false,
		"10.1.2.3":              false,
		"172.16.0.1":            false,
		"192.168.1.1":           false,
		"100.64.0.1":            false, // shared address space
		"169.254.169.254":       false, // cloud metadata
		"fe80::1":               false,
		"fd00::1":               false,
		"0.0.0.0":               false,
		"224.0.0.1":             false,
		"::ffff:127.0.0.1":      false, // loopback written as IPv6
		"::ffff:93.184.215.14":  true,
		"100.128.0.1":           true, // just past the shared space
		"2001:db8::1":           true, // documentation, but routable in form
	} {
		if got := PublicAddress(netip.MustParseAddr(addr)); got != want {
			t.Errorf("PublicAddress(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestOutboundPolicy checks that a service with a policy keeps outgoing
// webhooks and avatar fetches off the addresses it refuses, here the
// loopback address of a local target, and records why.
func TestOutboundPolicy(t *testing.T) {
	e := newMsgEnvWith(t, Config{AllowOutbound: PublicAddress})
	ctx, s, st, admin := e.ctx, e.s, e.st, e.admin
	var calls atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { calls.Add(1) }))
	t.Cleanup(target.Close)

	yes, no, name, event, channel, user := true, false, "internal", eventSendMessage, "#general", "rocket.cat"
	it, err := s.CreateIntegration(ctx, admin, IntegrationInput{
		Type: chat.IntegrationOutgoing, Name: &name, Enabled: &yes, Event: &event, Channel: &channel, Username: &user,
		URLs: []string{target.URL}, TriggerWords: []string{"!ship"}, RetryFailedCalls: &no, ScriptEnabled: &no,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendMessage(ctx, admin, NewMessage{RoomID: chat.GeneralRoomID, Text: "!ship it"}); err != nil {
		t.Fatal(err)
	}
	var run *chat.IntegrationHistory
	for deadline := time.Now().Add(5 * time.Second); run == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		runs, _, err := st.IntegrationHistory(ctx, it.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 && runs[0].Step == "failed-and-not-configured-to-retry" {
			run = &runs[0]
		}
	}
	if run == nil || !run.Error || !strings.Contains(run.HTTPError, "not allowed") {
		t.Fatalf("the refused call's run: %+v", run)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("the target was called %d times", n)
	}

	// Avatar URLs follow the service's policy unless FilesConfig sets one.
	f := NewFiles(s, FilesConfig{DataDir: t.TempDir()})
	err = f.SetUserAvatar(ctx, admin, AvatarTarget{}, AvatarImage{URL: target.URL + "/a.png"})
	var ce *chat.Error
	if !asError(err, &ce) || ce.Type != "error-avatar-invalid-url" || calls.Load() != 0 {
		t.Fatalf("avatar from a refused address: %v (target calls %d)", err, calls.Load())
	}
}

// TestOutboundPolicyScripts checks the same policy on the HTTP helper of
// integration scripts: the call fails with the reason, and the script
// sees the failure as Rocket.Chat's helper reports one.
func TestOutboundPolicyScripts(t *testing.T) {
	e := newMsgEnvWith(t, Config{AllowOutbound: PublicAddress})
	var calls atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { calls.Add(1) }))
	t.Cleanup(target.Close)
	script := `class Script {
		process_incoming_request() {
			const r = HTTP('GET', '` + target.URL + `', {});
			return { content: { text: r.error ? 'refused: ' + r.error.message : 'reached' } };
		}
	}`
	yes, name, channel, user := true, "probe", "#general", "rocket.cat"
	it, err := e.s.CreateIntegration(e.ctx, e.admin, IntegrationInput{
		Type: chat.IntegrationIncoming, Name: &name, Enabled: &yes, Channel: &channel, Username: &user,
		ScriptEnabled: &yes, Script: &script,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.s.ExecuteWebhook(e.ctx, WebhookCall{IntegrationID: it.ID, Token: it.Token, Payload: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posted) != 1 || !strings.Contains(res.Posted[0].Message.Text, "refused: ") ||
		!strings.Contains(res.Posted[0].Message.Text, "not allowed") || calls.Load() != 0 {
		t.Fatalf("posted %+v; target calls %d", res.Posted, calls.Load())
	}
}
