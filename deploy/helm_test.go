package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

const chartDir = "helm/liftoff"

// kubeVersion is the cluster the chart is rendered for: the oldest it
// supports (the preStop sleep action).
var kubeVersion = chartutil.KubeVersion{Version: "v1.30.0", Major: "1", Minor: "30"}

// The value sets CI renders, as a user would pass them with -f.
var (
	embeddedValues = map[string]any{}
	scaledValues   = map[string]any{
		"rootUrl":      "",
		"database":     map[string]any{"url": "postgres://liftoff:secret@pg.db.svc:5432/liftoff?sslmode=require"},
		"nats":         map[string]any{"url": "nats://nats.msg.svc:4222"},
		"autoscaling":  map[string]any{"enabled": true, "minReplicas": 3, "maxReplicas": 10},
		"admin":        map[string]any{"username": "admin", "email": "admin@example.com", "password": "change-me"},
		"settings":     map[string]any{"Accounts_RegistrationForm": "Disabled"},
		"ingress":      map[string]any{"enabled": true, "className": "nginx", "hosts": []any{map[string]any{"host": "chat.example.com", "paths": []any{map[string]any{"path": "/", "pathType": "Prefix"}}}}, "tls": []any{map[string]any{"secretName": "chat-tls", "hosts": []any{"chat.example.com"}}}},
		"metrics":      map[string]any{"serviceMonitor": map[string]any{"enabled": true}, "podMonitor": map[string]any{"enabled": true}, "prometheusRule": map[string]any{"enabled": true}},
		"replicaCount": 2,
	}
	openshiftValues = map[string]any{
		"openshift":    true,
		"replicaCount": 3,
		"database":     map[string]any{"existingSecret": "liftoff-db"},
		"nats":         map[string]any{"existingSecret": "liftoff-nats"},
		"route":        map[string]any{"enabled": true, "host": "chat.apps.example.com"},
	}
)

