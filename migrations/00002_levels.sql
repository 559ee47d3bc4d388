-- Stored sovereignty levels: one row per product and perspective, written in
-- the same transaction as the change that affects them. The explanation is
-- not stored; it is recomputed on demand from the product's upstream graph.
-- catalog_state.generation counts committed changes, so that every registry
-- instance can tell when its cached dependency graph is out of date.

-- +goose Up
CREATE TABLE product_levels (
    product_id   bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    perspective  text NOT NULL,
    overall      smallint NOT NULL CHECK (overall BETWEEN 0 AND 4),
    pessimistic  smallint NOT NULL CHECK (pessimistic BETWEEN 0 AND 4),
    provisional  boolean NOT NULL,
    -- SOV-1 … SOV-6; -1 where no criterion of the objective is answered.
    objectives   smallint[] NOT NULL CHECK (cardinality(objectives) = 6),
    rule_version text NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, perspective)
);
CREATE INDEX product_levels_facet_idx ON product_levels (perspective, overall, product_id);

CREATE TABLE catalog_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation   bigint NOT NULL DEFAULT 0,
    rule_version text NOT NULL DEFAULT ''
);
INSERT INTO catalog_state DEFAULT VALUES;

-- +goose Down
DROP TABLE catalog_state;
DROP TABLE product_levels;
