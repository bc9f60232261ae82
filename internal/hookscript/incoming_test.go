package hookscript_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// gitlabScript is the kind of script admins paste for GitLab: it turns a
// push event into a message with one attachment per commit.
const gitlabScript = `
const MAX_COMMITS = 3;

class Script {
  process_incoming_request({ request }) {
    const event = request.headers['x-gitlab-event'];
    if (event !== 'Push Hook') {
      return { error: { success: false, message: 'unsupported event: ' + event } };
    }
    const p = request.content;
    const branch = p.ref.replace('refs/heads/', '');
    const commits = p.commits.slice(0, MAX_COMMITS).map((c) => ({
      title: c.id.slice(0, 8) + ' ' + c.message.split('\n')[0],
      title_link: c.url,
      author_name: c.author.name,
      ts: new Date(c.timestamp),
      fields: [{ short: true, title: 'files changed', value: String(c.added.length + c.modified.length + c.removed.length) }],
    }));
    return {
      content: {
        alias: 'GitLab',
        channel: request.url.query.channel || undefined,
        text: p.user_name + ' pushed ' + p.total_commits_count + ' commits to ' + branch + ' of [' + p.project.path_with_namespace + '](' + p.project.web_url + ')',
        attachments: commits,
        posted_by: request.user.username,
        same_body: request.body === request.content,
      },
    };
  }
}
`

func gitlabPush() any {
	var payload any
	raw := `{
	  "object_kind": "push",
	  "ref": "refs/heads/main",
	  "user_name": "Jane Doe",
	  "total_commits_count": 2,
	  "project": {"path_with_namespace": "acme/rocket", "web_url": "https://gitlab.example.com/acme/rocket"},
	  "commits": [
	    {"id": "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327", "message": "Fix the launch sequence\n\nLong body", "timestamp": "2024-05-01T10:00:00+02:00",
	     "url": "https://gitlab.example.com/acme/rocket/-/commit/b6568db1", "author": {"name": "Jane Doe"}, "added": ["a.go"], "modified": ["b.go", "c.go"], "removed": []},
	    {"id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "message": "Add fuel gauge", "timestamp": "2024-05-01T11:30:00Z",
	     "url": "https://gitlab.example.com/acme/rocket/-/commit/da156088", "author": {"name": "John Roe"}, "added": [], "modified": ["d.go"], "removed": ["e.go"]}
	  ]
	}`
	if err := json.Unmarshal([]byte(raw), &payload); err != nil {
		panic(err)
	}
	return payload
}

func incomingRequest(content any) hookscript.IncomingRequest {
	return hookscript.IncomingRequest{
		URL: hookscript.URL{
			Search:   "?channel=%23deploys",
			Query:    map[string]string{"channel": "#deploys"},
			Pathname: "/hooks/abc/token",
			Path:     "/hooks/abc/token?channel=%23deploys",
		},
		URLRaw:     "/hooks/abc/token?channel=%23deploys",
		URLParams:  map[string]string{"integrationId": "abc", "token": "token"},
		Content:    content,
		ContentRaw: "{}",
		Headers:    map[string]string{"x-gitlab-event": "Push Hook", "content-type": "application/json"},
		User:       hookscript.User{ID: "u1", Name: "GitLab Bot", Username: "gitlab.bot"},
	}
}

