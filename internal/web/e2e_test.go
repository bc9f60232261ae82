package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestClientUnit runs the client's own unit tests (web/test: the md
// renderer and system message wording) with node. Without web's
// node_modules it skips, unless LIFTOFF_REQUIRE_NPM=1.
func TestClientUnit(t *testing.T) {
	webDir := webDir(t)
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(webDir, "node_modules", "vite"))
	}
	if err != nil {
		if os.Getenv("LIFTOFF_REQUIRE_NPM") == "1" {
			t.Fatalf("node or web/node_modules missing (cd web && npm ci): %v", err)
		}
		t.Skipf("node or web/node_modules missing: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, args := range [][]string{{"scripts/gen-emoji.mjs"}, {"--test", "--test-reporter=spec", "test/"}} {
		cmd := exec.CommandContext(ctx, node, args...)
		cmd.Dir = webDir
		out, err := cmd.CombinedOutput()
		t.Logf("node %s:\n%s", strings.Join(args, " "), out)
		if err != nil {
			t.Fatalf("node %s: %v", strings.Join(args, " "), err)
		}
	}
}

func webDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestE2E runs the browser tests in web/e2e (headless Chromium driven by
// playwright-core) against a real server. Without Chromium or web's
// node_modules it skips, unless LIFTOFF_REQUIRE_BROWSER=1, when it fails:
// CI sets that so that the browser tests cannot silently stop running.
// LIFTOFF_SCREENSHOTS=<dir> keeps the screenshots of the main views
// (docs/screenshots holds the committed ones).
func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	require := os.Getenv("LIFTOFF_REQUIRE_BROWSER") == "1"
	missing := func(format string, args ...any) {
		t.Helper()
		if require {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	webDir := webDir(t)
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found: %v", err)
	}
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("Chromium not found at %s (apt-get install -y chromium): %v", chromium, err)
	}
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		missing("web/node_modules is not installed (cd web && npm ci): %v", err)
	}

	run := func(t *testing.T, opts testenv.Options, file string) {
		env := testenv.Start(t, opts)
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "--test", "--test-concurrency=1", "--test-reporter=spec", file)
		cmd.Dir = webDir
		cmd.Env = append(os.Environ(),
			"LIFTOFF_URL="+strings.TrimRight(env.BaseURL, "/"),
			"LIFTOFF_ADMIN_USER="+testenv.AdminUsername,
			"LIFTOFF_ADMIN_PASS="+testenv.AdminPassword,
			"CHROMIUM_PATH="+chromium,
		)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		t.Logf("web/%s (%s):\n%s", file, time.Since(start).Round(time.Second), out)
		if err != nil {
			t.Fatalf("browser tests failed: %v", err)
		}
	}
	t.Run("chat", func(t *testing.T) { run(t, testenv.Options{}, "e2e/chat.test.mjs") })
	t.Run("first-run", func(t *testing.T) { run(t, testenv.Options{NoAdmin: true}, "e2e/first-run.mjs") })
}
