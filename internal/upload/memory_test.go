package upload_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// TestMemory uploads and downloads a large file (500 MiB by default)
// through each storage type against a real server running as a child
// process, and checks that the server's resident memory grows by less than
// 64 MiB while doing so. It takes a minute or two, so it runs only when
// asked:
//
//	LIFTOFF_MEMORY_TEST=1 go test -run TestMemory -v -timeout 30m ./internal/upload/
//
// LIFTOFF_MEMORY_TEST_MB changes the file size.
func TestMemory(t *testing.T) {
	if os.Getenv("LIFTOFF_MEMORY_TEST") == "" {
		t.Skip("set LIFTOFF_MEMORY_TEST=1 to measure the server's memory during a 500 MiB transfer")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	size := int64(500 << 20)
	if mb, err := strconv.Atoi(os.Getenv("LIFTOFF_MEMORY_TEST_MB")); err == nil && mb > 0 {
		size = int64(mb) << 20
	}
	const limit = 64 << 20
	bin := filepath.Join(t.TempDir(), "liftoff")
	build := exec.Command("go", "build", "-o", bin, "./cmd/liftoff")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	// The S3 store runs in this process, so its memory is not counted.
	s3 := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer s3.Close()
	mc, err := minio.New(strings.TrimPrefix(s3.URL, "http://"), &minio.Options{Creds: credentials.NewStaticV4("k", "s", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.MakeBucket(context.Background(), "bench", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	storages := []struct {
		name string
		env  map[string]string
	}{
		{"GridFS (SQLite)", map[string]string{"FileUpload_Storage_Type": "GridFS"}},
		{"FileSystem", map[string]string{"FileUpload_Storage_Type": "FileSystem"}},
		{"AmazonS3", map[string]string{"FileUpload_Storage_Type": "AmazonS3", "FileUpload_S3_Bucket": "bench",
			"FileUpload_S3_BucketURL": s3.URL, "FileUpload_S3_ForcePathStyle": "true", "FileUpload_S3_AWSAccessKeyId": "k",
			"FileUpload_S3_AWSSecretAccessKey": "s", "FileUpload_S3_Region": "us-east-1"}},
	}
	if u := os.Getenv("LIFTOFF_TEST_POSTGRES_URL"); u != "" && os.Getenv("LIFTOFF_MEMORY_TEST_POSTGRES") != "" {
		storages = append(storages, struct {
			name string
			env  map[string]string
		}{"GridFS (PostgreSQL)", map[string]string{"FileUpload_Storage_Type": "GridFS", "LIFTOFF_DATABASE_URL": freshSchema(t, u)}})
	}
	t.Logf("| storage | file | upload | download | RSS before | peak growth (upload) | peak growth (download) |")
	t.Logf("|---|---|---|---|---|---|---|")
	for _, st := range storages {
		srv := startServer(t, bin, st.env)
		base := srv.rss()
		mon := srv.monitor()
		start := time.Now()
		id, name := srv.upload(t, size)
		upTime, upPeak := time.Since(start), mon.stop()
		mon = srv.monitor()
		start = time.Now()
		srv.download(t, id, name, size)
		downTime, downPeak := time.Since(start), mon.stop()
		srv.stop()
		t.Logf("| %s | %d MiB | %.1fs (%.0f MiB/s) | %.1fs (%.0f MiB/s) | %.1f MiB | %.1f MiB | %.1f MiB |", st.name, size>>20,
			upTime.Seconds(), float64(size>>20)/upTime.Seconds(), downTime.Seconds(), float64(size>>20)/downTime.Seconds(),
			mib(base), mib(upPeak-base), mib(downPeak-base))
		if upPeak-base > limit || downPeak-base > limit {
			t.Errorf("%s: resident memory grew by more than %d MiB", st.name, limit>>20)
		}
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// server is a liftoff process.
type server struct {
	cmd          *exec.Cmd
	base         string
	uid, token   string
	stopOnce     sync.Once
	stopped      chan struct{}
	transferPeak atomic.Int64
}

func startServer(t *testing.T, bin string, settings map[string]string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "LIFTOFF_DATA_DIR="+dir, "BIND_IP=127.0.0.1", "PORT="+strconv.Itoa(port),
		"ADMIN_USERNAME=admin", "ADMIN_PASS=admin-pass-1", "ADMIN_EMAIL=admin@example.com",
		"OVERWRITE_SETTING_FileUpload_MaxFileSize=-1", "OVERWRITE_SETTING_FileUpload_FileSystemPath="+filepath.Join(dir, "files"))
	for k, v := range settings {
		if strings.HasPrefix(k, "LIFTOFF_") {
			cmd.Env = append(cmd.Env, k+"="+v)
		} else {
			cmd.Env = append(cmd.Env, "OVERWRITE_SETTING_"+k+"="+v)
		}
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), stopped: make(chan struct{})}
	go func() { cmd.Wait(); close(s.stopped) }()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server not ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	body, _ := json.Marshal(map[string]string{"user": "admin", "password": "admin-pass-1"})
	resp, err := http.Post(s.base+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct {
		Data struct{ UserID, AuthToken string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil || login.Data.AuthToken == "" {
		t.Fatalf("login: %v", err)
	}
	s.uid, s.token = login.Data.UserID, login.Data.AuthToken
	// A small upload and download first, so that the baseline includes
	// what every transfer sets up once (pools, caches, statements).
	id, name := s.upload(t, 1<<20)
	s.download(t, id, name, 1<<20)
	runtime.GC()
	time.Sleep(200 * time.Millisecond)
	return s
}

func (s *server) stop() {
	s.stopOnce.Do(func() {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.stopped:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
		}
	})
}

// rss reads the server's resident set size.
func (s *server) rss() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// monitor samples the server's RSS until stopped and returns the peak.
type monitor struct {
	done chan struct{}
	peak chan int64
}

func (s *server) monitor() *monitor {
	m := &monitor{done: make(chan struct{}), peak: make(chan int64, 1)}
	go func() {
		var peak int64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, s.rss())
			select {
			case <-m.done:
				m.peak <- max(peak, s.rss())
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *monitor) stop() int64 {
	close(m.done)
	return <-m.peak
}

// pattern is an endless reader of bytes that are not all alike.
type pattern struct{ n int64 }

func (p *pattern) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(p.n*31 + p.n>>12)
		p.n++
	}
	return len(b), nil
}

// upload streams size bytes through rooms.media without holding them.
func (s *server) upload(t *testing.T, size int64) (id, name string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err == nil {
			_, err = io.CopyN(fw, &pattern{}, size)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/v1/rooms.media/GENERAL", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-User-Id", s.uid)
	req.Header.Set("X-Auth-Token", s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		File struct {
			ID  string `json:"_id"`
			URL string `json:"url"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.File.ID == "" {
		t.Fatalf("upload: %d %v", resp.StatusCode, err)
	}
	return out.File.ID, out.File.URL
}

// download reads the file back, checking its length and bytes.
func (s *server) download(t *testing.T, id, url string, size int64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+url, nil)
	req.Header.Set("X-User-Id", s.uid)
	req.Header.Set("X-Auth-Token", s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	want := &pattern{}
	buf, exp := make([]byte, 64<<10), make([]byte, 64<<10)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		if k > 0 {
			want.Read(exp[:k])
			if !bytes.Equal(buf[:k], exp[:k]) {
				t.Fatalf("download of %s differs at byte %d", id, n)
			}
			n += int64(k)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if resp.StatusCode != 200 || n != size {
		t.Fatalf("download: %d, %d bytes of %d", resp.StatusCode, n, size)
	}
}

// freshSchema creates a schema for the server and returns the URL that
// selects it; the schema is dropped when the test ends.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	schema := "lt_mem_" + strings.ToLower(chat.RandomString(8))
	run := func(sql string) {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	run("CREATE SCHEMA " + schema)
	t.Cleanup(func() { run("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
