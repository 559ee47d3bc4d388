-- What the editorial service needs beyond the tables of 00005: the new
-- sources a proposal introduces (kept with it until it is published), the
-- settings admins change at run time (the approval policy), and when each
-- entry was last verified by a reviewer (periodic re-review).

-- +goose Up
ALTER TABLE submissions ADD COLUMN sources jsonb NOT NULL DEFAULT '[]';

CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      jsonb NOT NULL,
    version    integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per product a reviewer confirmed or published; an entry without
-- a row counts as verified when its newest source was retrieved.
CREATE TABLE product_verifications (
    product_slug text PRIMARY KEY,
    verified_at  timestamptz NOT NULL,
    verified_by  text NOT NULL
);

-- +goose Down
DROP TABLE product_verifications;
DROP TABLE settings;
ALTER TABLE submissions DROP COLUMN sources;
