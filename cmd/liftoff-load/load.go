package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is the server under test.
type target struct {
	pid           int
	base, ws, ctl string
	http          *http.Client
}

// runLoad starts the server process and runs the tests.
func runLoad(ctx context.Context, o options) error {
	dir := o.dataDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "liftoff-load-*"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "-child", "-data", dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer stopChild(cmd)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("server did not start: %w", err)
	}
	var addr, ctl string
	if _, err := fmt.Sscanf(line, "server %s control %s", &addr, &ctl); err != nil {
		return fmt.Errorf("server said %q", line)
	}
	t := &target{pid: cmd.Process.Pid, base: "http://" + addr, ws: "ws://" + addr + "/websocket", ctl: "http://" + ctl,
		http: &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if err := t.waitReady(ctx); err != nil {
		return err
	}
	fmt.Printf("liftoff-load: server pid %d on %s; %d CPUs, %s, GOMAXPROCS %d\n",
		cmd.Process.Pid, addr, runtime.NumCPU(), runtime.Version(), runtime.GOMAXPROCS(0))
	if o.members > 0 {
		if err := fanout(ctx, t, o); err != nil {
			return fmt.Errorf("fan-out: %w", err)
		}
	}
	if o.idle > 0 {
		if err := idle(ctx, t, o); err != nil {
			return fmt.Errorf("idle connections: %w", err)
		}
	}
	return nil
}

// stopChild asks the server to stop, then kills it after a grace period.
func stopChild(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func (t *target) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if res, err := t.http.Get(t.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("server not ready within 60s")
}

// cred is a seeded user.
type cred struct{ id, token string }

// seed creates n users on the server, with login tokens.
func (t *target) seed(ctx context.Context, n int, prefix string, join bool) ([]cred, error) {
	j := "0"
	if join {
		j = "1"
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/seed?n=%d&prefix=%s&join=%s", t.ctl, n, prefix, j), nil)
	res, err := t.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("seed: %s", body)
	}
	var out []cred
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		id, token, _ := strings.Cut(line, " ")
		out = append(out, cred{id, token})
	}
	return out, nil
}

// stats asks the server for its memory after a collection.
func (t *target) stats(ctx context.Context) (serverStats, error) {
	var st serverStats
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.ctl+"/stats", nil)
	res, err := t.http.Do(req)
	if err != nil {
		return st, err
	}
	defer res.Body.Close()
	return st, json.NewDecoder(res.Body).Decode(&st)
}

// restLogin logs in over REST and returns the auth headers.
func (t *target) restLogin(ctx context.Context, user, password string) (http.Header, error) {
	body, _ := json.Marshal(map[string]string{"user": user, "password": password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := t.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var r struct {
		Data struct{ UserID, AuthToken string }
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || r.Data.AuthToken == "" {
		return nil, fmt.Errorf("login %s failed (%d)", user, res.StatusCode)
	}
	h := http.Header{}
	h.Set("X-User-Id", r.Data.UserID)
	h.Set("X-Auth-Token", r.Data.AuthToken)
	h.Set("Content-Type", "application/json")
	return h, nil
}

// cpuTime returns the CPU time (user and system) used so far by process
// pid, from /proc.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks are 100 per second on Linux.
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// loadAverage returns the one-minute load average, from /proc.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
