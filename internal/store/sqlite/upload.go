package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const uploadColumns = `id, kind, name, type, type_group, size, rid, store, key, complete, message_id,
	expires_at, created_at, updated_at, doc`

func scanUpload(sc scanner) (*chat.Upload, error) {
	var (
		u                         chat.Upload
		expires, created, updated int64
		doc                       string
	)
	if err := sc.Scan(&u.ID, &u.Kind, &u.Name, &u.Type, &u.TypeGroup, &u.Size, &u.RoomID, &u.Store, &u.Key,
		&u.Complete, &u.MessageID, &expires, &created, &updated, &doc); err != nil {
		return nil, err
	}
	u.ExpiresAt, u.CreatedAt, u.UpdatedAt = fromMS(expires), fromMS(created), fromMS(updated)
	var d storedoc.Upload
	if err := fromJSON(doc, &d); err != nil {
		return nil, err
	}
	d.Apply(&u)
	return &u, nil
}

func collectUploads(rows *sql.Rows, err error) ([]chat.Upload, error) {
	return collect(rows, err, scanUpload)
}

// CreateUpload records a new upload; a known id is EConflict.
func (s *Store) CreateUpload(ctx context.Context, u *chat.Upload) error {
	doc, err := jsonText(storedoc.NewUpload(u))
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO uploads (id, kind, name, name_key, type, type_group, size, rid, u_id, store, key,
		complete, message_id, expires_at, deleted, created_at, updated_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
		u.ID, u.Kind, u.Name, fold(u.Name), u.Type, u.TypeGroup, u.Size, u.RoomID, u.User.ID, u.Store, u.Key,
		u.Complete, u.MessageID, ms(u.ExpiresAt), ms(u.CreatedAt), ms(u.UpdatedAt), doc)
	switch {
	case isUnique(err, ""):
		return conflict("error-duplicate", "upload "+u.ID+" already exists", err)
	case err != nil:
		return fmt.Errorf("create upload: %w", err)
	}
	return nil
}

// UpdateUpload writes an upload's changeable fields; a deleted or unknown
// upload is ENotFound.
func (s *Store) UpdateUpload(ctx context.Context, u *chat.Upload) error {
	doc, err := jsonText(storedoc.NewUpload(u))
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE uploads SET name = ?, name_key = ?, type = ?, type_group = ?, size = ?, rid = ?,
		u_id = ?, complete = ?, message_id = ?, expires_at = ?, updated_at = ?, doc = ?
		WHERE id = ? AND deleted = 0`,
		u.Name, fold(u.Name), u.Type, u.TypeGroup, u.Size, u.RoomID, u.User.ID, u.Complete, u.MessageID,
		ms(u.ExpiresAt), ms(u.UpdatedAt), doc, u.ID)
	if err != nil {
		return fmt.Errorf("update upload: %w", err)
	}
	return mustAffect(res, "upload")
}

// UploadByID returns an upload that is not deleted.
func (s *Store) UploadByID(ctx context.Context, id string) (*chat.Upload, error) {
	u, err := scanUpload(s.rd().QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = ? AND deleted = 0`, id))
	if err != nil {
		return nil, notFound(err, "upload", "upload by id")
	}
	return u, nil
}

var uploadSortColumns = map[string]string{"name": "name", "uploadedAt": "created_at", "size": "size", "type": "type"}

// ListUploads returns a page of complete uploads and the total.
func (s *Store) ListUploads(ctx context.Context, f chat.UploadFilter) ([]chat.Upload, int, error) {
	kind := f.Kind
	if kind == "" {
		kind = chat.UploadFile
	}
	w := &where{}
	w.add("deleted = 0 AND complete = 1")
	w.add("kind = ?", kind)
	if f.RoomID != "" {
		w.add("rid = ?", f.RoomID)
	}
	if f.UserID != "" {
		w.add("u_id = ?", f.UserID)
	}
	if f.TypeGroup != "" {
		w.add("type_group = ?", f.TypeGroup)
	}
	if f.NoThumbs {
		w.add("type_group <> ?", chat.TypeGroupThumb)
	}
	if f.Name != "" {
		w.add("instr(name_key, ?) > 0", fold(f.Name))
	}
	if !f.Before.IsZero() {
		w.add("created_at <= ?", ms(f.Before))
	}
	order, err := storedoc.OrderBy(f.Sort, uploadSortColumns, []chat.SortField{{Field: "name"}}, "id")
	if err != nil {
		return nil, 0, err
	}
	var (
		out   []chat.Upload
		total int
	)
	err = s.read(ctx, func(q querier) error {
		var err error
		out, err = collectUploads(q.QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads`+w.String()+order+
			page(f.Offset, f.Limit), w.args...))
		if err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT count(*) FROM uploads`+w.String(), w.args...).Scan(&total)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list uploads: %w", err)
	}
	return out, total, nil
}

// DeleteUpload hides an upload and queues it for purging.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `UPDATE uploads SET deleted = 1 WHERE id = ? AND deleted = 0`, id)
	if err != nil {
		return fmt.Errorf("delete upload: %w", err)
	}
	return mustAffect(res, "upload")
}

