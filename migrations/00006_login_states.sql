-- A sign-in in progress: what the relying party must keep server-side
-- between sending the browser to the provider and the callback (state,
-- nonce, PKCE verifier, where to go afterwards). One row per attempt, used
-- once.

-- +goose Up
CREATE TABLE login_states (
    state_hash bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    nonce      text NOT NULL,
    verifier   text NOT NULL,
    next       text NOT NULL DEFAULT '/',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_states_created_idx ON login_states (created_at);

-- +goose Down
DROP TABLE login_states;
