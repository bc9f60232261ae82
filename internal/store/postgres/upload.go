package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const uploadColumns = `id, kind, name, type, type_group, size, rid, store, key, complete, message_id,
	expires_at, created_at, updated_at, doc`

func scanUpload(sc scanner) (*chat.Upload, error) {
	var (
		u                         chat.Upload
		expires, created, updated int64
		doc                       []byte
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

func collectUploads(rows pgx.Rows, err error) ([]chat.Upload, error) {
	return collect(rows, err, scanUpload)
}

// CreateUpload records a new upload; a known id is EConflict, reported
// without raising an error, which would abort the caller's transaction.
func (s *Store) CreateUpload(ctx context.Context, u *chat.Upload) error {
	doc, err := jsonDoc(storedoc.NewUpload(u))
	if err != nil {
		return wrap("create upload", err)
	}
	tag, err := s.exec(ctx, `INSERT INTO uploads (id, kind, name, name_key, type, type_group, size, rid, u_id, store,
		key, complete, message_id, expires_at, deleted, created_at, updated_at, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, false, $15, $16, $17)
		ON CONFLICT (id) DO NOTHING`,
		u.ID, u.Kind, u.Name, fold(u.Name), u.Type, u.TypeGroup, u.Size, u.RoomID, u.User.ID, u.Store, u.Key,
		u.Complete, u.MessageID, ms(u.ExpiresAt), ms(u.CreatedAt), ms(u.UpdatedAt), doc)
	switch {
	case err != nil:
		return wrap("create upload", err)
	case tag.RowsAffected() == 0:
		return conflict("error-duplicate", "upload "+u.ID+" already exists", nil)
	}
	return nil
}

// UpdateUpload writes an upload's changeable fields; a deleted or unknown
// upload is ENotFound.
func (s *Store) UpdateUpload(ctx context.Context, u *chat.Upload) error {
	doc, err := jsonDoc(storedoc.NewUpload(u))
	if err != nil {
		return wrap("update upload", err)
	}
	tag, err := s.exec(ctx, `UPDATE uploads SET name = $1, name_key = $2, type = $3, type_group = $4, size = $5,
		rid = $6, u_id = $7, complete = $8, message_id = $9, expires_at = $10, updated_at = $11, doc = $12
		WHERE id = $13 AND NOT deleted`,
		u.Name, fold(u.Name), u.Type, u.TypeGroup, u.Size, u.RoomID, u.User.ID, u.Complete, u.MessageID,
		ms(u.ExpiresAt), ms(u.UpdatedAt), doc, u.ID)
	if err != nil {
		return wrap("update upload", err)
	}
	return mustAffect(tag, "upload")
}

// UploadByID returns an upload that is not deleted; on a Store bound to a
// transaction the row stays locked.
func (s *Store) UploadByID(ctx context.Context, id string) (*chat.Upload, error) {
	var u *chat.Upload
	err := s.with(ctx, func(c conn) (err error) {
		u, err = scanUpload(c.QueryRow(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = $1 AND NOT deleted`+s.lock(""), id))
		return err
	})
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
	order, err := storedoc.OrderBy(f.Sort, uploadSortColumns, []chat.SortField{{Field: "name"}}, "id")
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add("NOT deleted AND complete")
	w.add("kind = " + w.arg(kind))
	if f.RoomID != "" {
		w.add("rid = " + w.arg(f.RoomID))
	}
	if f.UserID != "" {
		w.add("u_id = " + w.arg(f.UserID))
	}
	if f.TypeGroup != "" {
		w.add("type_group = " + w.arg(f.TypeGroup))
	}
	if f.NoThumbs {
		w.add("type_group <> " + w.arg(chat.TypeGroupThumb))
	}
	if f.Name != "" {
		w.contains("name_key", f.Name)
	}
	if !f.Before.IsZero() {
		w.add("created_at <= " + w.arg(ms(f.Before)))
	}
	var (
		out   []chat.Upload
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM uploads`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+uploadColumns+` FROM uploads`+w.String()+order+page(f.Offset, f.Limit), w.args...).
		Query(func(rows pgx.Rows) (err error) {
			out, err = collectUploads(rows, nil)
			return err
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list uploads", err)
	}
	return out, total, nil
}

// DeleteUpload hides an upload and queues it for purging.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	tag, err := s.exec(ctx, `UPDATE uploads SET deleted = true WHERE id = $1 AND NOT deleted`, id)
	if err != nil {
		return wrap("delete upload", err)
	}
	return mustAffect(tag, "upload")
}

// UploadsToPurge lists the uploads whose bytes are to be removed, oldest
// first. The first condition is the partial index's, word for word.
func (s *Store) UploadsToPurge(ctx context.Context, staleBefore, now time.Time, limit int) ([]chat.Upload, error) {
	var out []chat.Upload
	err := s.with(ctx, func(c conn) (err error) {
		out, err = collectUploads(c.Query(ctx, `SELECT `+uploadColumns+` FROM uploads
			WHERE (deleted OR NOT complete OR (expires_at > 0 AND message_id = ''))
			AND (deleted OR (NOT complete AND created_at < $1) OR (expires_at > 0 AND expires_at < $2 AND message_id = ''))
			ORDER BY created_at, id`+page(0, limit), ms(staleBefore), ms(now)))
		return err
	})
	if err != nil {
		return nil, wrap("uploads to purge", err)
	}
	return out, nil
}

// purgeBatch bounds the chunks deleted per statement, so that purging a
// large file never holds its rows, or a transaction, for long.
const purgeBatch = 64

// PurgeUpload removes an upload's chunks, then its record. An unknown id
// is no error: another instance may have purged it.
func (s *Store) PurgeUpload(ctx context.Context, id string) error {
	if err := s.DeleteChunks(ctx, id); err != nil {
		return err
	}
	if _, err := s.exec(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return wrap("purge upload", err)
	}
	return nil
}

// DeleteChunks removes an upload's chunks; outside a transaction, a batch
// at a time.
func (s *Store) DeleteChunks(ctx context.Context, uploadID string) error {
	if s.tx != nil {
		if _, err := s.exec(ctx, `DELETE FROM upload_chunks WHERE upload_id = $1`, uploadID); err != nil {
			return wrap("delete chunks", err)
		}
		return nil
	}
	for {
		tag, err := s.exec(ctx, `DELETE FROM upload_chunks WHERE upload_id = $1 AND n IN
			(SELECT n FROM upload_chunks WHERE upload_id = $1 ORDER BY n LIMIT $2)`, uploadID, purgeBatch)
		if err != nil {
			return wrap("delete chunks", err)
		}
		if tag.RowsAffected() < purgeBatch {
			return nil
		}
	}
}

// WriteChunk stores chunk n of an upload, replacing it if it exists.
func (s *Store) WriteChunk(ctx context.Context, uploadID string, n int, data []byte) error {
	if data == nil {
		data = []byte{} // NOT NULL
	}
	_, err := s.exec(ctx, `INSERT INTO upload_chunks (upload_id, n, data) VALUES ($1, $2, $3)
		ON CONFLICT (upload_id, n) DO UPDATE SET data = excluded.data`, uploadID, n, data)
	if err != nil {
		return wrap("write chunk", err)
	}
	return nil
}

// ReadChunk returns chunk n of an upload; a missing chunk is ENotFound.
func (s *Store) ReadChunk(ctx context.Context, uploadID string, n int) ([]byte, error) {
	var data []byte
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `SELECT data FROM upload_chunks WHERE upload_id = $1 AND n = $2`, uploadID, n).Scan(&data)
	})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, chat.ErrNotFound("chunk")
	case err != nil:
		return nil, wrap("read chunk", err)
	}
	return data, nil
}

// AvatarOf returns the newest complete avatar of a user (roomID empty) or of
// a room.
func (s *Store) AvatarOf(ctx context.Context, userID, roomID string) (*chat.Upload, error) {
	var u *chat.Upload
	err := s.with(ctx, func(c conn) (err error) {
		if roomID != "" {
			u, err = scanUpload(c.QueryRow(ctx, `SELECT `+uploadColumns+` FROM uploads
				WHERE rid = $1 AND kind = 'avatar' AND complete AND NOT deleted
				ORDER BY created_at DESC, id DESC LIMIT 1`, roomID))
		} else {
			u, err = scanUpload(c.QueryRow(ctx, `SELECT `+uploadColumns+` FROM uploads
				WHERE u_id = $1 AND kind = 'avatar' AND rid = '' AND complete AND NOT deleted
				ORDER BY created_at DESC, id DESC LIMIT 1`, userID))
		}
		return err
	})
	if err != nil {
		return nil, notFound(err, "avatar", "avatar of")
	}
	return u, nil
}

// OpenChunks returns a reader of an upload's chunks on the pool: each
// chunk is one query, and the database's cache is the server's, not ours.
func (s *Store) OpenChunks(_ context.Context, uploadID string) (chat.ChunkReader, error) {
	return storeChunks{s, uploadID}, nil
}

type storeChunks struct {
	s  *Store
	id string
}

func (c storeChunks) ReadChunk(ctx context.Context, n int) ([]byte, error) {
	return c.s.ReadChunk(ctx, c.id, n)
}
func (c storeChunks) Close() error { return nil }
