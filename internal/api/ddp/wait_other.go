//go:build !unix

package ddp

import (
	"bufio"
	"net"
)

// readWaiter does nothing where descriptors cannot be peeked at: the read
// loop then waits inside the WebSocket library.
type readWaiter struct{}

func newReadWaiter(net.Conn, *bufio.Reader) *readWaiter { return nil }

func (w *readWaiter) buffered() bool { return true }

func (w *readWaiter) park() {}
