# gonn: `make demo` to try it, `make test` to check it.
#
# Both install what a fresh Debian machine lacks: Jupyter from Debian's
# packages (apt-get, when a tool is missing) and Go modules through the proxy.

GO       ?= go
PYTHON   ?= /usr/bin/python3
BIN      := bin/gonn
DEB_PKGS := chromium jupyter-notebook python3-pil python3-jupyter-client python3-nbclient python3-nbconvert python3-nbformat \
            jupyter-client jupyter-nbconvert jupyter-console python3-jupyter-kernel-test
STATICCHECK_VERSION := v0.8.2

.PHONY: all build deps jupyter-deps go-deps demo test unit vet e2e bench-kernel clean

all: build

build: go-deps
	$(GO) build -o $(BIN) .

go-deps:
	@$(GO) mod download

# jupyter-deps installs Debian's Jupyter packages when any of them is missing
# (chromium and jupyter-notebook for the browser test of display).
jupyter-deps:
	@if ! $(PYTHON) -c 'import jupyter_client, nbclient, nbconvert, nbformat, jupyter_kernel_test, PIL' 2>/dev/null \
	    || ! command -v jupyter-nbconvert >/dev/null || ! command -v jupyter-notebook >/dev/null \
	    || ! command -v chromium >/dev/null; then \
	  echo "installing Jupyter from Debian: $(DEB_PKGS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null; \
	fi

deps: go-deps jupyter-deps

demo: deps build
	./$(BIN) install --user
	@echo
	@echo "Installed the \"Go (gonn)\" kernel. Open a notebook with one of:"
	@echo "  jupyter notebook                 (pick \"Go (gonn)\" under New)"
	@echo "  jupyter console --kernel gonn"
	@echo "  code .                           (VS Code: select kernel \"Go (gonn)\")"

test: deps vet unit e2e

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck ./...

# unit runs every package's tests, then the numeric packages again on the
# pure-Go twins of the assembly kernels (-tags noasm).
unit:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /kernel_test)
	$(GO) test -count=1 -tags noasm ./accel/... ./nnlib/...

# e2e drives the built kernel through Debian's Jupyter clients; GONN_E2E=require
# turns a missing Jupyter into a failure instead of a skip.
e2e: build
	GONN_E2E=require $(GO) test -count=1 -v -timeout 20m ./kernel_test/

# bench-kernel measures round trips and start time against ipykernel.
bench-kernel: deps build
	@d=$$(mktemp -d) && JUPYTER_DATA_DIR=$$d ./$(BIN) install --user >/dev/null && \
	  JUPYTER_DATA_DIR=$$d JUPYTER_PATH=$$d PYDEVD_DISABLE_FILE_VALIDATION=1 $(PYTHON) -Xfrozen_modules=off kernel_test/py/bench.py; \
	  s=$$?; rm -rf $$d; exit $$s

clean:
	rm -rf bin
