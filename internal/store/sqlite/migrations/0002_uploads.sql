-- 0002: uploaded files and avatars, and the bytes of those kept in the
-- database.
--
-- An upload is hidden (deleted = 1) in the same transaction that deletes
-- its message, room or user, by the triggers below, so that no code path
-- can forget it; the server then removes its bytes from wherever they are
-- kept (chunks here, a directory, an object store) and purges the row.

CREATE TABLE uploads (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,              -- 'file' or 'avatar'
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,              -- lower-cased name, for searches
	type       TEXT NOT NULL,
	type_group TEXT NOT NULL,
	size       INTEGER NOT NULL,
	rid        TEXT NOT NULL,
	u_id       TEXT NOT NULL,
	store      TEXT NOT NULL,              -- storage kind holding the bytes
	key        TEXT NOT NULL,              -- their name there
	complete   INTEGER NOT NULL,
	message_id TEXT NOT NULL,
	expires_at INTEGER NOT NULL,           -- unclaimed uploads go then; 0: never
	deleted    INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	doc        TEXT NOT NULL               -- JSON: uploader, description, etag, image details
) STRICT;

-- Listings of a room's files.
CREATE INDEX uploads_room ON uploads (rid, kind, created_at) WHERE deleted = 0 AND complete = 1;
-- The triggers' lookups.
CREATE INDEX uploads_message ON uploads (message_id);
CREATE INDEX uploads_rid ON uploads (rid);
-- Avatars by owner.
CREATE INDEX uploads_owner ON uploads (u_id, kind, rid, created_at);
-- What the sweeper looks at: its WHERE clause must match the query's.
CREATE INDEX uploads_purge ON uploads (created_at)
	WHERE deleted = 1 OR complete = 0 OR (expires_at > 0 AND message_id = '');

-- The database storage keeps each file in chunks, so that neither writing
-- nor reading one ever holds it whole in memory.
CREATE TABLE upload_chunks (
	upload_id TEXT NOT NULL,
	n         INTEGER NOT NULL,
	data      BLOB NOT NULL,
	PRIMARY KEY (upload_id, n)
) STRICT;

CREATE TRIGGER uploads_message_deleted AFTER DELETE ON messages BEGIN
	UPDATE uploads SET deleted = 1 WHERE message_id = old.id AND deleted = 0;
END;
-- A deleted message that must stay as a placeholder (a thread root) turns
-- into type 'rm' and loses its files.
CREATE TRIGGER uploads_message_removed AFTER UPDATE OF t ON messages
	WHEN new.t = 'rm' AND old.t <> 'rm' BEGIN
	UPDATE uploads SET deleted = 1 WHERE message_id = new.id AND deleted = 0;
END;
CREATE TRIGGER uploads_room_deleted AFTER DELETE ON rooms BEGIN
	UPDATE uploads SET deleted = 1 WHERE rid = old.id AND deleted = 0;
END;
CREATE TRIGGER uploads_user_deleted AFTER DELETE ON users BEGIN
	UPDATE uploads SET deleted = 1 WHERE u_id = old.id AND kind = 'avatar' AND rid = '' AND deleted = 0;
END;
