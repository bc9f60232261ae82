package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// deployment is one setup the cluster scenario measures.
type deployment struct {
	name      string
	instances int
	clustered bool // PostgreSQL + NATS; otherwise SQLite + the in-process bus
}

// throughput is the outcome of posting as fast as the posters can.
type throughput struct {
	posts   int
	errs    int
	elapsed time.Duration
	lat     []int64 // REST round trips, sorted
	cpu     cpuUse
}

func (t throughput) rate() float64 { return float64(t.posts) / t.elapsed.Seconds() }

// delivery is the outcome of the fan-out test.
type delivery struct {
	posts, members int
	errs           int
	lat            []int64 // post to delivery at every member, sorted
	want           int
}

// benchRow is everything measured on one deployment.
type benchRow struct {
	d         deployment
	oneRoom   throughput
	manyRooms throughput
	fan       delivery
}

// runCluster measures REST posting throughput and post-to-delivery
// latency on each deployment in turn, each on fresh data, and prints the
// table.
func runCluster(ctx context.Context, o options) error {
	if !o.set["members"] {
		o.members = 300
	}
	if !o.set["rate"] {
		o.rate = 50
	}
	if !o.set["duration"] {
		o.duration = 5 * time.Second
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("liftoff-load -scenario cluster: %d CPUs, %s, GOMAXPROCS %d; PostgreSQL %s, NATS %s\n",
		runtime.NumCPU(), runtime.Version(), runtime.GOMAXPROCS(0), redact(o.postgresURL), o.natsURL)
	fmt.Printf("throughput: %d posters for %s each, into #general and then spread over %d rooms; fan-out: %d members of #general over DDP, %d msg/s for %s\n",
		o.posters, o.duration, o.rooms, o.members, o.rate, o.duration)
	deployments := []deployment{
		{"SQLite + in-process bus", 1, false},
		{"PostgreSQL + NATS", 1, true},
		{"PostgreSQL + NATS", 3, true},
	}
	var rows []benchRow
	for _, d := range deployments {
		fmt.Printf("\n== %s, %d instance(s); load average %s\n", d.name, d.instances, loadAverage())
		row, err := benchDeployment(ctx, exe, d, o)
		if err != nil {
			return fmt.Errorf("%s ×%d: %w", d.name, d.instances, err)
		}
		rows = append(rows, row)
	}

	fmt.Printf("\n== results: every process on this machine (%d CPUs), PostgreSQL and NATS included\n\n", runtime.NumCPU())
	fmt.Printf("| Deployment | Instances | Posts/s, 1 room | Posts/s, %d rooms | REST post p50 / p99 (%d rooms) | CPU while posting (%d rooms): %s | Post→delivery p50 / p99 / max (%d members, %d msg/s) | Delivered |\n",
		o.rooms, o.rooms, o.rooms, cpuColumns, o.members, o.rate)
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		m := r.manyRooms
		fmt.Printf("| %s | %d | %.0f | %.0f | %s / %s | %s | %s / %s / %s | %.2f%% |\n",
			r.d.name, r.d.instances, r.oneRoom.rate(), m.rate(), pct(m.lat, 50), pct(m.lat, 99),
			m.cpu.cores(m.elapsed), pct(r.fan.lat, 50), pct(r.fan.lat, 99), pct(r.fan.lat, 100),
			100*float64(len(r.fan.lat))/float64(max(r.fan.want, 1)))
	}
	return nil
}

