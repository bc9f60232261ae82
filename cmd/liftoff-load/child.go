package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/server"
)

// runChild runs the server under test on 127.0.0.1:0, with a second
// listener for the load generator: /seed creates users with login tokens
// (so that a thousand logins do not cost a thousand bcrypt runs), /stats
// reports memory after a collection. It prints both addresses on stdout.
func runChild(ctx context.Context, dataDir string) error {
	environ := []string{"LIFTOFF_DATA_DIR=" + dataDir, "BIND_IP=127.0.0.1", "PORT=0",
		"ADMIN_USERNAME=admin", "ADMIN_PASS=admin-pass-1", "ADMIN_EMAIL=admin@example.com"}
	// The cluster scenario selects the engines (database and NATS URLs,
	// subject prefix, pool size) through the child's environment.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "LIFTOFF_") && !strings.HasPrefix(kv, "LIFTOFF_DATA_DIR=") {
			environ = append(environ, kv)
		}
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(ctx, cfg, log, "load")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /seed", func(w http.ResponseWriter, r *http.Request) { seed(w, r, srv) })
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) { stats(w, srv) })
	mux.Handle("GET /debug/pprof/heap", pprof.Handler("heap"))
	mux.Handle("GET /debug/pprof/goroutine", pprof.Handler("goroutine"))
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	go func() { _ = http.Serve(ctl, mux) }()
	fmt.Printf("server %s control %s\n", ln.Addr(), ctl.Addr())
	return srv.Serve(ctx, ln)
}

// seed creates n users named <prefix><i>, members of #general when join
// is set, each with a login token; it answers "id token" lines.
func seed(w http.ResponseWriter, r *http.Request, srv *server.Server) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	prefix, join := q.Get("prefix"), q.Get("join") == "1"
	c := srv.Core()
	type cred struct{ id, token string }
	out := make([]cred, n)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				u, err := c.AdminCreateUser(r.Context(), core.NewUser{Username: fmt.Sprintf("%s%d", prefix, i), JoinDefaultChannels: join})
				if err == nil {
					token := chat.RandomString(43)
					err = c.Store().AddToken(r.Context(), &chat.Token{Hash: core.HashToken(token), UserID: u.ID, Kind: chat.TokenLogin,
						CreatedAt: time.Now(), ExpiresAt: time.Now().Add(24 * time.Hour)})
					out[i] = cred{u.ID, token}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	default:
	}
	bw := bufio.NewWriter(w)
	for _, c := range out {
		fmt.Fprintf(bw, "%s %s\n", c.id, c.token)
	}
	_ = bw.Flush()
}

// serverStats is what /stats reports.
type serverStats struct {
	HeapInuse   uint64 `json:"heapInuse"`
	StackInuse  uint64 `json:"stackInuse"`
	Sys         uint64 `json:"sys"`
	RSS         uint64 `json:"rss"`
	Goroutines  int    `json:"goroutines"`
	Connections int    `json:"connections"`
	Sessions    int    `json:"sessions"`
	LoggedIn    int    `json:"loggedIn"`
	Rooms       int    `json:"rooms"`
	Slow        uint64 `json:"slowConsumers"`
}

// stats collects garbage, returns freed memory to the OS, and reports.
// Each collection halves the stacks of goroutines using less than a
// quarter of theirs, so a few are run to see the steady state of idle
// connections, which the server's own collections would reach too.
func stats(w http.ResponseWriter, srv *server.Server) {
	for range 3 {
		runtime.GC()
	}
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	hub, d := srv.Realtime()
	hs, ds := hub.Stats(), d.Stats()
	st := serverStats{
		HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Sys: ms.Sys, RSS: rss(),
		Goroutines: runtime.NumGoroutine(), Connections: ds.Connections, Sessions: ds.Sessions,
		LoggedIn: ds.Authenticated, Rooms: hs.Rooms, Slow: hs.SlowConsumers,
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}

// rss reads the process's resident set size from /proc.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
