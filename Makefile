# mizan — build, test, benchmark and evaluate. `make help` lists the targets.
GO       ?= go
BIN      ?= bin/mizan
DB       ?= demo.db
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
PKGS     := ./...

.PHONY: help build demo test test-short bench bench-go eval lint fmt vet clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/mizan
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/mizan

demo: build ## ingest the example corpus into $(DB) (SQLite) and show what was found
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN) --db $(DB) ingest examples/corpus
	$(BIN) --db $(DB) docs
	$(BIN) --db $(DB) search الجزائر

test: ## run all tests (PostgreSQL ones too when MIZAN_TEST_POSTGRES is set)
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short: ## run the fast tests only
	$(GO) test -short -count=1 $(PKGS)

bench: ## reproducible benchmark table: ingest throughput and memory on a generated corpus, plus go benchmarks
	$(GO) run ./cmd/mizan-bench -docs 10000
	$(MAKE) --no-print-directory bench-go

bench-go: ## go test benchmarks of the hot paths
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1s ./internal/...

eval: ## accuracy on the project's evaluation sets (and public test sets under ../shared/data when present)
	$(GO) run ./cmd/mizan-eval

lint: fmt vet ## gofmt check and go vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

clean:
	rm -rf bin $(DB) $(DB)-wal $(DB)-shm
