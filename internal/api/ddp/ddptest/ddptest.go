// Package ddptest is a small DDP client for tests: it dials /websocket,
// keeps every frame the server sends, and lets a test wait for the frames
// it expects (method results, ready/nosub, stream events) by predicate.
package ddptest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Timeout is how long the helpers wait for an expected frame.
const Timeout = 30 * time.Second

// Frame is one decoded server frame; Raw keeps its bytes.
type Frame struct {
	Map map[string]any
	Raw []byte
}

// Msg returns the frame's msg field.
func (f Frame) Msg() string { s, _ := f.Map["msg"].(string); return s }

// Str returns a top-level string field.
func (f Frame) Str(key string) string { s, _ := f.Map[key].(string); return s }

// Fields returns the fields object of an added/changed frame.
func (f Frame) Fields() map[string]any { m, _ := f.Map["fields"].(map[string]any); return m }

// EventName returns fields.eventName of a stream frame.
func (f Frame) EventName() string { s, _ := f.Fields()["eventName"].(string); return s }

// Args returns fields.args of a stream frame.
func (f Frame) Args() []any { a, _ := f.Fields()["args"].([]any); return a }

// Client is a test DDP connection.
type Client struct {
	t  testing.TB
	ws *websocket.Conn

	mu       sync.Mutex
	cond     *sync.Cond
	frames   []Frame
	consumed []bool
	closed   error
	nextID   int
	// AutoPong answers server pings (default true).
	autoPong bool
}

// Dial opens a socket to url (ws://.../websocket) without any DDP
// handshake; the server's first frame stays in the log.
func Dial(t testing.TB, url string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	ws.SetReadLimit(16 << 20)
	c := &Client{t: t, ws: ws, autoPong: true}
	c.cond = sync.NewCond(&c.mu)
	go c.read()
	t.Cleanup(func() { c.ws.CloseNow() })
	return c
}

// Connect dials and completes the handshake with the given DDP version
// ("1" or "pre2"), returning the session id.
func Connect(t testing.TB, url, version string) (*Client, string) {
	t.Helper()
	c := Dial(t, url)
	c.Expect(func(f Frame) bool { return f.Str("server_id") == "0" }, "server_id frame")
	c.Send(map[string]any{"msg": "connect", "version": version, "support": []string{version}})
	f := c.Expect(func(f Frame) bool { return f.Msg() == "connected" || f.Msg() == "failed" }, "connected")
	if f.Msg() != "connected" {
		t.Fatalf("connect %s: %s", version, f.Raw)
	}
	return c, f.Str("session")
}

// SetAutoPong turns automatic answers to server pings on or off.
func (c *Client) SetAutoPong(on bool) {
	c.mu.Lock()
	c.autoPong = on
	c.mu.Unlock()
}

func (c *Client) read() {
	for {
		_, data, err := c.ws.Read(context.Background())
		c.mu.Lock()
		if err != nil {
			c.closed = err
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		f := Frame{Map: m, Raw: data}
		c.frames = append(c.frames, f)
		c.consumed = append(c.consumed, false)
		pong := c.autoPong && f.Msg() == "ping"
		c.cond.Broadcast()
		c.mu.Unlock()
		if pong {
			c.Send(map[string]any{"msg": "pong"})
		}
	}
}

// Send writes a JSON frame.
func (c *Client) Send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatalf("encode frame: %v", err)
	}
	c.SendRaw(string(b))
}

// SendRaw writes a text frame as is (malformed frames included).
func (c *Client) SendRaw(s string) {
	if err := c.TrySendRaw(s); err != nil {
		c.t.Fatalf("write frame: %v", err)
	}
}

// TrySendRaw writes a text frame and returns the write error, for frames
// the server may refuse by closing the socket.
func (c *Client) TrySendRaw(s string) error {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, []byte(s))
}

// Wait returns the first frame not yet taken that matches pred, waiting
// up to timeout; ok is false when none came.
func (c *Client) Wait(pred func(Frame) bool, timeout time.Duration) (Frame, bool) {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for i, f := range c.frames {
			if !c.consumed[i] && pred(f) {
				c.consumed[i] = true
				return f, true
			}
		}
		if c.closed != nil || time.Now().After(deadline) {
			return Frame{}, false
		}
		c.cond.Wait()
	}
}

// Expect is Wait that fails the test when no frame matches.
func (c *Client) Expect(pred func(Frame) bool, what string) Frame {
	c.t.Helper()
	f, ok := c.Wait(pred, Timeout)
	if !ok {
		c.t.Fatalf("no %s within %s; frames: %s", what, Timeout, c.Dump())
	}
	return f
}

