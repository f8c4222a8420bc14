-- Python safe migration 20250617_add_proxy_settings. VARCHAR(255) here,
-- plain VARCHAR in create_all (the June reference).
ALTER TABLE global_settings ADD COLUMN IF NOT EXISTS http_proxy VARCHAR(255);
ALTER TABLE global_settings ADD COLUMN IF NOT EXISTS https_proxy VARCHAR(255);
