package deploy

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"sigs.k8s.io/yaml"
)

// loadCompose loads a compose file the way `docker compose` does, with
// the given profiles, and no .env file: the defaults must work.
func loadCompose(t *testing.T, file string, profiles ...string) *types.Project {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("compose", file))
	if err != nil {
		t.Fatal(err)
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs}},
		Environment: types.Mapping{},
	}
	// The files name their projects.
	p, err := loader.LoadWithContext(context.Background(), details, loader.WithProfiles(profiles))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return p
}

func composeFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("compose/*.yaml")
	if err != nil || len(files) != 2 {
		t.Fatalf("compose files: %v %v", files, err)
	}
	for i := range files {
		files[i] = filepath.Base(files[i])
	}
	return files
}

func isLiftoff(s types.ServiceConfig) bool {
	return strings.Contains(s.Image, "liftoff")
}

// TestComposeCommonInvariants holds for every service of every file, with
// and without the monitoring profile.
func TestComposeCommonInvariants(t *testing.T) {
	for _, file := range composeFiles(t) {
		for _, profiles := range [][]string{nil, {"monitoring"}} {
			p := loadCompose(t, file, profiles...)
			for name, s := range p.Services {
				where := fmt.Sprintf("%s %v: %s", file, profiles, name)
				if s.Image == "" {
					t.Errorf("%s: no image", where)
				}
				if !isLiftoff(s) && (strings.HasSuffix(s.Image, ":latest") || !strings.Contains(s.Image, ":")) {
					t.Errorf("%s: image %q is not pinned to a version", where, s.Image)
				}
				if s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0 {
					t.Errorf("%s: no health check", where)
				}
				if s.Restart == "" {
					t.Errorf("%s: no restart policy", where)
				}
				for dep, d := range s.DependsOn {
					if _, ok := p.Services[dep]; !ok {
						t.Errorf("%s: depends on unknown service %s", where, dep)
					}
					if d.Condition != types.ServiceConditionHealthy {
						t.Errorf("%s: depends on %s with condition %q, want service_healthy", where, dep, d.Condition)
					}
				}
				for _, v := range s.Volumes {
					switch v.Type {
					case types.VolumeTypeVolume:
						if _, ok := p.Volumes[v.Source]; !ok {
							t.Errorf("%s: volume %s is not declared", where, v.Source)
						}
					case types.VolumeTypeBind:
						if _, err := os.Stat(v.Source); err != nil {
							t.Errorf("%s: bind-mounted %s: %v", where, v.Source, err)
						}
						if !v.ReadOnly {
							t.Errorf("%s: bind mount %s should be read-only", where, v.Target)
						}
					}
				}
				if isLiftoff(s) {
					checkLiftoffService(t, where, s)
				}
			}
		}
	}
}

// checkLiftoffService checks what every Liftoff container needs: its own
// health check, the metrics listener, a hardened runtime, time to drain.
func checkLiftoffService(t *testing.T, where string, s types.ServiceConfig) {
	t.Helper()
	if got := strings.Join(s.HealthCheck.Test, " "); got != "CMD /liftoff healthcheck" {
		t.Errorf("%s: health check %q, want the image's own (CMD /liftoff healthcheck)", where, got)
	}
	if v := s.Environment["LIFTOFF_METRICS_ADDR"]; v == nil || *v != ":9458" {
		t.Errorf("%s: LIFTOFF_METRICS_ADDR should be :9458", where)
	}
	if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("%s: want read_only, cap_drop ALL and no-new-privileges", where)
	}
	if len(s.Tmpfs) == 0 || s.Tmpfs[0] != "/tmp" {
		t.Errorf("%s: want a tmpfs on /tmp (the root filesystem is read-only)", where)
	}
	if s.StopGracePeriod == nil || *s.StopGracePeriod < types.Duration(26e9) {
		t.Errorf("%s: stop_grace_period must exceed the 25s shutdown timeout", where)
	}
}

