package hookscript_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

// jiraScript is an outgoing webhook for a "jira" trigger word: prepare
// turns the chat message into a search call, answers help itself, and
// ignores empty queries; process turns the search results into a message.
const jiraScript = `
class Script {
  prepare_outgoing_request({ request }) {
    const query = request.data.text.replace(request.data.trigger_word, '').trim();
    if (query === '') {
      return; // nothing to search: no call, no message
    }
    if (query === 'help') {
      return { message: { text: 'Usage: jira <words>' } };
    }
    request.url = request.url + '/rest/api/2/search';
    request.method = 'GET';
    request.headers['Accept'] = 'application/json';
    request.auth = 'bot:s3cret';
    request.timeout = 1500;
    request.data = { jql: 'text ~ "' + query + '"', maxResults: 3, asked_by: request.data.user_name };
    return request;
  }

  process_outgoing_response({ request, response }) {
    if (response.status_code === 204) {
      return false; // nothing found: say nothing
    }
    if (response.status_code !== 200) {
      return; // let the server apply its default handling
    }
    const issues = response.content.issues;
    return {
      content: {
        text: issues.length + ' issues for ' + request.data.asked_by,
        attachments: issues.map((i) => ({ title: i.key + ' ' + i.fields.summary })),
      },
    };
  }
}
`

func outgoingRequest(text string) hookscript.OutgoingRequest {
	return hookscript.OutgoingRequest{
		URL:     "https://jira.example.com",
		Method:  "POST",
		Headers: map[string]string{"User-Agent": "Liftoff"},
		Data: map[string]any{
			"token": "tok", "channel_id": "GENERAL", "channel_name": "general", "user_id": "u1",
			"user_name": "jane", "text": text, "trigger_word": "jira", "timestamp": "2024-05-01T10:00:00Z",
		},
	}
}

