package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestBackupUnderLoadRestoresEveryAcknowledgedMessage backs up while
// clients post, restores into a fresh data directory, and checks that every
// message acknowledged before the backup began is there.
func TestBackupUnderLoadRestoresEveryAcknowledgedMessage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := context.Background()

	type ack struct {
		id string
		at time.Time
	}
	var (
		mu   sync.Mutex
		acks []ack
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res := env.Admin.Post(t, "/api/v1/chat.postMessage", map[string]any{
					"roomId": "GENERAL", "text": "load " + strconv.Itoa(w) + "-" + strconv.Itoa(i),
				})
				if !res.OK() {
					t.Errorf("post: %d %s", res.Status, res.Raw)
					return
				}
				msg, _ := res.Body["message"].(map[string]any)
				id, _ := msg["_id"].(string)
				mu.Lock()
				acks = append(acks, ack{id, time.Now()})
				mu.Unlock()
			}
		}(w)
	}
	// Let the load build up: enough messages acknowledged before the
	// backup to make the check mean something, however slow the machine.
	testenv.Eventually(t, 60*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acks) >= 50
	}, "50 messages acknowledged")

	dest := filepath.Join(t.TempDir(), "backup.db")
	environ := []string{"LIFTOFF_DATA_DIR=" + env.DataDir}
	began := time.Now()
	var out bytes.Buffer
	if err := run(ctx, []string{"liftoff", "backup", dest}, environ, &out, &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	time.Sleep(200 * time.Millisecond) // writes go on after the backup
	close(stop)
	wg.Wait()
	env.Stop()

	var before []string
	for _, a := range acks {
		if a.at.Before(began) {
			before = append(before, a.id)
		}
	}
	if len(before) < 50 {
		t.Fatalf("only %d messages acknowledged before the backup; the load did not run", len(before))
	}

	// Restore into a fresh directory and start a server on it.
	dir := t.TempDir()
	port := freePort(t)
	out.Reset()
	if err := run(ctx, []string{"liftoff", "restore", dest}, []string{"LIFTOFF_DATA_DIR=" + dir, "PORT=" + port}, &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	restored := testenv.Start(t, testenv.Options{DataDir: dir})
	for _, id := range before {
		res := restored.Admin.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id})
		if !res.OK() {
			t.Fatalf("message %s acknowledged before the backup is missing after restore: %d %s", id, res.Status, res.Raw)
		}
	}
	t.Logf("%d messages acknowledged before the backup, all restored (%d acknowledged in total)", len(before), len(acks))
}

func TestRestoreRefusesWhileServerRuns(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(env.BaseURL, "http://"))
	var out bytes.Buffer
	err := run(context.Background(), []string{"liftoff", "restore", filepath.Join(t.TempDir(), "x.db")},
		[]string{"LIFTOFF_DATA_DIR=" + env.DataDir, "PORT=" + port}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("restore over a running server: want refusal, got %v", err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
