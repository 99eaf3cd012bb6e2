# gonn: `make demo` to try it, `make test` to check it.
#
# Both install what a fresh Debian machine lacks: Jupyter from Debian's
# packages (apt-get, when a tool is missing) and Go modules through the proxy.

GO       ?= go
PYTHON   ?= /usr/bin/python3
BIN      := bin/gonn
# What `make demo` needs (the Jupyter client tools), and what `make test`
# adds (jupyter_kernel_test, the Notebook server, PIL and chromium for the
# browser test): Python modules, their pip names and Debian's packages.
DEMO_MODS := jupyter_client, nbclient, nbconvert, nbformat
DEMO_PIP  := jupyter_client nbclient nbconvert nbformat jupyter_console
DEMO_DEB  := python3-jupyter-client python3-nbclient python3-nbconvert python3-nbformat \
             jupyter-client jupyter-nbconvert jupyter-console
TEST_MODS := $(DEMO_MODS), jupyter_kernel_test, PIL
TEST_DEB  := $(DEMO_DEB) python3-jupyter-kernel-test python3-pil jupyter-notebook chromium
STATICCHECK_VERSION := v0.8.2

.PHONY: all build deps demo-deps test-deps go-deps demo notebooks test unit vet e2e bench-kernel clean

all: build

build: go-deps
	$(GO) build -o $(BIN) .

go-deps:
	@$(GO) mod download

# apt-install installs Debian's packages $(1).
apt-install = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); echo "installing from Debian: $(1)"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null

# demo-deps installs the Jupyter client tools when one is missing: with pip
# where $(PYTHON) has pip and pip reaches its index, else from Debian.
demo-deps:
	@if ! $(PYTHON) -c 'import $(DEMO_MODS)' 2>/dev/null || ! command -v jupyter-nbconvert >/dev/null; then \
	  if $(PYTHON) -m pip --version >/dev/null 2>&1 \
	     && timeout 20 $(PYTHON) -m pip download -q --no-deps -d "$$(mktemp -d)" nbformat >/dev/null 2>&1 \
	     && $(PYTHON) -m pip install -q $(DEMO_PIP); then :; \
	  else $(call apt-install,$(DEMO_DEB)); fi; \
	fi

# test-deps adds what the end-to-end tests use, from Debian.
test-deps: demo-deps
	@if ! $(PYTHON) -c 'import $(TEST_MODS)' 2>/dev/null || ! command -v jupyter-notebook >/dev/null \
	    || ! command -v chromium >/dev/null; then \
	  $(call apt-install,$(TEST_DEB)); \
	fi

deps: go-deps test-deps

# demo builds gonn, installs its kernelspec for the user, executes the
# teaching notebooks 02 and 03 (03 once it exists) through real Jupyter
# (`jupyter nbconvert --execute`, the installed kernelspec) and leaves them,
# executed and exported to HTML, in $(DEMO_DIR). The HTML export prefers PNG to
# SVG: Debian's nbconvert 6.5 empties inline SVG (see kernel_test).
DEMO_DIR       := build/demo
DEMO_NOTEBOOKS := $(wildcard notebooks/02-*.ipynb notebooks/03-*.ipynb)

demo: go-deps demo-deps build
	./$(BIN) install --user
	@mkdir -p $(DEMO_DIR)
	@printf '%s\n' "c.NbConvertBase.display_data_priority = ['text/html', 'text/markdown', 'text/latex', 'image/png', 'image/jpeg', 'image/svg+xml', 'text/plain']" > $(DEMO_DIR)/png_first.py
	@for nb in $(DEMO_NOTEBOOKS); do \
	  name=$$(basename $$nb .ipynb); start=$$(date +%s); \
	  echo "executing $$nb with the \"Go (gonn)\" kernel ..."; \
	  jupyter nbconvert --log-level=WARN --to notebook --execute --ExecutePreprocessor.timeout=600 \
	    --output-dir $(DEMO_DIR) --output $$name $$nb || exit 1; \
	  jupyter nbconvert --log-level=WARN --to html --config $(DEMO_DIR)/png_first.py \
	    --output-dir $(DEMO_DIR) --output $$name $(DEMO_DIR)/$$name.ipynb || exit 1; \
	  grep -ho 'test accuracy: [0-9][0-9.]*' $(DEMO_DIR)/$$name.ipynb | sed "s/^/  $$name: /"; \
	  echo "  done in $$(( $$(date +%s) - start )) s"; \
	done
	@echo
	@echo "Executed notebooks and their HTML exports are in $(DEMO_DIR)/:"
	@for f in $(DEMO_DIR)/*.ipynb $(DEMO_DIR)/*.html; do echo "  $$f"; done
	@echo
	@echo "Installed the \"Go (gonn)\" kernel. Open the notebooks live with:"
	@echo "  jupyter notebook notebooks/"
	@echo "or a new notebook with one of:"
	@echo "  jupyter notebook                 (pick \"Go (gonn)\" under New)"
	@echo "  jupyter console --kernel gonn"
	@echo "  code .                           (VS Code: select kernel \"Go (gonn)\")"

# notebooks executes every notebook in notebooks/ with nbconvert and with
# `gonn run` and checks them (errors, pictures, accuracy goals), as make e2e
# does; the results are in build/notebooks/.
notebooks: build
	GONN_E2E=require $(GO) test -count=1 -v -timeout 20m -run TestNotebooks ./kernel_test/

test: deps vet unit e2e

# vet checks formatting, go vet and staticcheck; third_party/ (a copy of
# upstream code, see its README) is left out of staticcheck.
vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck $$($(GO) list ./... | grep -v /third_party/)

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
# bench-kernel measures round trips and start times of gonn, of a kernel
# with a no-op engine (kernel_test/noopkernel: the protocol's floor) and of
# ipykernel, in one run.
bench-kernel: deps build
	$(GO) build -o bin/noopkernel ./kernel_test/noopkernel
	@d=$$(mktemp -d) && JUPYTER_DATA_DIR=$$d ./$(BIN) install --user >/dev/null && \
	  mkdir -p $$d/kernels/noop && \
	  printf '{"argv": ["%s", "{connection_file}"], "display_name": "no-op", "language": "go"}\n' "$$(pwd)/bin/noopkernel" > $$d/kernels/noop/kernel.json && \
	  JUPYTER_DATA_DIR=$$d JUPYTER_PATH=$$d PYDEVD_DISABLE_FILE_VALIDATION=1 $(PYTHON) -Xfrozen_modules=off kernel_test/py/bench.py --kernels gonn,noop,python3; \
	  s=$$?; rm -rf $$d; exit $$s

clean:
	rm -rf bin
