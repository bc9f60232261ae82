// Command liftoff-load measures Liftoff's realtime API on one machine, in
// one run:
//
//  1. fan-out: N members of one room connected over DDP, each following
//     the room's messages, while messages are posted over REST at a fixed
//     rate; it reports the latency from post to delivery at every member
//     (p50, p99, max) and how many deliveries were missing;
//  2. idle connections: M authenticated DDP connections that do nothing;
//     it reports the server's memory per connection (Go heap and stacks
//     after a collection, and the process's resident set).
//
// The server runs as a separate process (this binary with -child), so that
// its memory is measured apart from the load generator's. Everything runs
// on loopback, bounded in count and time.
//
//	go run ./cmd/liftoff-load                # 1,000 members at 100 msg/s, 10,000 idle
//	go run ./cmd/liftoff-load -members 200 -idle 1000 -duration 5s
//
// With -scenario cluster it compares the deployments instead (cluster.go):
// REST posting throughput and post-to-delivery latency on SQLite with the
// in-process bus, then on PostgreSQL with NATS with one instance and with
// three, printed as one table.
//
//	go run ./cmd/liftoff-load -scenario cluster
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "liftoff-load:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	members  int
	rate     int
	duration time.Duration
	idle     int
	workers  int
	child    bool
	dataDir  string
	keep     bool
	hold     time.Duration
	profile  string
	// The cluster scenario (cluster.go).
	scenario    string
	postgresURL string
	natsURL     string
	posters     int
	rooms       int
	set         map[string]bool // flags given on the command line
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("liftoff-load", flag.ContinueOnError)
	fs.IntVar(&o.members, "members", 1000, "connected members of the room in the fan-out test (0 skips it)")
	fs.IntVar(&o.rate, "rate", 100, "messages posted per second in the fan-out test")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long messages are posted")
	fs.IntVar(&o.idle, "idle", 10000, "idle authenticated connections in the memory test (0 skips it)")
	fs.IntVar(&o.workers, "workers", 32, "connections opened in parallel")
	fs.BoolVar(&o.child, "child", false, "run the server under test (used by the load generator itself)")
	fs.StringVar(&o.dataDir, "data", "", "data directory of the server (default: a temporary one)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary data directory")
	fs.StringVar(&o.profile, "cpuprofile", "", "save a CPU profile of the server during the fan-out test to this file")
	fs.DurationVar(&o.hold, "hold", 0, "keep the idle connections open this long after measuring (to profile the server)")
	fs.StringVar(&o.scenario, "scenario", "realtime", "realtime (fan-out and idle connections on one server) or cluster (SQLite vs PostgreSQL + NATS, one and three instances)")
	fs.StringVar(&o.postgresURL, "postgres", envOr("LIFTOFF_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server of the cluster scenario (a schema is created on it and dropped)")
	fs.StringVar(&o.natsURL, "nats", envOr("LIFTOFF_TEST_NATS_URL", "nats://127.0.0.1:4222"), "NATS server of the cluster scenario")
	fs.IntVar(&o.posters, "posters", 32, "concurrent REST posters in the cluster scenario's throughput test")
	fs.IntVar(&o.rooms, "rooms", 16, "rooms the posters spread over in the cluster scenario's many-rooms throughput test")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.child {
		return runChild(ctx, o.dataDir)
	}
	switch o.scenario {
	case "realtime":
		return runLoad(ctx, o)
	case "cluster":
		return runCluster(ctx, o)
	}
	return fmt.Errorf("unknown scenario %q: want realtime or cluster", o.scenario)
}

// envOr returns the environment variable k, or def when it is unset.
func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
