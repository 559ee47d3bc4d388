// Package catalog holds the registry's domain: organisations, products,
// offerings, dependencies, alternatives, adoptions and the evidence behind
// every classification-relevant fact, plus the use cases over them (Service)
// and the storage interface those use cases need (Repository).
//
// It imports neither echo nor gorm: adapters in internal/store, internal/web
// and internal/api depend on it, never the other way round.
package catalog
