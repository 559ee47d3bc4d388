-- What a product passes on to its dependents under the level's perspective
-- (sovereignty.Passed, in the integer form of Passed.Ints: 17 values),
-- stored with every level. A product page then explains its product from
-- its direct providers' stored passed states (a few rows) instead of
-- loading and evaluating its whole upstream closure.
--
-- NULL: the level was written before this was kept. Store.ClassificationState
-- counts such rows as unclassified, so that the first start after this
-- migration recomputes every level and fills the column; until then the
-- product page takes the slower path. The column is not indexed: writing it
-- keeps a level's update heap-only (see 00010); a row grows by some 60
-- bytes. Adding a nullable column without a default rewrites nothing; the
-- CHECK reads the table once.
--
-- A registry built before this migration writes levels without touching
-- the column, leaving a passed state that no longer matches its level:
-- run one version of the registry against a database at a time.

-- +goose Up
ALTER TABLE product_levels ADD COLUMN passed smallint[]
    CONSTRAINT product_levels_passed_check CHECK (passed IS NULL OR cardinality(passed) = 17);

-- +goose Down
ALTER TABLE product_levels DROP COLUMN passed;
