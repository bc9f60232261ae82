package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Storage keeps the bytes of uploads.
type Storage interface {
	// Kind is the storage's FileUpload_Storage_Type key.
	Kind() string
	// Key returns the name under which u's bytes are kept, from its id
	// and kind alone, so that it can be recorded before they are written
	// (and found again if the writer dies half-way).
	Key(u *chat.Upload) string
	// Put stores the bytes that r yields as u's, under Key(u), and sets
	// u.Key. It reads
	// at most max+1 bytes (max < 0: no limit): when r holds more than max,
	// it stores nothing and returns ErrTooLarge. Any failure leaves
	// nothing behind. It returns the number of bytes stored.
	Put(ctx context.Context, u *chat.Upload, r io.Reader, max int64) (int64, error)
	// Open returns u's bytes, as a reader that seeks (range requests).
	Open(ctx context.Context, u *chat.Upload) (File, error)
	// Delete removes u's bytes. Bytes that are already gone are not an
	// error, so that deleting twice (two instances sweeping) is harmless.
	Delete(ctx context.Context, u *chat.Upload) error
}

// File is an opened upload. Size is known without reading it.
type File interface {
	io.ReadSeekCloser
	Size() int64
}

// ErrTooLarge is Put's error for input over the size limit.
var ErrTooLarge = errors.New("upload: file too large")

// ErrNotConfigured is the error of a storage whose settings are missing
// (no bucket, no directory).
var ErrNotConfigured = errors.New("upload: storage not configured")

// limitReader reads from r and fails with ErrTooLarge once more than max
// bytes came through (max < 0: no limit). Unlike io.LimitReader it tells a
// body that ends at the limit from one that goes on.
type limitReader struct {
	r   io.Reader
	max int64
	n   int64
}

// LimitReader returns a reader of r that fails with ErrTooLarge once r has
// yielded more than max bytes; max < 0 means no limit.
func LimitReader(r io.Reader, max int64) io.Reader { return &limitReader{r: r, max: max} }

func (l *limitReader) Read(p []byte) (int, error) {
	if l.max >= 0 && int64(len(p)) > l.max-l.n+1 {
		p = p[:l.max-l.n+1]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.max >= 0 && l.n > l.max {
		return 0, ErrTooLarge
	}
	return n, err
}

// Config is what the three storages need, from Rocket.Chat's settings.
type Config struct {
	// FileSystemPath is the directory of the FileSystem storage.
	FileSystemPath string
	S3             S3Config
}

// Storages builds and caches the storage of each kind for the current
// configuration: the settings may change while the server runs, and files
// stay readable from the storage that holds them.
type Storages struct {
	db chat.FileStore

	mu    sync.Mutex
	cache map[string]cached // by kind
}

type cached struct {
	cfg Config
	st  Storage
}

// NewStorages returns the storages; the database storage keeps its chunks
// in db.
func NewStorages(db chat.FileStore) *Storages {
	return &Storages{db: db, cache: map[string]cached{}}
}

// Get returns the storage of the given kind for cfg, reusing the one built
// for the same configuration.
func (s *Storages) Get(kind string, cfg Config) (Storage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch kind {
	case chat.StorageDatabase, "":
		return NewDatabase(s.db), nil
	case chat.StorageFileSystem:
		cfg = Config{FileSystemPath: cfg.FileSystemPath}
	case chat.StorageS3:
		cfg = Config{S3: cfg.S3}
	default:
		return nil, fmt.Errorf("upload: unknown storage type %q", kind)
	}
	if c, ok := s.cache[kind]; ok && c.cfg == cfg {
		return c.st, nil
	}
	var (
		st  Storage
		err error
	)
	if kind == chat.StorageFileSystem {
		st, err = NewFileSystem(cfg.FileSystemPath)
	} else {
		st, err = NewS3(cfg.S3)
	}
	if err != nil {
		return nil, err
	}
	s.cache[kind] = cached{cfg: cfg, st: st}
	return st, nil
}
