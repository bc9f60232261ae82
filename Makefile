# Liftoff's build and test entry points. `make test` is the whole suite.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
NODE_DIRS := internal/markdown/testdata/npm test/sdk web

export LIFTOFF_TEST_NATS_URL ?= nats://127.0.0.1:4222
export LIFTOFF_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export LIFTOFF_REQUIRE_NPM ?= 1

.PHONY: build run test test-go npm check bench web test-deploy release
build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o liftoff ./cmd/liftoff

run:
	go run ./cmd/liftoff

# npm installs the pinned npm packages that the differential and client tests use.
npm:
	@for d in $(NODE_DIRS); do \
		if [ -f $$d/package-lock.json ] && [ ! -d $$d/node_modules ]; then (cd $$d && npm ci --no-audit --no-fund) || exit 1; fi; \
	done

test: npm test-go test-deploy

# web rebuilds the web client into internal/web/dist (committed, embedded).
# The build is reproducible: CI runs it and then git diff --exit-code.
web:
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build

test-go:
	go vet ./...
	go test -race -count=1 -timeout 15m ./...

check:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...

bench:
	go test -run '^$$' -bench . -benchtime 3s ./...

# test-deploy tests the compose files, the Helm chart and the Dockerfiles.
# They live in their own module (deploy/) so that the server's module does
# not depend on Kubernetes' libraries.
test-deploy:
	cd deploy && go vet ./... && go test -count=1 ./...

# release cross-builds static binaries into dist/, with their checksums.
RELEASE_PLATFORMS := linux/amd64 linux/arm64
release:
	rm -rf dist && mkdir -p dist
	@for p in $(RELEASE_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		echo "building dist/liftoff-$(VERSION)-$$os-$$arch"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags "$(LDFLAGS)" \
			-o dist/liftoff-$(VERSION)-$$os-$$arch ./cmd/liftoff || exit 1; \
	done
	cd dist && sha256sum liftoff-* > SHA256SUMS && cat SHA256SUMS
