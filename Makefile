# WISPGate Integration Guide. `make html` builds the site, `make test` runs every test.
# Both create .venv and install the pinned dependencies (requirements/*.lock) when missing.

PYTHON     ?= python3
VENV       ?= .venv
BIN        := $(VENV)/bin
SPHINXOPTS ?= -W --keep-going -n
# doctrees outside the output, so no builder ships them
SPHINXBUILD = $(BIN)/sphinx-build $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/$@
JOBS       ?= auto
BUILDDIR   ?= _build
HOST       ?= 127.0.0.1
PORT       ?= 8000
EXT        := PYTHONPATH=_ext

.DEFAULT_GOAL := help
.PHONY: reference stale bench new help html dirhtml epub text linkcheck livehtml check test test-fast lint clean lock venv test-env browser-deps

help:
	@echo "Writers: add a connector"
	@echo "  make new ID=x DOMAIN=y [VENDOR=name]   scaffold data/connectors/x.yaml, integrations/x.md and tests/facts/x.txt"
	@echo "  make check          the writer contract (data, page, content-test file) as file:line: problem, in a second"
	@echo "  make livehtml       live preview on http://$(HOST):$(PORT); stop with Ctrl+C or kill <PID it prints>; PORT=8001 if taken"
	@echo "                      (each build forked from a warm process; COLD=1: a new process per build, as plain sphinx-autobuild)"
	@echo "  make test ID=x      what CI checks for one connector: its files, its content tests, the site built (about 15 s)"
	@echo "  make linkcheck [ID=x]   check external links (needs internet; says so at once when there is none)"
	@echo "  make reference      regenerate connector-reference.md from the schema (every key, example, messages)"
	@echo "Site and CI"
	@echo "  make html           build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "  make test           run the whole test suite (lint first): what CI runs"
	@echo "  make test-fast      every test not marked slow (whole site, long searches, timings) nor browser, on both cores"
	@echo "  make lint           ruff check, ruff format --check and mypy --strict on the extension"
	@echo "  make stale          list guides that need re-verification (age, vendor changes); fails if any"
	@echo "  make epub           offline copy for field technicians"
	@echo "  make clean          remove build output"
	@echo "  make lock           re-pin requirements/*.lock from requirements/*.in"
	@echo "  make bench          build-time and page-weight benchmark, N = 100, 300, 1000 (about 35 minutes; BENCHARGS=--sizes 100 300)"

# Stamps re-run the install whenever a lock file changes.
$(VENV)/.docs-installed: requirements/docs.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/docs.lock
	touch $@

$(VENV)/.test-installed: requirements/test.lock $(VENV)/.docs-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/test.lock
	touch $@

# axe-core for the accessibility scan, pinned by package-lock.json.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The browser tests drive Debian's chromium (Playwright's own download does not work offline).
browser-deps:
	@test -n "$(WG_CHROMIUM)" || command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	} || echo "chromium could not be installed: browser tests will be skipped (and fail under CI)"

venv: $(VENV)/.docs-installed
test-env: $(VENV)/.test-installed node_modules/.installed browser-deps

bench: $(VENV)/.test-installed browser-deps
	$(BIN)/python bench/run.py $(BENCHARGS)

html: venv
	$(SPHINXBUILD) -b html -j $(JOBS) . $(BUILDDIR)/html

dirhtml: venv
	$(SPHINXBUILD) -b dirhtml -j $(JOBS) . $(BUILDDIR)/dirhtml

epub: venv
	$(SPHINXBUILD) -b epub . $(BUILDDIR)/epub

text: venv
	$(SPHINXBUILD) -b text . $(BUILDDIR)/text

# One line and a quick exit when the vendors' sites cannot be reached; ID=<id>: one connector's links.
linkcheck: venv
	@$(EXT) $(BIN)/python -m wispgate_connectors.links probe $(if $(ID),--id "$(ID)")
	$(SPHINXBUILD) -b linkcheck . $(BUILDDIR)/linkcheck $(if $(ID),integrations/$(ID).md)

