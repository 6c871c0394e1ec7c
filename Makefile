# mizan — build, test, benchmark and evaluate. `make help` lists the targets.
GO       ?= go
BIN      ?= bin/mizan
DB       ?= demo.db
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
PKGS     := ./...
# The web UI is built by npm into internal/ui/dist and embedded with the ui build tag; without
# the tag a placeholder page is embedded (so plain `go build` works without npm).
TAGS     ?= ui
UI_DIR   := internal/ui

.PHONY: help build ui demo serve test test-short bench bench-go load eval lint fmt vet clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ui ## build bin/mizan (with the web UI)
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/mizan

ui: $(UI_DIR)/dist/index.html ## build the web UI (npm ci + esbuild) into internal/ui/dist

$(UI_DIR)/node_modules/.package-lock.json: $(UI_DIR)/package.json $(UI_DIR)/package-lock.json
	cd $(UI_DIR) && npm ci --no-audit --no-fund

$(UI_DIR)/dist/index.html: $(UI_DIR)/node_modules/.package-lock.json $(UI_DIR)/build.mjs $(wildcard $(UI_DIR)/src/* $(UI_DIR)/src/*/*)
	cd $(UI_DIR) && npm run build

demo: build ## ingest the example corpus into $(DB) (SQLite) and show what was found
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN) --db $(DB) ingest examples/corpus
	$(BIN) --db $(DB) docs
	$(BIN) --db $(DB) search الجزائر
	@echo "browse it: $(BIN) --db $(DB) serve   (then open http://127.0.0.1:8080/)"

serve: build ## serve $(DB) in the browser on 127.0.0.1:8080
	$(BIN) --db $(DB) serve

test: ui ## run all tests, browser tests on the real UI included (PostgreSQL ones too when MIZAN_TEST_POSTGRES is set)
	$(GO) test -tags '$(TAGS)' -count=1 -timeout 20m $(PKGS)

test-short: ui ## run the fast tests only
	$(GO) test -tags '$(TAGS)' -short -count=1 $(PKGS)

bench: ## reproducible benchmark table: ingest throughput and memory on a generated corpus, plus go benchmarks
	$(GO) run ./cmd/mizan-bench -docs 10000
	$(MAKE) --no-print-directory bench-go

bench-go: ## go test benchmarks of the hot paths
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1s ./internal/...

load: ## latency of the entity profile and graph endpoints with 100,000 documents stored (takes minutes)
	MIZAN_LOAD_DOCS=100000 $(GO) test -run '^$$' -bench 'BenchmarkEndpoints' -benchtime 2000x -timeout 60m ./internal/http

eval: ## accuracy on the project's evaluation sets (and public test sets under ../shared/data when present)
	$(GO) run ./cmd/mizan-eval

lint: fmt vet ## gofmt check and go vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

clean:
	rm -rf bin $(DB) $(DB)-wal $(DB)-shm $(UI_DIR)/dist
