package rest_test

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestInstancesGet checks instances.get on one instance: Rocket.Chat's
// shape, this instance listed as local and connected, and the
// view-statistics permission (not the admin role) deciding who may call
// it. The cluster tests (test/cluster) check the list over several
// instances and after one dies.
func TestInstancesGet(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")

	body := acctOK(t, env.Admin.Get(t, "/api/v1/instances.get", nil))
	list, ok := body["instances"].([]any)
	if !ok || len(list) != 1 {
		t.Fatalf("instances %s", body["instances"])
	}
	in := list[0].(map[string]any)
	if in["broadcastAuth"] != true {
		t.Errorf("broadcastAuth %v", in["broadcastAuth"])
	}
	u, _ := url.Parse(env.BaseURL)
	if in["address"] != u.Hostname() {
		t.Errorf("address %v, want %s", in["address"], u.Hostname())
	}
	st := acctMap(t, in, "currentStatus")
	if st["connected"] != true || st["local"] != true {
		t.Errorf("currentStatus %v", st)
	}
	beat, ok := st["lastHeartbeatTime"].(float64)
	if !ok || time.Since(time.UnixMilli(int64(beat))) > time.Minute || time.Until(time.UnixMilli(int64(beat))) > time.Second {
		t.Errorf("lastHeartbeatTime %v, want milliseconds near now", st["lastHeartbeatTime"])
	}
	rec := acctMap(t, in, "instanceRecord")
	acctWantISO(t, rec, "_createdAt")
	acctWantISO(t, rec, "_updatedAt")
	if id, _ := rec["_id"].(string); id == "" || id != env.Server.Core().InstanceID() {
		t.Errorf("_id %v, want the instance id %s", rec["_id"], env.Server.Core().InstanceID())
	}
	if rec["pid"] != float64(os.Getpid()) || rec["name"] != "liftoff" {
		t.Errorf("pid %v name %v", rec["pid"], rec["name"])
	}
	extra := acctMap(t, rec, "extraInformation")
	if extra["port"] != u.Port() || extra["tcpPort"] != float64(mustAtoi(t, u.Port())) {
		t.Errorf("port %v tcpPort %v, want %s", extra["port"], extra["tcpPort"], u.Port())
	}
	host, _ := os.Hostname()
	if extra["host"] != host || extra["nodeVersion"] == "" {
		t.Errorf("extraInformation %v", extra)
	}
	if o := acctMap(t, extra, "os"); o["platform"] == "" || o["cpus"].(float64) < 1 {
		t.Errorf("os %v", o)
	}

	// A user without view-statistics is refused, and nothing is listed.
	res := bob.Get(t, "/api/v1/instances.get", nil)
	if b := acctFail(t, res, http.StatusForbidden, "-"); b["error"] != "User does not have the permissions required for this action [error-unauthorized]" {
		t.Fatalf("403 body %s", res.Raw)
	}
	if _, listed := res.Body["instances"]; listed {
		t.Fatalf("refused call listed instances: %s", res.Raw)
	}
	acct401(t, env.Anon().Get(t, "/api/v1/instances.get", nil))

	// The permission decides, whatever the role.
	env.Admin.Post(t, "/api/v1/permissions.update", map[string]any{"permissions": []any{
		map[string]any{"_id": "view-statistics", "roles": []string{"admin", "user"}}}}).MustOK(t)
	if got := acctOK(t, bob.Get(t, "/api/v1/instances.get", nil))["instances"].([]any); len(got) != 1 {
		t.Fatalf("with view-statistics: %v", got)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