# exec: the PID it prints is this recipe's; Ctrl+C or `kill <PID>` stops sphinx-autobuild and its builds.
livehtml: venv
	@$(EXT) exec $(BIN)/python -m wispgate_connectors.live --host $(HOST) --port $(PORT) \
		--autobuild $(BIN)/sphinx-autobuild $(if $(COLD),--cold) -- --watch data --watch _ext \
		--ignore "*/__pycache__/*" --ignore "*/commissioning/*" \
		$(foreach d,domains use-cases matrix troubleshooting ports compatibility outage whats-new,--ignore "*/catalog/$(d)/*") \
		-b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/livehtml . $(BUILDDIR)/livehtml

check: venv
	@$(EXT) $(BIN)/python -m wispgate_connectors check

# guides past their re-verification age or verified before a vendor change (CI runs it weekly)
stale: venv
	@$(EXT) $(BIN)/python -m wispgate_connectors check --stale

# make new ID=acme-billing DOMAIN=payments-finance [VENDOR="Acme"]
new: venv
	@test -n "$(ID)" -a -n "$(DOMAIN)" || { echo "usage: make new ID=<id> DOMAIN=<domain key> [VENDOR=<name>]"; \
		echo "domain keys (data/domains.yaml): $$(sed -n 's/^- key: //p' data/domains.yaml | tr '\n' ' ')"; exit 2; }
	@$(EXT) $(BIN)/python -m wispgate_connectors new "$(ID)" --domain "$(DOMAIN)" $(if $(value VENDOR),--vendor '$(subst ','\'',$(value VENDOR))')

# every key of a connector file, generated from the schema (tests/test_reference.py checks it is current)
reference: venv
	@$(EXT) $(BIN)/python -m wispgate_connectors.reference

LINTED := _ext tests bench conf.py

lint: $(VENV)/.test-installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

ifeq ($(ID),)
test: test-env lint
	$(BIN)/python -m pytest
else
# make test ID=<id>: only what concerns one connector: its three files checked, then its content
# tests (tests/test_content.py, marked `connector`) on a build of the site
test: $(VENV)/.test-installed
	@$(EXT) $(BIN)/python -m wispgate_connectors check --id "$(ID)"
	WG_ID="$(ID)" $(BIN)/python -m pytest tests/test_content.py -m connector -q
endif

# fewer random examples for the property tests; the full count runs in `make test`.
# One temporary folder per checkout, so two checkouts can run the lane at once.
FAST_TMP := $(shell test -d /dev/shm -a -w /dev/shm && echo --basetemp=/dev/shm/wispgate-test-fast-$$(id -u)-$$(printf %s "$(CURDIR)" | cksum | cut -d" " -f1))

test-fast: $(VENV)/.test-installed
	# temporary projects in memory where there is a tmpfs (their file writes were a tenth of the
	# lane); no end-of-session hunt for unraisable exceptions, a full collection of every build
	# the workers made (2 to 3 s each): `make test` keeps both as they are
	WG_FUZZ=0.2 $(BIN)/python -m pytest -m "not slow and not browser" -n 2 -q -p no:unraisableexception $(FAST_TMP)

clean:
	rm -rf $(BUILDDIR)

lock:
	rm -rf $(BUILDDIR)/lockenv
	$(PYTHON) -m venv $(BUILDDIR)/lockenv
	$(BUILDDIR)/lockenv/bin/python -m pip install --quiet -r requirements/docs.in
	$(BUILDDIR)/lockenv/bin/python -m pip freeze --all --exclude pip --exclude setuptools --exclude wheel > requirements/docs.lock.tmp
	$(BUILDDIR)/lockenv/bin/python -m pip install --quiet -r requirements/test.in
	$(BUILDDIR)/lockenv/bin/python -m pip freeze --all --exclude pip --exclude setuptools --exclude wheel > requirements/test.lock.tmp
	(echo "# Pinned by 'make lock' from docs.in."; cat requirements/docs.lock.tmp) > requirements/docs.lock
	(echo "# Pinned by 'make lock' from test.in."; cat requirements/test.lock.tmp) > requirements/test.lock
	rm -f requirements/*.lock.tmp
	rm -rf $(BUILDDIR)/lockenv
