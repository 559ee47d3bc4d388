-- A full recomputation after a rule change rewrites every row of
-- product_levels (400,000 at 100,000 products), usually changing only
-- rule_version and computed_at, which no index covers. Such an update can
-- be HOT (heap-only: no new index entries, the new version on the same
-- page) only if the page has room for it; on pages filled to the brim
-- every version went to another page with an entry in both indexes.
-- Measured at 100,000 products, per perspective's 100,000 rows upserted:
-- 1.0–2.3 s of server CPU with few HOT updates, 0.5–1.0 s with all of
-- them HOT. Half-full pages keep room for one new version of every row;
-- the old one is pruned when the page is next read or vacuumed.
--
-- The rewrite (CLUSTER) packs the existing rows to the new fill factor at
-- once; until then only new pages would honour it. It orders them by the
-- facet index, i.e. by perspective first, so that writing one
-- perspective's levels touches a quarter of the pages. CLUSTER holds an
-- exclusive lock on the table for a few seconds at 400,000 rows, and
-- keeps the old row versions a still open transaction may see. The table
-- takes twice the space: 78 MB instead of 39 MB at 400,000 rows.

-- +goose Up
ALTER TABLE product_levels SET (fillfactor = 50);
CLUSTER product_levels USING product_levels_facet_idx;

-- +goose Down
-- The rows stay where they are; the pages fill up again as rows are
-- written (VACUUM FULL would pack them, but not inside a migration's
-- transaction).
ALTER TABLE product_levels SET WITHOUT CLUSTER;
ALTER TABLE product_levels RESET (fillfactor);
