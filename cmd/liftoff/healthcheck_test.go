package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/config"
)

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	// The image listens on every address; the probe goes to loopback.
	cfg := config.Config{BindIP: "0.0.0.0", Port: p}
	if err := healthcheck(context.Background(), cfg, io.Discard); err != nil {
		t.Errorf("ready server: %v", err)
	}
	status = http.StatusServiceUnavailable
	if err := healthcheck(context.Background(), cfg, io.Discard); err == nil {
		t.Error("unready server: want an error (exit 1)")
	}
	srv.Close()
	if err := healthcheck(context.Background(), cfg, io.Discard); err == nil {
		t.Error("no server: want an error (exit 1)")
	}
}

func TestHealthcheckCommandHonoursPORT(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	if err := run(context.Background(), []string{"liftoff", "healthcheck"}, []string{"PORT=" + port}, io.Discard, io.Discard); err != nil {
		t.Errorf("liftoff healthcheck with PORT=%s: %v", port, err)
	}
}
