# Liftoff's build and test entry points. `make test` is the whole suite.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
NODE_DIRS := internal/markdown/testdata/npm test/sdk

export LIFTOFF_TEST_NATS_URL ?= nats://127.0.0.1:4222
export LIFTOFF_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export LIFTOFF_REQUIRE_NPM ?= 1

.PHONY: build run test test-go npm check bench
build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o liftoff ./cmd/liftoff

run:
	go run ./cmd/liftoff

# npm installs the pinned npm packages that the differential and client tests use.
npm:
	@for d in $(NODE_DIRS); do \
		if [ -f $$d/package-lock.json ] && [ ! -d $$d/node_modules ]; then (cd $$d && npm ci --no-audit --no-fund) || exit 1; fi; \
	done

test: npm test-go

test-go:
	go vet ./...
	go test -race -count=1 -timeout 15m ./...

check:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...

bench:
	go test -run '^$$' -bench . -benchtime 3s ./...
