-- 0001: the initial schema, the PostgreSQL twin of store/sqlite's 0001.
--
-- Conventions, shared with SQLite so that both stores behave alike: real
-- columns for what is filtered, joined or sorted on; a jsonb document (doc)
-- for the rest. Times are UTC milliseconds in bigint columns, 0 for the zero
-- time. Keys lower-cased in Go (*_key, search) give the same case-insensitive
-- matching on both engines. Text columns use the "C" collation, so that
-- ordering and uniqueness are bytewise like SQLite's, whatever collation the
-- database was created with.

-- Users -------------------------------------------------------------------

CREATE TABLE users (
	id                text COLLATE "C" PRIMARY KEY,
	username          text COLLATE "C" NOT NULL,
	username_key      text COLLATE "C" NOT NULL,   -- lower-cased username
	name              text COLLATE "C" NOT NULL,
	type              text COLLATE "C" NOT NULL,
	active            boolean NOT NULL,
	status            text COLLATE "C" NOT NULL,
	status_default    text COLLATE "C" NOT NULL,
	status_connection text COLLATE "C" NOT NULL,
	status_text       text COLLATE "C" NOT NULL,
	roles             text[] NOT NULL,
	search            text COLLATE "C" NOT NULL,   -- lower-cased username, name and emails
	created_at        bigint NOT NULL,
	updated_at        bigint NOT NULL,
	last_login        bigint NOT NULL,
	doc               jsonb NOT NULL
);

-- Users without a username yet (registration in progress) may coexist.
CREATE UNIQUE INDEX users_username_key ON users (username_key) WHERE username_key <> '';
CREATE INDEX users_roles ON users USING gin (roles);

