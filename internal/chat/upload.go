package chat

import (
	"context"
	"strings"
	"time"
)

// Upload kinds: a file posted in a room, or the avatar of a user or room.
const (
	UploadFile   = "file"
	UploadAvatar = "avatar"
)

// Storage kinds, with the keys of Rocket.Chat's FileUpload_Storage_Type.
// "GridFS" is the database (named so for compatibility with Rocket.Chat's
// settings): the bytes live in the store, in chunks.
const (
	StorageDatabase   = "GridFS"
	StorageFileSystem = "FileSystem"
	StorageS3         = "AmazonS3"
)

// ChunkSize is the size of the chunks in which the database storage keeps
// a file's bytes (MongoDB GridFS's default), so that no file is ever held
// whole in memory.
const ChunkSize = 255 << 10

// TypeGroupThumb is the type group of generated thumbnails, which file
// listings leave out.
const TypeGroupThumb = "thumb"

// Upload is an uploaded file: its metadata, and where its bytes are.
//
// A new upload is incomplete until its bytes are stored; listings and
// downloads see only complete ones. Deleting the message or the room it
// belongs to deletes it: the store hides it at once (in the same
// transaction) and lists it in UploadsToPurge, so that the bytes can be
// removed from wherever they are kept.
type Upload struct {
	ID          string
	Kind        string // UploadFile or UploadAvatar
	Name        string
	Type        string // media type, e.g. image/png
	TypeGroup   string // first part of Type (image, video, ...), or TypeGroupThumb
	Size        int64
	RoomID      string  // the room (files, room avatars)
	User        UserRef // who uploaded it; for user avatars, whose avatar it is
	Description string

	// Store is the storage kind that holds the bytes (StorageDatabase,
	// StorageFileSystem or StorageS3), Key their name there.
	Store string
	Key   string
	ETag  string

	Complete bool
	// MessageID is the message that posted the file, once posted.
	MessageID string
	// ExpiresAt, when set, is when an upload that no message claimed is
	// removed (rooms.media without rooms.mediaConfirm).
	ExpiresAt time.Time

	// Images: dimensions (0 when unknown), format ("png", "jpeg", ...) and
	// the generated thumbnail; a thumbnail points to its original.
	Width      int
	Height     int
	Format     string
	ThumbID    string
	OriginalID string
	CreatedAt  time.Time // Rocket.Chat's uploadedAt
	UpdatedAt  time.Time
}

// IsAvatar reports whether the upload is an avatar.
func (u *Upload) IsAvatar() bool { return u.Kind == UploadAvatar }

// TypeGroupOf returns Rocket.Chat's type group of a media type: the part
// before the slash ("image" for image/png).
func TypeGroupOf(mediaType string) string {
	g, _, _ := strings.Cut(mediaType, "/")
	return strings.ToLower(strings.TrimSpace(g))
}

// UploadFilter selects complete uploads. Zero fields do not filter.
type UploadFilter struct {
	Kind      string // default UploadFile
	RoomID    string
	UserID    string
	TypeGroup string
	// Name matches a part of the name, case-insensitively.
	Name string
	// NoThumbs leaves generated thumbnails out.
	NoThumbs bool
	// Before keeps uploads created at or before it.
	Before time.Time
	Offset int
	Limit  int
	// Sort accepts name, uploadedAt, size and type; the default is name.
	Sort []SortField
}

// ChunkReader reads the chunks of one upload (FileStore.OpenChunks).
type ChunkReader interface {
	// ReadChunk returns chunk n; a missing chunk is ENotFound.
	ReadChunk(ctx context.Context, n int) ([]byte, error)
	Close() error
}

// FileStore keeps uploads: their metadata and, for the database storage,
// their bytes in chunks of ChunkSize.
type FileStore interface {
	// CreateUpload records a new upload. A known id is EConflict.
	CreateUpload(ctx context.Context, u *Upload) error
	// UpdateUpload writes every field of u but ID, Kind, Store, Key and
	// CreatedAt. A deleted or unknown upload is ENotFound.
	UpdateUpload(ctx context.Context, u *Upload) error
	// UploadByID returns an upload, complete or not, unless deleted.
	UploadByID(ctx context.Context, id string) (*Upload, error)
	// ListUploads returns a page of complete uploads and the total.
	ListUploads(ctx context.Context, f UploadFilter) ([]Upload, int, error)
	// DeleteUpload hides an upload at once and queues it for purging.
	// Deleting a deleted or unknown upload is ENotFound.
	DeleteUpload(ctx context.Context, id string) error
	// UploadsToPurge lists, oldest first, the uploads whose bytes should be
	// removed: deleted ones (directly, or with their message, room or
	// user), incomplete ones created before staleBefore, and unclaimed
	// ones whose ExpiresAt is before now.
	UploadsToPurge(ctx context.Context, staleBefore, now time.Time, limit int) ([]Upload, error)
	// PurgeUpload removes an upload's record and its chunks for good. An
	// unknown id is not an error (another instance may have purged it).
	PurgeUpload(ctx context.Context, id string) error

	// WriteChunk stores chunk n (from 0) of an upload's bytes, replacing
	// it if it exists.
	WriteChunk(ctx context.Context, uploadID string, n int, data []byte) error
	// ReadChunk returns chunk n of an upload's bytes; a missing chunk is
	// ENotFound.
	ReadChunk(ctx context.Context, uploadID string, n int) ([]byte, error)
	// OpenChunks returns a reader of one upload's chunks for a download:
	// the store may give it resources of its own (a connection whose cache
	// a large file does not fill), released by Close.
	OpenChunks(ctx context.Context, uploadID string) (ChunkReader, error)
	// DeleteChunks removes an upload's chunks.
	DeleteChunks(ctx context.Context, uploadID string) error

	// AvatarOf returns the newest complete avatar of a user (roomID
	// empty) or of a room (roomID set), or ENotFound.
	AvatarOf(ctx context.Context, userID, roomID string) (*Upload, error)
}
