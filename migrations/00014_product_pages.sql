-- Rendered product pages, kept so that a page viewed again is sent as it
-- was rendered instead of being read and rendered anew (about 3 ms of the
-- machine's CPU per page at 100,000 products: issue 2's product page
-- target needs well under 1 ms).
--
-- A row is one anonymous page: a product (slug), a language and a view
-- ('' for the plain URL, 'perspective=…' for a perspective link). It is
-- valid only while the catalogue's generation, the day the facts were
-- judged on and the program's version (templates, translations, asset
-- hashes) are the ones it was rendered with; a write moves the
-- generation, so no stale page is ever sent. Stale rows are overwritten
-- when the page is rendered again, or deleted by the janitor.
--
-- The body is gzip-compressed by the registry, so PostgreSQL stores it
-- without compressing it again (STORAGE EXTERNAL).

-- +goose Up
CREATE TABLE product_pages (
    slug        text        NOT NULL,
    lang        text        NOT NULL,
    view        text        NOT NULL,
    version     text        NOT NULL,
    generation  bigint      NOT NULL,
    day         date        NOT NULL,
    body        bytea       NOT NULL,
    rendered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (slug, lang, view)
);
ALTER TABLE product_pages ALTER COLUMN body SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE product_pages;
