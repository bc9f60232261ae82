package hookscript_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// trackerAPI is an issue tracker the scripts call.
func trackerAPI(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /issues/{id}", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bot" || p != "s3cret" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.Header.Get("X-Api-Version") != "2" {
			http.Error(w, "want X-Api-Version 2", http.StatusBadRequest)
			return
		}
		if r.PathValue("id") != "42" {
			http.Error(w, "no such issue\nanywhere", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Rate-Remaining", "99")
		json.NewEncoder(w).Encode(map[string]any{
			"title": "Launch is late", "state": "open", "labels": []string{"p1"},
			"query": r.URL.RawQuery,
		})
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "content_type": r.Header.Get("Content-Type"), "body": string(body), "query": r.URL.RawQuery,
		})
	})
	mux.HandleFunc("GET /text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, `{"looks":"like json"}`)
	})
	mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/text", http.StatusFound)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPEnrichesMessage(t *testing.T) {
	srv := trackerAPI(t)
	const src = `class Script {
	  process_incoming_request({ request }) {
	    const id = request.content.issue_id;
	    const r = HTTP('GET', request.content.api + '/issues/' + id, {
	      auth: 'bot:s3cret',
	      headers: { 'X-Api-Version': '2' },
	      params: { expand: 'labels' },
	    });
	    if (r.error) {
	      return { content: { text: 'issue ' + id + ': ' + r.error.message + ' (' + r.error.response.statusCode + ')' } };
	    }
	    const issue = r.result.data;
	    return { content: { text: '#' + id + ' ' + issue.title + ' [' + issue.state + ']', query: issue.query, remaining: r.result.headers['x-rate-remaining'] } };
	  }
	}`
	e := hookscript.New(hookscript.Options{})
	res, err := e.ProcessIncoming(context.Background(), "tracker", src, incomingRequest(map[string]any{"api": srv.URL, "issue_id": 42}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"text": "#42 Launch is late [open]", "query": "expand=labels", "remaining": "99"}
	if !reflect.DeepEqual(res.Content, want) {
		t.Errorf("content = %v, want %v", res.Content, want)
	}

	res, err = e.ProcessIncoming(context.Background(), "tracker", src, incomingRequest(map[string]any{"api": srv.URL, "issue_id": 7}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "issue 7: failed [404] no such issue anywhere (404)"; res.Content["text"] != want {
		t.Errorf("text = %q, want %q", res.Content["text"], want)
	}
}

// probe runs a script that returns what one HTTP(...) expression gave.
func probe(t *testing.T, e *hookscript.Engine, expr string, content map[string]any) map[string]any {
	t.Helper()
	src := `class Script {
	  process_incoming_request({ request }) {
	    const api = request.content.api;
	    const r = ` + expr + `;
	    const out = { result: r.result || null, error: null };
	    if (r.error) out.error = { isError: r.error instanceof Error, message: r.error.message, status: r.error.response ? r.error.response.statusCode : null };
	    return { content: out };
	  }
	}`
	res, err := e.ProcessIncoming(context.Background(), "probe", src, incomingRequest(content))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return res.Content
}

func TestHTTPHelper(t *testing.T) {
	srv := trackerAPI(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	e := hookscript.New(hookscript.Options{})
	content := map[string]any{"api": srv.URL, "closed": closed.URL}

	t.Run("JSON data body", func(t *testing.T) {
		got := probe(t, e, `HTTP('post', api + '/echo?x=1', { data: { text: 'hi', n: 2 }, params: { y: '2' } })`, content)
		r := got["result"].(map[string]any)
		want := map[string]any{"method": "POST", "content_type": "application/json", "body": `{"text":"hi","n":2}`, "query": "x=1&y=2"}
		if !reflect.DeepEqual(r["data"], want) || r["statusCode"] != float64(200) || r["ok"] != true {
			t.Errorf("result = %v, want data %v, status 200, ok", r, want)
		}
	})
	t.Run("params as a form", func(t *testing.T) {
		got := probe(t, e, `HTTP('POST', api + '/echo', { params: { a: 'b c', n: 1 } })`, content)
		data := got["result"].(map[string]any)["data"].(map[string]any)
		if data["content_type"] != "application/x-www-form-urlencoded" || data["body"] != "a=b+c&n=1" {
			t.Errorf("request = %v, want a form body a=b+c&n=1", data)
		}
	})
	t.Run("content and query", func(t *testing.T) {
		got := probe(t, e, `HTTP('POST', api + '/echo?old=1', { content: 'plain words', query: 'q=new', headers: { 'Content-Type': 'text/plain' } })`, content)
		data := got["result"].(map[string]any)["data"].(map[string]any)
		if data["content_type"] != "text/plain" || data["body"] != "plain words" || data["query"] != "q=new" {
			t.Errorf("request = %v, want text/plain body and query q=new", data)
		}
	})
	t.Run("text response has no data", func(t *testing.T) {
		got := probe(t, e, `HTTP('GET', api + '/text')`, content)
		r := got["result"].(map[string]any)
		if r["content"] != `{"looks":"like json"}` || r["data"] != nil || r["headers"].(map[string]any)["content-type"] != "text/plain" {
			t.Errorf("result = %v, want the text as content and data null", r)
		}
	})
	t.Run("redirects", func(t *testing.T) {
		got := probe(t, e, `HTTP('GET', api + '/moved')`, content)
		if r := got["result"].(map[string]any); r["statusCode"] != float64(200) || r["redirected"] != true {
			t.Errorf("followed: result = %v, want 200 and redirected", r)
		}
		got = probe(t, e, `HTTP('GET', api + '/moved', { followRedirects: false })`, content)
		if r := got["result"].(map[string]any); r["statusCode"] != float64(302) || r["redirected"] != false {
			t.Errorf("not followed: result = %v, want 302", r)
		}
	})

	errorsTests := []struct {
		name, expr, msg string
		status          any
	}{
		{"401 with body", `HTTP('GET', api + '/issues/42')`, "failed [401] unauthorized", float64(401)},
		{"relative URL", `HTTP('GET', '/issues/42')`, "url must be absolute and start with http:// or https://", nil},
		{"bad auth", `HTTP('GET', api + '/issues/42', { auth: 'token' })`, `auth option should be of the form "username:password"`, nil},
		{"connection refused", `HTTP('GET', request.content.closed)`, "connection refused", nil},
		{"request timeout", `HTTP('GET', api + '/slow', { timeout: 50 })`, "context deadline exceeded", nil},
	}
	for _, tt := range errorsTests {
		t.Run(tt.name, func(t *testing.T) {
			got := probe(t, e, tt.expr, content)
			errV, _ := got["error"].(map[string]any)
			if got["result"] != nil || errV == nil || errV["isError"] != true ||
				!strings.Contains(errV["message"].(string), tt.msg) || errV["status"] != tt.status {
				t.Errorf("got %v, want an Error containing %q with response status %v", got, tt.msg, tt.status)
			}
		})
	}
}

// A slow server cannot hold a webhook past the script timeout.
func TestHTTPStoppedByTimeout(t *testing.T) {
	srv := trackerAPI(t)
	e := hookscript.New(hookscript.Options{Timeout: 200 * time.Millisecond})
	const src = `class Script {
	  process_incoming_request({ request }) {
	    HTTP('GET', request.content.api + '/slow');
	    return { content: { text: 'never' } };
	  }
	}`
	start := time.Now()
	_, err := e.ProcessIncoming(context.Background(), "slow", src, incomingRequest(map[string]any{"api": srv.URL}))
	if !errors.Is(err, hookscript.ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v, want about 200ms", d)
	}
}

// Options.HTTPClient is the client the helper uses, so the server can
// restrict where scripts connect.
func TestHTTPUsesConfiguredClient(t *testing.T) {
	var used bool
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return nil, errors.New("blocked by policy")
	})}
	e := hookscript.New(hookscript.Options{HTTPClient: client})
	got := probe(t, e, `HTTP('GET', 'http://metadata.internal/latest')`, map[string]any{})
	errV, _ := got["error"].(map[string]any)
	if !used || errV == nil || !strings.Contains(errV["message"].(string), "blocked by policy") {
		t.Errorf("got %v (client used: %v), want the client's error", got, used)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
