package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ddpConn is the load generator's DDP client. It speaks WebSocket itself,
// with a large read buffer and no per-frame allocation: the generator
// shares the machine with the server under test and should take as little
// of it as it can. Setup is synchronous; afterwards one goroutine reads.
type ddpConn struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex
	buf  []byte // payload of the last frame read
	next int
}

// dialDDP opens a socket to url (ws://host/path) and completes the
// WebSocket and DDP handshakes.
func dialDDP(ctx context.Context, url string) (*ddpConn, error) {
	hostPath, ok := strings.CutPrefix(url, "ws://")
	if !ok {
		return nil, fmt.Errorf("want a ws:// URL, got %q", url)
	}
	host, path, _ := strings.Cut(hostPath, "/")
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	req := "GET /" + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + base64.StdEncoding.EncodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(conn, 32<<10)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("upgrade: %s", res.Status)
	}
	c := &ddpConn{conn: conn, br: br}
	if err := c.send(map[string]any{"msg": "connect", "version": "1", "support": []string{"1"}}); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := c.await(func(b []byte) bool { return bytes.Contains(b, []byte(`"msg":"connected"`)) }); err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return c, nil
}

// writeFrame writes one masked client frame.
func (c *ddpConn) writeFrame(op byte, payload []byte) error {
	hdr := make([]byte, 0, 14+len(payload))
	hdr = append(hdr, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	for i, b := range payload {
		hdr = append(hdr, b^mask[i%4])
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.conn.Write(hdr)
	return err
}

func (c *ddpConn) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.writeFrame(0x1, b)
}

// readFrame reads the next data frame into c.buf, answering WebSocket
// pings and DDP pings. Server frames are unmasked and unfragmented.
func (c *ddpConn) readFrame() ([]byte, error) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		op, n := h[0]&0x0f, uint64(h[1]&0x7f)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(ext[:])
		}
		if n > 64<<20 {
			return nil, errors.New("frame too large")
		}
		if uint64(cap(c.buf)) < n {
			c.buf = make([]byte, n)
		}
		c.buf = c.buf[:n]
		if _, err := io.ReadFull(c.br, c.buf); err != nil {
			return nil, err
		}
		switch op {
		case 0x8:
			return nil, io.EOF
		case 0x9:
			if err := c.writeFrame(0xA, c.buf); err != nil {
				return nil, err
			}
			continue
		case 0xA:
			continue
		}
		if bytes.Equal(c.buf, []byte(`{"msg":"ping"}`)) {
			if err := c.writeFrame(0x1, []byte(`{"msg":"pong"}`)); err != nil {
				return nil, err
			}
			continue
		}
		return c.buf, nil
	}
}

// await reads frames until one matches.
func (c *ddpConn) await(match func([]byte) bool) ([]byte, error) {
	for {
		b, err := c.readFrame()
		if err != nil {
			return nil, err
		}
		if match(b) {
			return b, nil
		}
	}
}

func (c *ddpConn) id() string {
	c.next++
	return "l" + strconv.Itoa(c.next)
}

// call runs a method and fails on a method error.
func (c *ddpConn) call(ctx context.Context, method string, params ...any) error {
	return c.during(ctx, func() error {
		id := c.id()
		if err := c.send(map[string]any{"msg": "method", "id": id, "method": method, "params": params}); err != nil {
			return err
		}
		want := []byte(`"msg":"result","id":"` + id + `"`)
		b, err := c.await(func(b []byte) bool { return bytes.Contains(b, want) })
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(`"error":`)) {
			return fmt.Errorf("%s: %s", method, b)
		}
		return nil
	})
}

// sub subscribes and waits for ready.
func (c *ddpConn) sub(ctx context.Context, name string, params ...any) error {
	return c.during(ctx, func() error {
		id := c.id()
		if err := c.send(map[string]any{"msg": "sub", "id": id, "name": name, "params": params}); err != nil {
			return err
		}
		ready := []byte(`"subs":["` + id + `"]`)
		nosub := []byte(`"msg":"nosub","id":"` + id + `"`)
		b, err := c.await(func(b []byte) bool { return bytes.Contains(b, ready) || bytes.Contains(b, nosub) })
		if err != nil {
			return err
		}
		if bytes.Contains(b, nosub) {
			return fmt.Errorf("sub %s %v refused: %s", name, params, b)
		}
		return nil
	})
}

// during runs a setup step with the context's deadline on the socket.
func (c *ddpConn) during(ctx context.Context, fn func() error) error {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.conn.SetDeadline(dl)
		defer c.conn.SetDeadline(time.Time{})
	}
	return fn()
}

// login resumes a session with a token.
func (c *ddpConn) login(ctx context.Context, token string) error {
	return c.call(ctx, "login", map[string]any{"resume": token})
}

// readAll reads frames until the socket closes, passing each to fn (the
// frame is valid only during the call).
func (c *ddpConn) readAll(fn func(frame []byte, at time.Time)) {
	for {
		b, err := c.readFrame()
		if err != nil {
			return
		}
		if fn != nil {
			fn(b, time.Now())
		}
	}
}

func (c *ddpConn) close() {
	_ = c.writeFrame(0x8, []byte{0x03, 0xe8}) // 1000, normal closure
	_ = c.conn.Close()
}