func TestProcessIncomingGitLabPush(t *testing.T) {
	if err := hookscript.Compile(gitlabScript); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "gitlab", gitlabScript, incomingRequest(gitlabPush()))
	if err != nil {
		t.Fatalf("ProcessIncoming: %v", err)
	}
	if res == nil || res.Error != nil || res.Response != nil {
		t.Fatalf("result = %+v, want content only", res)
	}
	want := map[string]any{
		"alias":     "GitLab",
		"channel":   "#deploys",
		"text":      "Jane Doe pushed 2 commits to main of [acme/rocket](https://gitlab.example.com/acme/rocket)",
		"posted_by": "gitlab.bot",
		"same_body": true,
		"attachments": []any{
			map[string]any{
				"title":       "b6568db1 Fix the launch sequence",
				"title_link":  "https://gitlab.example.com/acme/rocket/-/commit/b6568db1",
				"author_name": "Jane Doe",
				"ts":          "2024-05-01T08:00:00.000Z", // a Date comes out as its ISO string
				"fields":      []any{map[string]any{"short": true, "title": "files changed", "value": "3"}},
			},
			map[string]any{
				"title":       "da156088 Add fuel gauge",
				"title_link":  "https://gitlab.example.com/acme/rocket/-/commit/da156088",
				"author_name": "John Roe",
				"ts":          "2024-05-01T11:30:00.000Z",
				"fields":      []any{map[string]any{"short": true, "title": "files changed", "value": "2"}},
			},
		},
	}
	if !reflect.DeepEqual(res.Content, want) {
		t.Errorf("content:\n got %#v\nwant %#v", res.Content, want)
	}

	// Another event gets the script's error object back, for the caller to
	// answer 400 with.
	req := incomingRequest(gitlabPush())
	req.Headers["x-gitlab-event"] = "Tag Push Hook"
	res, err = e.ProcessIncoming(context.Background(), "gitlab", gitlabScript, req)
	if err != nil {
		t.Fatalf("ProcessIncoming: %v", err)
	}
	wantErr := map[string]any{"success": false, "message": "unsupported event: Tag Push Hook"}
	if res == nil || !reflect.DeepEqual(res.Error, wantErr) || res.Content != nil {
		t.Errorf("result = %+v, want Error %v and no content", res, wantErr)
	}
}

func TestProcessIncomingReturnsResponse(t *testing.T) {
	const src = `class Script {
	  process_incoming_request({ request }) {
	    return { content: { text: 'ok' }, response: { received: request.content.id, n: 1.5 } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"id": "evt-42"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"received": "evt-42", "n": 1.5}
	if !reflect.DeepEqual(res.Response, want) || res.Content["text"] != "ok" {
		t.Errorf("result = %+v, want response %v and text ok", res, want)
	}
}

func TestProcessIncomingReturnsNothing(t *testing.T) {
	for _, ret := range []string{"return undefined;", "return;", "return null;", "return false;", "return '';", "return 0;"} {
		t.Run(ret, func(t *testing.T) {
			src := "class Script { process_incoming_request({ request }) { if (request.content.skip) { " + ret + " } return { content: { text: 'x' } }; } }"
			e := hookscript.New(hookscript.Options{})
			res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"skip": true}))
			if err != nil || res != nil {
				t.Errorf("got (%+v, %v), want (nil, nil): post nothing, answer success", res, err)
			}
		})
	}
}

func TestProcessIncomingUnusableResult(t *testing.T) {
	tests := []struct {
		name, ret, wantMsg string
	}{
		{"string", `return 'hello';`, "the result must be an object with content or error, not a string"},
		{"empty object", `return {};`, "the result has neither content nor error"},
		{"string content", `return { content: 'hello' };`, "result.content must be an object, not a string"},
		{"array response", `return { content: { text: 'x' }, response: [1] };`, "result.response must be an object, not an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "class Script { process_incoming_request() { " + tt.ret + " } }"
			e := hookscript.New(hookscript.Options{})
			_, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
			var se *hookscript.ScriptError
			if !errors.As(err, &se) || se.Message != tt.wantMsg || se.Method != "process_incoming_request" {
				t.Errorf("err = %v, want a ScriptError of process_incoming_request saying %q", err, tt.wantMsg)
			}
		})
	}
}

func TestProcessIncomingThrows(t *testing.T) {
	const src = `class Script {
  process_incoming_request({ request }) {
    return { content: { text: request.content.missing.name } };
  }
}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	var se *hookscript.ScriptError
	if !errors.As(err, &se) || res != nil {
		t.Fatalf("got (%+v, %v), want a *ScriptError", res, err)
	}
	if se.Method != "process_incoming_request" || !strings.HasPrefix(se.Message, "TypeError:") ||
		!strings.Contains(se.Message, "script.js:3") {
		t.Errorf("error = %+v, want a TypeError at script.js line 3 in process_incoming_request", se)
	}
	if !strings.Contains(se.Stack, "process_incoming_request") {
		t.Errorf("stack = %q, want the method in it", se.Stack)
	}

	// throw of a plain value, as scripts do to reject a request.
	const src2 = `class Script { process_incoming_request() { throw 'bad signature'; } }`
	_, err = e.ProcessIncoming(context.Background(), "i2", src2, incomingRequest(nil))
	if !errors.As(err, &se) || !strings.HasPrefix(se.Message, "bad signature") {
		t.Errorf("err = %v, want the thrown string", err)
	}
}

