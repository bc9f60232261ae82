package testenv

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/server"
)

// ClusterOptions configures StartCluster.
type ClusterOptions struct {
	// Instances is how many instances to start (default 3).
	Instances int
	// Process runs every instance as a child process of the liftoff
	// binary (built once per test process), so that a test can SIGKILL
	// it or stop it with SIGTERM as a deployment would; otherwise the
	// instances run in the test process, cheaper and under the race
	// detector.
	Process bool
	// PostgresURL is the PostgreSQL server the instances share (default
	// LIFTOFF_TEST_POSTGRES_URL). A fresh schema is made on it for the
	// cluster and dropped when the test ends.
	PostgresURL string
	// NATSURL is the NATS server the instances share (default
	// LIFTOFF_TEST_NATS_URL). Each cluster gets a subject prefix of its
	// own, so that parallel tests do not hear each other.
	NATSURL string
	// Heartbeat is the instances' heartbeat interval (default 200ms, so
	// that a dead instance is noticed within a second).
	Heartbeat time.Duration
	// Env adds environment variables to every instance.
	Env map[string]string
	// NodeEnv, when set, adds variables to instance i, over Env (to
	// route one instance through a proxy, say).
	NodeEnv func(i int) map[string]string
	// Logs shows the instances' logs in the test output (also with
	// LIFTOFF_TEST_LOGS set); otherwise only a failing start shows them.
	Logs bool
}

// Cluster is several instances sharing one PostgreSQL schema and one NATS
// subject prefix.
type Cluster struct {
	// DatabaseURL selects the cluster's schema (search_path).
	DatabaseURL string
	Schema      string
	NATSURL     string
	NATSPrefix  string
	Nodes       []*Node

	t    testing.TB
	opts ClusterOptions
	env  []string // KEY=VALUE shared by every instance
}

// Node is one instance of a Cluster. Its Env gives URLs and REST clients;
// Env.Server is set only for in-process instances.
type Node struct {
	*Env
	Index int
	// ID is the instance id of the current run (it changes on restart).
	ID string

	c    *Cluster
	addr string // host:port, kept across restarts
	dir  string

	mu      sync.Mutex
	running bool
	pid     int
	stopFn  func(sig syscall.Signal) error
	logs    *logTail
	started time.Time
}

// clusterServiceURL returns a shared test server's URL from the
// environment, or skips the test.
func clusterServiceURL(t testing.TB, given, env, what string) string {
	t.Helper()
	if given != "" {
		return given
	}
	u := os.Getenv(env)
	if u == "" {
		t.Skipf("%s is not set: cluster tests need a real %s (CI and `make test` set it)", env, what)
	}
	return u
}

// StartCluster starts the instances at the same moment, waits until each
// is ready and hears every other, and logs the admin in. Everything is
// stopped and the schema dropped when the test ends.
func StartCluster(t testing.TB, opts ClusterOptions) *Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: cluster tests need PostgreSQL and NATS")
	}
	if opts.Instances <= 0 {
		opts.Instances = 3
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 200 * time.Millisecond
	}
	if os.Getenv("LIFTOFF_TEST_LOGS") != "" {
		opts.Logs = true
	}
	pgURL := clusterServiceURL(t, opts.PostgresURL, "LIFTOFF_TEST_POSTGRES_URL", "PostgreSQL")
	natsURL := clusterServiceURL(t, opts.NATSURL, "LIFTOFF_TEST_NATS_URL", "NATS")
	var bin string
	if opts.Process {
		bin = liftoffBinary(t)
	}

	schema := "cl_" + strings.ToLower(chat.RandomString(12))
	pgExec(t, pgURL, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { pgExec(t, pgURL, "DROP SCHEMA IF EXISTS "+schema+" CASCADE") })
	c := &Cluster{
		DatabaseURL: withSearchPath(t, pgURL, schema),
		Schema:      schema,
		NATSURL:     natsURL,
		NATSPrefix:  "t" + strings.ToLower(chat.RandomString(10)) + ".",
		t:           t,
		opts:        opts,
	}
	c.env = []string{
		"LIFTOFF_DATABASE_URL=" + c.DatabaseURL,
		"LIFTOFF_NATS_URL=" + c.NATSURL,
		"LIFTOFF_NATS_PREFIX=" + c.NATSPrefix,
		"LIFTOFF_HEARTBEAT_INTERVAL=" + opts.Heartbeat.String(),
		// Small pools: several clusters and other packages' tests share
		// the server's 100 connections.
		"LIFTOFF_DB_MAX_CONNS=6",
		"LIFTOFF_METRICS_ADDR=off",
		"LIFTOFF_LOG_FORMAT=json",
		"LIFTOFF_SHUTDOWN_TIMEOUT=10s",
		"BIND_IP=127.0.0.1",
		"ADMIN_USERNAME=" + AdminUsername, "ADMIN_PASS=" + AdminPassword, "ADMIN_EMAIL=" + AdminEmail,
	}
	for k, v := range opts.Env {
		c.env = append(c.env, k+"="+v)
	}
	for i := range opts.Instances {
		n := &Node{Index: i, c: c, dir: t.TempDir(), addr: "127.0.0.1:0", logs: &logTail{}}
		n.Env = &Env{DataDir: n.dir}
		n.Env.stop = func() { n.Stop() }
		c.Nodes = append(c.Nodes, n)
	}
	// Stop every instance before the schema is dropped (cleanups run
	// last-registered first).
	t.Cleanup(func() {
		var wg sync.WaitGroup
		for _, n := range c.Nodes {
			wg.Add(1)
			go func() { defer wg.Done(); n.Stop() }()
		}
		wg.Wait()
	})

	// All at once, as a deployment's replicas start: migrations and
	// seeding must cope with each other.
	errs := make([]error, len(c.Nodes))
	var wg sync.WaitGroup
	for i, n := range c.Nodes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = n.start(bin) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start instance %d: %v\n%s", i, err, c.Nodes[i].logs)
		}
	}
	admin := c.Nodes[0].Login(t, AdminUsername, AdminPassword)
	for _, n := range c.Nodes {
		n.Admin = n.As(admin)
	}
	c.WaitInstances(t, len(c.Nodes))
	return c
}

