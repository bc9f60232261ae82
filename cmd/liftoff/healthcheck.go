package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/liftoff-chat/liftoff/internal/config"
)

// healthcheckTimeout bounds the probe: a container runtime kills a
// HEALTHCHECK that hangs, and a hung answer is a failed one anyway.
const healthcheckTimeout = 3 * time.Second

// healthcheck asks the local server's /readyz whether it should get
// traffic, for the container image's HEALTHCHECK: the image has no shell
// or curl, so the binary probes itself. It returns an error (exit status
// 1) unless the answer is 200.
func healthcheck(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	url := "http://" + net.JoinHostPort(probeHost(cfg.BindIP), strconv.Itoa(cfg.Port)) + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d: %s", url, resp.StatusCode, body)
	}
	fmt.Fprintf(stdout, "%s: %s", url, body)
	return nil
}

// probeHost is where to reach a server bound to bindIP from the same
// host: loopback when it listens on every address.
func probeHost(bindIP string) string {
	switch bindIP {
	case "", "0.0.0.0":
		return "127.0.0.1"
	case "::":
		return "::1"
	}
	return bindIP
}
