-- Python safe migration 20250522_add_stream_indices (_run_indices_migration).
CREATE INDEX IF NOT EXISTS idx_streams_streamer_id ON streams (streamer_id);
CREATE INDEX IF NOT EXISTS idx_streams_started_at ON streams (started_at);
CREATE INDEX IF NOT EXISTS idx_streams_title ON streams (title);
