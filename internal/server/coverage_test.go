package server_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestAPICoverageDoc keeps docs/api-coverage.md true: every endpoint it
// marks done or partial is served, and every endpoint served is listed.
func TestAPICoverageDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api-coverage.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\| (done|partial|not yet) \\|")
	status := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		status[m[1]] = m[2]
	}
	if len(status) < 100 {
		t.Fatalf("found only %d endpoint rows in docs/api-coverage.md", len(status))
	}

	env := testenv.Start(t, testenv.Options{})
	served := map[string]bool{}
	for _, r := range env.Server.APIRoutes() {
		name := strings.TrimPrefix(r.Path, "/api/v1/")
		if i := strings.Index(name, "/{"); i >= 0 {
			name = name[:i]
		}
		served[name] = true
	}
	for name, st := range status {
		if st != "not yet" && !served[name] {
			t.Errorf("docs/api-coverage.md marks %s %s, but it is not served", name, st)
		}
		if st == "not yet" && served[name] {
			t.Errorf("docs/api-coverage.md marks %s not yet, but it is served", name)
		}
	}
	for name := range served {
		if strings.HasPrefix(name, "dm.") { // aliases of im.*
			continue
		}
		if _, ok := status[name]; !ok {
			t.Errorf("%s is served but not listed in docs/api-coverage.md", name)
		}
	}
}
