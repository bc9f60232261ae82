// Package uploadtest is the contract that every upload.Storage passes:
// round trips of every size around the chunk boundaries, seeks, the size
// limit, failures, and deletion, each leaving nothing behind.
package uploadtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/upload"
)

// Harness gives the contract a storage and a way to look behind it.
type Harness struct {
	Storage upload.Storage
	// Leftover reports whether anything of u's bytes (complete or partial)
	// is still kept.
	Leftover func(t *testing.T, u *chat.Upload) bool
}

// Run runs the contract; open returns a fresh, empty storage per test.
func Run(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"RoundTrip", testRoundTrip},
		{"Seek", testSeek},
		{"SizeLimit", testSizeLimit},
		{"FailedReader", testFailedReader},
		{"Delete", testDelete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// pattern returns n bytes that differ from chunk to chunk, so that a chunk
// read in the wrong place shows.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/chat.ChunkSize)
	}
	return b
}

func newUpload(typ string) *chat.Upload {
	return &chat.Upload{ID: chat.NewID(), Kind: chat.UploadFile, Name: "f", Type: typ}
}

// put stores data and returns the upload, as the core does: the size comes
// from Put.
func put(t *testing.T, h Harness, data []byte, max int64) (*chat.Upload, error) {
	t.Helper()
	u := newUpload("application/octet-stream")
	n, err := h.Storage.Put(t.Context(), u, bytes.NewReader(data), max)
	u.Size = n
	return u, err
}

func readAll(t *testing.T, h Harness, u *chat.Upload) []byte {
	t.Helper()
	f, err := h.Storage.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	if f.Size() != u.Size {
		t.Fatalf("Size() = %d, want %d", f.Size(), u.Size)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return b
}

func testRoundTrip(t *testing.T, h Harness) {
	for _, size := range []int{0, 1, chat.ChunkSize - 1, chat.ChunkSize, chat.ChunkSize + 1, 3*chat.ChunkSize + 17} {
		data := pattern(size)
		u, err := put(t, h, data, -1)
		if err != nil {
			t.Fatalf("put %d bytes: %v", size, err)
		}
		if u.Key == "" || u.Size != int64(size) {
			t.Fatalf("put %d bytes: key %q size %d", size, u.Key, u.Size)
		}
		if got := readAll(t, h, u); !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: read back %d bytes that differ", size, len(got))
		}
	}
	// Exactly the limit is allowed.
	data := pattern(chat.ChunkSize + 5)
	u, err := put(t, h, data, int64(len(data)))
	if err != nil {
		t.Fatalf("put at the limit: %v", err)
	}
	if got := readAll(t, h, u); !bytes.Equal(got, data) {
		t.Fatal("read back at the limit differs")
	}
}

func testSeek(t *testing.T, h Harness) {
	data := pattern(2*chat.ChunkSize + 100)
	u, err := put(t, h, data, -1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := h.Storage.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read := func(off int64, whence, n int, want []byte) {
		t.Helper()
		if _, err := f.Seek(off, whence); err != nil {
			t.Fatalf("seek %d/%d: %v", off, whence, err)
		}
		got := make([]byte, n)
		if _, err := io.ReadFull(f, got); err != nil {
			t.Fatalf("read after seek %d/%d: %v", off, whence, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("read after seek %d/%d: wrong bytes", off, whence)
		}
	}
	// Across a chunk boundary, backwards, from the end.
	read(chat.ChunkSize-10, io.SeekStart, 20, data[chat.ChunkSize-10:chat.ChunkSize+10])
	read(5, io.SeekStart, 10, data[5:15])
	read(-30, io.SeekEnd, 30, data[len(data)-30:])
	if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
		t.Fatalf("seek to end: %d %v", end, err)
	}
	if n, err := f.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Fatalf("read at end: %d %v", n, err)
	}
}

func testSizeLimit(t *testing.T, h Harness) {
	for _, size := range []int{11, chat.ChunkSize + 1, 3*chat.ChunkSize + 1} {
		u, err := put(t, h, pattern(size), int64(size-1))
		if !errors.Is(err, upload.ErrTooLarge) {
			t.Fatalf("%d bytes over a limit of %d: %v", size, size-1, err)
		}
		if h.Leftover(t, u) {
			t.Fatalf("%d bytes over the limit left something behind", size)
		}
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func testFailedReader(t *testing.T, h Harness) {
	boom := errors.New("client went away")
	u := newUpload("application/octet-stream")
	_, err := h.Storage.Put(t.Context(), u, &failingReader{bytes.NewReader(pattern(2*chat.ChunkSize + 3)), boom}, -1)
	if !errors.Is(err, boom) {
		t.Fatalf("put from a failing reader: %v", err)
	}
	if h.Leftover(t, u) {
		t.Fatal("a failed put left something behind")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	u = newUpload("application/octet-stream")
	if _, err := h.Storage.Put(ctx, u, bytes.NewReader(pattern(100)), -1); err == nil {
		t.Fatal("put with a cancelled context succeeded")
	}
	if h.Leftover(t, u) {
		t.Fatal("a cancelled put left something behind")
	}
}

func testDelete(t *testing.T, h Harness) {
	u, err := put(t, h, pattern(chat.ChunkSize*2), -1)
	if err != nil {
		t.Fatal(err)
	}
	other, err := put(t, h, pattern(10), -1)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Leftover(t, u) {
		t.Fatal("Leftover does not see a stored file")
	}
	if err := h.Storage.Delete(t.Context(), u); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if h.Leftover(t, u) {
		t.Fatal("delete left something behind")
	}
	if _, err := h.Storage.Open(t.Context(), u); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("open after delete: %v", err)
	}
	if err := h.Storage.Delete(t.Context(), u); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if got := readAll(t, h, other); !bytes.Equal(got, pattern(10)) {
		t.Fatal("deleting one file changed another")
	}
}