// benchDeployment starts the deployment's instances on fresh data, seeds
// it and runs the three measurements.
func benchDeployment(ctx context.Context, exe string, d deployment, o options) (benchRow, error) {
	row := benchRow{d: d}
	var env []string
	if d.clustered {
		schema := "lb_" + strings.ToLower(chat.RandomString(12))
		if err := pgExec(ctx, o.postgresURL, "CREATE SCHEMA "+schema); err != nil {
			return row, err
		}
		defer func() {
			if err := pgExec(context.Background(), o.postgresURL, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				fmt.Println("drop schema:", err)
			}
		}()
		dbURL, err := withSearchPath(o.postgresURL, schema)
		if err != nil {
			return row, err
		}
		env = append(env, "LIFTOFF_DATABASE_URL="+dbURL, "LIFTOFF_NATS_URL="+o.natsURL,
			"LIFTOFF_NATS_PREFIX=lb"+strings.ToLower(chat.RandomString(8))+".")
	}
	targets, stop, err := startInstances(ctx, exe, d.instances, env)
	if err != nil {
		return row, err
	}
	defer stop()
	t0 := targets[0]

	start := time.Now()
	posters, err := t0.seed(ctx, o.posters, "poster", true)
	if err != nil {
		return row, err
	}
	members, err := t0.seed(ctx, o.members, "member", true)
	if err != nil {
		return row, err
	}
	admin, err := t0.restLogin(ctx, "admin", "admin-pass-1")
	if err != nil {
		return row, err
	}
	var rooms []string
	for i := range o.rooms {
		var usernames []string
		for j := i; j < o.posters; j += o.rooms {
			usernames = append(usernames, "poster"+strconv.Itoa(j))
		}
		var res struct {
			Channel struct {
				ID string `json:"_id"`
			} `json:"channel"`
		}
		if err := t0.post(ctx, admin, "/api/v1/channels.create", map[string]any{"name": fmt.Sprintf("bench-%d", i), "members": usernames}, &res); err != nil {
			return row, err
		}
		rooms = append(rooms, res.Channel.ID)
	}
	fmt.Printf("seeded %d posters, %d members and %d rooms in %s\n", len(posters), len(members), len(rooms), time.Since(start).Round(time.Millisecond))

	row.oneRoom = postFlat(ctx, targets, posters, func(int) string { return "GENERAL" }, o.duration)
	fmt.Printf("posting into #general: %d posts in %s = %.0f/s, %d failed; REST p50 %s p99 %s\n",
		row.oneRoom.posts, row.oneRoom.elapsed.Round(time.Millisecond), row.oneRoom.rate(), row.oneRoom.errs, pct(row.oneRoom.lat, 50), pct(row.oneRoom.lat, 99))
	row.manyRooms = postFlat(ctx, targets, posters, func(w int) string { return rooms[w%len(rooms)] }, o.duration)
	fmt.Printf("posting into %d rooms: %d posts in %s = %.0f/s, %d failed; REST p50 %s p99 %s; CPU in cores: %s\n",
		len(rooms), row.manyRooms.posts, row.manyRooms.elapsed.Round(time.Millisecond), row.manyRooms.rate(), row.manyRooms.errs,
		pct(row.manyRooms.lat, 50), pct(row.manyRooms.lat, 99), row.manyRooms.cpu.cores(row.manyRooms.elapsed))

	row.fan, err = spreadFanout(ctx, targets, members, admin, o)
	if err != nil {
		return row, err
	}
	f := row.fan
	fmt.Printf("fan-out: %d posts to %d members spread over %d instance(s), %d failed; delivered %d of %d; latency p50 %s p90 %s p99 %s max %s\n",
		f.posts, f.members, len(targets), f.errs, len(f.lat), f.want, pct(f.lat, 50), pct(f.lat, 90), pct(f.lat, 99), pct(f.lat, 100))
	return row, nil
}