func TestProcessIncomingScriptProblems(t *testing.T) {
	tests := []struct {
		name, src string
		wantErr   error
		wantMsg   string
	}{
		{"no method", `class Script { prepare_outgoing_request() {} }`, hookscript.ErrMethodNotFound, "no process_incoming_request method"},
		{"no Script class", `class Other {}`, hookscript.ErrNoScriptClass, "must declare class Script"},
		{"Script is not a class", `var Script = 42;`, hookscript.ErrNoScriptClass, "must declare class Script"},
		{"top-level throw", "throw new Error('missing config');\nclass Script {}", nil, "Error: missing config"},
		{"constructor throws", `class Script { constructor() { throw new RangeError('no'); } process_incoming_request() {} }`, nil, "RangeError: no"},
		{"syntax error", "class Script {\n  process_incoming_request( {\n}", nil, "SyntaxError"},
		{"result getter throws", `class Script { process_incoming_request() { return { get content() { throw new Error('lazy failure'); } }; } }`, nil, "Error: lazy failure"},
		{"result toJSON throws", `class Script { process_incoming_request() { return { content: { toJSON() { throw new Error('no json'); } } }; } }`, nil, "Error: no json"},
		{"thrown value cannot be printed", `class Script { process_incoming_request() { throw { toString() { throw new Error('nested'); } }; } }`, nil, "the script threw a value that cannot be printed"},
		{"runaway recursion", "function f(n) { return f(n + 1) + 1; }\nclass Script { process_incoming_request() { return f(0); } }", nil, "RangeError: Maximum call stack size exceeded at f (script.js:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := hookscript.New(hookscript.Options{})
			_, err := e.ProcessIncoming(context.Background(), "i1", tt.src, incomingRequest(nil))
			var se *hookscript.ScriptError
			if !errors.As(err, &se) || !strings.Contains(se.Message, tt.wantMsg) {
				t.Fatalf("err = %v, want a ScriptError containing %q", err, tt.wantMsg)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantErr)
			}
		})
	}
}

// One bad payload must not break the integration or lose its Store.
func TestIntegrationSurvivesFailedCalls(t *testing.T) {
	const src = `
function deep(n) { return deep(n + 1) + 1; }
class Script {
  process_incoming_request({ request }) {
    const calls = Store.set('calls', (Store.get('calls') || 0) + 1);
    switch (request.content.mode) {
      case 'throw': throw new Error('bad payload');
      case 'overflow': return deep(0);
      case 'getter': return { get content() { throw new Error('lazy'); } };
      case 'spin': for (;;) {}
    }
    return { content: { text: 'ok', calls } };
  }
}`
	e := hookscript.New(hookscript.Options{Timeout: 200 * time.Millisecond})
	for _, mode := range []string{"throw", "overflow", "getter", "spin"} {
		if _, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"mode": mode})); err == nil {
			t.Errorf("mode %s: err = nil, want an error", mode)
		}
	}
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	if err != nil || res.Content["text"] != "ok" || res.Content["calls"] != float64(5) {
		t.Errorf("after failures: (%+v, %v), want text ok and calls 5", res, err)
	}
}

