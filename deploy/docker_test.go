package deploy

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// runtimeStage returns the instructions after the last FROM of a
// Dockerfile, continuation lines joined and comments dropped.
func runtimeStage(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	cur := ""
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || (l == "" && cur == "") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		cur += l
		if cur = strings.Join(strings.Fields(cur), " "); cur != "" {
			lines = append(lines, cur)
		}
		cur = ""
	}
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "FROM ") {
			last = i
		}
	}
	if last < 0 {
		t.Fatalf("%s: no FROM", path)
	}
	return lines[last:]
}

var copyFrom = regexp.MustCompile(`--from=\S+ `)
var copySource = regexp.MustCompile(`^(COPY (?:--\S+ )*)\S+ (\S+)$`)

// TestRuntimeStagesAgree keeps the root Dockerfile's runtime stage and
// deploy/docker/Dockerfile.runtime (what CI builds and checks) the same:
// same base, user, ports, environment, health check, entrypoint, and the
// same files copied to the same places with the same owners and modes.
func TestRuntimeStagesAgree(t *testing.T) {
	norm := func(stage []string) []string {
		out := make([]string, len(stage))
		for i, l := range stage {
			l = copyFrom.ReplaceAllString(l, "")
			// Sources differ (build stage vs build context); destinations
			// and flags must not.
			out[i] = copySource.ReplaceAllString(l, "${1}SRC $2")
		}
		return out
	}
	full := norm(runtimeStage(t, "../Dockerfile"))
	runtime := norm(runtimeStage(t, "docker/Dockerfile.runtime"))
	if !reflect.DeepEqual(full, runtime) {
		t.Errorf("runtime stages differ:\nDockerfile:\n  %s\nDockerfile.runtime:\n  %s", strings.Join(full, "\n  "), strings.Join(runtime, "\n  "))
	}
	want := []string{
		"FROM scratch",
		"USER 10001:0",
		"EXPOSE 3000 9458",
		`ENTRYPOINT ["/liftoff"]`,
		`VOLUME ["/data"]`,
	}
	for _, w := range want {
		found := false
		for _, l := range runtime {
			found = found || l == w
		}
		if !found {
			t.Errorf("runtime stage lacks %q", w)
		}
	}
	hc := false
	for _, l := range runtime {
		hc = hc || strings.HasPrefix(l, "HEALTHCHECK ") && strings.HasSuffix(l, `CMD ["/liftoff", "healthcheck"]`)
	}
	if !hc {
		t.Error(`runtime stage has no HEALTHCHECK ... CMD ["/liftoff", "healthcheck"]`)
	}
}

func TestBuildStageIsStatic(t *testing.T) {
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for _, want := range []string{"FROM golang:1.26 AS build", "CGO_ENABLED=0 go build"} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
