package config

import (
	"strings"
	"testing"
)

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3000 || c.BindIP != "0.0.0.0" || c.RootURL != "http://localhost:3000" {
		t.Errorf("defaults: got port %d bind %q root %q", c.Port, c.BindIP, c.RootURL)
	}
	if c.IsPostgres() || c.SQLitePath() != "data/liftoff.db" || c.NATSURL != "" {
		t.Errorf("default store/bus: postgres=%v path=%q nats=%q", c.IsPostgres(), c.SQLitePath(), c.NATSURL)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load([]string{"PORT=abc", "LIFTOFF_DATABASE_URL=mysql://x", "LIFTOFF_LOG_FORMAT=xml", "BIND_IP=nowhere", "LIFTOFF_OUTBOUND_PRIVATE=block"})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"PORT", "LIFTOFF_DATABASE_URL", "LIFTOFF_LOG_FORMAT", "BIND_IP", "LIFTOFF_OUTBOUND_PRIVATE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

func TestLoadSelectsEngines(t *testing.T) {
	c, err := Load([]string{"LIFTOFF_DATABASE_URL=postgres://u@h/db", "LIFTOFF_NATS_URL=nats://127.0.0.1:4222", "PORT=8080", "ROOT_URL=https://chat.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsPostgres() || c.NATSURL == "" || c.Addr() != "0.0.0.0:8080" || c.RootURL != "https://chat.example.com" {
		t.Errorf("got %+v", c)
	}
}

func TestLoadOutboundPolicy(t *testing.T) {
	for env, deny := range map[string]bool{"": false, "LIFTOFF_OUTBOUND_PRIVATE=allow": false, "LIFTOFF_OUTBOUND_PRIVATE=deny": true} {
		c, err := Load([]string{env})
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		if c.DenyPrivateOutbound != deny {
			t.Errorf("%q: DenyPrivateOutbound = %v, want %v", env, c.DenyPrivateOutbound, deny)
		}
	}
}
