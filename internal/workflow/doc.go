// Package workflow is the editorial domain: submissions of new products and
// of changes to published ones, their states and the one table of allowed
// transitions, the four-eyes rules, field-by-field diffs and the audit
// events every step produces. It knows neither HTTP nor the database; user
// ids, roles and organisations are plain strings so that it does not depend
// on internal/auth.
package workflow