-- Every address of every user, so that an address belongs to one user only.
CREATE TABLE user_emails (
	address_key text COLLATE "C" PRIMARY KEY,     -- lower-cased address
	user_id     text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX user_emails_user ON user_emails (user_id);

CREATE TABLE tokens (
	hash       text COLLATE "C" PRIMARY KEY,
	user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	last_part  text COLLATE "C" NOT NULL,
	bypass_2fa boolean NOT NULL,
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id, kind);

-- Rooms -------------------------------------------------------------------

-- Every post updates its room's row (seq, msgs, last message). None of those
-- columns is indexed, so with free space on the page the update is HOT: no
-- index is touched and the old version is pruned in place.
CREATE TABLE rooms (
	id           text COLLATE "C" PRIMARY KEY,
	t            text COLLATE "C" NOT NULL,
	name         text COLLATE "C" NOT NULL,
	fname        text COLLATE "C" NOT NULL,
	search       text COLLATE "C" NOT NULL,    -- lower-cased name and fname
	prid         text COLLATE "C" NOT NULL,    -- parent room of a discussion
	team_id      text COLLATE "C" NOT NULL,
	team_main    boolean NOT NULL,
	team_default boolean NOT NULL,
	is_default   boolean NOT NULL,
	archived     boolean NOT NULL,
	msgs         bigint NOT NULL,
	seq          bigint NOT NULL,              -- sequence number of the newest message
	users_count  bigint NOT NULL,
	lm           bigint NOT NULL,
	last_message jsonb,                        -- the whole last message, or NULL
	created_at   bigint NOT NULL,
	updated_at   bigint NOT NULL,
	doc          jsonb NOT NULL
) WITH (fillfactor = 70);

-- Direct-message rooms have no name; every other room has a unique one.
CREATE UNIQUE INDEX rooms_name ON rooms (name) WHERE t <> 'd';
CREATE INDEX rooms_team ON rooms (team_id) WHERE team_id <> '';
CREATE INDEX rooms_prid ON rooms (prid) WHERE prid <> '';

-- Subscriptions -----------------------------------------------------------

CREATE TABLE subscriptions (
	id            text COLLATE "C" PRIMARY KEY,
	rid           text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	u_id          text COLLATE "C" NOT NULL,
	u_username    text COLLATE "C" NOT NULL,
	u_name        text COLLATE "C" NOT NULL,
	name          text COLLATE "C" NOT NULL,
	fname         text COLLATE "C" NOT NULL,
	open          boolean NOT NULL,
	favorite      boolean NOT NULL,
	roles         text[] NOT NULL,
	read_seq      bigint NOT NULL,             -- room seq the user has read up to
	ls            bigint NOT NULL,
	force_alert   boolean NOT NULL,
	notifications jsonb NOT NULL,
	created_at    bigint NOT NULL,
	updated_at    bigint NOT NULL
);
CREATE UNIQUE INDEX subscriptions_room_user ON subscriptions (rid, u_id);
CREATE INDEX subscriptions_user ON subscriptions (u_id, updated_at);

-- Messages ----------------------------------------------------------------

CREATE TABLE messages (
	id            text COLLATE "C" PRIMARY KEY,
	rid           text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	seq           bigint NOT NULL,
	ts            bigint NOT NULL,
	updated_at    bigint NOT NULL,
	u_id          text COLLATE "C" NOT NULL,
	t             text COLLATE "C" NOT NULL,
	tmid          text COLLATE "C" NOT NULL,
	tshow         boolean NOT NULL,
	pinned        boolean NOT NULL,
	drid          text COLLATE "C" NOT NULL,
	tcount        bigint NOT NULL,
	tlm           bigint NOT NULL,
	group_mention boolean NOT NULL,
	msg           text NOT NULL,
	starred       text[] COLLATE "C" NOT NULL, -- user ids, sorted; kept by StarMessage
	replies       text[] COLLATE "C" NOT NULL, -- a thread root's followers
	tsv           tsvector NOT NULL,           -- the words of msg, folded in Go (search.go)
	doc           jsonb NOT NULL
);

-- History pages: a room's messages by time.
CREATE INDEX messages_room_ts ON messages (rid, ts, seq);
CREATE UNIQUE INDEX messages_room_seq ON messages (rid, seq);
-- Unread counts: the messages that count, after a read mark. Its WHERE
-- clause is repeated word for word in the subscription queries, so that
-- the planner can prove they imply it; it includes what those queries read,
-- so that counting can be an index-only scan.
CREATE INDEX messages_unread ON messages (rid, seq) INCLUDE (u_id, group_mention)
	WHERE t = '' AND (tmid = '' OR tshow);
CREATE INDEX messages_thread ON messages (tmid, ts, seq) WHERE tmid <> '';
CREATE INDEX messages_thread_roots ON messages (rid, tlm, seq) WHERE tcount > 0;
CREATE INDEX messages_room_updated ON messages (rid, updated_at);
CREATE INDEX messages_pinned ON messages (rid, ts, seq) WHERE pinned;
CREATE INDEX messages_discussions ON messages (rid, ts, seq) WHERE drid <> '';
CREATE INDEX messages_starred ON messages USING gin (starred) WHERE cardinality(starred) > 0;
CREATE INDEX messages_search ON messages USING gin (tsv);

-- User mentions, for the mentioned users' counters; rid and seq let the
-- counter compare with a read mark without touching messages.
CREATE TABLE mentions (
	message_id text COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	user_id    text COLLATE "C" NOT NULL,
	rid        text COLLATE "C" NOT NULL,
	seq        bigint NOT NULL,
	PRIMARY KEY (message_id, user_id)
);
CREATE INDEX mentions_user ON mentions (user_id, rid, seq);

-- Thread read marks: a user has read thread tmid up to ls.
CREATE TABLE thread_reads (
	tmid    text COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	user_id text COLLATE "C" NOT NULL,
	ls      bigint NOT NULL,
	PRIMARY KEY (user_id, tmid)
);
CREATE INDEX thread_reads_tmid ON thread_reads (tmid);

-- Removals: tombstones of deleted rooms, subscriptions and messages, for
-- clients that sync with updatedSince. kind is 'room', 'subscription' or
-- 'message'; a room removal has one row per former member.
CREATE TABLE removals (
	kind       text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	rid        text COLLATE "C" NOT NULL,
	user_id    text COLLATE "C" NOT NULL,
	deleted_at bigint NOT NULL,
	PRIMARY KEY (kind, id, user_id)
);
CREATE INDEX removals_user ON removals (kind, user_id, deleted_at);
CREATE INDEX removals_room ON removals (kind, rid, deleted_at);

-- Teams -------------------------------------------------------------------

CREATE TABLE teams (
	id         text COLLATE "C" PRIMARY KEY,
	name       text COLLATE "C" NOT NULL,
	search     text COLLATE "C" NOT NULL,      -- lower-cased name
	type       integer NOT NULL,
	rid        text COLLATE "C" NOT NULL,
	created_by jsonb NOT NULL,                 -- user reference
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	CONSTRAINT teams_name UNIQUE (name)
);
CREATE INDEX teams_room ON teams (rid);

CREATE TABLE team_members (
	team_id    text COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id    text COLLATE "C" NOT NULL,
	username   text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	roles      text[] NOT NULL,
	created_by jsonb NOT NULL,                 -- user reference
	created_at bigint NOT NULL,
	PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- Settings, permissions and roles -----------------------------------------

CREATE TABLE settings (
	id         text COLLATE "C" PRIMARY KEY,
	value      jsonb NOT NULL,
	env_locked boolean NOT NULL,
	ord        bigint NOT NULL,
	updated_at bigint NOT NULL,
	doc        jsonb NOT NULL
);

CREATE TABLE permissions (
	id         text COLLATE "C" PRIMARY KEY,
	roles      text[] NOT NULL,
	grp        text COLLATE "C" NOT NULL,
	position   bigint NOT NULL,
	updated_at bigint NOT NULL
);

CREATE TABLE roles (
	id          text COLLATE "C" PRIMARY KEY,
	name        text COLLATE "C" NOT NULL,
	description text COLLATE "C" NOT NULL,
	scope       text COLLATE "C" NOT NULL,
	protected   boolean NOT NULL,
	updated_at  bigint NOT NULL
);