// object is one rendered manifest.
type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name        string            `json:"name"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	raw []byte // the manifest as JSON, for typed decoding
}

// rendered is a chart rendering, by kind.
type rendered map[string][]object

func (r rendered) one(t *testing.T, kind string) object {
	t.Helper()
	if len(r[kind]) != 1 {
		t.Fatalf("%d %s objects, want 1 (have %v)", len(r[kind]), kind, r.kinds())
	}
	return r[kind][0]
}

func (r rendered) kinds() []string {
	var ks []string
	for k, objs := range r {
		for range objs {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// decode decodes a manifest strictly into a Kubernetes type, so that a
// misspelt or misplaced field fails the test instead of being dropped by
// the API server.
func decode(t *testing.T, o object, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(o.raw, into); err != nil {
		t.Fatalf("%s %s: %v\n%s", o.Kind, o.Metadata.Name, err, o.raw)
	}
}

// render renders the chart as `helm template` would, for release "lo" in
// namespace "chat".
func render(t *testing.T, vals map[string]any) (rendered, error) {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = kubeVersion
	values, err := chartutil.ToRenderValues(ch, vals, chartutil.ReleaseOptions{Name: "lo", Namespace: "chat", Revision: 1, IsInstall: true}, caps)
	if err != nil {
		return nil, err
	}
	files, err := engine.Render(ch, values)
	if err != nil {
		return nil, err
	}
	out := rendered{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.HasSuffix(name, ".yaml") {
			continue
		}
		for _, doc := range strings.Split(files[name], "\n---") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			js, err := yaml.YAMLToJSON([]byte(doc))
			if err != nil {
				t.Fatalf("%s: not YAML: %v\n%s", name, err, doc)
			}
			if string(js) == "null" {
				continue
			}
			var o object
			if err := json.Unmarshal(js, &o); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if o.Kind == "" {
				t.Fatalf("%s: a document without kind:\n%s", name, doc)
			}
			o.raw = js
			out[o.Kind] = append(out[o.Kind], o)
		}
	}
	return out, nil
}

func mustRender(t *testing.T, vals map[string]any) rendered {
	t.Helper()
	r, err := render(t, vals)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHelmLint(t *testing.T) {
	for name, vals := range map[string]map[string]any{"embedded": embeddedValues, "scaled": scaledValues, "openshift": openshiftValues} {
		t.Run(name, func(t *testing.T) {
			linter := lint.AllWithKubeVersion(chartDir, vals, "chat", &kubeVersion)
			for _, m := range linter.Messages {
				if m.Severity >= support.WarningSev {
					t.Errorf("helm lint: %s", m)
				} else {
					t.Logf("helm lint: %s", m)
				}
			}
		})
	}
}

// podSpec returns the pod template of the workload and checks what every
// Liftoff pod needs.
func checkPod(t *testing.T, spec corev1.PodSpec, openshift bool) corev1.Container {
	t.Helper()
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers", len(spec.Containers))
	}
	c := spec.Containers[0]
	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port.String() != "http" {
			t.Errorf("%s probe: %+v, want GET %s on port http", name, p, path)
		}
	}
	probe("startup", c.StartupProbe, "/livez")
	probe("liveness", c.LivenessProbe, "/livez")
	probe("readiness", c.ReadinessProbe, "/readyz")
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds < 1 {
		t.Errorf("no preStop pause: %+v", c.Lifecycle)
	} else if g := spec.TerminationGracePeriodSeconds; g == nil || *g < c.Lifecycle.PreStop.Sleep.Seconds+25 {
		t.Errorf("terminationGracePeriodSeconds %v does not cover the preStop pause and the 25s drain", g)
	}
	sc := c.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.Capabilities == nil ||
		len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" || len(sc.Capabilities.Add) != 0 ||
		sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("container security context is not restricted: %+v", sc)
	}
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Errorf("pod security context: %+v", psc)
	}
	fixed := psc != nil && (psc.RunAsUser != nil || psc.RunAsGroup != nil || psc.FSGroup != nil) || sc != nil && (sc.RunAsUser != nil || sc.RunAsGroup != nil)
	if openshift && fixed {
		t.Errorf("openshift mode sets a fixed UID/GID/fsGroup: pod %+v container %+v", psc, sc)
	}
	if !openshift && (psc.RunAsUser == nil || *psc.RunAsUser == 0) {
		t.Errorf("pod runs with UID %v, want a fixed non-root UID", psc.RunAsUser)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	if mounts["/tmp"] == "" || mounts["/data"] == "" {
		t.Errorf("mounts %v: want /tmp and /data (the root filesystem is read-only)", mounts)
	}
	for _, v := range spec.Volumes {
		if v.Name == mounts["/tmp"] && v.EmptyDir == nil {
			t.Errorf("/tmp is not an emptyDir")
		}
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token it does not use")
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] != 3000 || ports["metrics"] != 9458 {
		t.Errorf("ports %v, want http 3000 and metrics 9458", ports)
	}
	return c
}

func configData(t *testing.T, r rendered) map[string]string {
	t.Helper()
	var cm corev1.ConfigMap
	for _, o := range r["ConfigMap"] {
		if o.Metadata.Name == "lo-liftoff" {
			decode(t, o, &cm)
		}
	}
	return cm.Data
}

func secretData(t *testing.T, r rendered) map[string]string {
	t.Helper()
	var s corev1.Secret
	decode(t, r.one(t, "Secret"), &s)
	return s.StringData
}

func TestHelmEmbedded(t *testing.T) {
	r := mustRender(t, embeddedValues)
	for _, kind := range []string{"Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "Route", "ServiceMonitor", "PodMonitor"} {
		if len(r[kind]) > 0 {
			t.Errorf("embedded mode renders a %s", kind)
		}
	}
	var sts appsv1.StatefulSet
	decode(t, r.one(t, "StatefulSet"), &sts)
	if sts.Spec.Replicas == nil || *sts.Spec.Replicas != 1 {
		t.Errorf("StatefulSet replicas %v, want 1", sts.Spec.Replicas)
	}
	if len(sts.Spec.VolumeClaimTemplates) != 1 || sts.Spec.VolumeClaimTemplates[0].Name != "data" {
		t.Errorf("want a volume claim template named data, got %+v", sts.Spec.VolumeClaimTemplates)
	}
	if sts.Spec.ServiceName != "lo-liftoff-headless" {
		t.Errorf("serviceName %q", sts.Spec.ServiceName)
	}
	checkPod(t, sts.Spec.Template.Spec, false)
	if len(r["Service"]) != 2 {
		t.Errorf("%d services, want the service and the headless one", len(r["Service"]))
	}
	cfg := configData(t, r)
	if cfg["LIFTOFF_METRICS_ADDR"] != ":9458" || cfg["LIFTOFF_DATA_DIR"] != "/data" || cfg["PORT"] != "3000" {
		t.Errorf("config %v", cfg)
	}
	if s := secretData(t, r); s["LIFTOFF_DATABASE_URL"] != "" || s["LIFTOFF_NATS_URL"] != "" {
		t.Errorf("embedded mode sets a database or bus: %v", s)
	}
	checkDashboards(t, r)
}

func TestHelmScaled(t *testing.T) {
	r := mustRender(t, scaledValues)
	if len(r["StatefulSet"]) > 0 || len(r["PersistentVolumeClaim"]) > 0 {
		t.Error("scaled mode renders state of its own")
	}
	var dep appsv1.Deployment
	decode(t, r.one(t, "Deployment"), &dep)
	if dep.Spec.Replicas != nil {
		t.Errorf("the Deployment sets replicas %d while the HPA owns them", *dep.Spec.Replicas)
	}
	if ru := dep.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Errorf("rolling update %+v: want maxUnavailable 0", ru)
	}
	c := checkPod(t, dep.Spec.Template.Spec, false)
	if dep.Spec.Template.Annotations["checksum/config"] == "" {
		t.Error("pods do not roll when the configuration changes")
	}
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Name == "data" && v.EmptyDir == nil {
			t.Errorf("scaled pods keep /data on %+v; it should be scratch", v)
		}
	}
	_ = c

	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(t, r.one(t, "HorizontalPodAutoscaler"), &hpa)
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != dep.Name || *hpa.Spec.MinReplicas != 3 || hpa.Spec.MaxReplicas != 10 {
		t.Errorf("HPA %+v", hpa.Spec)
	}
	var pdb policyv1.PodDisruptionBudget
	decode(t, r.one(t, "PodDisruptionBudget"), &pdb)
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 1 {
		t.Errorf("PDB %+v", pdb.Spec)
	}
	var ing networkingv1.Ingress
	decode(t, r.one(t, "Ingress"), &ing)
	if ing.Spec.Rules[0].Host != "chat.example.com" || ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Name != "lo-liftoff" || len(ing.Spec.TLS) != 1 {
		t.Errorf("Ingress %+v", ing.Spec)
	}
	cfg := configData(t, r)
	if cfg["ROOT_URL"] != "https://chat.example.com" {
		t.Errorf("ROOT_URL %q, want the ingress host over https", cfg["ROOT_URL"])
	}
	if cfg["OVERWRITE_SETTING_Accounts_RegistrationForm"] != "Disabled" || cfg["ADMIN_USERNAME"] != "admin" {
		t.Errorf("settings and admin not passed: %v", cfg)
	}
	s := secretData(t, r)
	if s["LIFTOFF_DATABASE_URL"] != "postgres://liftoff:secret@pg.db.svc:5432/liftoff?sslmode=require" || s["LIFTOFF_NATS_URL"] != "nats://nats.msg.svc:4222" || s["ADMIN_PASS"] != "change-me" {
		t.Errorf("secret %v", s)
	}
	for k := range cfg {
		if strings.Contains(k, "DATABASE_URL") || strings.Contains(k, "PASS") {
			t.Errorf("%s is in the ConfigMap; credentials belong in the Secret", k)
		}
	}
	for _, kind := range []string{"ServiceMonitor", "PodMonitor", "PrometheusRule"} {
		if len(r[kind]) != 1 {
			t.Errorf("%d %s, want 1", len(r[kind]), kind)
		}
	}
	var sm struct {
		Spec struct {
			Endpoints []struct{ Port string } `json:"endpoints"`
		} `json:"spec"`
	}
	_ = json.Unmarshal(r.one(t, "ServiceMonitor").raw, &sm)
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "metrics" {
		t.Errorf("ServiceMonitor endpoints %+v", sm.Spec.Endpoints)
	}
	var rule struct {
		Spec struct {
			Groups []struct {
				Rules []struct{ Alert string } `json:"rules"`
			} `json:"groups"`
		} `json:"spec"`
	}
	_ = json.Unmarshal(r.one(t, "PrometheusRule").raw, &rule)
	if len(rule.Spec.Groups) == 0 || len(rule.Spec.Groups[0].Rules) < 3 {
		t.Errorf("PrometheusRule carries no alerts: %s", r.one(t, "PrometheusRule").raw)
	}
}

func TestHelmOpenShift(t *testing.T) {
	r := mustRender(t, openshiftValues)
	var dep appsv1.Deployment
	decode(t, r.one(t, "Deployment"), &dep)
	if dep.Spec.Replicas == nil || *dep.Spec.Replicas != 3 {
		t.Errorf("replicas %v, want 3", dep.Spec.Replicas)
	}
	c := checkPod(t, dep.Spec.Template.Spec, true)
	fromSecret := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			fromSecret[e.Name] = e.ValueFrom.SecretKeyRef.Name
		}
	}
	if fromSecret["LIFTOFF_DATABASE_URL"] != "liftoff-db" || fromSecret["LIFTOFF_NATS_URL"] != "liftoff-nats" {
		t.Errorf("env from existing secrets: %v", fromSecret)
	}
	if len(r["PodDisruptionBudget"]) != 1 {
		t.Error("no PodDisruptionBudget with 3 replicas")
	}
	route := r.one(t, "Route")
	var rt struct {
		Spec struct {
			Host string
			To   struct{ Kind, Name string }
			Port struct{ TargetPort string }  `json:"port"`
			TLS  struct{ Termination string } `json:"tls"`
		} `json:"spec"`
	}
	_ = json.Unmarshal(route.raw, &rt)
	if rt.Spec.Host != "chat.apps.example.com" || rt.Spec.To.Name != "lo-liftoff" || rt.Spec.Port.TargetPort != "http" || rt.Spec.TLS.Termination != "edge" {
		t.Errorf("Route %s", route.raw)
	}
	if route.Metadata.Annotations["haproxy.router.openshift.io/timeout"] == "" {
		t.Error("Route keeps HAProxy's 30s timeout, which cuts WebSockets")
	}
	if cfg := configData(t, r); cfg["ROOT_URL"] != "https://chat.apps.example.com" {
		t.Errorf("ROOT_URL %q, want the route host", cfg["ROOT_URL"])
	}
}

func TestHelmMetricsOff(t *testing.T) {
	r := mustRender(t, map[string]any{"metrics": map[string]any{"enabled": false}})
	if got := configData(t, r)["LIFTOFF_METRICS_ADDR"]; got != "off" {
		t.Errorf("LIFTOFF_METRICS_ADDR = %q, want off", got)
	}
	var svc corev1.Service
	decode(t, r["Service"][0], &svc)
	for _, p := range svc.Spec.Ports {
		if p.Name == "metrics" {
			t.Error("service exposes metrics that are off")
		}
	}
}

// TestHelmRefusesImpossibleValues: values that cannot work fail at
// install time with the reason, not later in a crash loop.
func TestHelmRefusesImpossibleValues(t *testing.T) {
	for _, tt := range []struct {
		name string
		vals map[string]any
		want string
	}{
		{"autoscaling embedded", map[string]any{"autoscaling": map[string]any{"enabled": true}}, "autoscaling needs scaled mode"},
		{"replicas without NATS", map[string]any{"database": map[string]any{"url": "postgres://u@h/db"}, "replicaCount": 3}, "need nats.url"},
		{"ingress and route", map[string]any{"ingress": map[string]any{"enabled": true}, "route": map[string]any{"enabled": true}}, "either ingress or route"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render(t, tt.vals)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// One pod on PostgreSQL needs no NATS.
	if _, err := render(t, map[string]any{"database": map[string]any{"url": "postgres://u@h/db"}, "replicaCount": 1}); err != nil {
		t.Errorf("one pod on PostgreSQL: %v", err)
	}
}

// checkDashboards: the dashboards ConfigMap carries every dashboard of
// deploy/grafana, as valid JSON, with the sidecar's label.
func checkDashboards(t *testing.T, r rendered) {
	t.Helper()
	var cm corev1.ConfigMap
	for _, o := range r["ConfigMap"] {
		if o.Metadata.Name == "lo-liftoff-dashboards" {
			decode(t, o, &cm)
		}
	}
	if cm.Labels["grafana_dashboard"] != "1" {
		t.Errorf("dashboards ConfigMap labels %v, want grafana_dashboard=1", cm.Labels)
	}
	want, _ := filepath.Glob("grafana/*.json")
	if len(cm.Data) != len(want) || len(want) == 0 {
		t.Errorf("dashboards ConfigMap has %d files, deploy/grafana has %d", len(cm.Data), len(want))
	}
	for _, f := range want {
		got, ok := cm.Data[filepath.Base(f)]
		if !ok {
			t.Errorf("dashboard %s missing from the ConfigMap", filepath.Base(f))
			continue
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("dashboard %s is not valid JSON in the ConfigMap", filepath.Base(f))
		}
	}
}

// TestChartCopiesAreCurrent: a chart can only read its own files, so it
// carries copies of the dashboards and alert rules; they must not drift.
func TestChartCopiesAreCurrent(t *testing.T) {
	pairs := map[string]string{"prometheus/rules.yml": chartDir + "/files/prometheus-rules.yml"}
	dashboards, _ := filepath.Glob("grafana/*.json")
	for _, d := range dashboards {
		pairs[d] = filepath.Join(chartDir, "dashboards", filepath.Base(d))
	}
	for src, dst := range pairs {
		a, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(dst)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from %s (%v): cp %s %s", dst, src, err, src, dst)
		}
	}
}

// Example of the rendering, for a person reading the test output with -v.
func TestHelmRenderedKinds(t *testing.T) {
	for name, vals := range map[string]map[string]any{"embedded": embeddedValues, "scaled": scaledValues, "openshift": openshiftValues} {
		t.Logf("%s: %s", name, fmt.Sprint(mustRender(t, vals).kinds()))
	}
}
