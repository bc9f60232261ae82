package hookscript_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// deployScript is a Rocket.Chat script of the usual kind, leaning on the
// three libraries the sandbox offers.
const deployScript = `
class Script {
  process_incoming_request({ request }) {
    const d = request.content;
    const started = moment.utc(d.started_at);
    const finished = moment.utc(d.finished_at);
    const hosts = _.pluck(d.targets, 'host');
    const lines = _.map(_.sortBy(d.targets, 'host'), (t) => '- ' + t.host + ': ' + s.capitalize(s.trim(t.status), true));
    return {
      content: {
        text: s.capitalize(s.trim(d.service)) + ' ' + d.version + ' deployed to ' + hosts.length + ' hosts on ' +
          started.format('dddd, MMMM Do YYYY [at] HH:mm') + ' UTC, in ' + moment.duration(finished.diff(started)).humanize() +
          '\n' + lines.join('\n'),
        attachments: [{ title: s.truncate(d.notes, 20), ts: finished.toDate() }],
      },
    };
  }
}
`

func TestScriptUsesLibraries(t *testing.T) {
	e := hookscript.New(hookscript.Options{})
	payload := map[string]any{
		"service":     "  checkout ",
		"version":     "v2.4.1",
		"started_at":  "2024-05-01T10:58:00+02:00",
		"finished_at": "2024-05-01T09:21:30Z",
		"notes":       "Rolls out the new payment form to everyone",
		"targets": []any{
			map[string]any{"host": "web-2", "status": " HEALTHY"},
			map[string]any{"host": "web-1", "status": "degraded  "},
		},
	}
	res, err := e.ProcessIncoming(context.Background(), "deploys", deployScript, incomingRequest(payload))
	if err != nil {
		t.Fatalf("ProcessIncoming: %v", err)
	}
	want := map[string]any{
		"text": "Checkout v2.4.1 deployed to 2 hosts on Wednesday, May 1st 2024 at 08:58 UTC, in 24 minutes\n" +
			"- web-1: Degraded\n- web-2: Healthy",
		"attachments": []any{map[string]any{"title": "Rolls out the new...", "ts": "2024-05-01T09:21:30.000Z"}},
	}
	if !reflect.DeepEqual(res.Content, want) {
		t.Errorf("content:\n got %#v\nwant %#v", res.Content, want)
	}
}

// libraryKinds returns typeof of each library's global without naming
// any of them in the source, so that none is loaded on its account.
const libraryKinds = `
function kindOf(...codes) { return typeof global[String.fromCharCode(...codes)]; }
function libraryKinds() { return [kindOf(95), kindOf(115), kindOf(109, 111, 109, 101, 110, 116)]; }
`

func TestLibrariesLoadOnlyWhenMentioned(t *testing.T) {
	tests := []struct {
		name, body string
		want       []any // typeof _, s, moment
	}{
		{"none", ``, []any{"undefined", "undefined", "undefined"}},
		{"underscore", `_.noop();`, []any{"function", "undefined", "undefined"}},
		{"s", `s.trim(' x ');`, []any{"undefined", "object", "undefined"}},
		{"moment", `moment();`, []any{"undefined", "undefined", "function"}},
		{"all, through global", `global.moment; global['_']; global.s;`, []any{"function", "object", "function"}},
		{"a name in a comment counts", `/* wait a moment */`, []any{"undefined", "undefined", "function"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := libraryKinds + "class Script { process_incoming_request() { " + tt.body + " return { content: { kinds: libraryKinds() } }; } }"
			e := hookscript.New(hookscript.Options{})
			res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Content["kinds"], tt.want) {
				t.Errorf("typeof _, s, moment = %v, want %v", res.Content["kinds"], tt.want)
			}
		})
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		src, name string
		want      bool
	}{
		{"_.map(x, f)", "_", true},
		{"return _(list).first();", "_", true},
		{"(_, i) => i", "_", true}, // loads underscore for nothing, harmlessly
		{"const my_var = 1; $_ = 2; __proto__", "_", false},
		{"x = s.trim(y)", "s", true},
		{"const s = 'x';", "s", true},
		{"items.forEach(process); this.sessions", "s", false},
		{"momentum; moments; the_moment", "moment", false},
		{"global.moment()", "moment", true},
		{"moment", "moment", true},
		{"", "s", false},
	}
	for _, tt := range tests {
		if got := hookscript.Mentions(tt.src, tt.name); got != tt.want {
			t.Errorf("Mentions(%q, %q) = %v, want %v", tt.src, tt.name, got, tt.want)
		}
	}
}

