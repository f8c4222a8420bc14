-- Variant of 20250620_add_push_subscriptions where is_active has no default
-- (as in create_all); created_at/updated_at still use CURRENT_TIMESTAMP.
-- Inline PRIMARY KEY/UNIQUE get the same default names as create_all's
-- (push_subscriptions_pkey, push_subscriptions_endpoint_key).
CREATE TABLE IF NOT EXISTS push_subscriptions (
	id SERIAL PRIMARY KEY,
	endpoint VARCHAR NOT NULL UNIQUE,
	subscription_data TEXT NOT NULL,
	user_agent VARCHAR,
	is_active BOOLEAN NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_endpoint ON push_subscriptions (endpoint);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_is_active ON push_subscriptions (is_active);
