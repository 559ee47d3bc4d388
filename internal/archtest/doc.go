// Package archtest holds the test that enforces the import rules of
// shared/architecture.md, so that a newcomer learns the boundaries from a
// failing check rather than from review.
package archtest
