-- Python safe migration 20250620_add_system_config. Differs from create_all:
-- CURRENT_TIMESTAMP instead of now() defaults.
CREATE TABLE IF NOT EXISTS system_config (
	id SERIAL PRIMARY KEY,
	key VARCHAR NOT NULL UNIQUE,
	value TEXT NOT NULL,
	description VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_system_config_key ON system_config(key);