// A script may declare a global of the same name as a library: the
// library sets a property of the global object, which a script's own
// top-level declaration may shadow.
func TestScriptDeclaresLibraryName(t *testing.T) {
	const src = `const s = 'mine';
let _ = [1, 2];
var moment = 'then';
class Script { process_incoming_request() { return { content: { text: s + ' ' + _.length + ' ' + moment } }; } }`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Content["text"]; got != "mine 2 then" {
		t.Errorf("text = %v, want %q", got, "mine 2 then")
	}
}

// TestStringHelpers pins s to what Rocket.Chat's stringUtils returns.
func TestStringHelpers(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`s.trim('  hi \n')`, "hi"},
		{`s.trim('--hi--', '-')`, "hi"},
		{`s.trim('xyhiyx', /[xy]/)`, "hi"},
		{`s.trim(null) + s.trim(0) + s.trim(undefined)`, ""},
		{`s.ltrim('  hi  ')`, "hi  "},
		{`s.ltrim('..a..', '.')`, "a.."},
		{`s.rtrim('  hi  ')`, "  hi"},
		{`s.rtrim('a]]', ']')`, "a"},
		{`s.capitalize('hello World')`, "Hello World"},
		{`s.capitalize('hELLO', true)`, "Hello"},
		{`s.truncate('this text has a few words', 9)`, "this t..."},
		{`s.truncate('this', 4)`, "this"},
		{`s.stripTags('<p>A <b>bold</b> <a href="/x">link</a></p>')`, "A bold link"},
		{`s.strLeft('user@example.com', '@')`, "user"},
		{`s.strLeft('abc', '')`, "abc"},
		{`s.strRight('a.b.c', '.')`, "b.c"},
		{`s.strRight('abc', 'x')`, "abc"},
		{`s.strRightBack('a.b.c', '.')`, "c"},
		{`s.numberFormat(1234567.891, 2)`, "1,234,567.89"},
		{`s.numberFormat(-1234.5, 1, ',', '.')`, "-1.234,5"},
		{`s.numberFormat(1000)`, "1,000"},
		{`s.numberFormat(NaN, 2) + s.numberFormat(null)`, ""},
		{`s.pad('7', 3, '0')`, "700"},
		{`s.pad('7', 3, '0', 'left')`, "007"},
		{`s.pad('ab', 5, '*-', 'both')`, "**ab*"},
		{`s.lrpad('ab', 6)`, "  ab  "},
		{`s.wildcardToRegex('build-?.*.log')`, `^build\-.\..*\.log$`},
		{`Object.keys(s).sort().join()`, "capitalize,lrpad,ltrim,numberFormat,pad,rtrim,strLeft,strRight,strRightBack,stripTags,trim,truncate,wildcardToRegex"},
	}
	var list strings.Builder
	for _, tt := range tests {
		fmt.Fprintf(&list, "%s,\n", tt.expr)
	}
	src := "class Script { process_incoming_request() { return { content: { got: [\n" + list.String() + "] } }; } }"
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Content["got"].([]any)
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("%s = %q, want %q", tt.expr, got[i], tt.want)
		}
	}
}

// moment's locales are there for scripts that switch locale, as they are
// in Rocket.Chat's sandbox, where moment loads them from its package.
func TestMomentLocales(t *testing.T) {
	const src = `class Script {
	  process_incoming_request() {
	    const t = moment.utc('2024-05-01T09:21:30Z');
	    return { content: {
	      de: t.clone().locale('de').format('dddd, D. MMMM YYYY'),
	      fr: t.clone().locale('fr').format('LL'),
	      ja: t.clone().locale('ja').format('MMMMDo'),
	      en: t.format('dddd, MMMM Do'),
	      fromNow: moment.duration(90, 'minutes').locale('es').humanize(),
	    } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"de": "Mittwoch, 1. Mai 2024", "fr": "1 mai 2024", "ja": "5月1日",
		"en": "Wednesday, May 1st", "fromNow": "2 horas",
	}
	if !reflect.DeepEqual(res.Content, want) {
		t.Errorf("content:\n got %#v\nwant %#v", res.Content, want)
	}

	// A locale set for the whole of moment stays within the integration.
	const setsGlobal = `moment.locale('de');
	class Script { process_incoming_request() { return { content: { text: moment.utc(0).format('MMMM') } }; } }`
	if res, err := e.ProcessIncoming(context.Background(), "i2", setsGlobal, incomingRequest(nil)); err != nil || res.Content["text"] != "Januar" {
		t.Errorf("after moment.locale('de'): (%v, %v), want Januar", res, err)
	}
	if res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil)); err != nil || res.Content["en"] != "Wednesday, May 1st" {
		t.Errorf("another integration: (%v, %v), want English", res, err)
	}

	// An unknown locale leaves English (moment warns on the console), a
	// locale loads only when asked for, and the machinery that loads it is
	// out of the script's sight.
	const unknown = `class Script { process_incoming_request() {
	  return { content: {
	    text: moment.utc(0).locale('zz-qq').format('MMMM'),
	    loaded: moment.locales().includes('de'),
	    hidden: [typeof module, typeof require, typeof exports],
	  } };
	} }`
	res, err = e.ProcessIncoming(context.Background(), "i3", unknown, incomingRequest(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"text": "January", "loaded": false, "hidden": []any{"undefined", "undefined", "undefined"}}; !reflect.DeepEqual(res.Content, want) {
		t.Errorf("unknown locale: %#v, want %#v", res.Content, want)
	}
}

// A script that keeps loading locales is still stopped at its timeout:
// moment catches what a failed load throws, but not the interruption.
func TestMomentLocalesKeepTimeout(t *testing.T) {
	e := hookscript.New(hookscript.Options{Timeout: 200 * time.Millisecond})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    while (request.content.spin) { moment.defineLocale('de', null); moment.utc(0).locale('de').format('LLLL'); }
	    return { content: { text: moment.utc(0).locale('de').format('MMMM') } };
	  }
	}`
	for range 5 {
		_, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"spin": true}))
		if !errors.Is(err, hookscript.ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
	}
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	if err != nil || res.Content["text"] != "Januar" {
		t.Errorf("next call = (%+v, %v), want text Januar", res, err)
	}
}

