package ddp_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestSDK runs the Node tests in test/sdk — written with the published
// @rocket.chat/sdk and @embeddedchat/api packages from npm — against a
// real server. They need `npm ci` in test/sdk first (make npm does it);
// without node_modules the test is skipped, unless LIFTOFF_REQUIRE_NPM=1
// (CI), which makes it fail instead.
func TestSDK(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "test", "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	required := os.Getenv("LIFTOFF_REQUIRE_NPM") == "1"
	missing := func(why string) {
		if required {
			t.Fatalf("%s (LIFTOFF_REQUIRE_NPM=1); run `npm ci` in %s", why, dir)
		}
		t.Skipf("%s; run `npm ci` in %s", why, dir)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	for _, pkg := range []string{"@rocket.chat/sdk", "@embeddedchat/api"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			missing(pkg + " is not installed in test/sdk/node_modules")
		}
	}
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--import", "./register.mjs", "--test", "--test-force-exit", "--test-reporter=spec")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"LIFTOFF_URL="+env.BaseURL,
		"LIFTOFF_ADMIN_USER="+testenv.AdminUsername,
		"LIFTOFF_ADMIN_PASS="+testenv.AdminPassword,
		"NO_COLOR=1",
	)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test output:\n%s", out)
	if err != nil {
		t.Fatalf("SDK tests failed: %v", err)
	}
}
