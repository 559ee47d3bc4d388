-- A hub's product page lists its first dependents, critical first, without
-- reading all of them: an index in exactly that order.

-- +goose Up
CREATE INDEX dependencies_provider_order_idx ON dependencies (provider_id, criticality, consumer_id);
DROP INDEX dependencies_provider_idx;

-- +goose Down
CREATE INDEX dependencies_provider_idx ON dependencies (provider_id);
DROP INDEX dependencies_provider_order_idx;
