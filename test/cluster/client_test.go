package cluster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// rtConn is a DDP connection for clients that live through restarts:
// unlike ddptest's, its calls return errors instead of failing the test,
// so that goroutines can use it and react to a closed socket the way a
// real client does, by reconnecting.
type rtConn struct {
	ws *websocket.Conn
	// onMessage gets every stream-room-messages document.
	onMessage func(doc map[string]any)

	mu      sync.Mutex
	nextID  int
	waiting map[string]chan rtReply
	done    chan struct{} // closed when the socket is gone
	err     error
}

// rtReply is the answer to a method or a subscription.
type rtReply struct {
	result json.RawMessage
	err    error
}

// dialRT connects and completes the DDP handshake.
func dialRT(ctx context.Context, url string, onMessage func(map[string]any)) (*rtConn, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(16 << 20)
	c := &rtConn{ws: ws, onMessage: onMessage, waiting: map[string]chan rtReply{}, done: make(chan struct{})}
	connected := make(chan struct{})
	c.waiting["connect"] = make(chan rtReply, 1)
	go c.read(connected)
	if err := c.send(ctx, map[string]any{"msg": "connect", "version": "1", "support": []string{"1"}}); err != nil {
		ws.CloseNow()
		return nil, err
	}
	select {
	case <-connected:
		return c, nil
	case <-c.done:
		return nil, c.closeErr()
	case <-ctx.Done():
		ws.CloseNow()
		return nil, ctx.Err()
	}
}

func (c *rtConn) closeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *rtConn) send(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.ws.Write(ctx, websocket.MessageText, b)
}

// read dispatches frames until the socket closes.
func (c *rtConn) read(connected chan struct{}) {
	defer func() {
		c.mu.Lock()
		for id, ch := range c.waiting {
			ch <- rtReply{err: errors.New("connection closed")}
			delete(c.waiting, id)
		}
		c.mu.Unlock()
		close(c.done)
	}()
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		var f struct {
			Msg        string          `json:"msg"`
			ID         string          `json:"id"`
			Subs       []string        `json:"subs"`
			Collection string          `json:"collection"`
			Result     json.RawMessage `json:"result"`
			Error      json.RawMessage `json:"error"`
			Fields     struct {
				Args []json.RawMessage `json:"args"`
			} `json:"fields"`
		}
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		switch f.Msg {
		case "connected":
			close(connected)
		case "ping":
			_ = c.send(context.Background(), map[string]any{"msg": "pong"})
		case "result":
			var err error
			if len(f.Error) > 0 {
				err = fmt.Errorf("method error: %s", f.Error)
			}
			c.reply(f.ID, rtReply{result: f.Result, err: err})
		case "ready":
			for _, id := range f.Subs {
				c.reply(id, rtReply{})
			}
		case "nosub":
			c.reply(f.ID, rtReply{err: fmt.Errorf("nosub: %s", data)})
		case "changed":
			if f.Collection == "stream-room-messages" && len(f.Fields.Args) > 0 && c.onMessage != nil {
				var doc map[string]any
				if json.Unmarshal(f.Fields.Args[0], &doc) == nil {
					c.onMessage(doc)
				}
			}
		}
	}
}

func (c *rtConn) reply(id string, r rtReply) {
	c.mu.Lock()
	ch := c.waiting[id]
	delete(c.waiting, id)
	c.mu.Unlock()
	if ch != nil {
		ch <- r
	}
}

// request sends a frame with a fresh id and waits for its answer.
func (c *rtConn) request(ctx context.Context, frame map[string]any) (json.RawMessage, error) {
	ch := make(chan rtReply, 1)
	c.mu.Lock()
	c.nextID++
	id := "r" + strconv.Itoa(c.nextID)
	c.waiting[id] = ch
	c.mu.Unlock()
	frame["id"] = id
	if err := c.send(ctx, frame); err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		return r.result, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// call runs a method.
func (c *rtConn) call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	if params == nil {
		params = []any{}
	}
	return c.request(ctx, map[string]any{"msg": "method", "method": method, "params": params})
}

// sub subscribes and waits for ready.
func (c *rtConn) sub(ctx context.Context, name string, params ...any) error {
	_, err := c.request(ctx, map[string]any{"msg": "sub", "name": name, "params": params})
	return err
}

func (c *rtConn) close() { _ = c.ws.Close(websocket.StatusNormalClosure, "") }

// restPost posts a JSON body with a user's credentials, returning the
// status and the decoded body; transport errors are returned, not fatal.
func restPost(ctx context.Context, hc *http.Client, base, path, uid, token string, body any) (int, map[string]any, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-User-Id", uid)
	req.Header.Set("X-Auth-Token", token)
	res, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, err
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out, nil
}

// ejsonTime reads an EJSON date ({"$date": ms}).
func ejsonTime(v any) time.Time {
	m, _ := v.(map[string]any)
	ms, _ := m["$date"].(float64)
	return time.UnixMilli(int64(ms))
}
