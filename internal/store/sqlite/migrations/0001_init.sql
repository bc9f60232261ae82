-- 0001: the initial schema.
--
-- Conventions: real columns for what is filtered, joined or sorted on; a JSON
-- document (doc) for the rest. Times are UTC milliseconds, 0 for the zero
-- time. JSON columns hold '' when empty. Keys lower-cased in Go (*_key,
-- search) give case-insensitive matching beyond ASCII, which SQLite's own
-- lower() and NOCASE do not.

-- Users -------------------------------------------------------------------

CREATE TABLE users (
	id                TEXT PRIMARY KEY,
	username          TEXT NOT NULL,
	username_key      TEXT NOT NULL,      -- lower-cased username
	name              TEXT NOT NULL,
	type              TEXT NOT NULL,
	active            INTEGER NOT NULL,
	status            TEXT NOT NULL,
	status_default    TEXT NOT NULL,
	status_connection TEXT NOT NULL,
	status_text       TEXT NOT NULL,
	roles             TEXT NOT NULL,      -- JSON array; user_roles indexes it
	search            TEXT NOT NULL,      -- lower-cased username, name and emails
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	last_login        INTEGER NOT NULL,
	doc               TEXT NOT NULL
) STRICT;

-- Users without a username yet (registration in progress) may coexist.
CREATE UNIQUE INDEX users_username_key ON users (username_key) WHERE username_key <> '';