// startInstances runs n servers (this binary with -child), each with its
// own data directory and the given environment, and waits until all are
// ready. They start at the same moment, as a deployment's replicas do.
func startInstances(ctx context.Context, exe string, n int, env []string) ([]*target, func(), error) {
	var cmds []*exec.Cmd
	var dirs []string
	stop := func() {
		var wg sync.WaitGroup
		for _, c := range cmds {
			wg.Add(1)
			go func() { defer wg.Done(); stopChild(c) }()
		}
		wg.Wait()
		for _, d := range dirs {
			os.RemoveAll(d)
		}
	}
	targets := make([]*target, n)
	errs := make([]error, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		dir, err := os.MkdirTemp("", "liftoff-load-*")
		if err != nil {
			stop()
			return nil, nil, err
		}
		dirs = append(dirs, dir)
		cmd := exec.Command(exe, "-child", "-data", dir)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			stop()
			return nil, nil, err
		}
		if err := cmd.Start(); err != nil {
			stop()
			return nil, nil, err
		}
		mu.Lock()
		cmds = append(cmds, cmd)
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				errs[i] = fmt.Errorf("instance %d did not start: %w", i, err)
				return
			}
			var addr, ctl string
			if _, err := fmt.Sscanf(line, "server %s control %s", &addr, &ctl); err != nil {
				errs[i] = fmt.Errorf("instance %d said %q", i, line)
				return
			}
			t := &target{pid: cmd.Process.Pid, base: "http://" + addr, ws: "ws://" + addr + "/websocket", ctl: "http://" + ctl,
				http: &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
			errs[i] = t.waitReady(ctx)
			targets[i] = t
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			stop()
			return nil, nil, err
		}
	}
	return targets, stop, nil
}

// postFlat posts with every poster as fast as it can for d, poster w
// through instance w mod n into room(w), and returns what went through.
func postFlat(ctx context.Context, targets []*target, posters []cred, room func(w int) string, d time.Duration) throughput {
	var res throughput
	var mu sync.Mutex
	var wg sync.WaitGroup
	cpu0 := measureCPU(targets)
	start := time.Now()
	deadline := start.Add(d)
	for w, p := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := targets[w%len(targets)]
			h := http.Header{}
			h.Set("X-User-Id", p.id)
			h.Set("X-Auth-Token", p.token)
			h.Set("Content-Type", "application/json")
			var lat []int64
			posts, errs := 0, 0
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				body, _ := json.Marshal(map[string]any{"message": map[string]any{"rid": room(w), "msg": fmt.Sprintf("throughput %d %d", w, i)}})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/chat.sendMessage", bytes.NewReader(body))
				req.Header = h.Clone()
				t0 := time.Now()
				r, err := t.http.Do(req)
				if err == nil {
					_, _ = bytes.NewBuffer(nil).ReadFrom(r.Body)
					r.Body.Close()
				}
				if err != nil || r.StatusCode != http.StatusOK {
					errs++
					continue
				}
				posts++
				lat = append(lat, int64(time.Since(t0)))
			}
			mu.Lock()
			res.posts += posts
			res.errs += errs
			res.lat = append(res.lat, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.cpu = measureCPU(targets).since(cpu0)
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res
}