func TestPrepareOutgoing(t *testing.T) {
	e := hookscript.New(hookscript.Options{})
	ctx := context.Background()

	t.Run("modifies the request", func(t *testing.T) {
		res, err := e.PrepareOutgoing(ctx, "jira", jiraScript, outgoingRequest("jira launch delay"))
		if err != nil {
			t.Fatal(err)
		}
		want := &hookscript.OutgoingRequest{
			URL:     "https://jira.example.com/rest/api/2/search",
			Method:  "GET",
			Headers: map[string]string{"User-Agent": "Liftoff", "Accept": "application/json"},
			Data:    map[string]any{"jql": `text ~ "launch delay"`, "maxResults": float64(3), "asked_by": "jane"},
			Auth:    "bot:s3cret",
			Timeout: 1500 * time.Millisecond,
		}
		if res.Message != nil || !reflect.DeepEqual(res.Request, want) {
			t.Errorf("result = %+v\nwant request %+v", res.Request, want)
		}
	})
	t.Run("answers with a message instead", func(t *testing.T) {
		res, err := e.PrepareOutgoing(ctx, "jira", jiraScript, outgoingRequest("jira help"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Request != nil || !reflect.DeepEqual(res.Message, map[string]any{"text": "Usage: jira <words>"}) {
			t.Errorf("result = %+v, want the usage message and no call", res)
		}
	})
	t.Run("returns nothing", func(t *testing.T) {
		res, err := e.PrepareOutgoing(ctx, "jira", jiraScript, outgoingRequest("jira   "))
		if err != nil || res.Request != nil || res.Message != nil {
			t.Errorf("got (%+v, %v), want no call and no message", res, err)
		}
	})
	t.Run("a fresh request replaces the original", func(t *testing.T) {
		const src = `class Script {
		  prepare_outgoing_request({ request }) {
		    return { url: 'https://api.example.com/notify', method: 'PUT', data: { text: request.data.text } };
		  }
		}`
		res, err := e.PrepareOutgoing(ctx, "fresh", src, outgoingRequest("hello"))
		if err != nil {
			t.Fatal(err)
		}
		want := &hookscript.OutgoingRequest{URL: "https://api.example.com/notify", Method: "PUT", Headers: map[string]string{}, Data: map[string]any{"text": "hello"}}
		if !reflect.DeepEqual(res.Request, want) {
			t.Errorf("request = %+v, want %+v (original headers not kept)", res.Request, want)
		}
	})
	t.Run("no prepare method keeps the request", func(t *testing.T) {
		const src = `class Script { process_outgoing_response() { return false; } }`
		req := outgoingRequest("hello")
		res, err := e.PrepareOutgoing(ctx, "process-only", src, req)
		if err != nil || res.Message != nil || !reflect.DeepEqual(*res.Request, req) {
			t.Errorf("got (%+v, %v), want the request unchanged", res, err)
		}
	})
	t.Run("throws", func(t *testing.T) {
		const src = `class Script { prepare_outgoing_request({ request }) { return request.data.nope.x; } }`
		_, err := e.PrepareOutgoing(ctx, "throws", src, outgoingRequest("hello"))
		var se *hookscript.ScriptError
		if !errors.As(err, &se) || se.Method != "prepare_outgoing_request" || !strings.HasPrefix(se.Message, "TypeError") {
			t.Errorf("err = %v, want a TypeError from prepare_outgoing_request", err)
		}
	})
}

func TestProcessOutgoingResponse(t *testing.T) {
	e := hookscript.New(hookscript.Options{})
	ctx := context.Background()
	prepared, err := e.PrepareOutgoing(ctx, "jira", jiraScript, outgoingRequest("jira launch"))
	if err != nil {
		t.Fatal(err)
	}
	req := *prepared.Request

	t.Run("turns the response into content", func(t *testing.T) {
		resp := hookscript.OutgoingResponse{
			StatusCode: 200,
			Headers:    map[string]string{"content-type": "application/json;charset=UTF-8"},
			Body:       `{"total":2,"issues":[{"key":"RKT-1","fields":{"summary":"Fuel leak"}},{"key":"RKT-7","fields":{"summary":"Late launch"}}]}`,
		}
		res, err := e.ProcessOutgoingResponse(ctx, "jira", jiraScript, req, resp)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"text":        "2 issues for jane",
			"attachments": []any{map[string]any{"title": "RKT-1 Fuel leak"}, map[string]any{"title": "RKT-7 Late launch"}},
		}
		if res.Action != hookscript.PostContent || !reflect.DeepEqual(res.Content, want) {
			t.Errorf("result = %+v, want PostContent %v", res, want)
		}
	})
	t.Run("false posts nothing", func(t *testing.T) {
		res, err := e.ProcessOutgoingResponse(ctx, "jira", jiraScript, req, hookscript.OutgoingResponse{StatusCode: 204})
		if err != nil || res.Action != hookscript.PostNothing || res.Content != nil {
			t.Errorf("got (%+v, %v), want PostNothing", res, err)
		}
	})
	t.Run("nothing leaves the default", func(t *testing.T) {
		res, err := e.ProcessOutgoingResponse(ctx, "jira", jiraScript, req, hookscript.OutgoingResponse{StatusCode: 500, Body: "oops"})
		if err != nil || res.Action != hookscript.DefaultHandling {
			t.Errorf("got (%+v, %v), want DefaultHandling", res, err)
		}
	})
	t.Run("no process method leaves the default", func(t *testing.T) {
		const src = `class Script { prepare_outgoing_request({ request }) { return request; } }`
		res, err := e.ProcessOutgoingResponse(ctx, "prepare-only", src, req, hookscript.OutgoingResponse{StatusCode: 200})
		if err != nil || res.Action != hookscript.DefaultHandling {
			t.Errorf("got (%+v, %v), want DefaultHandling", res, err)
		}
	})
	t.Run("sees the whole response", func(t *testing.T) {
		const src = `class Script {
		  process_outgoing_response({ request, response }) {
		    return { content: { text: [request.method, response.status_code, typeof response.content, response.content, response.content_raw,
		      response.headers['x-trace'], response.error && response.error.message].join('|') } };
		  }
		}`
		resp := hookscript.OutgoingResponse{StatusCode: 502, Headers: map[string]string{"x-trace": "t1", "content-type": "text/html"}, Body: "<h1>Bad gateway</h1>", Error: "failed [502]"}
		res, err := e.ProcessOutgoingResponse(ctx, "inspect", src, req, resp)
		if err != nil {
			t.Fatal(err)
		}
		if want := "GET|502|string|<h1>Bad gateway</h1>|<h1>Bad gateway</h1>|t1|failed [502]"; res.Content["text"] != want {
			t.Errorf("text = %q, want %q", res.Content["text"], want)
		}
	})
}