-- Every address of every user, so that an address belongs to one user only.
CREATE TABLE user_emails (
	address_key TEXT PRIMARY KEY,         -- lower-cased address
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX user_emails_user ON user_emails (user_id);

CREATE TABLE user_roles (
	role    TEXT NOT NULL,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (role, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	last_part  TEXT NOT NULL,
	bypass_2fa INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tokens_user ON tokens (user_id, kind);

-- Rooms -------------------------------------------------------------------

CREATE TABLE rooms (
	id           TEXT PRIMARY KEY,
	t            TEXT NOT NULL,
	name         TEXT NOT NULL,
	fname        TEXT NOT NULL,
	search       TEXT NOT NULL,           -- lower-cased name and fname
	prid         TEXT NOT NULL,           -- parent room of a discussion
	team_id      TEXT NOT NULL,
	team_main    INTEGER NOT NULL,
	team_default INTEGER NOT NULL,
	is_default   INTEGER NOT NULL,
	archived     INTEGER NOT NULL,
	msgs         INTEGER NOT NULL,
	seq          INTEGER NOT NULL,        -- sequence number of the newest message
	users_count  INTEGER NOT NULL,
	lm           INTEGER NOT NULL,
	last_message TEXT NOT NULL,           -- JSON message document
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	doc          TEXT NOT NULL
) STRICT;

-- Direct-message rooms have no name; every other room has a unique one.
CREATE UNIQUE INDEX rooms_name ON rooms (name) WHERE t <> 'd';
CREATE INDEX rooms_team ON rooms (team_id) WHERE team_id <> '';
CREATE INDEX rooms_prid ON rooms (prid) WHERE prid <> '';

-- Subscriptions -----------------------------------------------------------

CREATE TABLE subscriptions (
	id            TEXT PRIMARY KEY,
	rid           TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	u_id          TEXT NOT NULL,
	u_username    TEXT NOT NULL,
	u_name        TEXT NOT NULL,
	name          TEXT NOT NULL,
	fname         TEXT NOT NULL,
	open          INTEGER NOT NULL,
	favorite      INTEGER NOT NULL,
	roles         TEXT NOT NULL,          -- JSON array, '' when none
	read_seq      INTEGER NOT NULL,       -- room seq the user has read up to
	ls            INTEGER NOT NULL,
	force_alert   INTEGER NOT NULL,
	notifications TEXT NOT NULL,          -- JSON object
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX subscriptions_room_user ON subscriptions (rid, u_id);
CREATE INDEX subscriptions_user ON subscriptions (u_id, updated_at);

-- Messages ----------------------------------------------------------------

-- pk is an explicit INTEGER PRIMARY KEY because the full-text index refers
-- to rows by rowid, and VACUUM (and so VACUUM INTO backups) may renumber
-- implicit rowids.
CREATE TABLE messages (
	pk            INTEGER PRIMARY KEY,
	id            TEXT NOT NULL UNIQUE,
	rid           TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	seq           INTEGER NOT NULL,
	ts            INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	u_id          TEXT NOT NULL,
	t             TEXT NOT NULL,
	tmid          TEXT NOT NULL,
	tshow         INTEGER NOT NULL,
	pinned        INTEGER NOT NULL,
	drid          TEXT NOT NULL,
	tcount        INTEGER NOT NULL,
	tlm           INTEGER NOT NULL,
	group_mention INTEGER NOT NULL,
	msg           TEXT NOT NULL,
	starred       TEXT NOT NULL,          -- JSON array of user ids, kept by StarMessage
	doc           TEXT NOT NULL
) STRICT;

-- History pages: a room's messages by time.
CREATE INDEX messages_room_ts ON messages (rid, ts, seq);
CREATE UNIQUE INDEX messages_room_seq ON messages (rid, seq);
-- Unread counts: the messages that count, after a read mark. Its WHERE
-- clause must match the one in the subscription queries word for word, or
-- SQLite will not use it; it carries every column those queries read, so
-- that counting never touches the table.
CREATE INDEX messages_unread ON messages (rid, seq, u_id, group_mention, t, tmid, tshow)
	WHERE t = '' AND (tmid = '' OR tshow = 1);
-- The partial indexes below list seq after ts, like messages_room_ts, so
-- that they deliver rows in the listing order and need no sort.
CREATE INDEX messages_thread ON messages (tmid, ts, seq) WHERE tmid <> '';
CREATE INDEX messages_thread_roots ON messages (rid, tlm) WHERE tcount > 0;
CREATE INDEX messages_room_updated ON messages (rid, updated_at);
CREATE INDEX messages_pinned ON messages (rid, ts, seq) WHERE pinned = 1;
CREATE INDEX messages_discussions ON messages (rid, ts, seq) WHERE drid <> '';

-- Full-text search over message text. It keeps token positions (the
-- default detail = full) although searches are words, not phrases: a word
-- in a script whose vowel signs the tokenizer treats as separators
-- (Devanagari, for one) is several tokens, and only a phrase query matches
-- it.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
	msg,
	content = 'messages',
	content_rowid = 'pk',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, msg) VALUES (new.pk, new.msg);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, msg) VALUES ('delete', old.pk, old.msg);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF msg ON messages WHEN old.msg IS NOT new.msg BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, msg) VALUES ('delete', old.pk, old.msg);
	INSERT INTO messages_fts (rowid, msg) VALUES (new.pk, new.msg);
END;

-- User mentions, for the mentioned users' counters; rid and seq let the
-- counter compare with a read mark without touching messages.
CREATE TABLE mentions (
	message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL,
	rid        TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	PRIMARY KEY (message_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX mentions_user ON mentions (user_id, rid, seq);

CREATE TABLE stars (
	message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL,
	PRIMARY KEY (message_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stars_user ON stars (user_id);

-- Thread read marks: a user has read thread tmid up to ls.
CREATE TABLE thread_reads (
	tmid    TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	ls      INTEGER NOT NULL,
	PRIMARY KEY (user_id, tmid)
) STRICT, WITHOUT ROWID;
CREATE INDEX thread_reads_tmid ON thread_reads (tmid);

-- Removals: tombstones of deleted rooms, subscriptions and messages, for
-- clients that sync with updatedSince. kind is 'room', 'subscription' or
-- 'message'; a room removal has one row per former member.
CREATE TABLE removals (
	kind       TEXT NOT NULL,
	id         TEXT NOT NULL,
	rid        TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	deleted_at INTEGER NOT NULL,
	PRIMARY KEY (kind, id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX removals_user ON removals (kind, user_id, deleted_at);
CREATE INDEX removals_room ON removals (kind, rid, deleted_at);

-- Teams -------------------------------------------------------------------

CREATE TABLE teams (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	search     TEXT NOT NULL,             -- lower-cased name
	type       INTEGER NOT NULL,
	rid        TEXT NOT NULL,
	created_by TEXT NOT NULL,             -- JSON user reference
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX teams_room ON teams (rid);

CREATE TABLE team_members (
	team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL,
	username   TEXT NOT NULL,
	name       TEXT NOT NULL,
	roles      TEXT NOT NULL,             -- JSON array, '' when none
	created_by TEXT NOT NULL,             -- JSON user reference
	created_at INTEGER NOT NULL,
	PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_members_user ON team_members (user_id);

-- Settings, permissions and roles -----------------------------------------

CREATE TABLE settings (
	id         TEXT PRIMARY KEY,
	value      TEXT NOT NULL,             -- JSON value
	env_locked INTEGER NOT NULL,
	ord        INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	doc        TEXT NOT NULL
) STRICT;

CREATE TABLE permissions (
	id         TEXT PRIMARY KEY,
	roles      TEXT NOT NULL,             -- JSON array
	grp        TEXT NOT NULL,
	position   INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE roles (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL,
	scope       TEXT NOT NULL,
	protected   INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;
