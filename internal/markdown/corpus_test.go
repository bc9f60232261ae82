package markdown

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The differential tests run every corpus input through the Go parser with
// every option set below and compare the JSON with the npm parser's output,
// either the committed golden file or a live run of testdata/npm/parse.mjs.

// fixedNow is the clock both parsers use in tests (parse.mjs's default).
var fixedNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

type optionSet struct {
	name string
	opts Options
	js   map[string]any // the same options as the npm parser takes them
}

var optionSets = []optionSet{
	{name: "default", js: map[string]any{}},
	{
		// What Rocket.Chat's server passes with KaTeX fully enabled.
		name: "server",
		opts: Options{
			Colors:        true,
			Emoticons:     true,
			Katex:         &KatexOptions{DollarSyntax: true, ParenthesisSyntax: true},
			CustomDomains: []string{"intranet", "corp.example"},
		},
		js: map[string]any{
			"colors":        true,
			"emoticons":     true,
			"katex":         map[string]any{"dollarSyntax": true, "parenthesisSyntax": true},
			"customDomains": []string{"intranet", "corp.example"},
		},
	},
	{
		// Rocket.Chat's defaults: colors, emoticons, \( \) and \[ \] only.
		name: "defaults",
		opts: Options{
			Colors:    true,
			Emoticons: true,
			Katex:     &KatexOptions{ParenthesisSyntax: true},
		},
		js: map[string]any{
			"colors":        true,
			"emoticons":     true,
			"katex":         map[string]any{"dollarSyntax": false, "parenthesisSyntax": true},
			"customDomains": []string{},
		},
	},
}

func (o optionSet) goOptions() Options {
	opts := o.opts
	opts.Now = func() time.Time { return fixedNow }
	opts.Location = time.UTC
	return opts
}

const (
	corpusDir      = "testdata/corpus"
	handwrittenTxt = "handwritten.txt"
	generatedTxt   = "generated.txt"
	expectedJSONL  = "expected.jsonl"
	npmDir         = "testdata/npm"
)

// readCorpusFile reads a corpus file: one JSON string per line; blank lines
// and lines starting with "#" are ignored.
func readCorpusFile(t testing.TB, path string) []string {
	t.Helper()
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var inputs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var s string
		if err := json.Unmarshal([]byte(text), &s); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		inputs = append(inputs, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return inputs
}

// corpus returns the hand-written and generated inputs, without duplicates.
func corpus(t testing.TB) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, name := range []string{handwrittenTxt, generatedTxt} {
		for _, s := range readCorpusFile(t, filepath.Join(corpusDir, name)) {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// npmCase is one input of parse.mjs; npmResult one output.
type npmCase struct {
	Input   string         `json:"input"`
	Options map[string]any `json:"options"`
}

type npmResult struct {
	MD    json.RawMessage `json:"md,omitempty"`
	Error string          `json:"error,omitempty"`
}

// npmAvailable reports whether the npm parser can be run here.
func npmAvailable() (string, bool) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(filepath.Join(npmDir, "node_modules", "@rocket.chat", "message-parser")); err != nil {
		return "", false
	}
	return node, true
}

// runNPM runs parse.mjs over the cases.
func runNPM(t testing.TB, node string, cases []npmCase) []npmResult {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "parse.mjs")
	cmd.Dir = npmDir
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("parse.mjs: %v\n%s", err, stderr.String())
	}
	var results []npmResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("parse.mjs output: %v", err)
	}
	if len(results) != len(cases) {
		t.Fatalf("parse.mjs returned %d results for %d cases", len(results), len(cases))
	}
	return results
}

// goResult is the Go parser's answer in parse.mjs's shape.
func goResult(input string, opts Options) npmResult {
	nodes := Parse(input, opts)
	if nodes == nil {
		return npmResult{Error: "syntax error"}
	}
	return npmResult{MD: AppendJSON(nil, nodes)}
}

// sameJSON compares two JSON documents by value.
func sameJSON(a, b []byte) bool {
	var x, y any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// sameResult compares a Go result with an npm result: equal trees, or both
// an error (the messages differ by design).
func sameResult(got, want npmResult) bool {
	if want.Error != "" || got.Error != "" {
		return want.Error != "" && got.Error != ""
	}
	return sameJSON(got.MD, want.MD)
}

// goldenLine is one line of expected.jsonl: an input and, per option set,
// the npm parser's tree or {"error": message}.
type goldenLine struct {
	Input   string                     `json:"input"`
	Results map[string]json.RawMessage `json:"results"`
}

func (g goldenLine) result(set string) (npmResult, bool) {
	raw, ok := g.Results[set]
	if !ok {
		return npmResult{}, false
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		return npmResult{MD: raw}, true
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Error == "" {
		return npmResult{}, false
	}
	return npmResult{Error: e.Error}, true
}

func readGolden(t testing.TB) []goldenLine {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, expectedJSONL))
	if err != nil {
		t.Fatal(err)
	}
	var lines []goldenLine
	for i, raw := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		var g goldenLine
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s:%d: %v", expectedJSONL, i+1, err)
		}
		lines = append(lines, g)
	}
	return lines
}

// diffReport collects mismatches and prints the first few.
type diffReport struct {
	t         testing.TB
	total, ok int
	shown     int
}

func (r *diffReport) check(set, input string, got, want npmResult) {
	r.total++
	if sameResult(got, want) {
		r.ok++
		return
	}
	if r.shown < 15 {
		r.shown++
		r.t.Errorf("options %s, input %q:\n got: %s %s\nwant: %s %s", set, input, got.MD, got.Error, want.MD, want.Error)
	}
}

func (r *diffReport) summary(what string) string {
	return fmt.Sprintf("%d of %d %s identical", r.ok, r.total, what)
}
