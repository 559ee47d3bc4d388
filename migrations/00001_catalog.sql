-- The catalogue: sources of evidence, categories, organisations and their
-- control edges, products with offerings, dependencies, alternatives and
-- adoptions. Unknown values are stored explicitly: 'unknown' in enumerated
-- and country columns, NULL (SQL's unknown) in free-text and list columns.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); generated columns
-- and expression indexes need an IMMUTABLE wrapper bound to one dictionary.
-- +goose StatementBegin
CREATE FUNCTION registry_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- +goose StatementEnd

CREATE DOMAIN tri AS text NOT NULL DEFAULT 'unknown' CHECK (VALUE IN ('yes', 'no', 'unknown'));
CREATE DOMAIN country AS text NOT NULL DEFAULT 'unknown' CHECK (VALUE ~ '^([A-Z]{2}|unknown)$');

CREATE TABLE sources (
    id           bigserial PRIMARY KEY,
    key          text NOT NULL UNIQUE,
    url          text NOT NULL CHECK (url ~ '^https?://'),
    title        text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('regulator_register', 'statute', 'company_register',
                     'vendor_legal', 'source_repository', 'vendor_marketing', 'press', 'community')),
    retrieved    date NOT NULL,
    content_hash text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE categories (
    id           bigserial PRIMARY KEY,
    slug         text NOT NULL UNIQUE,
    name_de      text NOT NULL,
    name_en      text NOT NULL,
    content_hash text NOT NULL DEFAULT ''
);

CREATE TABLE organizations (
    id                   bigserial PRIMARY KEY,
    slug                 text NOT NULL UNIQUE,
    name                 text NOT NULL,
    website              text,
    legal_name           text,
    registration_country country,
    hq_country           country,
    presence_countries   text[],
    content_hash         text NOT NULL DEFAULT '',
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ownerships (
    id              bigserial PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    holder_id       bigint NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    capital_pct     numeric(6, 3) CHECK (capital_pct BETWEEN 0 AND 100),
    voting_pct      numeric(6, 3) CHECK (voting_pct BETWEEN 0 AND 100),
    control         tri,
    veto            tri,
    board_majority  tri,
    UNIQUE (organization_id, holder_id),
    CHECK (organization_id <> holder_id)
);
CREATE INDEX ownerships_holder_idx ON ownerships (holder_id);

CREATE TABLE products (
    id                bigserial PRIMARY KEY,
    slug              text NOT NULL UNIQUE,
    name              text NOT NULL,
    vendor_id         bigint NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    category_id       bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    kind              text NOT NULL CHECK (kind IN ('software', 'saas', 'paas', 'iaas', 'ai_model')),
    website           text,
    description_de    text NOT NULL,
    description_en    text NOT NULL,
    vendor_hosted     tri,
    self_hostable     tri,
    license           text,
    governance        text NOT NULL DEFAULT 'unknown'
                      CHECK (governance IN ('single_vendor', 'foundation', 'community', 'unknown')),
    phone_home        tri,
    source_repository text,
    -- Denormalised for search and facets; the store keeps them in step with
    -- the vendor, category and offerings on every write.
    vendor_country    country,
    hosting_countries text[] NOT NULL DEFAULT '{}',
    open_source       tri,
    search_extra      text NOT NULL DEFAULT '',
    name_folded       text GENERATED ALWAYS AS (lower(registry_unaccent(name))) STORED,
    -- German and English stemming over accent-folded text, plus an
    -- unstemmed copy of the name; weights rank the name before the rest.
    search_vector     tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple'::regconfig, registry_unaccent(name)), 'A')
       || setweight(to_tsvector('german'::regconfig, registry_unaccent(name)), 'A')
       || setweight(to_tsvector('english'::regconfig, registry_unaccent(name)), 'A')
       || setweight(to_tsvector('german'::regconfig, registry_unaccent(search_extra)), 'B')
       || setweight(to_tsvector('english'::regconfig, registry_unaccent(search_extra)), 'B')
       || setweight(to_tsvector('german'::regconfig, registry_unaccent(description_de)), 'C')
       || setweight(to_tsvector('english'::regconfig, registry_unaccent(description_en)), 'C')
    ) STORED,
    content_hash      text NOT NULL DEFAULT '',
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_search_idx ON products USING gin (search_vector);
CREATE INDEX products_name_trgm_idx ON products USING gin (name_folded gin_trgm_ops);
CREATE INDEX products_name_idx ON products (name_folded, id);
CREATE INDEX products_updated_idx ON products (updated_at DESC, id);
CREATE INDEX products_vendor_idx ON products (vendor_id);
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_vendor_country_idx ON products (vendor_country);
CREATE INDEX products_hosting_idx ON products USING gin (hosting_countries);

CREATE TABLE offerings (
    id                      bigserial PRIMARY KEY,
    product_id              bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position                integer NOT NULL,
    operator_id             bigint NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    data_locations_known    boolean NOT NULL DEFAULT false,
    support_locations_known boolean NOT NULL DEFAULT false,
    key_management          text NOT NULL DEFAULT 'unknown'
                            CHECK (key_management IN ('provider', 'byok', 'hyok', 'e2ee', 'unknown')),
    governing_law           country,
    subprocessor_list       text,
    UNIQUE (product_id, position)
);
CREATE INDEX offerings_operator_idx ON offerings (operator_id);

CREATE TABLE offering_locations (
    offering_id bigint NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('data', 'support')),
    country     country,
    purpose     text CHECK (purpose IN ('primary', 'backup', 'support', 'fallback', 'ai_inference')),
    position    integer NOT NULL,
    PRIMARY KEY (offering_id, kind, position)
);

CREATE TABLE certifications (
    id          bigserial PRIMARY KEY,
    offering_id bigint NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    scheme      text NOT NULL
);
CREATE INDEX certifications_offering_idx ON certifications (offering_id);

CREATE TABLE dependencies (
    id             bigserial PRIMARY KEY,
    consumer_id    bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    provider_id    bigint NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    role           text NOT NULL,
    data_access    text NOT NULL CHECK (data_access IN ('none', 'metadata_technical',
                       'content_encrypted_customer_keys', 'content_plaintext', 'unknown')),
    criticality    text NOT NULL CHECK (criticality IN ('critical', 'degrading', 'optional')),
    failover_group text,
    UNIQUE (consumer_id, provider_id),
    CHECK (consumer_id <> provider_id)
);
CREATE INDEX dependencies_provider_idx ON dependencies (provider_id);

CREATE TABLE alternatives (
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    replaces_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, replaces_id),
    CHECK (product_id <> replaces_id)
);
CREATE INDEX alternatives_replaces_idx ON alternatives (replaces_id);

