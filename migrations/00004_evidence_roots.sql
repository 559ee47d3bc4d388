-- Every evidence row also names its root: the product (for product,
-- offering, certification, dependency and adoption facts) or the
-- organisation (for organisation and ownership facts) it belongs to. A page
-- then reads all its evidence with one indexed condition instead of a union
-- of joins whose planning cost ten times its execution.

-- +goose Up
ALTER TABLE evidence
    ADD COLUMN product_root bigint REFERENCES products (id) ON DELETE CASCADE,
    ADD COLUMN org_root bigint REFERENCES organizations (id) ON DELETE CASCADE;

UPDATE evidence SET product_root = product_id WHERE product_id IS NOT NULL;
UPDATE evidence e SET product_root = f.product_id FROM offerings f WHERE e.offering_id = f.id;
UPDATE evidence e SET product_root = f.product_id
    FROM certifications c JOIN offerings f ON f.id = c.offering_id WHERE e.certification_id = c.id;
UPDATE evidence e SET product_root = d.consumer_id FROM dependencies d WHERE e.dependency_id = d.id;
UPDATE evidence e SET product_root = a.product_id FROM adoptions a WHERE e.adoption_id = a.id;
UPDATE evidence SET org_root = organization_id WHERE organization_id IS NOT NULL;
UPDATE evidence e SET org_root = w.organization_id FROM ownerships w WHERE e.ownership_id = w.id;

ALTER TABLE evidence ADD CONSTRAINT evidence_one_root CHECK (num_nonnulls(product_root, org_root) = 1);
CREATE INDEX evidence_product_root_idx ON evidence (product_root) WHERE product_root IS NOT NULL;
CREATE INDEX evidence_org_root_idx ON evidence (org_root) WHERE org_root IS NOT NULL;

-- +goose Down
ALTER TABLE evidence DROP CONSTRAINT evidence_one_root;
ALTER TABLE evidence DROP COLUMN product_root, DROP COLUMN org_root;