// Each library is compiled once per process, however many engines and
// integrations use it.
func TestLibrariesCompileOnce(t *testing.T) {
	const src = "class Script { process_incoming_request() { return { content: { text: s.trim(_.first([' ' + moment.utc(0).year()])) } }; } }"
	for i := range 2 {
		e := hookscript.New(hookscript.Options{})
		for _, id := range []string{"a", "b"} {
			res, err := e.ProcessIncoming(context.Background(), id, src, incomingRequest(nil))
			if err != nil {
				t.Fatalf("engine %d, integration %s: %v", i, id, err)
			}
			if res.Content["text"] != "1970" {
				t.Errorf("text = %v, want 1970", res.Content["text"])
			}
		}
	}
	for i := range 2 {
		if _, err := hookscript.New(hookscript.Options{}).ProcessIncoming(context.Background(), "c",
			"class Script { process_incoming_request() { return { content: { text: moment.utc(0).locale('fr').format('MMMM') } }; } }",
			incomingRequest(nil)); err != nil {
			t.Fatalf("engine %d, locale fr: %v", i, err)
		}
	}
	for _, name := range []string{"underscore.js", "s.js", "moment.js", "moment/locale/fr.js"} {
		if n := hookscript.LibraryCompiles(name); n != 1 {
			t.Errorf("%s compiled %d times, want 1", name, n)
		}
	}
}

// A runtime that has loaded the libraries is still stopped at its
// timeout, and is usable afterwards.
func TestLibrariesKeepTimeout(t *testing.T) {
	e := hookscript.New(hookscript.Options{Timeout: 200 * time.Millisecond})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    while (request.content.spin) { _.range(1000).map((i) => moment.utc(i).format()); }
	    return { content: { text: s.pad(moment.utc(0).format('YYYY'), 6, '*', 'left') } };
	  }
	}`
	_, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"spin": true}))
	if !errors.Is(err, hookscript.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	if err != nil || res.Content["text"] != "**1970" {
		t.Errorf("next call = (%+v, %v), want text **1970", res, err)
	}

	// The libraries load with the script's top-level code, within the
	// same bound.
	const top = "moment.utc(0);\nfor (;;) {}\nclass Script {}"
	if _, err := e.ProcessIncoming(context.Background(), "i2", top, incomingRequest(nil)); !errors.Is(err, hookscript.ErrTimeout) {
		t.Errorf("top-level loop: err = %v, want ErrTimeout", err)
	}
}

// BenchmarkFirstCall measures a new integration's first call, which
// builds its runtime: with no library, with each, with all three, and
// with moment and one of its locales.
func BenchmarkFirstCall(b *testing.B) {
	for _, bm := range []struct{ name, expr string }{
		{"plain", `'x'`},
		{"underscore", `_.first(['x'])`},
		{"s", `s.trim(' x ')`},
		{"moment", `moment.utc(0).format()`},
		{"all", `s.trim(_.first([moment.utc(0).format()]))`},
		{"moment-de", `moment.utc(0).locale('de').format('LL')`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			src := "class Script { process_incoming_request() { return { content: { text: " + bm.expr + " } }; } }"
			e := hookscript.New(hookscript.Options{})
			for b.Loop() {
				if _, err := e.ProcessIncoming(context.Background(), "bench", src, incomingRequest(nil)); err != nil {
					b.Fatal(err)
				}
				e.Forget("bench")
			}
		})
	}
}
