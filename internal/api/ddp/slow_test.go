//go:build unix

package ddp_test

import (
	"context"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/liftoff-chat/liftoff/internal/api/ddp"
)

// TestSlowConsumerDisconnected checks that a client that stops reading is
// disconnected with the slow-consumer code, and counted, instead of
// making the server buffer without bound.
func TestSlowConsumerDisconnected(t *testing.T) {
	t.Parallel()
	// The pending-request limit is lifted, so that only the send queue can
	// end the connection.
	// Small socket buffers on both sides keep the kernel from absorbing
	// megabytes of answers before the server's queue is what fills up.
	s := newStackWith(t, ddp.Config{MaxPending: 1 << 20}, 8, func(c net.Conn) {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(4096)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dialer := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) }); err != nil {
			return err
		}
		return serr
	}}
	hc := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	ws, _, err := websocket.Dial(ctx, s.url, &websocket.DialOptions{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 30)
	send := func(frame string) error { return ws.Write(ctx, websocket.MessageText, []byte(frame)) }
	if err := send(`{"msg":"connect","version":"1","support":["1"]}`); err != nil {
		t.Fatal(err)
	}
	// Ask for large answers and never read them: once the socket's buffers
	// are full, the answers pile up in the send queue.
	sent := 0
	for i := 0; i < 5000 && s.hub.Stats().SlowConsumers == 0; i++ {
		sent++
		if err := send(`{"msg":"method","id":"m","method":"public-settings/get","params":[]}`); err != nil {
			t.Logf("send %d: %v", i, err)
			break
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for s.hub.Stats().SlowConsumers == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.hub.Stats().SlowConsumers; n != 1 {
		t.Fatalf("slow consumers counted: %d (sent %d requests; handler %+v, hub %+v)", n, sent, s.handler.Stats(), s.hub.Stats())
	}
	// What was written before the close is still there, then the close.
	for {
		if _, _, err := ws.Read(ctx); err != nil {
			if code := websocket.CloseStatus(err); code != 4001 {
				t.Fatalf("close status %v (%v), want 4001", code, err)
			}
			break
		}
	}
}
