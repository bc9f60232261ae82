//go:build unix

package ddp

import (
	"bufio"
	"net"
	"syscall"
)

// readWaiter parks an idle read loop until its socket has data, without
// reading it. A goroutine blocked deep inside the WebSocket library keeps
// a stack of several KiB, and idle connections are most of them; parked
// here, its stack is small enough for the garbage collector to shrink it
// to the minimum.
type readWaiter struct {
	rc syscall.RawConn
	rd *bufio.Reader
}

// newReadWaiter returns a waiter for conn, read through rd; nil when the
// connection gives no access to its descriptor.
func newReadWaiter(conn net.Conn, rd *bufio.Reader) *readWaiter {
	sc, ok := conn.(syscall.Conn)
	if !ok || rd == nil {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return &readWaiter{rc: rc, rd: rd}
}

// buffered reports whether the reader holds data already. The caller must
// make sure nothing else reads meanwhile.
func (w *readWaiter) buffered() bool { return w.rd.Buffered() > 0 }

// park returns once the socket has data, has ended, or has failed (which
// the next read reports).
func (w *readWaiter) park() {
	var b [1]byte
	_ = w.rc.Read(func(fd uintptr) bool {
		for {
			_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			switch err {
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
				return false // not readable yet: park until it is
			}
			return true
		}
	})
}
