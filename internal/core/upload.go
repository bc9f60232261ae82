package core

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/upload"
)

// FilesConfig wires Files.
type FilesConfig struct {
	// DataDir is where the FileSystem storage keeps files when
	// FileUpload_FileSystemPath is empty (DataDir/uploads).
	DataDir string
	Logger  *slog.Logger
	// SweepInterval is how often deleted, abandoned and expired uploads
	// are purged from their storage; default 5s (one indexed query when
	// there is nothing to do).
	SweepInterval time.Duration
	// StaleAfter is how long an upload may stay incomplete before it is
	// taken for abandoned; default 6h.
	StaleAfter time.Duration
	// FetchTimeout bounds fetching an avatar from a URL; default 10s.
	FetchTimeout time.Duration
	// AllowFetch, when set, decides which addresses an avatar URL may be
	// fetched from (for example: refuse loopback and private networks).
	// Nil takes the service's Config.AllowOutbound; fetches are always
	// bounded in size and time.
	AllowFetch func(netip.Addr) bool
	// S3Transport, when set, carries the S3 storage's requests (tests).
	S3Transport http.RoundTripper
}

// Files runs the use cases of uploaded files and avatars: limits, storage,
// file messages, listings, downloads, avatars, and the sweeper that removes
// the bytes of deleted uploads. It is safe for concurrent use.
type Files struct {
	s        *Service
	store    chat.Store
	storages *upload.Storages
	cfg      FilesConfig
	log      *slog.Logger
	fetch    *http.Client

	started  atomic.Bool
	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// NewFiles returns the file use cases on s. Call Start to run the sweeper.
func NewFiles(s *Service, cfg FilesConfig) *Files {
	if cfg.Logger == nil {
		cfg.Logger = s.log
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = 5 * time.Second
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = 6 * time.Hour
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = 10 * time.Second
	}
	if cfg.AllowFetch == nil {
		cfg.AllowFetch = s.allowOutbound
	}
	f := &Files{
		s: s, store: s.store, storages: upload.NewStorages(s.store), cfg: cfg, log: cfg.Logger,
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	f.fetch = newFetchClient(cfg)
	return f
}

// Service returns the core service the files belong to.
func (f *Files) Service() *Service { return f.s }

// storageConfig reads the storages' settings.
func (f *Files) storageConfig() upload.Config {
	s := f.s
	dir := s.SettingString("FileUpload_FileSystemPath")
	if dir == "" {
		dir = filepath.Join(f.cfg.DataDir, "uploads")
	}
	return upload.Config{
		FileSystemPath: dir,
		S3: upload.S3Config{
			Bucket:         s.SettingString("FileUpload_S3_Bucket"),
			Region:         s.SettingString("FileUpload_S3_Region"),
			BucketURL:      s.SettingString("FileUpload_S3_BucketURL"),
			ForcePathStyle: s.SettingBool("FileUpload_S3_ForcePathStyle"),
			AccessKeyID:    s.SettingString("FileUpload_S3_AWSAccessKeyId"),
			SecretKey:      s.SettingString("FileUpload_S3_AWSSecretAccessKey"),
			Transport:      f.cfg.S3Transport,
		},
	}
}

// storage returns the storage of a kind; "" is the one
// FileUpload_Storage_Type selects for new files.
func (f *Files) storage(kind string) (upload.Storage, error) {
	if kind == "" {
		kind = f.s.SettingString("FileUpload_Storage_Type")
	}
	st, err := f.storages.Get(kind, f.storageConfig())
	if err != nil {
		f.log.Error("file storage unusable", "storage", kind, "error", err)
		return nil, &chat.Error{Kind: chat.EUnavailable, Type: "error-file-storage", Message: "File storage is not available", Err: err}
	}
	return st, nil
}

// NewUpload is a file to store.
type NewUpload struct {
	RoomID string
	// Name and Type are what the client sent; Type may be empty.
	Name string
	Type string
	// Size is the length the client announced, or -1.
	Size int64
	Body io.Reader
	// Temporary uploads (rooms.media) are removed after a day unless a
	// message claims them (rooms.mediaConfirm).
	Temporary bool
}

// uploadTTL is how long a temporary upload waits for its message, as in
// Rocket.Chat.
const uploadTTL = 24 * time.Hour

// CheckUpload runs the checks that need no body: uploads enabled, the room
// accessible and writable for actor, and the announced size (-1: unknown)
// within the limit. The REST layer calls it before reading the request, so
// that a refused upload costs no transfer.
func (f *Files) CheckUpload(ctx context.Context, actor *chat.User, roomID string, size int64) (*chat.Room, error) {
	s := f.s
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	r, err := s.store.RoomByID(ctx, roomID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errUploadForbidden()
	}
	if err != nil {
		return nil, err
	}
	sub, err := s.readAccess(ctx, s.store, actor, r)
	if chat.IsKind(err, chat.ENotFound) && actor.Type != chat.UserTypeApp {
		return nil, errUploadForbidden()
	}
	if err != nil && actor.Type != chat.UserTypeApp {
		return nil, err
	}
	if !s.SettingBool("FileUpload_Enabled") {
		return nil, errUploadsDisabled()
	}
	if r.Type == chat.RoomDirect && !s.SettingBool("FileUpload_Enabled_Direct") {
		return nil, errDirectUploadsDisabled()
	}
	if max := s.maxFileSize(); max >= 0 && size > max {
		return nil, errFileTooLarge(max)
	}
	if err := s.requireWritable(ctx, actor, r, sub); err != nil {
		return nil, err
	}
	return r, nil
}

// errUploadForbidden is Rocket.Chat's answer to an upload into a room the
// caller cannot access: API.v1.forbidden().
func errUploadForbidden() error {
	return &chat.Error{Kind: chat.EForbidden, Message: "unauthorized"}
}

// Upload stores a file for actor in a room, after CheckUpload's checks,
// and returns the complete upload. The body is streamed to the storage
// through a counting limit: a file over FileUpload_MaxFileSize stops
// there, and a refused or failed upload leaves nothing behind. Images get
// their dimensions and a thumbnail.
func (f *Files) Upload(ctx context.Context, actor *chat.User, in NewUpload) (*chat.Upload, error) {
	r, err := f.CheckUpload(ctx, actor, in.RoomID, in.Size)
	if err != nil {
		return nil, err
	}
	name := uploadName(in.Name)
	body := bufio.NewReaderSize(in.Body, sniffLen)
	head, err := body.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, chat.ErrInvalidParam("could not read the file: %v", err)
	}
	typ, err := f.s.uploadType(in.Type, name, head)
	if err != nil {
		return nil, err
	}
	now := f.s.now()
	u := &chat.Upload{
		ID: chat.NewID(), Kind: chat.UploadFile, Name: name, Type: typ, TypeGroup: chat.TypeGroupOf(typ),
		RoomID: r.ID, User: actor.Ref(), CreatedAt: now, UpdatedAt: now,
	}
	if in.Temporary {
		u.ExpiresAt = now.Add(uploadTTL)
	}
	if err := f.put(ctx, u, body); err != nil {
		return nil, err
	}
	if _, ok := rasterTypes[typ]; ok {
		f.describeImage(ctx, u)
	}
	u.Complete, u.UpdatedAt = true, f.s.now()
	if err := f.store.UpdateUpload(ctx, u); err != nil {
		f.discard(u)
		return nil, err
	}
	f.log.Info("file uploaded", "upload_id", u.ID, "room_id", u.RoomID, "user_id", actor.ID, "size", u.Size, "storage", u.Store)
	return u, nil
}

// put records u, incomplete, and streams body into the current storage.
// On failure it removes whatever was written.
func (f *Files) put(ctx context.Context, u *chat.Upload, body io.Reader) error {
	st, err := f.storage("")
	if err != nil {
		return err
	}
	u.Store, u.Key = st.Kind(), st.Key(u)
	if err := f.store.CreateUpload(ctx, u); err != nil {
		return err
	}
	max := f.s.maxFileSize()
	n, err := st.Put(ctx, u, body, max)
	if err != nil {
		f.purge(u)
		if errors.Is(err, upload.ErrTooLarge) {
			return errFileTooLarge(max)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	u.Size, u.ETag = n, u.ID
	return nil
}

// purge removes an upload that failed before it was complete: its bytes,
// then its record. It runs even when the request was cancelled; what it
// cannot remove, the sweeper does.
func (f *Files) purge(u *chat.Upload) {
	ctx := context.Background()
	if st, err := f.storage(u.Store); err == nil {
		if err := st.Delete(ctx, u); err != nil {
			f.log.Warn("removing a failed upload", "upload_id", u.ID, "error", err)
			return
		}
	}
	if err := f.store.PurgeUpload(ctx, u.ID); err != nil {
		f.log.Warn("removing a failed upload", "upload_id", u.ID, "error", err)
	}
}

// discard deletes an upload that will not be used (with its thumbnail);
// the sweeper removes the bytes.
func (f *Files) discard(u *chat.Upload) {
	ctx := context.Background()
	for _, id := range []string{u.ThumbID, u.ID} {
		if id == "" {
			continue
		}
		if err := f.store.DeleteUpload(ctx, id); err != nil && !chat.IsKind(err, chat.ENotFound) {
			f.log.Warn("discarding an upload", "upload_id", id, "error", err)
		}
	}
}

// Start runs the sweeper until Close or ctx ends.
func (f *Files) Start(ctx context.Context) {
	if !f.started.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer close(f.done)
		t := time.NewTicker(f.cfg.SweepInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-f.stop:
				return
			case <-t.C:
				if _, err := f.Sweep(ctx); err != nil && ctx.Err() == nil {
					f.log.Warn("sweeping uploads", "error", err)
				}
			}
		}
	}()
}

// Close stops the sweeper and waits for it.
func (f *Files) Close() {
	f.stopOnce.Do(func() { close(f.stop) })
	if !f.started.Load() {
		return
	}
	select {
	case <-f.done:
	case <-time.After(10 * time.Second):
	}
}

// sweepBatch bounds the uploads purged per round.
const sweepBatch = 100

// Sweep removes the bytes and records of deleted uploads (directly, or
// with their message, room or user), of uploads abandoned incomplete, and
// of temporary uploads no message claimed in time. It returns how many it
// purged. Several instances may sweep at once: removing twice is harmless.
func (f *Files) Sweep(ctx context.Context) (int, error) {
	now := f.s.now()
	n := 0
	for {
		list, err := f.store.UploadsToPurge(ctx, now.Add(-f.cfg.StaleAfter), now, sweepBatch)
		if err != nil {
			return n, err
		}
		purged := 0
		for i := range list {
			u := &list[i]
			st, err := f.storage(u.Store)
			if err != nil {
				return n, err
			}
			if err := st.Delete(ctx, u); err != nil {
				f.log.Warn("removing the bytes of an upload", "upload_id", u.ID, "storage", u.Store, "error", err)
				continue
			}
			if err := f.store.PurgeUpload(ctx, u.ID); err != nil {
				return n, err
			}
			purged++
		}
		n += purged
		if len(list) < sweepBatch || purged == 0 {
			if n > 0 {
				f.log.Debug("uploads purged", "count", n)
			}
			return n, nil
		}
	}
}

// Open returns an upload's bytes from the storage that holds them.
func (f *Files) Open(ctx context.Context, u *chat.Upload) (upload.File, error) {
	st, err := f.storage(u.Store)
	if err != nil {
		return nil, err
	}
	return st.Open(ctx, u)
}

// Discard deletes an upload that will not be posted (a failed
// rooms.upload), with its thumbnail; the sweeper removes the bytes.
func (f *Files) Discard(u *chat.Upload) { f.discard(u) }

// ErrFileTooLarge returns Rocket.Chat's error for a file over the current
// limit.
func (f *Files) ErrFileTooLarge() error { return errFileTooLarge(f.s.maxFileSize()) }
