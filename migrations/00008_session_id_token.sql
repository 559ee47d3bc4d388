-- The provider's raw ID token of the sign-in that started a session, kept
-- so that signing out can end the session at the provider too
-- (RP-initiated logout sends it as id_token_hint). Empty for sessions of
-- providers without logout and for sessions from before this migration.

-- +goose Up
ALTER TABLE sessions ADD COLUMN id_token text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN id_token;