func TestProcessIncomingAsync(t *testing.T) {
	const src = `class Script {
	  async process_incoming_request({ request }) {
	    const who = await Promise.resolve(request.content.who);
	    if (who === 'nobody') throw new Error('no one to greet');
	    return { content: { text: 'hello ' + who } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"who": "world"}))
	if err != nil || res.Content["text"] != "hello world" {
		t.Fatalf("got (%+v, %v), want text hello world", res, err)
	}
	_, err = e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"who": "nobody"}))
	var se *hookscript.ScriptError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "no one to greet") {
		t.Errorf("err = %v, want the rejection's message", err)
	}
}

func TestStorePersistsAcrossCalls(t *testing.T) {
	const src = `class Script {
	  constructor() { this.calls = 0; }
	  process_incoming_request({ request }) {
	    this.calls++;
	    const seen = Store.get('seen') || Store.set('seen', { ids: [] });
	    const dup = seen.ids.includes(request.content.id);
	    if (!dup) seen.ids.push(request.content.id); // mutating the stored object persists too
	    return { content: { text: dup ? 'duplicate' : 'new', seen: seen.ids.length, calls: this.calls } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	call := func(id, src, eventID string) map[string]any {
		t.Helper()
		res, err := e.ProcessIncoming(context.Background(), id, src, incomingRequest(map[string]any{"id": eventID}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Content
	}
	check := func(got map[string]any, text string, seen, calls float64) {
		t.Helper()
		if got["text"] != text || got["seen"] != seen || got["calls"] != calls {
			t.Errorf("content = %v, want text %s, seen %v, calls %v", got, text, seen, calls)
		}
	}
	check(call("hook-a", src, "e1"), "new", 1, 1)
	check(call("hook-a", src, "e2"), "new", 2, 2)
	check(call("hook-a", src, "e1"), "duplicate", 2, 3)

	// Each integration has its own Store.
	check(call("hook-b", src, "e1"), "new", 1, 1)

	// Saving a changed script starts over, as in Rocket.Chat.
	changed := src + "\n// edited"
	check(call("hook-a", changed, "e1"), "new", 1, 1)

	// So does Forget.
	e.Forget("hook-b")
	check(call("hook-b", src, "e1"), "new", 1, 1)
}

func TestInfiniteLoopIsStopped(t *testing.T) {
	const timeout = 200 * time.Millisecond
	e := hookscript.New(hookscript.Options{Timeout: timeout})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    if (request.content.spin) { while (true) {} }
	    return { content: { text: 'fine' } };
	  }
	}`
	start := time.Now()
	_, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"spin": true}))
	elapsed := time.Since(start)
	if !errors.Is(err, hookscript.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if elapsed < timeout || elapsed > timeout+time.Second {
		t.Errorf("returned after %v, want about %v", elapsed, timeout)
	}
	if !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Errorf("err = %q, want it to say how long the script may run", err)
	}

	// The integration keeps working for the next request.
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	if err != nil || res.Content["text"] != "fine" {
		t.Errorf("next call = (%+v, %v), want text fine", res, err)
	}

	// A loop in the top-level code is stopped too.
	_, err = e.ProcessIncoming(context.Background(), "i2", "for (;;) {}\nclass Script {}", incomingRequest(nil))
	if !errors.Is(err, hookscript.ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
}

func TestContextCancelStopsScript(t *testing.T) {
	e := hookscript.New(hookscript.Options{Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.ProcessIncoming(ctx, "i1", `class Script { process_incoming_request() { for (;;) {} } }`, incomingRequest(nil))
	if !errors.Is(err, context.Canceled) || errors.Is(err, hookscript.ErrTimeout) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v, want soon after the cancel", d)
	}
}

// A run stuck in Go code that does not heed the interrupt (here an HTTP
// transport that ignores its context) still returns to its caller on
// time; the integration's next call waits for the runtime to be free.
func TestTimeoutWhileRuntimeIsBusy(t *testing.T) {
	release := make(chan struct{})
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		<-release
		return nil, errors.New("released")
	})}
	e := hookscript.New(hookscript.Options{Timeout: 100 * time.Millisecond, HTTPClient: client})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    if (request.content.call) HTTP('GET', 'http://stuck.example/');
	    return { content: { text: 'done' } };
	  }
	}`
	start := time.Now()
	_, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{"call": true}))
	if !errors.Is(err, hookscript.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v, want about 100ms", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = e.ProcessIncoming(ctx, "i1", src, incomingRequest(map[string]any{}))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("while busy: err = %v, want the caller's deadline", err)
	}

	close(release)
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(map[string]any{}))
	if err != nil || res.Content["text"] != "done" {
		t.Errorf("after release: (%+v, %v), want text done", res, err)
	}
}

