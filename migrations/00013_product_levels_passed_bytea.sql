-- The passed state (00011) becomes bytea: its 17 values, two bytes each,
-- big-endian (store.appendPassed). Sending a smallint[] costs PostgreSQL
-- about 1.5 µs a row (array_send), two thirds of reading a hub's region of
-- 400,000 stored states when a write carries the hub's change to its
-- dependents (00012); a bytea is sent as it is stored.
--
-- The old values are dropped rather than converted: NULL counts as
-- unclassified (Store.ClassificationState), so the first start after this
-- migration recomputes every level and writes them in the new form. Not
-- indexed, so writing it keeps a level's update heap-only (00010).

-- +goose Up
ALTER TABLE product_levels
    DROP CONSTRAINT product_levels_passed_check,
    ALTER COLUMN passed TYPE bytea USING NULL,
    ADD CONSTRAINT product_levels_passed_check CHECK (passed IS NULL OR length(passed) = 34);

-- +goose Down
ALTER TABLE product_levels
    DROP CONSTRAINT product_levels_passed_check,
    ALTER COLUMN passed TYPE smallint[] USING NULL,
    ADD CONSTRAINT product_levels_passed_check CHECK (passed IS NULL OR cardinality(passed) = 17);
