// Package server holds what the HTML pages and the JSON API share over HTTP:
// the echo instance with its middleware (request ids, structured access
// logs, metrics, security headers, body limits), the one mapping from domain
// errors to HTTP status, and the health endpoints.
package server
