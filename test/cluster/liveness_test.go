package cluster_test

import (
	"slices"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// TestInstanceLiveness runs three instance processes with the default
// heartbeat (5s): instances.get on each lists all three; after one is
// killed with SIGKILL, the others drop it from the list and turn its
// users offline within 30 seconds; a restarted instance is listed again.
func TestInstanceLiveness(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t, testenv.ClusterOptions{Process: true, Heartbeat: 5 * time.Second})
	var ids []string
	for _, n := range c.Nodes {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	for _, n := range c.Nodes {
		got := c.LiveInstances(t, n)
		slices.Sort(got)
		if !slices.Equal(got, ids) {
			t.Fatalf("instances.get on instance %d lists %v, want %v", n.Index, got, ids)
		}
	}

	watcherUser := c.Nodes[0].CreateUser(t, "watcher")
	victim := c.Nodes[0].CreateUser(t, "victim")
	survivor := c.Nodes[0].CreateUser(t, "survivor")
	watcher := ddpOn(t, c.Nodes[0], watcherUser)
	watcher.MustSub("stream-notify-logged", "user-status", false)
	ddpOn(t, c.Nodes[2], victim)
	watcher.Expect(statusEvent(victim.UserID, codeOnline), "victim online")
	// survivor is connected to the doomed instance and to another one.
	ddpOn(t, c.Nodes[2], survivor)
	ddpOn(t, c.Nodes[1], survivor)
	watcher.Expect(statusEvent(survivor.UserID, codeOnline), "survivor online")

	dead := c.Nodes[2]
	deadID := dead.ID
	killed := time.Now()
	dead.Kill()
	if _, ok := watcher.Wait(statusEvent(victim.UserID, codeOffline), 30*time.Second); !ok {
		t.Fatalf("the killed instance's user is not offline within 30s of SIGKILL")
	}
	corrected := time.Since(killed)
	t.Logf("SIGKILL to presence corrected: %s (heartbeat 5s)", corrected.Round(time.Millisecond))
	for _, n := range c.Nodes[:2] {
		if s := status(t, n, victim.UserID); s != "offline" {
			t.Fatalf("victim through instance %d: %s", n.Index, s)
		}
		if s := status(t, n, survivor.UserID); s != "online" {
			t.Fatalf("survivor, still connected to instance 1, through instance %d: %s", n.Index, s)
		}
	}
	// Each survivor drops the dead instance on its own heartbeat tick,
	// which may come up to one interval after the one that corrected
	// presence.
	testenv.Eventually(t, time.Until(killed.Add(30*time.Second)), func() bool {
		for _, n := range c.Nodes[:2] {
			if got := c.LiveInstances(t, n); len(got) != 2 || slices.Contains(got, deadID) {
				return false
			}
		}
		return true
	}, "instances.get on the survivors drops the killed instance within 30s")
	t.Logf("SIGKILL to both survivors listing 2 instances: %s", time.Since(killed).Round(time.Millisecond))
	watcher.ExpectNone(statusEvent(survivor.UserID, codeOffline), 100*time.Millisecond, "survivor offline")

	// Back: listed again under its new id, and its clients count again.
	dead.Restart(t)
	c.WaitInstances(t, 3)
	if slices.Contains(c.LiveInstances(t, c.Nodes[0]), deadID) {
		t.Fatal("the killed instance's old id is listed after its restart")
	}
	ddpOn(t, dead, victim)
	watcher.Expect(statusEvent(victim.UserID, codeOnline), "victim online again through the restarted instance")
}
