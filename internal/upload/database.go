package upload

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Database keeps files in the store, in chunks of chat.ChunkSize ("GridFS"
// in Rocket.Chat's settings). Every instance sharing the database reads
// them, so a cluster needs nothing more.
type Database struct {
	fs chat.FileStore
}

// NewDatabase returns the database storage on fs.
func NewDatabase(fs chat.FileStore) *Database { return &Database{fs: fs} }

// Kind implements Storage.
func (d *Database) Kind() string { return chat.StorageDatabase }

// Key implements Storage: the chunks are the upload's.
func (d *Database) Key(u *chat.Upload) string { return u.ID }

// Put writes r in chunks, one write per chunk, so that memory holds one
// chunk whatever the file's size.
func (d *Database) Put(ctx context.Context, u *chat.Upload, r io.Reader, max int64) (int64, error) {
	u.Key = d.Key(u)
	r = LimitReader(r, max)
	buf := make([]byte, chat.ChunkSize)
	var total int64
	for n := 0; ; n++ {
		k, err := io.ReadFull(r, buf)
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			d.cleanup(u)
			return 0, err
		}
		if k > 0 || n == 0 {
			if werr := d.fs.WriteChunk(ctx, u.Key, n, buf[:k]); werr != nil {
				d.cleanup(u)
				return 0, werr
			}
			total += int64(k)
		}
		if last {
			return total, nil
		}
	}
}

// cleanup removes what a failed Put wrote, even when its request was
// cancelled.
func (d *Database) cleanup(u *chat.Upload) {
	_ = d.fs.DeleteChunks(context.Background(), u.Key)
}

// Open returns a reader over u's chunks.
func (d *Database) Open(ctx context.Context, u *chat.Upload) (File, error) {
	src, err := d.fs.OpenChunks(ctx, u.Key)
	if err != nil {
		return nil, err
	}
	// The first chunk is read now, so that a file whose bytes are gone
	// fails here rather than in the middle of a response.
	first, err := src.ReadChunk(ctx, 0)
	if err != nil {
		src.Close()
		return nil, err
	}
	return &chunkFile{ctx: ctx, src: src, id: u.Key, size: u.Size, n: 0, buf: first}, nil
}

// Delete removes u's chunks.
func (d *Database) Delete(ctx context.Context, u *chat.Upload) error {
	if u.Key == "" {
		return nil
	}
	return d.fs.DeleteChunks(ctx, u.Key)
}

// chunkFile reads an upload chunk by chunk, holding at most one in memory.
type chunkFile struct {
	ctx  context.Context
	src  chat.ChunkReader
	id   string
	size int64
	off  int64
	n    int    // index of the chunk in buf, -1 for none
	buf  []byte // chunk n
}

func (f *chunkFile) Size() int64 { return f.size }

func (f *chunkFile) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	n := int(f.off / chat.ChunkSize)
	if n != f.n {
		data, err := f.src.ReadChunk(f.ctx, n)
		if err != nil {
			return 0, fmt.Errorf("upload: read chunk %d of %s: %w", n, f.id, err)
		}
		f.buf, f.n = data, n
	}
	start := int(f.off % chat.ChunkSize)
	if start >= len(f.buf) {
		return 0, io.ErrUnexpectedEOF // the stored chunks are shorter than the size says
	}
	k := copy(p, f.buf[start:])
	if rest := f.size - f.off; int64(k) > rest {
		k = int(rest)
	}
	f.off += int64(k)
	return k, nil
}

func (f *chunkFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	default:
		return 0, errors.New("upload: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("upload: negative position")
	}
	f.off = offset
	return offset, nil
}

func (f *chunkFile) Close() error {
	f.buf = nil
	return f.src.Close()
}
