package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// FileSystem keeps files in a directory, two levels deep by the first
// characters of their ids so that no directory grows huge.
type FileSystem struct {
	root string
}

// NewFileSystem returns the storage in directory root, creating it.
func NewFileSystem(root string) (*FileSystem, error) {
	if root == "" {
		return nil, fmt.Errorf("%w: FileUpload_FileSystemPath is empty", ErrNotConfigured)
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("upload: create %s: %w", root, err)
	}
	return &FileSystem{root: root}, nil
}

// Kind implements Storage.
func (s *FileSystem) Kind() string { return chat.StorageFileSystem }

// path returns where a key lives. Keys are made by Put from ids of
// Meteor's alphabet, but a key read from the database is checked anyway.
func (s *FileSystem) path(key string) (string, error) {
	if key == "" || !filepath.IsLocal(filepath.FromSlash(key)) {
		return "", fmt.Errorf("upload: bad file key %q", key)
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

// Key implements Storage: <first two characters of the id>/<id>.
func (s *FileSystem) Key(u *chat.Upload) string {
	prefix := "xx"
	if len(u.ID) >= 2 {
		prefix = u.ID[:2]
	}
	return prefix + "/" + u.ID
}

// Put writes r to a temporary file beside the target and renames it into
// place once complete, so that a failed or oversized upload leaves nothing.
func (s *FileSystem) Put(ctx context.Context, u *chat.Upload, r io.Reader, max int64) (int64, error) {
	key := s.Key(u)
	path, err := s.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return 0, fmt.Errorf("upload: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+u.ID+".part-*")
	if err != nil {
		return 0, fmt.Errorf("upload: %w", err)
	}
	n, err := io.Copy(tmp, ctxReader{ctx, LimitReader(r, max)})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return 0, err
	}
	u.Key = key
	return n, nil
}

// Open opens the file.
func (s *FileSystem) Open(_ context.Context, u *chat.Upload) (File, error) {
	path, err := s.path(u.Key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, chat.ErrNotFound("file")
	}
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("upload: %w", err)
	}
	return osFile{f, st.Size()}, nil
}

// Delete removes the file; a missing one is not an error.
func (s *FileSystem) Delete(_ context.Context, u *chat.Upload) error {
	if u.Key == "" {
		return nil // Put never finished
	}
	path, err := s.path(u.Key)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("upload: %w", err)
	}
	return nil
}

type osFile struct {
	*os.File
	size int64
}

func (f osFile) Size() int64 { return f.size }

// ctxReader stops reading once ctx is done, so that an abandoned upload
// stops writing.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
