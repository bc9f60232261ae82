package metrics

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dashboardDir holds the Grafana dashboards that compose and Helm
// provision.
const dashboardDir = "../../deploy/grafana"

// promqlWords are PromQL's functions, aggregations and keywords: every
// other identifier outside label matchers and groupings names a metric.
var promqlWords = wordSet(`sum min max avg group stddev stdvar count count_values bottomk topk quantile
		by without on ignoring group_left group_right bool and or unless offset
		rate irate increase delta idelta deriv predict_linear histogram_quantile abs absent absent_over_time
		ceil floor round clamp clamp_min clamp_max changes resets time timestamp vector scalar sort sort_desc
		label_replace label_join avg_over_time min_over_time max_over_time sum_over_time count_over_time
		last_over_time quantile_over_time day_of_week hour minute month year exp ln log2 log10 sqrt sgn inf nan
		e ms s m h d w y`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

var (
	grafanaVar   = regexp.MustCompile(`\$\{?\w+\}?`)
	quoted       = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	matchers     = regexp.MustCompile(`\{[^{}]*\}`)
	ranges       = regexp.MustCompile(`\[[^\]]*\]`)
	groupings    = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	identifier   = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	numberSuffix = regexp.MustCompile(`^[0-9.]+[a-z]*$`)
)

// metricNames returns the metric names a PromQL expression reads.
func metricNames(expr string) []string {
	s := grafanaVar.ReplaceAllString(expr, "1")
	s = quoted.ReplaceAllString(s, `""`)
	s = matchers.ReplaceAllString(s, " ")
	s = ranges.ReplaceAllString(s, " ")
	s = groupings.ReplaceAllString(s, " ")
	var names []string
	for _, loc := range identifier.FindAllStringIndex(s, -1) {
		word := s[loc[0]:loc[1]]
		if promqlWords[word] || numberSuffix.MatchString(word) {
			continue
		}
		// A function call is followed by "(".
		if rest := strings.TrimLeft(s[loc[1]:], " "); strings.HasPrefix(rest, "(") {
			continue
		}
		// Part of a number such as 1e3.
		if loc[0] > 0 && (s[loc[0]-1] >= '0' && s[loc[0]-1] <= '9' || s[loc[0]-1] == '.') {
			continue
		}
		names = append(names, word)
	}
	return names
}

func TestMetricNamesOfPromQL(t *testing.T) {
	got := metricNames(`histogram_quantile(0.95, sum by (le, op) (rate(liftoff_store_op_duration_seconds_bucket{instance=~"$instance", op="WithTx"}[$__rate_interval]))) / on(instance) group_left max(rocketchat_info) + time() - 1e3`)
	want := []string{"liftoff_store_op_duration_seconds_bucket", "rocketchat_info"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("metricNames = %v, want %v", got, want)
	}
}

// TestDashboardsQueryExportedMetrics checks every query of every panel of
// the shipped dashboards against what a Liftoff registry exports after
// every hook has been fed, so that no panel stays empty for a metric that
// does not exist.
func TestDashboardsQueryExportedMetrics(t *testing.T) {
	m := New(Options{Version: "7.1.0"})
	exercise(t, m)
	exported := map[string]bool{}
	for name, f := range gather(t, m) {
		exported[name] = true
		switch f.GetType().String() {
		case "HISTOGRAM":
			exported[name+"_bucket"], exported[name+"_sum"], exported[name+"_count"] = true, true, true
		case "SUMMARY":
			exported[name+"_sum"], exported[name+"_count"] = true, true
		}
	}
	files, err := filepath.Glob(filepath.Join(dashboardDir, "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("dashboards in %s: %v %v", dashboardDir, files, err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: dashboard needs a uid and a title", file)
		}
		queries := 0
		for _, p := range d.Panels {
			if p.Type == "row" {
				continue
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", file, p.Title)
			}
			for _, tg := range p.Targets {
				queries++
				names := metricNames(tg.Expr)
				if len(names) == 0 && !strings.Contains(tg.Expr, "time()") {
					t.Errorf("%s: panel %q: no metric in %q", file, p.Title, tg.Expr)
				}
				for _, n := range names {
					if !exported[n] {
						t.Errorf("%s: panel %q queries %s, which Liftoff does not export", file, p.Title, n)
					}
				}
			}
		}
		for _, v := range d.Templating.List {
			for _, n := range metricNames(v.Definition) {
				if n != "label_values" && n != "instance" && !exported[n] {
					t.Errorf("%s: variable %q queries %s, which Liftoff does not export", file, v.Name, n)
				}
			}
		}
		t.Logf("%s: %d panels, %d queries", filepath.Base(file), len(d.Panels), queries)
	}
}

type dashboard struct {
	UID    string `json:"uid"`
	Title  string `json:"title"`
	Panels []struct {
		Type    string `json:"type"`
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}
