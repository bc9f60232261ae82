package markdown

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata/corpus/generated.txt and expected.jsonl (needs node and testdata/npm/node_modules)")

// TestGolden checks the Go parser against the npm parser's committed
// outputs for every corpus input and option set. With -update it first
// regenerates the generated corpus and the golden file.
func TestGolden(t *testing.T) {
	if *update {
		writeGeneratedCorpus(t)
		writeGolden(t)
	}
	golden := readGolden(t)
	inputs := corpus(t)
	if len(golden) != len(inputs) {
		t.Fatalf("%s has %d lines for %d inputs; run go test ./internal/markdown -run TestGolden -update", expectedJSONL, len(golden), len(inputs))
	}
	r := &diffReport{t: t}
	identical := 0
	for k, g := range golden {
		if g.Input != inputs[k] {
			t.Fatalf("%s line %d is for another input; run go test ./internal/markdown -run TestGolden -update", expectedJSONL, k+1)
		}
		before := r.ok
		for _, set := range optionSets {
			want, ok := g.result(set.name)
			if !ok {
				t.Fatalf("%s line %d has no result for options %q; run go test ./internal/markdown -run TestGolden -update", expectedJSONL, k+1, set.name)
			}
			r.check(set.name, g.Input, goResult(g.Input, set.goOptions()), want)
		}
		if r.ok-before == len(optionSets) {
			identical++
		}
	}
	summary := fmt.Sprintf("golden: %d inputs identical (of %d, each under %d option sets; %s)", identical, len(inputs), len(optionSets), r.summary("results"))
	t.Log(summary)
	fmt.Println(summary)
}

// writeGolden runs the npm parser over the corpus and writes expected.jsonl.
func writeGolden(t *testing.T) {
	node, ok := npmAvailable()
	if !ok {
		t.Fatal("-update needs node and testdata/npm/node_modules (run npm ci there)")
	}
	inputs := corpus(t)
	var cases []npmCase
	for _, in := range inputs {
		for _, o := range optionSets {
			cases = append(cases, npmCase{Input: in, Options: o.js})
		}
	}
	results := runNPM(t, node, cases)
	var buf bytes.Buffer
	for k, in := range inputs {
		g := goldenLine{Input: in, Results: map[string]json.RawMessage{}}
		for j, o := range optionSets {
			res := results[k*len(optionSets)+j]
			if res.Error != "" {
				raw, _ := json.Marshal(map[string]string{"error": res.Error})
				g.Results[o.name] = raw
			} else {
				g.Results[o.name] = res.MD
			}
		}
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(g); err != nil {
			t.Fatal(err)
		}
		// Keep one input per line for line-oriented tools: JSON may carry
		// U+2028 and U+2029 raw, so escape them.
		out := bytes.ReplaceAll(line.Bytes(), []byte("\u2028"), []byte(`\u2028`))
		out = bytes.ReplaceAll(out, []byte("\u2029"), []byte(`\u2029`))
		buf.Write(out)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, expectedJSONL), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDifferentialNPM runs the npm parser live over the corpus and compares
// its output with the Go parser's. It needs node and testdata/npm/node_modules
// (CI runs npm ci there first); without them, or with -short, it skips,
// unless LIFTOFF_REQUIRE_NPM=1, when it runs or fails. It regenerates
// nothing.
//
// MARKDOWN_DIFF_INPUTS names an extra corpus-format file to compare as well,
// which is handy while investigating a difference.
func TestDifferentialNPM(t *testing.T) {
	required := os.Getenv("LIFTOFF_REQUIRE_NPM") == "1"
	if testing.Short() && !required {
		t.Skip("-short: the golden file covers the same inputs")
	}
	node, ok := npmAvailable()
	if !ok {
		if required {
			t.Fatal("LIFTOFF_REQUIRE_NPM=1 but node or testdata/npm/node_modules is missing (run npm ci in internal/markdown/testdata/npm)")
		}
		t.Skip("node or testdata/npm/node_modules missing; run npm ci in testdata/npm to enable")
	}
	inputs := corpus(t)
	if extra := os.Getenv("MARKDOWN_DIFF_INPUTS"); extra != "" {
		inputs = append(readCorpusFile(t, extra), inputs...)
	}
	var cases []npmCase
	var sets []optionSet
	for _, in := range inputs {
		for _, o := range optionSets {
			cases = append(cases, npmCase{Input: in, Options: o.js})
			sets = append(sets, o)
		}
	}
	results := runNPM(t, node, cases)
	r := &diffReport{t: t}
	identical := 0
	for k := 0; k < len(cases); k += len(optionSets) {
		before := r.ok
		for j := k; j < k+len(optionSets); j++ {
			r.check(sets[j].name, cases[j].Input, goResult(cases[j].Input, sets[j].goOptions()), results[j])
		}
		if r.ok-before == len(optionSets) {
			identical++
		}
	}
	summary := fmt.Sprintf("npm live: %d inputs identical (of %d, each under %d option sets; %s)", identical, len(inputs), len(optionSets), r.summary("results"))
	t.Log(summary)
	fmt.Println(summary)
}