func TestComposeSingleInstance(t *testing.T) {
	p := loadCompose(t, "compose.yaml")
	if len(p.Services) != 1 {
		t.Fatalf("services without profiles: %v, want only liftoff", p.ServiceNames())
	}
	s, err := p.GetService("liftoff")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"LIFTOFF_DATABASE_URL", "LIFTOFF_NATS_URL"} {
		if _, ok := s.Environment[k]; ok {
			t.Errorf("single instance sets %s; it should use the embedded database and bus", k)
		}
	}
	var data *types.ServiceVolumeConfig
	for i, v := range s.Volumes {
		if v.Target == "/data" {
			data = &s.Volumes[i]
		}
	}
	if data == nil || data.Type != types.VolumeTypeVolume {
		t.Fatalf("want a named volume on /data, got %+v", s.Volumes)
	}
	if len(s.Ports) != 1 || s.Ports[0].Target != 3000 {
		t.Errorf("ports %+v, want 3000 published", s.Ports)
	}
	if s.Build == nil {
		t.Error("no build section: `compose up --build` from a checkout should work")
	}
}

func TestComposeScaled(t *testing.T) {
	p := loadCompose(t, "compose.scaled.yaml")
	var instances []types.ServiceConfig
	for _, s := range p.Services {
		if isLiftoff(s) {
			instances = append(instances, s)
		}
	}
	if len(instances) != 3 {
		t.Fatalf("%d Liftoff instances, want 3", len(instances))
	}
	for _, want := range []string{"postgres", "nats", "proxy"} {
		if _, err := p.GetService(want); err != nil {
			t.Errorf("no %s service", want)
		}
	}
	env := func(s types.ServiceConfig, k string) string {
		if v := s.Environment[k]; v != nil {
			return *v
		}
		return ""
	}
	db, bus := env(instances[0], "LIFTOFF_DATABASE_URL"), env(instances[0], "LIFTOFF_NATS_URL")
	if !strings.Contains(db, "@postgres:5432/") || !strings.HasPrefix(db, "postgres://") {
		t.Errorf("database URL %q does not point at the postgres service", db)
	}
	if bus != "nats://nats:4222" {
		t.Errorf("bus URL %q does not point at the nats service", bus)
	}
	for _, s := range instances {
		if env(s, "LIFTOFF_DATABASE_URL") != db || env(s, "LIFTOFF_NATS_URL") != bus {
			t.Errorf("%s does not share the database and bus of %s", s.Name, instances[0].Name)
		}
		if s.Image != instances[0].Image {
			t.Errorf("%s runs %s, %s runs %s", s.Name, s.Image, instances[0].Name, instances[0].Image)
		}
		for _, dep := range []string{"postgres", "nats"} {
			if _, ok := s.DependsOn[dep]; !ok {
				t.Errorf("%s does not wait for %s", s.Name, dep)
			}
		}
		if len(s.Ports) != 0 {
			t.Errorf("%s publishes ports; only the proxy should", s.Name)
		}
	}
	proxy, _ := p.GetService("proxy")
	for _, s := range instances {
		if _, ok := proxy.DependsOn[s.Name]; !ok {
			t.Errorf("proxy does not wait for %s", s.Name)
		}
	}
	pg, _ := p.GetService("postgres")
	if !slices.ContainsFunc(pg.Volumes, func(v types.ServiceVolumeConfig) bool {
		return v.Type == types.VolumeTypeVolume && v.Target == "/var/lib/postgresql/data"
	}) {
		t.Error("postgres keeps its data in no named volume")
	}
	checkNginx(t, proxy, instances)
}

// checkNginx reads the proxy's configuration: every instance in one
// round-robin upstream, nothing sticky, WebSocket upgrades passed on.
func checkNginx(t *testing.T, proxy types.ServiceConfig, instances []types.ServiceConfig) {
	t.Helper()
	var conf string
	for _, v := range proxy.Volumes {
		if strings.HasPrefix(v.Target, "/etc/nginx/") {
			raw, err := os.ReadFile(v.Source)
			if err != nil {
				t.Fatal(err)
			}
			conf = string(raw)
		}
	}
	if conf == "" {
		t.Fatal("proxy mounts no nginx configuration")
	}
	code := regexp.MustCompile(`(?m)#.*$`).ReplaceAllString(conf, "")
	for _, s := range instances {
		if !regexp.MustCompile(`server\s+` + regexp.QuoteMeta(s.Name) + `:3000\b`).MatchString(code) {
			t.Errorf("nginx upstream lacks %s:3000", s.Name)
		}
	}
	for _, sticky := range []string{"ip_hash", "hash ", "sticky", "least_conn"} {
		if strings.Contains(code, sticky) {
			t.Errorf("nginx uses %q; want plain round-robin with no stickiness", strings.TrimSpace(sticky))
		}
	}
	for _, want := range []string{
		"proxy_http_version 1.1;",
		"proxy_set_header Upgrade $http_upgrade;",
		"proxy_set_header Connection $connection_upgrade;",
		"map $http_upgrade $connection_upgrade",
		"proxy_pass http://liftoff;",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("nginx configuration lacks %q", want)
		}
	}
}

