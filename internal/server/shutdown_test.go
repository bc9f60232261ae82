package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestGracefulShutdownLosesNoAcknowledgedRequest shuts a server down while
// clients post steadily and one request is still sending its body: the
// server turns unready at once, the request in flight completes, every
// request that got an answer got a successful one, and every acknowledged
// message is in the database after a restart.
func TestGracefulShutdownLosesNoAcknowledgedRequest(t *testing.T) {
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"LIFTOFF_SHUTDOWN_DELAY": "600ms"}})
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(body io.Reader) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, env.BaseURL+"/api/v1/chat.postMessage", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-User-Id", env.Admin.UserID)
		req.Header.Set("X-Auth-Token", env.Admin.Token)
		return client.Do(req)
	}
	ackID := func(resp *http.Response) (string, error) {
		defer resp.Body.Close()
		var b struct {
			Success bool
			Message struct {
				ID string `json:"_id"`
			}
		}
		if resp.StatusCode != http.StatusOK {
			raw, _ := io.ReadAll(resp.Body)
			return "", fmt.Errorf("status %d: %s", resp.StatusCode, raw)
		}
		if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || !b.Success {
			return "", fmt.Errorf("answer not a success: %v", err)
		}
		return b.Message.ID, nil
	}

	var (
		mu     sync.Mutex
		acked  []string
		failed []string
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
				resp, err := post(strings.NewReader(fmt.Sprintf(`{"roomId":"GENERAL","text":"steady %d-%d"}`, w, i)))
				if err != nil {
					continue // never answered: not acknowledged, the client retries elsewhere
				}
				id, err := ackID(resp)
				mu.Lock()
				if err != nil {
					failed = append(failed, err.Error())
				} else {
					acked = append(acked, id)
				}
				mu.Unlock()
			}
		}(w)
	}
	testenv.Eventually(t, 60*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= 10
	}, "10 messages acknowledged before the shutdown")

	// A request in flight: headers and half the body sent before shutdown.
	pr, pw := io.Pipe()
	slow := make(chan error, 1)
	var slowID string
	go func() {
		resp, err := post(pr)
		if err != nil {
			slow <- err
			return
		}
		slowID, err = ackID(resp)
		slow <- err
	}()
	if _, err := pw.Write([]byte(`{"roomId":"GENERAL",`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)

	stopped := make(chan struct{})
	go func() { env.Stop(); close(stopped) }()

	// Unready at once, while still serving.
	testenv.Eventually(t, 300*time.Millisecond, func() bool {
		resp, err := http.Get(env.BaseURL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusServiceUnavailable
	}, "/readyz turns 503 as shutdown begins")

	time.Sleep(700 * time.Millisecond) // past the delay: the listener is closing
	if _, err := pw.Write([]byte(`"text":"in flight"}`)); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-slow; err != nil {
		t.Fatalf("request in flight during shutdown failed: %v", err)
	}
	<-stopped
	close(stop)
	wg.Wait()

	if len(failed) > 0 {
		t.Fatalf("%d answered requests failed during shutdown, e.g. %s", len(failed), failed[0])
	}
	if len(acked) < 10 {
		t.Fatalf("only %d requests acknowledged; the load did not run", len(acked))
	}
	again := testenv.Start(t, testenv.Options{DataDir: env.DataDir})
	for _, id := range append(acked, slowID) {
		again.Admin.Get(t, "/api/v1/chat.getMessage", map[string]string{"msgId": id}).MustOK(t)
	}
	t.Logf("%d requests acknowledged during a shutdown, all stored", len(acked)+1)
}