func TestConcurrentCalls(t *testing.T) {
	const src = `class Script {
	  process_incoming_request({ request }) {
	    const n = (Store.get('n') || 0) + 1;
	    Store.set('n', n);
	    let sum = 0;
	    for (const x of request.content.values) sum += x;
	    return { content: { text: request.content.name + ':' + sum, n } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	const perHook, hooks = 20, 4
	var wg sync.WaitGroup
	counts := make([][]float64, hooks)
	var mu sync.Mutex
	for h := range hooks {
		for i := range perHook {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("g%d-%d", h, i)
				res, err := e.ProcessIncoming(context.Background(), fmt.Sprintf("hook-%d", h), src,
					incomingRequest(map[string]any{"name": name, "values": []int{i, h, 1}}))
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("%s:%d", name, i+h+1); res.Content["text"] != want {
					t.Errorf("text = %v, want %s", res.Content["text"], want)
				}
				mu.Lock()
				counts[h] = append(counts[h], res.Content["n"].(float64))
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	// Calls to one integration run one at a time: no update of its Store
	// is lost, and each call saw a distinct count.
	for h, c := range counts {
		seen := map[float64]bool{}
		for _, n := range c {
			seen[n] = true
		}
		if len(seen) != perHook {
			t.Errorf("hook-%d: counts %v, want %d distinct values", h, c, perHook)
		}
	}
}

func TestConsoleGoesToLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := hookscript.New(hookscript.Options{Logger: log})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    console.log('payload', request.content, 42);
	    console.warn('careful');
	    console.error(new TypeError('bad'));
	    return { content: { text: 'x' } };
	  }
	}`
	if _, err := e.ProcessIncoming(context.Background(), "hook-1", src, incomingRequest(map[string]any{"a": 1})); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["integration_id"] != "hook-1" || rec["method"] != "process_incoming_request" {
			t.Errorf("record %v lacks integration_id or method", rec)
		}
		got = append(got, fmt.Sprint(rec["level"], " ", rec["output"]))
	}
	want := []string{`INFO payload {"a":1} 42`, "WARN careful", "ERROR TypeError: bad"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("console output = %q, want %q", got, want)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestRequestIsACopy(t *testing.T) {
	// A script that edits request.content must not change the caller's
	// value, and Go values come back as plain JSON data.
	content := map[string]any{"items": []any{"a"}, "n": 1}
	const src = `class Script {
	  process_incoming_request({ request }) {
	    request.content.items.push('b');
	    request.content.n = 'changed';
	    return { content: { items: request.content.items, big: 2 ** 53, f: () => 1, u: undefined, nested: [[1, null]] } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(content))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(content, map[string]any{"items": []any{"a"}, "n": 1}) {
		t.Errorf("caller's content changed to %v", content)
	}
	want := map[string]any{"items": []any{"a", "b"}, "big": float64(1 << 53), "nested": []any{[]any{float64(1), nil}}}
	if !reflect.DeepEqual(res.Content, want) {
		t.Errorf("content = %#v, want %#v", res.Content, want)
	}
}

func TestSandboxHasNoHostAccess(t *testing.T) {
	const src = `class Script {
	  process_incoming_request() {
	    return { content: { kinds: [typeof require, typeof process, typeof setTimeout, typeof fetch, typeof global, typeof HTTP, typeof Store, typeof console] } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "i1", src, incomingRequest(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"undefined", "undefined", "undefined", "undefined", "object", "function", "object", "object"}
	if !reflect.DeepEqual(res.Content["kinds"], want) {
		t.Errorf("typeof require, process, setTimeout, fetch, global, HTTP, Store, console = %v, want %v", res.Content["kinds"], want)
	}
}
