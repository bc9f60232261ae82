package web_test

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/web"
)

// initialBudget is the most compressed JavaScript and CSS that the first
// page load may fetch (issue 6: under 150 KB).
const initialBudget = 150 * 1024

var (
	// assetRe finds what index.html loads: scripts, stylesheets and
	// module preloads.
	assetRe = regexp.MustCompile(`<(?:script[^>]*\ssrc|link[^>]*\shref)="(/assets/[^"]+\.(?:js|css))"`)
	// staticImportRe finds a chunk's static imports (dynamic import()
	// calls load later, on demand, and are not part of the first load).
	staticImportRe = regexp.MustCompile(`(?:\bimport|\bfrom)\s*["'](\./[^"']+\.js)["']`)
)

func assetRefs(page string) []string {
	var out []string
	for _, m := range assetRe.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestInitialLoadBudget sums the gzip sizes of everything index.html makes
// the browser fetch before the app can run, following static imports.
func TestInitialLoadBudget(t *testing.T) {
	t.Parallel()
	dist := web.Dist()
	page, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		t.Fatalf("index.html: %v (run make web)", err)
	}
	queue := assetRefs(string(page))
	seen := map[string]bool{}
	total := 0
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		name := strings.TrimPrefix(ref, "/")
		b, err := fs.ReadFile(dist, name)
		if err != nil {
			t.Fatalf("%s is named but missing: %v", ref, err)
		}
		size := gzipSize(t, b)
		t.Logf("%-40s %7d bytes gzip", ref, size)
		total += size
		if strings.HasSuffix(name, ".js") {
			for _, m := range staticImportRe.FindAllStringSubmatch(string(b), -1) {
				queue = append(queue, "/"+path.Join(path.Dir(name), m[1]))
			}
		}
	}
	t.Logf("initial load: %d bytes gzip (budget %d)", total, initialBudget)
	if total == 0 {
		t.Fatal("index.html loads no JavaScript or CSS")
	}
	if total > initialBudget {
		t.Fatalf("initial load is %d bytes gzip, over the %d budget", total, initialBudget)
	}
}