// TestComposeMonitoringProfile checks that Prometheus scrapes every Liftoff
// instance of the file and Grafana gets the data source and dashboards.
func TestComposeMonitoringProfile(t *testing.T) {
	for _, file := range composeFiles(t) {
		p := loadCompose(t, file, "monitoring")
		prom, err := p.GetService("prometheus")
		if err != nil {
			t.Fatalf("%s: no prometheus in the monitoring profile", file)
		}
		graf, err := p.GetService("grafana")
		if err != nil {
			t.Fatalf("%s: no grafana in the monitoring profile", file)
		}
		if !slices.Contains(prom.Profiles, "monitoring") || !slices.Contains(graf.Profiles, "monitoring") {
			t.Errorf("%s: prometheus and grafana must only run with the monitoring profile", file)
		}
		var promConf string
		for _, v := range prom.Volumes {
			if v.Target == "/etc/prometheus/prometheus.yml" {
				promConf = v.Source
			}
		}
		if promConf == "" {
			t.Fatalf("%s: prometheus mounts no configuration", file)
		}
		targets := scrapeTargets(t, promConf)
		var want []string
		for _, s := range p.Services {
			if isLiftoff(s) {
				want = append(want, s.Name+":9458")
			}
		}
		slices.Sort(want)
		slices.Sort(targets)
		if !slices.Equal(targets, want) {
			t.Errorf("%s: prometheus scrapes %v, want every Liftoff instance %v", file, targets, want)
		}
		checkPromtool(t, promConf)
		mounted := map[string]string{}
		for _, v := range graf.Volumes {
			mounted[v.Target] = v.Source
		}
		for _, target := range []string{
			"/etc/grafana/provisioning",
			"/var/lib/grafana/dashboards/liftoff/liftoff-overview.json",
			"/var/lib/grafana/dashboards/liftoff/liftoff-runtime.json",
		} {
			if mounted[target] == "" {
				t.Errorf("%s: grafana does not mount %s", file, target)
			}
		}
		prov := mounted["/etc/grafana/provisioning"]
		for _, f := range []string{"datasources/prometheus.yml", "dashboards/liftoff.yml"} {
			if _, err := os.Stat(filepath.Join(prov, f)); err != nil {
				t.Errorf("%s: provisioning: %v", file, err)
			}
		}
	}
}

// scrapeTargets lists the static targets of a Prometheus configuration.
func scrapeTargets(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var conf struct {
		ScrapeConfigs []struct {
			StaticConfigs []struct {
				Targets []string `json:"targets"`
			} `json:"static_configs"`
		} `json:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &conf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, sc := range conf.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			out = append(out, st.Targets...)
		}
	}
	return out
}

// checkPromtool validates a Prometheus configuration and its rules with
// promtool, pointing the rule file at this checkout instead of the
// container's path.
func checkPromtool(t *testing.T, path string) {
	t.Helper()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("LIFTOFF_REQUIRE_TOOLS") == "1" {
			t.Fatal("promtool not found (Debian: apt-get install -y prometheus); LIFTOFF_REQUIRE_TOOLS=1 requires it")
		}
		t.Logf("promtool not found; %s not checked with it (set LIFTOFF_REQUIRE_TOOLS=1 to require it)", path)
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := filepath.Abs("prometheus/rules.yml")
	conf := strings.ReplaceAll(string(raw), "/etc/prometheus/rules.yml", rules)
	tmp := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(tmp, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(promtool, "check", "config", tmp)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("promtool check config %s: %v\n%s", path, err, out.String())
	}
}
