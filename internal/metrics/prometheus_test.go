package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// tool finds an external program the test needs. It skips the test when
// the program is missing, unless LIFTOFF_REQUIRE_TOOLS=1 (CI), where a
// missing tool is a failure rather than a silent gap.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found in PATH (Debian: apt-get install -y prometheus)", name)
		if os.Getenv("LIFTOFF_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg + "; LIFTOFF_REQUIRE_TOOLS=1 requires it")
		}
		t.Skip(msg + "; set LIFTOFF_REQUIRE_TOOLS=1 to make this a failure")
	}
	return path
}

// startWithMetrics runs a server with its metrics on a free loopback port
// and some traffic behind it.
func startWithMetrics(t *testing.T) (*testenv.Env, string) {
	t.Helper()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"LIFTOFF_METRICS_ADDR": "127.0.0.1:0"}})
	addr := env.Server.Metrics().Addr()
	if addr == "" {
		t.Fatal("metrics listener is not up")
	}
	env.Admin.Post(t, "/api/v1/chat.postMessage", map[string]any{"channel": "#general", "text": "hello metrics"}).MustOK(t)
	env.Anon().Get(t, "/api/v1/me", nil)
	return env, addr
}

func scrape(t *testing.T, addr string) []byte {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return body
}

// rcLintExceptions are promtool's naming lints that Rocket.Chat's own
// names break: renaming them would break Rocket.Chat's dashboards, which is
// why they are kept. Any other finding fails the test.
var rcLintExceptions = map[string]string{
	"rocketchat_message_sent":                    `counter metrics should have "_total" suffix`,
	"rocketchat_notification_sent":               `counter metrics should have "_total" suffix`,
	"rocketchat_metrics_requests":                `counter metrics should have "_total" suffix`,
	"rocketchat_ddp_sessions_count":              `non-histogram and non-summary metrics should not have "_count" suffix`,
	"rocketchat_instance_count":                  `non-histogram and non-summary metrics should not have "_count" suffix`,
	"rocketchat_messages_roundtrip_time_summary": `metric name should not include type 'summary'`,
}

func TestPromtoolCheckMetrics(t *testing.T) {
	t.Parallel()
	promtool := tool(t, "promtool")
	_, addr := startWithMetrics(t)
	// The totals are counted in the background and the message comes back
	// from the bus asynchronously: wait for both.
	var body []byte
	wants := []string{
		"rocketchat_info{", "rocketchat_rest_api_count{", "rocketchat_message_sent 1\n",
		"rocketchat_messages_roundtrip_time_summary_count 1\n", "rocketchat_users_total 2\n", // admin, rocket.cat
		"rocketchat_channels_total 1\n", "rocketchat_instance_count 1\n",
		`liftoff_http_requests_total{code="401",method="GET",route="/api/v1/me"} 1`,
		"go_goroutines ", "process_resident_memory_bytes ",
	}
	missing := wants
	for deadline := time.Now().Add(10 * time.Second); len(missing) > 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		body = scrape(t, addr)
		missing = missing[:0:0]
		for _, want := range wants {
			if !bytes.Contains(body, []byte(want)) {
				missing = append(missing, want)
			}
		}
	}
	for _, want := range missing {
		t.Errorf("scrape has no %q", want)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	// promtool exits 1 when it cannot parse the exposition and 3 when it
	// only has lint findings.
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, finding, _ := strings.Cut(line, " ")
		if rcLintExceptions[name] == finding {
			continue
		}
		// Gauges named *_total are Rocket.Chat's (rocketchat_users_total).
		if strings.HasPrefix(name, "rocketchat_") && finding == `non-counter metrics should not have "_total" suffix` {
			continue
		}
		t.Errorf("promtool: %s", line)
	}
}

func TestPrometheusScrapesAnInstance(t *testing.T) {
	t.Parallel()
	prom := tool(t, "prometheus")
	_, addr := startWithMetrics(t)
	dir := t.TempDir()
	webAddr := freeAddr(t)
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: liftoff
    static_configs:
      - targets: [%q]
`, addr)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, prom,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+webAddr,
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	q := "http://" + webAddr + "/api/v1/query?query=" + url.QueryEscape(`up{job="liftoff"}`)
	deadline := time.Now().Add(45 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		if v, ok := queryScalar(q); ok {
			last = v
			if v == "1" {
				queryOther(t, webAddr)
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("Prometheus never saw up == 1 (last %q); its log:\n%s", last, logs.String())
}

// queryOther checks that a Rocket.Chat series came through the scrape too.
func queryOther(t *testing.T, webAddr string) {
	q := "http://" + webAddr + "/api/v1/query?query=" + url.QueryEscape(`rocketchat_version{job="liftoff"}`)
	if v, ok := queryScalar(q); !ok || v != "1" {
		t.Errorf("rocketchat_version through Prometheus = %q", v)
	}
}

// queryScalar runs an instant query and returns the first sample's value.
func queryScalar(u string) (string, bool) {
	resp, err := http.Get(u)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Status != "success" || len(r.Data.Result) == 0 {
		return "", false
	}
	v, _ := r.Data.Result[0].Value[1].(string)
	return v, true
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
