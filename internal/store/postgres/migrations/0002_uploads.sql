-- 0002: uploaded files and avatars, and the bytes of those kept in the
-- database; the PostgreSQL twin of store/sqlite's 0002.
--
-- An upload is hidden (deleted) in the same transaction that deletes its
-- message, room or user, by the triggers below, so that no code path can
-- forget it; the server then removes its bytes from wherever they are kept
-- (chunks here, a directory, an object store) and purges the row.

CREATE TABLE uploads (
	id         text COLLATE "C" PRIMARY KEY,
	kind       text COLLATE "C" NOT NULL,      -- 'file' or 'avatar'
	name       text COLLATE "C" NOT NULL,
	name_key   text COLLATE "C" NOT NULL,      -- lower-cased name, for searches
	type       text COLLATE "C" NOT NULL,
	type_group text COLLATE "C" NOT NULL,
	size       bigint NOT NULL,
	rid        text COLLATE "C" NOT NULL,
	u_id       text COLLATE "C" NOT NULL,
	store      text COLLATE "C" NOT NULL,      -- storage kind holding the bytes
	key        text COLLATE "C" NOT NULL,      -- their name there
	complete   boolean NOT NULL,
	message_id text COLLATE "C" NOT NULL,
	expires_at bigint NOT NULL,                -- unclaimed uploads go then; 0: never
	deleted    boolean NOT NULL DEFAULT false,
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	doc        jsonb NOT NULL                  -- uploader, description, etag, image details
);

-- Listings of a room's files.
CREATE INDEX uploads_room ON uploads (rid, kind, created_at) WHERE NOT deleted AND complete;
-- The triggers' lookups.
CREATE INDEX uploads_message ON uploads (message_id);
CREATE INDEX uploads_rid ON uploads (rid);
-- Avatars by owner.
CREATE INDEX uploads_owner ON uploads (u_id, kind, rid, created_at);
-- What the sweeper looks at: its WHERE clause is repeated in the query.
CREATE INDEX uploads_purge ON uploads (created_at)
	WHERE deleted OR NOT complete OR (expires_at > 0 AND message_id = '');

-- The database storage keeps each file in chunks, so that neither writing
-- nor reading one ever holds it whole in memory. The bytes are mostly
-- compressed already (images, archives): they are stored out of line as
-- they are, without another round of compression.
CREATE TABLE upload_chunks (
	upload_id text COLLATE "C" NOT NULL,
	n         integer NOT NULL,
	data      bytea NOT NULL,
	PRIMARY KEY (upload_id, n)
);
ALTER TABLE upload_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Deleting messages hides their files. A statement-level trigger, so that
-- deleting a room's many messages (by cascade) updates the uploads once.
CREATE FUNCTION uploads_hide_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE uploads u SET deleted = true FROM gone WHERE u.message_id = gone.id AND NOT u.deleted;
	RETURN NULL;
END $$;
CREATE TRIGGER uploads_message_deleted AFTER DELETE ON messages
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION uploads_hide_messages();

-- A deleted message that must stay as a placeholder (a thread root) turns
-- into type 'rm' and loses its files.
CREATE FUNCTION uploads_hide_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE uploads SET deleted = true WHERE message_id = NEW.id AND NOT deleted;
	RETURN NULL;
END $$;
CREATE TRIGGER uploads_message_removed AFTER UPDATE OF t ON messages
	FOR EACH ROW WHEN (NEW.t = 'rm' AND OLD.t <> 'rm') EXECUTE FUNCTION uploads_hide_message();

CREATE FUNCTION uploads_hide_room() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE uploads SET deleted = true WHERE rid = OLD.id AND NOT deleted;
	RETURN NULL;
END $$;
CREATE TRIGGER uploads_room_deleted AFTER DELETE ON rooms
	FOR EACH ROW EXECUTE FUNCTION uploads_hide_room();

CREATE FUNCTION uploads_hide_avatars() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE uploads SET deleted = true WHERE u_id = OLD.id AND kind = 'avatar' AND rid = '' AND NOT deleted;
	RETURN NULL;
END $$;
CREATE TRIGGER uploads_user_deleted AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION uploads_hide_avatars();