CREATE TABLE adoptions (
    id             bigserial PRIMARY KEY,
    product_id     bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position       integer NOT NULL,
    body           text NOT NULL,
    country        country,
    year           integer,
    replaces_id    bigint REFERENCES products (id) ON DELETE SET NULL,
    description_de text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT ''
);
CREATE INDEX adoptions_product_idx ON adoptions (product_id);

-- Evidence links a source to one fact of exactly one subject. One nullable
-- foreign key per subject kind keeps referential integrity (and cascades)
-- without a polymorphic id.
CREATE TABLE evidence (
    id               bigserial PRIMARY KEY,
    source_id        bigint NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    fact             text NOT NULL DEFAULT '',
    organization_id  bigint REFERENCES organizations (id) ON DELETE CASCADE,
    ownership_id     bigint REFERENCES ownerships (id) ON DELETE CASCADE,
    product_id       bigint REFERENCES products (id) ON DELETE CASCADE,
    offering_id      bigint REFERENCES offerings (id) ON DELETE CASCADE,
    certification_id bigint REFERENCES certifications (id) ON DELETE CASCADE,
    dependency_id    bigint REFERENCES dependencies (id) ON DELETE CASCADE,
    adoption_id      bigint REFERENCES adoptions (id) ON DELETE CASCADE,
    CHECK (num_nonnulls(organization_id, ownership_id, product_id, offering_id,
                        certification_id, dependency_id, adoption_id) = 1)
);
CREATE INDEX evidence_source_idx ON evidence (source_id);
CREATE INDEX evidence_organization_idx ON evidence (organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX evidence_ownership_idx ON evidence (ownership_id) WHERE ownership_id IS NOT NULL;
CREATE INDEX evidence_product_idx ON evidence (product_id) WHERE product_id IS NOT NULL;
CREATE INDEX evidence_offering_idx ON evidence (offering_id) WHERE offering_id IS NOT NULL;
CREATE INDEX evidence_certification_idx ON evidence (certification_id) WHERE certification_id IS NOT NULL;
CREATE INDEX evidence_dependency_idx ON evidence (dependency_id) WHERE dependency_id IS NOT NULL;
CREATE INDEX evidence_adoption_idx ON evidence (adoption_id) WHERE adoption_id IS NOT NULL;

-- +goose Down
DROP TABLE evidence, adoptions, alternatives, dependencies, certifications,
    offering_locations, offerings, products, ownerships, organizations, categories, sources;
DROP DOMAIN country;
DROP DOMAIN tri;
DROP FUNCTION registry_unaccent(text);
