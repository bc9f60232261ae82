-- 0003: webhooks (Rocket.Chat's integrations) and the history of the
-- outgoing ones' runs; the PostgreSQL twin of store/sqlite's 0003.

CREATE TABLE integrations (
	id         text COLLATE "C" PRIMARY KEY,
	type       text COLLATE "C" NOT NULL,      -- 'webhook-incoming' or 'webhook-outgoing'
	name       text COLLATE "C" NOT NULL,
	name_key   text COLLATE "C" NOT NULL,      -- lower-cased name, for searches
	created_by text COLLATE "C" NOT NULL,      -- creator's user id, for the "own" permissions
	enabled    boolean NOT NULL,
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	doc        jsonb NOT NULL                  -- the settings of the hook, creator and last editor
);

-- Finding the outgoing webhooks to run on every message.
CREATE INDEX integrations_type ON integrations (type, created_at);

-- An outgoing webhook may run on every message: its history grows, is paged
-- newest first, and goes with its webhook.
CREATE TABLE integration_history (
	id             text COLLATE "C" PRIMARY KEY,
	integration_id text COLLATE "C" NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
	created_at     bigint NOT NULL,
	updated_at     bigint NOT NULL,
	doc            jsonb NOT NULL              -- event, step, what was sent and received
);
CREATE INDEX integration_history_integration ON integration_history (integration_id, created_at);