// As returns a client with c's credentials that calls this node.
func (n *Node) As(c *Client) *Client {
	cp := *c
	cp.Base = n.BaseURL
	return &cp
}

// PID returns the instance's process id (the test's own in-process).
func (n *Node) PID() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.pid
}

// Running reports whether the instance is up.
func (n *Node) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.running
}

// Logs returns the instance's recent log lines.
func (n *Node) Logs() string { return n.logs.String() }

// Stop shuts the instance down gracefully (SIGTERM, or cancelling an
// in-process one) and waits until it exited.
func (n *Node) Stop() { n.halt(syscall.SIGTERM) }

// Kill ends the instance's process with SIGKILL: no goodbye to the other
// instances, no closing of sockets beyond what the kernel does. Only
// process instances can be killed.
func (n *Node) Kill() {
	n.c.t.Helper()
	if !n.c.opts.Process {
		n.c.t.Fatal("testenv: Kill needs ClusterOptions.Process")
	}
	n.halt(syscall.SIGKILL)
}

func (n *Node) halt(sig syscall.Signal) {
	n.mu.Lock()
	stop, running := n.stopFn, n.running
	n.running = false
	n.mu.Unlock()
	if running && stop != nil {
		if err := stop(sig); err != nil {
			n.c.t.Errorf("instance %d: %v\n%s", n.Index, err, n.logs)
		}
	}
}

// Restart starts a stopped instance again on the same address, and waits
// until it is ready.
func (n *Node) Restart(t testing.TB) {
	t.Helper()
	var bin string
	if n.c.opts.Process {
		bin = liftoffBinary(t)
	}
	if err := n.start(bin); err != nil {
		t.Fatalf("restart instance %d: %v\n%s", n.Index, err, n.logs)
	}
}

// start runs the instance and waits for /readyz.
func (n *Node) start(bin string) error {
	n.mu.Lock()
	if n.running {
		n.mu.Unlock()
		return fmt.Errorf("already running")
	}
	n.mu.Unlock()
	_, port, _ := net.SplitHostPort(n.addr)
	environ := append([]string{"LIFTOFF_DATA_DIR=" + n.dir, "PORT=" + port}, n.c.env...)
	if n.c.opts.NodeEnv != nil {
		for k, v := range n.c.opts.NodeEnv(n.Index) {
			environ = append(environ, k+"="+v)
		}
	}
	var addr string
	var err error
	if bin != "" {
		addr, err = n.startProcess(bin, environ)
	} else {
		addr, err = n.startInProcess(environ)
	}
	if err != nil {
		return err
	}
	// A restart keeps the address; the URLs are written only on the
	// first start, so that clients may read them while an instance
	// restarts.
	if addr != n.addr {
		n.addr = addr
		n.BaseURL, n.WSURL = "http://"+addr, "ws://"+addr+"/websocket"
	}
	if err := waitHealthy(n.BaseURL, 60*time.Second); err != nil {
		n.halt(syscall.SIGKILL)
		return err
	}
	id, err := instanceID(n.BaseURL)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.ID, n.started = id, time.Now()
	n.mu.Unlock()
	return nil
}

// startInProcess runs the instance in the test process.
func (n *Node) startInProcess(environ []string) (string, error) {
	cfg, err := config.Load(environ)
	if err != nil {
		return "", err
	}
	var w io.Writer = n.logs
	if n.c.opts.Logs {
		w = io.MultiWriter(n.logs, n.c.logWriter(n.Index))
	}
	log := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, log, "7.0.0-test")
	if err != nil {
		cancel()
		return "", err
	}
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		cancel()
		srv.Close()
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	n.mu.Lock()
	n.Server, n.running, n.pid = srv, true, os.Getpid()
	n.stopFn = func(syscall.Signal) error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("did not stop within 30s")
		}
	}
	n.mu.Unlock()
	return ln.Addr().String(), nil
}

