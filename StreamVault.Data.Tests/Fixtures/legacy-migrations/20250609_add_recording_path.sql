-- Python safe migration 20250609_add_recording_path. Hand-applied it used
-- VARCHAR(1024), whereas create_all (the June reference) makes plain VARCHAR.
ALTER TABLE streams ADD COLUMN IF NOT EXISTS recording_path VARCHAR(1024);
