package ddp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// socketBufferSize is the size of each of a connection's read and write
// buffers. DDP frames from clients are small, and frames to clients are
// written whole; net/http's 4 KiB buffers, which a hijacked connection
// would otherwise keep for its whole life, cost more than the rest of an
// idle connection together.
const socketBufferSize = 1024

// smallBuffers wraps a ResponseWriter so that the WebSocket library, which
// keeps the hijacked connection's buffers, gets small ones. It remembers
// the connection and its reader, so that the read loop can wait for data
// (see waitReadable).
type smallBuffers struct {
	http.ResponseWriter
	conn net.Conn
	rd   *bufio.Reader
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (w *smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack takes the connection over with buffers of socketBufferSize. Bytes
// the client sent early (pipelined after the upgrade request) are kept.
func (w *smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Writer.Flush(); err != nil {
		conn.Close()
		return nil, nil, err
	}
	rd := bufio.NewReaderSize(conn, socketBufferSize)
	if n := brw.Reader.Buffered(); n > 0 {
		// The client's first bytes may already sit in net/http's buffer.
		// They must be in the new buffer too, not only ahead of it: the
		// WebSocket library keeps what is buffered and then reads the
		// connection directly.
		early, _ := brw.Reader.Peek(n)
		rd = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn), max(socketBufferSize, n))
		if _, err := rd.Peek(n); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	w.conn, w.rd = conn, rd
	return conn, bufio.NewReadWriter(rd, bufio.NewWriterSize(conn, socketBufferSize)), nil
}
