package cluster_test

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// privatePostgres is a PostgreSQL server of the test's own, which it may
// stop and start: the machine's shared server on 5432 serves other tests
// and must stay up.
type privatePostgres struct {
	URL     string
	bin     string // the directory of initdb and pg_ctl
	dir     string // owned by the server's user: data, socket, log
	port    int
	asOwner []string // command prefix that runs as the server's user
}

// needTool skips the test when a program it needs is missing, unless
// LIFTOFF_REQUIRE_TOOLS=1 (CI), where that is a failure.
func needTool(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("LIFTOFF_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg + "; LIFTOFF_REQUIRE_TOOLS=1 requires it")
	}
	t.Skip(msg + "; set LIFTOFF_REQUIRE_TOOLS=1 to make this a failure")
}

// startPrivatePostgres creates a throwaway cluster with Debian's binaries
// (/usr/lib/postgresql/<version>/bin) on a random port, with trust
// authentication and no fsync, and removes it when the test ends. The
// binaries refuse to run as root, so as root they run as the postgres
// user.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		needTool(t, "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/pg_ctl) are missing (Debian: apt-get install postgresql)")
	}
	sort.Strings(bins)
	pg := &privatePostgres{bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "liftoff-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pg.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			needTool(t, "running as root, but there is no postgres user to run PostgreSQL as")
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			needTool(t, "running as root, but runuser is missing")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.asOwner = []string{runuser, "-u", "postgres", "--"}
	}
	pg.port = freePort(t)
	pg.run(t, "initdb", "-D", pg.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
	pg.Start(t)
	t.Cleanup(func() { pg.ctl("stop", "-m", "immediate") })
	pg.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	return pg
}

func (pg *privatePostgres) data() string { return filepath.Join(pg.dir, "data") }

// run runs one of the server's programs as its user, failing the test on
// an error.
func (pg *privatePostgres) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	if out, err := pg.command(prog, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
}

func (pg *privatePostgres) command(prog string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, pg.asOwner...), filepath.Join(pg.bin, prog)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = pg.dir
	return cmd
}

func (pg *privatePostgres) ctl(args ...string) error {
	return pg.command("pg_ctl", append([]string{"-D", pg.data()}, args...)...).Run()
}

// Start starts the server and waits until it accepts connections.
func (pg *privatePostgres) Start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", pg.port, pg.dir)
	pg.run(t, "pg_ctl", "-D", pg.data(), "-o", opts, "-l", filepath.Join(pg.dir, "log"), "-w", "-t", "60", "start")
}

// Stop stops the server (fast shutdown: sessions are disconnected) and
// waits until it is down.
func (pg *privatePostgres) Stop(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "-t", "60", "stop")
}

// privateNATS is a NATS server in the test process, on a port of its own,
// that the test may stop and start again on the same port.
type privateNATS struct {
	URL  string
	port int
	srv  *natsserver.Server
}

func startPrivateNATS(t *testing.T) *privateNATS {
	t.Helper()
	n := &privateNATS{port: freePort(t)}
	n.URL = fmt.Sprintf("nats://127.0.0.1:%d", n.port)
	n.Start(t)
	t.Cleanup(func() {
		if n.srv != nil {
			n.srv.Shutdown()
		}
	})
	return n
}

// Start runs the server and waits until it accepts clients.
func (n *privateNATS) Start(t *testing.T) {
	t.Helper()
	srv, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: n.port, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready within 10s")
	}
	n.srv = srv
}

// Stop shuts the server down: every client is disconnected.
func (n *privateNATS) Stop() {
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
	n.srv = nil
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// tcpProxy forwards connections to a target until cut: then it drops
// every connection and refuses new ones, as a network partition between
// one instance and a server would, until restored.
type tcpProxy struct {
	Addr   string
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{}
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{Addr: ln.Addr().String(), ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.Cut()
	})
	return p
}

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

func (p *tcpProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

// Cut drops every connection and refuses new ones.
func (p *tcpProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// Restore forwards new connections again.
func (p *tcpProxy) Restore() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}
