// Package keycloak holds the Keycloak realm that docker compose imports
// (registry-realm.json): the registry's client, the realm roles and the
// demo accounts of the built-in development provider. It has no code; its
// test checks the realm against compose.yaml and the registry's own
// expectations, since nothing else would notice them drifting apart.
package keycloak