// spreadFanout connects the members over DDP, member i to instance i mod
// n, each following #general; posts o.rate messages a second for
// o.duration through the instances in turn; and measures the latency from
// each post to its delivery at every member.
func spreadFanout(ctx context.Context, targets []*target, members []cred, admin http.Header, o options) (delivery, error) {
	count := o.rate * int(o.duration/time.Second)
	res := delivery{posts: count, members: len(members), want: count * len(members)}
	sent := make([]atomic.Int64, count)
	samples := make([][]int64, len(members))
	var delivered atomic.Int64

	conns := make([]*ddpConn, len(members))
	var cwg sync.WaitGroup
	var cerr atomic.Value
	next := make(chan int)
	for range o.workers {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			for i := range next {
				cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				c, err := dialDDP(cctx, targets[i%len(targets)].ws)
				if err == nil {
					if err = c.login(cctx, members[i].token); err == nil {
						err = c.sub(cctx, "stream-room-messages", "GENERAL", false)
					}
					if err != nil {
						c.close()
					}
				}
				cancel()
				if err != nil {
					cerr.CompareAndSwap(nil, fmt.Errorf("member %d: %w", i, err))
					continue
				}
				conns[i] = c
			}
		}()
	}
	for i := range members {
		next <- i
	}
	close(next)
	cwg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.close()
			}
		}
	}()
	if err, _ := cerr.Load().(error); err != nil {
		return res, err
	}

	var readers sync.WaitGroup
	for i, c := range conns {
		readers.Add(1)
		go func() {
			defer readers.Done()
			c.readAll(func(frame []byte, at time.Time) {
				idx := benchIndex(frame)
				if idx < 0 || idx >= count {
					return
				}
				if s := sent[idx].Load(); s > 0 {
					samples[i] = append(samples[i], at.UnixNano()-s)
					delivered.Add(1)
				}
			})
		}()
	}

	jobs := make(chan int, 64)
	var posters sync.WaitGroup
	var errs atomic.Int64
	for range 8 {
		posters.Add(1)
		go func() {
			defer posters.Done()
			for i := range jobs {
				t := targets[i%len(targets)]
				body, _ := json.Marshal(map[string]any{"message": map[string]any{"rid": "GENERAL", "msg": "bench " + strconv.Itoa(i)}})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/chat.sendMessage", bytes.NewReader(body))
				req.Header = admin.Clone()
				sent[i].Store(time.Now().UnixNano())
				r, err := t.http.Do(req)
				if err != nil || r.StatusCode != http.StatusOK {
					errs.Add(1)
				}
				if r != nil {
					r.Body.Close()
				}
			}
		}()
	}
	interval := time.Second / time.Duration(o.rate)
	start := time.Now()
	for i := range count {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			select {
			case <-ctx.Done():
				close(jobs)
				return res, ctx.Err()
			case <-time.After(d):
			}
		}
		jobs <- i
	}
	close(jobs)
	posters.Wait()
	last, moved := delivered.Load(), time.Now()
	for delivered.Load() < int64(res.want) && time.Since(moved) < 5*time.Second {
		time.Sleep(50 * time.Millisecond)
		if d := delivered.Load(); d != last {
			last, moved = d, time.Now()
		}
	}
	for _, c := range conns {
		c.close()
	}
	conns = nil
	readers.Wait()
	res.errs = int(errs.Load())
	for _, s := range samples {
		res.lat = append(res.lat, s...)
	}
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res, nil
}

// post calls a REST endpoint with the given auth headers and decodes the
// answer into out.
func (t *target) post(ctx context.Context, h http.Header, path string, body, out any) error {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, t.base+path, bytes.NewReader(b))
	req.Header = h.Clone()
	res, err := t.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, res.StatusCode, buf.Bytes())
	}
	return json.Unmarshal(buf.Bytes(), out)
}

// pgExec runs one statement on a connection of its own.
func pgExec(ctx context.Context, connString, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, connString)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

// withSearchPath returns the URL with search_path set to schema.
func withSearchPath(u, schema string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("postgres url: %w", err)
	}
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String(), nil
}

// redact hides a URL's password.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// cpuUse is CPU time by who spent it: the Liftoff instances, PostgreSQL's
// processes, nats-server, and this load generator.
type cpuUse struct{ servers, postgres, nats, self time.Duration }

// cpuColumns names cpuUse's figures, in the order cores prints them.
const cpuColumns = "instances / PostgreSQL / NATS / load generator"

// measureCPU reads the CPU time used so far by the instances, and by
// every postgres and nats-server process on the machine, from /proc.
func measureCPU(targets []*target) cpuUse {
	var u cpuUse
	for _, t := range targets {
		u.servers += cpuTime(t.pid)
	}
	u.self = cpuTime(os.Getpid())
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		switch strings.TrimSpace(string(comm)) {
		case "postgres":
			u.postgres += cpuTime(pid)
		case "nats-server":
			u.nats += cpuTime(pid)
		}
	}
	return u
}

// since returns the CPU used between before and u. Processes that ended
// meanwhile (PostgreSQL backends) are not counted.
func (u cpuUse) since(before cpuUse) cpuUse {
	return cpuUse{u.servers - before.servers, max(0, u.postgres-before.postgres), max(0, u.nats-before.nats), u.self - before.self}
}

// cores formats the CPU used over d as cores.
func (u cpuUse) cores(d time.Duration) string {
	c := func(t time.Duration) string { return strconv.FormatFloat(t.Seconds()/d.Seconds(), 'f', 2, 64) }
	return c(u.servers) + " / " + c(u.postgres) + " / " + c(u.nats) + " / " + c(u.self)
}
