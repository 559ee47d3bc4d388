-- A product's own evaluation under the level's perspective
-- (sovereignty.Own, in the byte form of Own.AppendBytes: 23 bytes), stored
-- with every level beside its passed state. A change to a hub's facts then
-- reaches its dependents' levels from these two columns and the dependency
-- graph alone (sovereignty.Graph.Repropagation), without loading every
-- dependent's facts.
--
-- The passed state becomes bytea too: its 17 values, two bytes each,
-- big-endian (store.appendPassed). Sending a smallint[] costs PostgreSQL
-- about 1.5 µs a row (array_send), two thirds of reading a hub's region of
-- 400,000 stored states; a bytea is sent as it is stored. The old values
-- are dropped rather than converted: every level lacks its own evaluation
-- anyway.
--
-- NULL: the level was written before this was kept. As with 00011,
-- Store.ClassificationState counts such rows as unclassified, so the first
-- start after this migration recomputes every level; until then a product
-- page and a write take the slower paths. Neither column is indexed, so
-- writing them keeps a level's update heap-only (00010).

-- +goose Up
ALTER TABLE product_levels
    ADD COLUMN own bytea CONSTRAINT product_levels_own_check CHECK (own IS NULL OR length(own) = 23),
    DROP CONSTRAINT product_levels_passed_check,
    ALTER COLUMN passed TYPE bytea USING NULL,
    ADD CONSTRAINT product_levels_passed_check CHECK (passed IS NULL OR length(passed) = 34);

-- +goose Down
ALTER TABLE product_levels
    DROP COLUMN own,
    DROP CONSTRAINT product_levels_passed_check,
    ALTER COLUMN passed TYPE smallint[] USING NULL,
    ADD CONSTRAINT product_levels_passed_check CHECK (passed IS NULL OR cardinality(passed) = 17);
