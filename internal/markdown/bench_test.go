package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// realisticMessage builds a message of exactly n characters (code points)
// that looks like chat traffic: prose with emphasis, links, mentions, emoji,
// code and a list, repeated.
func realisticMessage(n int) string {
	parts := []string{
		"Hey @maria.silva, the deploy for **release 7.4** is done :tada: ",
		"see https://ci.example.com/builds/4521 and the notes at [changelog](https://docs.rocket.chat/changes#v7) ",
		"— ping #ops-team if the `healthz` probe flaps again. ",
		"_Reminder_: the ~~old~~ new endpoint is `/api/v1/chat.sendMessage` 👍 ",
		"I measured p99 = 120ms vs 95ms yesterday, not great :) ",
		"Mail support@example.com or call +5511999999999 for the vendor. ",
		"\n> quoted from the incident channel: *restart the pods first*\n",
		"- check the dashboards\n- roll back if errors > 1%\n",
		"```go\nfunc main() { fmt.Println(\"hello\") }\n```\n",
		"Thanks everyone! 🎉 Let's sync <t:1735725600:R> on www.example.org.\n",
	}
	var b strings.Builder
	for k := 0; utf8.RuneCountInString(b.String()) < n; k++ {
		b.WriteString(parts[k%len(parts)])
	}
	runes := []rune(b.String())
	return string(runes[:n])
}

// BenchmarkParse5000 parses a realistic 5,000-character message with the
// options Rocket.Chat's server uses. Besides wall time it reports the CPU
// time the process spent per parse (garbage collection included), which is
// steadier than wall time on a busy machine.
func BenchmarkParse5000(b *testing.B) {
	msg := realisticMessage(5000)
	if n := utf8.RuneCountInString(msg); n != 5000 {
		b.Fatalf("message has %d characters, want 5000", n)
	}
	opts := optionSets[1].goOptions()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		Parse(msg, opts)
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}
