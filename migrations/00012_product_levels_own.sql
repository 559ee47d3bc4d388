-- A product's own evaluation under the level's perspective
-- (sovereignty.Own, in the byte form of Own.AppendBytes: 23 bytes), stored
-- with every level beside its passed state. A change to a hub's facts then
-- reaches its dependents' levels from these two columns and the dependency
-- graph alone (sovereignty.Graph.Repropagation), without loading every
-- dependent's facts.
--
-- NULL: the level was written before this was kept. As with passed
-- (00011), Store.ClassificationState counts such rows as unclassified, so
-- the first start after this migration recomputes every level; until then
-- a write takes the slower paths. Not indexed, so writing it keeps a
-- level's update heap-only (00010).

-- +goose Up
ALTER TABLE product_levels ADD COLUMN own bytea
    CONSTRAINT product_levels_own_check CHECK (own IS NULL OR length(own) = 23);

-- +goose Down
ALTER TABLE product_levels DROP COLUMN own;
