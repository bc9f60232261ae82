// Package testenv starts real Liftoff servers for integration tests: the
// same wiring as `liftoff serve`, on 127.0.0.1:0 with a temporary data
// directory, and gives back URLs and logged-in REST clients.
package testenv

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/server"
)

// Admin credentials of every test server.
const (
	AdminUsername = "admin"
	AdminPassword = "admin-pass-1"
	AdminEmail    = "admin@example.com"
)

// Options configures a test server.
type Options struct {
	// Env adds environment variables (settings overrides, database URL).
	Env map[string]string
	// DataDir reuses a data directory (to restart on the same database).
	DataDir string
	// NoAdmin leaves ADMIN_USERNAME unset (first-user-becomes-admin tests).
	NoAdmin bool
	// Logs shows the server's logs in the test output.
	Logs bool
}

// Env is a running server.
type Env struct {
	BaseURL string
	WSURL   string
	DataDir string
	Server  *server.Server
	Admin   *Client
	stop    func()
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	dir := opts.DataDir
	if dir == "" {
		dir = t.TempDir()
	}
	environ := []string{"LIFTOFF_DATA_DIR=" + dir, "BIND_IP=127.0.0.1", "PORT=0"}
	if !opts.NoAdmin {
		environ = append(environ, "ADMIN_USERNAME="+AdminUsername, "ADMIN_PASS="+AdminPassword, "ADMIN_EMAIL="+AdminEmail)
	}
	for k, v := range opts.Env {
		environ = append(environ, k+"="+v)
	}
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	var w io.Writer = io.Discard
	if opts.Logs || os.Getenv("LIFTOFF_TEST_LOGS") != "" {
		w = testWriter{t}
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, log, "7.0.0-test")
	if err != nil {
		cancel()
		t.Fatalf("start server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	addr := ln.Addr().String()
	e := &Env{
		BaseURL: "http://" + addr,
		WSURL:   "ws://" + addr + "/websocket",
		DataDir: dir,
		Server:  srv,
	}
	var stopped bool
	e.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("server did not stop within 30s")
		}
	}
	t.Cleanup(e.stop)
	waitReady(t, e.BaseURL)
	if !opts.NoAdmin {
		e.Admin = e.Login(t, AdminUsername, AdminPassword)
	}
	return e
}

// Stop shuts the server down now (it is also stopped when the test ends).
func (e *Env) Stop() { e.stop() }

func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server at %s not ready within 20s", base)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Eventually polls cond until it holds or the timeout passes.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s: %s", timeout, fmt.Sprintf(format, args...))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
