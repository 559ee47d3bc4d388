# The Makefile is the entry point for every task; `make help` lists them.
# Two commands from a fresh clone: `make run` and `make test`.

GO        ?= go
PKGS      := ./...
BIN       := bin/registry
BENCH_PRODUCTS ?= 100000
BENCH_FLAGS    ?=

.DEFAULT_GOAL := help

# Browser tests skip without Chromium; say so plainly before the run.
BROWSER_NOTE = command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	[ -n "$$CHROMIUM_PATH" ] || echo "NOTE: no Chromium found: the browser tests will be SKIPPED (make browser-deps installs Debian's chromium)"

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: run
run: ## build and serve with seed data on http://127.0.0.1:8080 (embedded PostgreSQL under .data/)
	$(GO) build -o $(BIN) ./cmd/registry
	./$(BIN) serve

.PHONY: build
build: ## build bin/registry
	$(GO) build -o $(BIN) ./cmd/registry

.PHONY: test
test: ## run every test on a throwaway PostgreSQL (or TEST_DATABASE_URL)
	@$(BROWSER_NOTE)
	$(GO) run ./tools/withpg -- $(GO) test -race -count=1 $(PKGS)

.PHONY: test-short
test-short: ## the tests without the race detector, faster while developing
	@$(BROWSER_NOTE)
	$(GO) run ./tools/withpg -- $(GO) test -count=1 $(PKGS)

.PHONY: bench
bench: ## benchmarks (see docs/benchmarks.md); BENCH_PRODUCTS sets the catalogue size
	$(GO) run ./tools/withpg -- $(GO) run ./tools/bench -products $(BENCH_PRODUCTS) $(BENCH_FLAGS)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./internal/sovereignty/

.PHONY: generate
generate: ## regenerate templ components
	$(GO) tool templ generate -path views

.PHONY: fmt
fmt: ## format Go and templ code
	gofmt -w $$(git ls-files '*.go' | grep -v '_templ.go$$')
	$(GO) tool templ fmt views

.PHONY: check
check: ## formatting, vet, staticcheck and generated-code drift (what CI checks)
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) tool templ fmt -fail views
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)
	$(GO) tool templ generate -path views
	@git diff --exit-code -- views || (echo "generated templ code is stale: run 'make generate' and commit"; exit 1)

.PHONY: migrate-status
migrate-status: ## list migrations and their state
	$(GO) run ./cmd/registry migrate status

.PHONY: vendor-frontend
vendor-frontend: ## re-vendor KERN UX and axe-core from npm (needs npm)
	tools/frontend/vendor.sh

.PHONY: browser-deps
browser-deps: ## install Debian's chromium for the browser tests (root)
	tools/install-deps.sh chromium

.PHONY: clean
clean: ## remove build output (keeps .data/)
	rm -rf bin