// UploadsToPurge lists the uploads whose bytes are to be removed, oldest
// first. The first condition is the partial index's, word for word.
func (s *Store) UploadsToPurge(ctx context.Context, staleBefore, now time.Time, limit int) ([]chat.Upload, error) {
	out, err := collectUploads(s.rd().QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads
		WHERE (deleted = 1 OR complete = 0 OR (expires_at > 0 AND message_id = ''))
		AND (deleted = 1 OR (complete = 0 AND created_at < ?) OR (expires_at > 0 AND expires_at < ? AND message_id = ''))
		ORDER BY created_at, id`+page(0, limit), ms(staleBefore), ms(now)))
	if err != nil {
		return nil, fmt.Errorf("uploads to purge: %w", err)
	}
	return out, nil
}

// purgeBatch bounds the chunks deleted per write transaction, so that
// purging a large file never holds the writer for long.
const purgeBatch = 64

// PurgeUpload removes an upload's chunks, a batch per transaction, then its
// record.
func (s *Store) PurgeUpload(ctx context.Context, id string) error {
	if err := s.DeleteChunks(ctx, id); err != nil {
		return err
	}
	if _, err := s.exec(ctx, `DELETE FROM uploads WHERE id = ?`, id); err != nil {
		return fmt.Errorf("purge upload: %w", err)
	}
	return nil
}

// DeleteChunks removes an upload's chunks; outside a transaction, a batch
// at a time.
func (s *Store) DeleteChunks(ctx context.Context, uploadID string) error {
	if s.tx != nil {
		if _, err := s.tx.ExecContext(ctx, `DELETE FROM upload_chunks WHERE upload_id = ?`, uploadID); err != nil {
			return fmt.Errorf("delete chunks: %w", err)
		}
		return nil
	}
	for {
		res, err := s.exec(ctx, `DELETE FROM upload_chunks WHERE upload_id = ? AND n IN
			(SELECT n FROM upload_chunks WHERE upload_id = ? ORDER BY n LIMIT ?)`, uploadID, uploadID, purgeBatch)
		if err != nil {
			return fmt.Errorf("delete chunks: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n < purgeBatch {
			return err
		}
	}
}

// WriteChunk stores chunk n of an upload.
func (s *Store) WriteChunk(ctx context.Context, uploadID string, n int, data []byte) error {
	if data == nil {
		data = []byte{} // NOT NULL
	}
	_, err := s.exec(ctx, `INSERT INTO upload_chunks (upload_id, n, data) VALUES (?, ?, ?)
		ON CONFLICT (upload_id, n) DO UPDATE SET data = excluded.data`, uploadID, n, data)
	if err != nil {
		return fmt.Errorf("write chunk: %w", err)
	}
	return nil
}

// ReadChunk returns chunk n of an upload.
func (s *Store) ReadChunk(ctx context.Context, uploadID string, n int) ([]byte, error) {
	var data []byte
	err := s.rd().QueryRowContext(ctx, `SELECT data FROM upload_chunks WHERE upload_id = ? AND n = ?`, uploadID, n).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, chat.ErrNotFound("chunk")
	}
	if err != nil {
		return nil, fmt.Errorf("read chunk: %w", err)
	}
	return data, nil
}

// AvatarOf returns the newest complete avatar of a user or a room.
func (s *Store) AvatarOf(ctx context.Context, userID, roomID string) (*chat.Upload, error) {
	var row *sql.Row
	if roomID != "" {
		row = s.rd().QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads
			WHERE rid = ? AND kind = 'avatar' AND complete = 1 AND deleted = 0 ORDER BY created_at DESC, id DESC LIMIT 1`, roomID)
	} else {
		row = s.rd().QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads
			WHERE u_id = ? AND kind = 'avatar' AND rid = '' AND complete = 1 AND deleted = 0
			ORDER BY created_at DESC, id DESC LIMIT 1`, userID)
	}
	u, err := scanUpload(row)
	if err != nil {
		return nil, notFound(err, "avatar", "avatar of")
	}
	return u, nil
}

// downloadCacheKiB is the page cache of a download's connection: a file
// streamed once gains nothing from caching, and the shared readers' caches
// (16 MB each) would otherwise fill with its pages.
const downloadCacheKiB = 256

// OpenChunks opens a connection of its own for one download, with a small
// page cache, so that streaming a large file neither evicts the shared
// readers' caches nor grows them. Each chunk is read in its own statement:
// no snapshot is held between chunks, so checkpoints go on meanwhile.
func (s *Store) OpenChunks(ctx context.Context, uploadID string) (chat.ChunkReader, error) {
	if s.tx != nil {
		return storeChunks{s, uploadID}, nil
	}
	db, err := sql.Open("sqlite", s.dsn+fmt.Sprintf("&_pragma=cache_size(-%d)&_pragma=query_only(1)", downloadCacheKiB))
	if err != nil {
		return nil, unavailable("sqlite: open chunks", err)
	}
	db.SetMaxOpenConns(1)
	return &chunkConn{db: db, id: uploadID}, nil
}

// storeChunks reads chunks through a Store (inside a transaction).
type storeChunks struct {
	s  *Store
	id string
}

func (c storeChunks) ReadChunk(ctx context.Context, n int) ([]byte, error) {
	return c.s.ReadChunk(ctx, c.id, n)
}
func (c storeChunks) Close() error { return nil }

// chunkConn reads chunks on a download's own connection.
type chunkConn struct {
	db *sql.DB
	id string
}

func (c *chunkConn) ReadChunk(ctx context.Context, n int) ([]byte, error) {
	var data []byte
	err := c.db.QueryRowContext(ctx, `SELECT data FROM upload_chunks WHERE upload_id = ? AND n = ?`, c.id, n).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, chat.ErrNotFound("chunk")
	}
	if err != nil {
		return nil, fmt.Errorf("read chunk: %w", err)
	}
	return data, nil
}

func (c *chunkConn) Close() error { return c.db.Close() }
