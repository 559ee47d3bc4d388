package main

import (
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// The store and the catalogue service are what the editorial service runs on.
var (
	_ workflow.Store   = (*store.Store)(nil)
	_ workflow.Catalog = (*catalog.Service)(nil)
)
