// Package sovereignty holds the registry's classification rules: catalogue
// facts go in, Registry Sovereignty Levels (RSL-0 … RSL-4) come out, per
// criterion, per objective (SOV-1 … SOV-6) and overall, inherited through the
// dependency graph and explained by the facts, sources and paths that set them.
//
// The package is pure and imports only the standard library, so that the
// rules can be read, tested and published on their own (docs/methodology.md
// describes them in prose). It never reads the clock: every computation takes
// an explicit "as of" date, which keeps results reproducible and lets the
// staleness check (facts older than 12 months) be tested.
//
// The entry point is NewEngine, which compiles a Catalogue for one
// Perspective; Engine.Summary and Engine.Result read the computed levels,
// Engine.Apply recomputes exactly the products a change affects, and
// Engine.Impact simulates an outage.
//
// For serving, Graph is a compact copy of the dependency graph (a few
// bytes per edge) that answers outage and graph-walk queries with the same
// code as the Engine, and UpstreamClosure cuts the sub-catalogue that
// decides the levels of a set of products, so that a fresh Engine over it
// computes exactly their levels. Every explanation is produced in German
// and English (Text); the English halves also fill the older string fields.
package sovereignty

// RuleVersion identifies the rule set. It is stored with every computed result
// so that a level can always be traced to the rules that produced it; bump it
// whenever a rule, a ladder or the reference data changes a result.
const RuleVersion = "2026.11-2"
