-- Tracking table of the Python "safe" migration system, as in the June
-- reference; no rows (tests insert the ones they need).
CREATE TABLE IF NOT EXISTS applied_migrations (
	id SERIAL PRIMARY KEY,
	migration_name VARCHAR(255) UNIQUE NOT NULL,
	applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	success BOOLEAN DEFAULT TRUE
);