// ExpectNone fails the test if a matching frame arrives within d.
func (c *Client) ExpectNone(pred func(Frame) bool, d time.Duration, what string) {
	c.t.Helper()
	if f, ok := c.Wait(pred, d); ok {
		c.t.Fatalf("unexpected %s: %s", what, f.Raw)
	}
}

// Closed waits for the server to close the socket and returns the close
// status.
func (c *Client) Closed(timeout time.Duration) (websocket.StatusCode, bool) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		err := c.closed
		c.mu.Unlock()
		if err != nil {
			return websocket.CloseStatus(err), true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0, false
}

// Dump lists every frame received, for failure messages.
func (c *Client) Dump() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := ""
	for i, f := range c.frames {
		mark := " "
		if c.consumed[i] {
			mark = "x"
		}
		s += fmt.Sprintf("\n  %s %s", mark, f.Raw)
	}
	if c.closed != nil {
		s += "\n  closed: " + c.closed.Error()
	}
	return s
}

// id returns a fresh request id.
func (c *Client) id() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	return "t" + strconv.Itoa(c.nextID)
}

// Result is a method's outcome.
type Result struct {
	Frame  Frame
	Result json.RawMessage // absent when the method returned nothing
	Error  map[string]any  // the Meteor error, or nil
}

// Call sends a method and waits for its result (and the updated frame
// that follows).
func (c *Client) Call(method string, params ...any) Result {
	c.t.Helper()
	if params == nil {
		params = []any{}
	}
	id := c.id()
	c.Send(map[string]any{"msg": "method", "id": id, "method": method, "params": params})
	f := c.Expect(func(f Frame) bool { return f.Msg() == "result" && f.Str("id") == id }, "result of "+method)
	c.Expect(func(f Frame) bool {
		ms, _ := f.Map["methods"].([]any)
		return f.Msg() == "updated" && len(ms) == 1 && ms[0] == id
	}, "updated of "+method)
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  map[string]any  `json:"error"`
	}
	_ = json.Unmarshal(f.Raw, &r)
	return Result{Frame: f, Result: r.Result, Error: r.Error}
}

// MustCall is Call that fails the test on a method error, decoding the
// result into out when given.
func (c *Client) MustCall(out any, method string, params ...any) json.RawMessage {
	c.t.Helper()
	r := c.Call(method, params...)
	if r.Error != nil {
		c.t.Fatalf("%s: error %v", method, r.Error)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			c.t.Fatalf("%s: decode result %s: %v", method, r.Result, err)
		}
	}
	return r.Result
}

// Login logs in with a username and a plain password (as the old SDK).
func (c *Client) Login(username, password string) map[string]any {
	c.t.Helper()
	var out map[string]any
	c.MustCall(&out, "login", map[string]any{"user": map[string]any{"username": username}, "password": password})
	return out
}

// Resume logs in with a token.
func (c *Client) Resume(token string) map[string]any {
	c.t.Helper()
	var out map[string]any
	c.MustCall(&out, "login", map[string]any{"resume": token})
	return out
}

// Sub subscribes and waits for ready or nosub; it returns the
// subscription id, and the nosub frame when refused.
func (c *Client) Sub(name string, params ...any) (string, *Frame) {
	c.t.Helper()
	if params == nil {
		params = []any{}
	}
	id := c.id()
	c.Send(map[string]any{"msg": "sub", "id": id, "name": name, "params": params})
	f := c.Expect(func(f Frame) bool {
		if f.Msg() == "nosub" && f.Str("id") == id {
			return true
		}
		subs, _ := f.Map["subs"].([]any)
		return f.Msg() == "ready" && len(subs) == 1 && subs[0] == id
	}, "ready or nosub of "+name)
	if f.Msg() == "nosub" {
		return id, &f
	}
	return id, nil
}

// MustSub subscribes and fails the test unless the server answers ready.
func (c *Client) MustSub(name string, params ...any) string {
	c.t.Helper()
	id, nosub := c.Sub(name, params...)
	if nosub != nil {
		c.t.Fatalf("sub %s %v refused: %s", name, params, nosub.Raw)
	}
	return id
}

// Stream is a predicate for a changed frame of a stream event.
func Stream(collection, eventName string) func(Frame) bool {
	return func(f Frame) bool {
		return f.Msg() == "changed" && f.Str("collection") == collection && f.EventName() == eventName
	}
}

// ExpectEvent waits for a stream event matching pred (nil: any) and
// returns its arguments.
func (c *Client) ExpectEvent(collection, eventName string, pred func(args []any) bool) []any {
	c.t.Helper()
	match := Stream(collection, eventName)
	f := c.Expect(func(f Frame) bool { return match(f) && (pred == nil || pred(f.Args())) }, collection+" "+eventName)
	return f.Args()
}

// Close closes the socket normally.
func (c *Client) Close() { _ = c.ws.Close(websocket.StatusNormalClosure, "") }