// startProcess runs the instance as a child process and reads its address
// from its "listening" log line.
func (n *Node) startProcess(bin string, environ []string) (string, error) {
	cmd := exec.Command(bin, "serve")
	// Only what the instance needs: the test's own LIFTOFF_* variables
	// must not leak in.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, environ...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	cmd.Stdout = n.logs
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	listening := make(chan string, 1)
	var echo io.Writer
	if n.c.opts.Logs {
		echo = n.c.logWriter(n.Index)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			_, _ = n.logs.Write(append(line, '\n'))
			if echo != nil {
				_, _ = echo.Write(append(line, '\n'))
			}
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" {
				select {
				case listening <- rec.Addr:
				default:
				}
			}
		}
	}()
	var addr string
	select {
	case addr = <-listening:
	case err := <-exited:
		return "", fmt.Errorf("exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		return "", fmt.Errorf("not listening within 60s")
	}
	var once sync.Once
	var waitErr error
	n.mu.Lock()
	n.Server, n.running, n.pid = nil, true, cmd.Process.Pid
	n.stopFn = func(sig syscall.Signal) error {
		once.Do(func() {
			_ = cmd.Process.Signal(sig)
			select {
			case err := <-exited:
				if sig == syscall.SIGTERM && err != nil {
					waitErr = fmt.Errorf("exit after SIGTERM: %v", err)
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				waitErr = fmt.Errorf("did not stop within 30s of %s", sig)
			}
		})
		return waitErr
	}
	n.mu.Unlock()
	return addr, nil
}

// WaitInstances waits until instances.get on every running instance lists
// want live instances.
func (c *Cluster) WaitInstances(t testing.TB, want int) {
	t.Helper()
	Eventually(t, 30*time.Second, func() bool {
		for _, n := range c.Nodes {
			if !n.Running() {
				continue
			}
			if len(c.LiveInstances(t, n)) != want {
				return false
			}
		}
		return true
	}, "every instance lists %d live instances", want)
}

// LiveInstances returns the instance ids that instances.get on n lists.
func (c *Cluster) LiveInstances(t testing.TB, n *Node) []string {
	t.Helper()
	res := n.Admin.Get(t, "/api/v1/instances.get", nil)
	if !res.OK() {
		t.Fatalf("instances.get on instance %d: %d %s", n.Index, res.Status, res.Raw)
	}
	var ids []string
	list, _ := res.Body["instances"].([]any)
	for _, in := range list {
		rec, _ := in.(map[string]any)["instanceRecord"].(map[string]any)
		id, _ := rec["_id"].(string)
		ids = append(ids, id)
	}
	return ids
}

// logWriter shows instance i's log lines in the test output while the
// test runs.
func (c *Cluster) logWriter(i int) io.Writer {
	return prefixWriter{t: c.t, prefix: fmt.Sprintf("[%d] ", i)}
}

type prefixWriter struct {
	t      testing.TB
	prefix string
}

func (w prefixWriter) Write(p []byte) (int, error) {
	defer func() { _ = recover() }() // the test may be over
	w.t.Log(w.prefix + strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// logTail keeps the last lines an instance logged, for failure messages.
type logTail struct {
	mu    sync.Mutex
	lines []string
}

const logTailLines = 60

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		l.lines = append(l.lines, line)
	}
	if over := len(l.lines) - logTailLines; over > 0 {
		l.lines = append(l.lines[:0], l.lines[over:]...)
	}
	return len(p), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitHealthy polls /readyz until it answers 200.
func waitHealthy(base string, timeout time.Duration) error {
	hc := &http.Client{Timeout: 3 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if res, err := hc.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready within %s", base, timeout)
}

// instanceID reads the instance id from /health.
func instanceID(base string) (string, error) {
	res, err := http.Get(base + "/health")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var h struct{ Instance string }
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		return "", fmt.Errorf("health: %w", err)
	}
	return h.Instance, nil
}

// pgExec runs one statement on a connection of its own.
func pgExec(t testing.TB, connString, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// withSearchPath returns the URL with search_path set to schema.
func withSearchPath(t testing.TB, u, schema string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatalf("postgres url: %v", err)
	}
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String()
}

// liftoffBinary builds cmd/liftoff once per test process and returns its
// path; LIFTOFF_TEST_BINARY names a prebuilt one instead.
func liftoffBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LIFTOFF_TEST_BINARY"); p != "" {
		return p
	}
	buildOnce.Do(func() { builtPath, buildErr = buildLiftoff() })
	if buildErr != nil {
		t.Fatalf("build liftoff: %v", buildErr)
	}
	return builtPath
}

// The binary is built once for every test of the process: building is a
// property of the test run, not of one test, and takes seconds.
var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// buildLiftoff builds the server into a stable path under the temporary
// directory (replaced atomically, so concurrent test processes may share
// it), which the go build cache makes quick after the first time.
func buildLiftoff() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot locate the module")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("liftoff-testenv-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "liftoff-*")
	if err != nil {
		return "", err
	}
	tmp.Close()
	// go test puts its own go first on the PATH of the tests it runs.
	cmd := exec.Command("go", "build", "-o", tmp.Name(), "./cmd/liftoff")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	final := filepath.Join(dir, "liftoff")
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	return final, nil
}
