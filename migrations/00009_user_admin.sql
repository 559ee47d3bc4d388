-- What admins change in the registry itself: roles and organisation
-- memberships assigned to a user, kept apart from users.roles and
-- users.organizations, which the provider's claims overwrite at every
-- sign-in (a user's effective roles are the union of both), and the
-- versions that guard the admin forms against lost updates (optimistic
-- locking) on users and categories.

-- +goose Up
ALTER TABLE users
    ADD COLUMN assigned_roles text[] NOT NULL DEFAULT '{}',
    ADD COLUMN assigned_organizations text[] NOT NULL DEFAULT '{}',
    ADD COLUMN version integer NOT NULL DEFAULT 1;

ALTER TABLE categories ADD COLUMN version integer NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE categories DROP COLUMN version;

ALTER TABLE users
    DROP COLUMN version,
    DROP COLUMN assigned_organizations,
    DROP COLUMN assigned_roles;
