package upload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// S3Config is Rocket.Chat's FileUpload_S3_* settings.
type S3Config struct {
	Bucket string
	Region string
	// BucketURL is the endpoint, e.g. https://s3.eu-west-1.amazonaws.com
	// or http://minio:9000; empty means AWS.
	BucketURL      string
	ForcePathStyle bool
	AccessKeyID    string
	SecretKey      string
	// Transport, when set, carries the requests (tests).
	Transport http.RoundTripper
}

// s3PartSize is the size of the parts of a multipart upload: Put holds one
// part in memory, so it bounds the memory an upload takes, and with S3's
// 10,000 parts it allows files of up to 80 GiB.
const s3PartSize = 8 << 20

// s3SmallFile is the size up to which a file is sent in one request.
const s3SmallFile = 1 << 20

// S3 keeps files in a bucket of an S3-compatible object store.
type S3 struct {
	c      *minio.Client
	bucket string
}

// NewS3 returns the storage for cfg. It does not contact the store.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, fmt.Errorf("%w: FileUpload_S3_Bucket is empty", ErrNotConfigured)
	}
	endpoint, secure := "s3.amazonaws.com", true
	if cfg.BucketURL != "" {
		u, err := url.Parse(cfg.BucketURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("upload: FileUpload_S3_BucketURL %q is not a URL", cfg.BucketURL)
		}
		endpoint, secure = u.Host, u.Scheme != "http"
	}
	lookup := minio.BucketLookupAuto
	if cfg.ForcePathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretKey, ""),
		Secure:       secure,
		Region:       cfg.Region,
		BucketLookup: lookup,
		Transport:    cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("upload: s3 client: %w", err)
	}
	return &S3{c: c, bucket: cfg.Bucket}, nil
}

// Kind implements Storage.
func (s *S3) Kind() string { return chat.StorageS3 }

// Client returns the S3 client, for tests that create buckets.
func (s *S3) Client() *minio.Client { return s.c }

// Key implements Storage: uploads/<id>, or avatars/<id>.
func (s *S3) Key(u *chat.Upload) string {
	if u.IsAvatar() {
		return "avatars/" + u.ID
	}
	return "uploads/" + u.ID
}

// Put streams r as a multipart upload, one part in memory at a time. A
// failed upload is aborted, so no object appears.
func (s *S3) Put(ctx context.Context, u *chat.Upload, r io.Reader, max int64) (int64, error) {
	key := s.Key(u)
	lr := &limitReader{r: r, max: max}
	opts := minio.PutObjectOptions{ContentType: u.Type, PartSize: s3PartSize,
		// Payloads are not signed chunk by chunk: over TLS (the usual case)
		// they need not be, and streaming signatures are not understood
		// by every S3-compatible store.
		DisableContentSha256: true}
	// A small file (most of them) goes in one request of known length; a
	// larger one as a multipart upload of unknown length.
	head := make([]byte, s3SmallFile)
	k, err := io.ReadFull(ctxReader{ctx, lr}, head)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		_, err = s.c.PutObject(ctx, s.bucket, key, bytes.NewReader(head[:k]), int64(k), opts)
	case err == nil:
		_, err = s.c.PutObject(ctx, s.bucket, key, io.MultiReader(bytes.NewReader(head), ctxReader{ctx, lr}), -1, opts)
	}
	if lr.max >= 0 && lr.n > lr.max {
		err = ErrTooLarge
	}
	if err != nil {
		// The multipart upload was aborted; an object written anyway
		// (a race with the abort) is removed.
		_ = s.c.RemoveObject(context.WithoutCancel(ctx), s.bucket, key, minio.RemoveObjectOptions{})
		if errors.Is(err, ErrTooLarge) {
			return 0, ErrTooLarge
		}
		return 0, fmt.Errorf("upload: s3 put: %w", err)
	}
	u.Key = key
	return lr.n, nil
}

// Open returns the object; reads after a seek fetch only the range asked
// for.
func (s *S3) Open(ctx context.Context, u *chat.Upload) (File, error) {
	obj, err := s.c.GetObject(ctx, s.bucket, u.Key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s3Error(err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, s3Error(err)
	}
	return s3File{obj, st.Size}, nil
}

// Delete removes the object; S3 reports no error for a missing one.
func (s *S3) Delete(ctx context.Context, u *chat.Upload) error {
	if u.Key == "" {
		return nil
	}
	if err := s.c.RemoveObject(ctx, s.bucket, u.Key, minio.RemoveObjectOptions{}); err != nil {
		if isS3NotFound(err) {
			return nil
		}
		return fmt.Errorf("upload: s3 delete: %w", err)
	}
	return nil
}

func s3Error(err error) error {
	if isS3NotFound(err) {
		return chat.ErrNotFound("file")
	}
	return fmt.Errorf("upload: s3: %w", err)
}

func isS3NotFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == "NoSuchKey" || code == "NotFound" || strings.Contains(code, "NotFound")
}

type s3File struct {
	*minio.Object
	size int64
}

func (f s3File) Size() int64 { return f.size }
