package upload_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/sqlite"
	"github.com/liftoff-chat/liftoff/internal/upload"
	"github.com/liftoff-chat/liftoff/internal/upload/uploadtest"
)

func TestDatabase(t *testing.T) {
	uploadtest.Run(t, func(t *testing.T) uploadtest.Harness {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db"), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return uploadtest.Harness{
			Storage: upload.NewDatabase(st),
			Leftover: func(t *testing.T, u *chat.Upload) bool {
				_, err := st.ReadChunk(context.Background(), u.ID, 0)
				return err == nil
			},
		}
	})
}

func TestFileSystem(t *testing.T) {
	uploadtest.Run(t, func(t *testing.T) uploadtest.Harness {
		root := t.TempDir()
		st, err := upload.NewFileSystem(root)
		if err != nil {
			t.Fatal(err)
		}
		return uploadtest.Harness{
			Storage: st,
			Leftover: func(t *testing.T, u *chat.Upload) bool {
				found := false
				// Anything named after the upload, complete or partial.
				_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() && filepath.Base(path) != "" &&
						(filepath.Base(path) == u.ID || len(filepath.Base(path)) > len(u.ID) && filepath.Base(path)[1:1+len(u.ID)] == u.ID) {
						found = true
					}
					return nil
				})
				return found
			},
		}
	})
}

func TestFileSystemNeedsPath(t *testing.T) {
	if _, err := upload.NewFileSystem(""); err == nil {
		t.Fatal("an empty path was accepted")
	}
}

// fakeS3 serves the S3 protocol in process (gofakes3) and returns a
// storage on a new bucket in it.
func fakeS3(t *testing.T) (*upload.S3, string) {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	st, err := upload.NewS3(upload.S3Config{
		Bucket: "liftoff", Region: "us-east-1", BucketURL: srv.URL, ForcePathStyle: true,
		AccessKeyID: "key", SecretKey: "secret",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Client().MakeBucket(t.Context(), "liftoff", minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return st, srv.URL
}

func TestS3(t *testing.T) {
	uploadtest.Run(t, func(t *testing.T) uploadtest.Harness {
		st, _ := fakeS3(t)
		return uploadtest.Harness{
			Storage: st,
			Leftover: func(t *testing.T, u *chat.Upload) bool {
				for obj := range st.Client().ListObjects(context.Background(), "liftoff", minio.ListObjectsOptions{Recursive: true}) {
					if obj.Err != nil {
						t.Fatal(obj.Err)
					}
					if filepath.Base(obj.Key) == u.ID {
						return true
					}
				}
				for up := range st.Client().ListIncompleteUploads(context.Background(), "liftoff", "", true) {
					if up.Err == nil && filepath.Base(up.Key) == u.ID {
						return true
					}
				}
				return false
			},
		}
	})
}

func TestS3NeedsBucket(t *testing.T) {
	if _, err := upload.NewS3(upload.S3Config{}); err == nil {
		t.Fatal("an empty bucket was accepted")
	}
	if _, err := upload.NewS3(upload.S3Config{Bucket: "b", BucketURL: "::"}); err == nil {
		t.Fatal("a bad endpoint was accepted")
	}
}

func TestStoragesCache(t *testing.T) {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := upload.NewStorages(st)
	dir := t.TempDir()
	a, err := s.Get(chat.StorageFileSystem, upload.Config{FileSystemPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Get(chat.StorageFileSystem, upload.Config{FileSystemPath: dir, S3: upload.S3Config{Bucket: "x"}})
	if a != b {
		t.Fatal("an unrelated setting rebuilt the storage")
	}
	c, _ := s.Get(chat.StorageFileSystem, upload.Config{FileSystemPath: t.TempDir()})
	if c == a {
		t.Fatal("a new path kept the old storage")
	}
	if _, err := s.Get("Nope", upload.Config{}); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if d, err := s.Get(chat.StorageDatabase, upload.Config{}); err != nil || d.Kind() != chat.StorageDatabase {
		t.Fatalf("database: %v", err)
	}
}
