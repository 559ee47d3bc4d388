package store

// WithoutEvidence exposes withoutEvidence to the tests of package store_test.
var WithoutEvidence = withoutEvidence
