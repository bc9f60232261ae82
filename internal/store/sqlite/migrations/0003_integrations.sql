-- 0003: webhooks (Rocket.Chat's integrations) and the history of the
-- outgoing ones' runs.

CREATE TABLE integrations (
	id         TEXT PRIMARY KEY,
	type       TEXT NOT NULL,              -- 'webhook-incoming' or 'webhook-outgoing'
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,              -- lower-cased name, for searches
	created_by TEXT NOT NULL,              -- creator's user id, for the "own" permissions
	enabled    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	doc        TEXT NOT NULL               -- JSON: the settings of the hook, creator and last editor
) STRICT;

-- Finding the outgoing webhooks to run on every message.
CREATE INDEX integrations_type ON integrations (type, created_at);

-- An outgoing webhook may run on every message: its history grows, is paged
-- newest first, and goes with its webhook.
CREATE TABLE integration_history (
	id             TEXT PRIMARY KEY,
	integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	doc            TEXT NOT NULL           -- JSON: event, step, what was sent and received
) STRICT;
CREATE INDEX integration_history_integration ON integration_history (integration_id, created_at);
