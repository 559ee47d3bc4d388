-- The editorial workflow: users (keyed by OpenID issuer and subject),
-- server-side sessions, submissions with comments, every published product
-- version, the append-only audit log and personal API tokens.
-- User ids in submissions and the audit log are kept as text, so that the
-- log survives the deletion of a user and names whoever acted.

-- +goose Up
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    issuer        text NOT NULL,
    subject       text NOT NULL,
    name          text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    roles         text[] NOT NULL DEFAULT '{}',
    organizations text[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);

-- Only a SHA-256 of the cookie value is stored: a leaked table does not
-- yield usable cookies.
CREATE TABLE sessions (
    id_hash         bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    idle_timeout    interval NOT NULL,
    absolute_expiry timestamptz NOT NULL,
    csrf_token      text NOT NULL,
    user_agent      text NOT NULL DEFAULT '',
    revoked         boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE NOT revoked;
CREATE INDEX sessions_expiry_idx ON sessions (absolute_expiry);

CREATE TABLE submissions (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('new', 'change')),
    target_slug   text NOT NULL,
    organization  text NOT NULL,
    author        text NOT NULL,
    proposed      jsonb NOT NULL,
    base_version  integer NOT NULL DEFAULT 0,
    state         text NOT NULL CHECK (state IN ('draft', 'submitted', 'in_review', 'changes_requested',
                      'approved', 'rejected', 'withdrawn')),
    level_before  integer NOT NULL DEFAULT -1,
    level_after   integer NOT NULL DEFAULT -1,
    proposers     text[] NOT NULL DEFAULT '{}',
    approvals     jsonb NOT NULL DEFAULT '[]',
    due_at        timestamptz,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    submitted_at  timestamptz,
    decided_at    timestamptz
);
CREATE INDEX submissions_state_idx ON submissions (state, updated_at);
CREATE INDEX submissions_org_idx ON submissions (organization, updated_at DESC);
CREATE INDEX submissions_target_idx ON submissions (target_slug);

CREATE TABLE submission_comments (
    id            bigserial PRIMARY KEY,
    submission_id bigint NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    author        text NOT NULL,
    body          text NOT NULL CHECK (body <> ''),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submission_comments_idx ON submission_comments (submission_id, id);

-- Every published version of a product, kept for the history page.
CREATE TABLE product_versions (
    product_slug  text NOT NULL,
    version       integer NOT NULL CHECK (version > 0),
    product       jsonb NOT NULL,
    published_at  timestamptz NOT NULL,
    approved_by   text[] NOT NULL,
    submission_id bigint REFERENCES submissions (id) ON DELETE SET NULL,
    PRIMARY KEY (product_slug, version)
);

CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    session_id text NOT NULL DEFAULT '',
    action     text NOT NULL,
    subject    text NOT NULL DEFAULT '',
    before     jsonb,
    after      jsonb
);
CREATE INDEX audit_events_at_idx ON audit_events (at, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor, at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject, at);

-- The audit log is append-only: UPDATE, DELETE and TRUNCATE are refused for
-- every role that does not own the table's triggers.
-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    hash         bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    scopes       text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE product_versions;
DROP TABLE submission_comments;
DROP TABLE submissions;
DROP TABLE sessions;
DROP TABLE users;
