package ddp_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden frames in testdata")

// normalizer replaces what changes from run to run (ids, dates, tokens)
// with stable placeholders, so that a frame can be compared with its
// golden copy.
type normalizer struct {
	names map[string]string // value → placeholder
	order []string
}

func newNormalizer() *normalizer { return &normalizer{names: map[string]string{}} }

// name registers a known value (a user id, a room id) under a placeholder.
func (n *normalizer) name(value, placeholder string) {
	n.names[value] = "<" + placeholder + ">"
	n.order = append(n.order, value)
}

var idLike = regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$`)

func (n *normalizer) value(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["$date"]; ok && len(x) == 1 {
			return map[string]any{"$date": "<date>"}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = n.value(k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.value(key, e)
		}
		return out
	case string:
		for _, known := range n.order {
			if strings.Contains(x, known) {
				x = strings.ReplaceAll(x, known, n.names[known])
			}
		}
		if idLike.MatchString(x) {
			return "<id>"
		}
		if key == "session" {
			return "<session>"
		}
		return x
	}
	return v
}

// normalize returns the frame, normalized and indented with sorted keys.
func (n *normalizer) normalize(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("frame is not JSON: %s", raw)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(n.value("", v)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares frames (normalized) with testdata/<name>.json, or
// rewrites it with -update.
func golden(t *testing.T, n *normalizer, name string, frames ...[]byte) {
	t.Helper()
	var buf bytes.Buffer
	for _, f := range frames {
		buf.Write(n.normalize(t, f))
	}
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s (run with -update to create it): %v", path, err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("frames differ from %s\n--- got\n%s\n--- want\n%s", path, buf.Bytes(), want)
	}
}

// keysOf lists a JSON object's keys in order, for shape assertions.
func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
