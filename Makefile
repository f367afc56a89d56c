# Paper Digest runbook. `make site` and `make test` work on a fresh machine: each sets up what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup site content serve test lint fuzz bench eval-data eval-topics eval-picks golden browser-deps checkers validate clean

# Plain `make` lists the targets; each target is named in full (make site, make test).
.DEFAULT_GOAL := help

## help: list the targets and what each does (what plain make does)
help:
	@echo "Targets (make TARGET):"
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); i = index($$0, ":"); printf "  %-14s%s\n", substr($$0, 1, i - 1), substr($$0, i + 2); next } \
	  /^## / { sub(/^## /, ""); printf "  %-14s%s\n", "", $$0 }' $(firstword $(MAKEFILE_LIST))

# Python 3.11 or later (pyproject.toml): an older one got as far as "No matching distribution found for atpublic==9.0.0".
CHECK_PYTHON := import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Paper Digest needs Python 3.11 or later, and \
  $(PYTHON) is Python %s: run make again with another, such as make PYTHON=python3.12 $(or $(MAKECMDGOALS),setup)" \
  % sys.version.split()[0])

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c '$(CHECK_PYTHON)'
	@# A .venv an older Python left (a setup that stopped there) is made again: venv would keep its old python.
	@if [ -e $(PY) ] && ! $(PY) -c '$(CHECK_PYTHON)' >/dev/null 2>&1; then echo "Making $(VENV) again with $(PYTHON)"; \
	  rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@# Earlier checkouts installed this package as paper-digest (PyPI's name for another project): both would be `generator`.
	$(PY) -m pip uninstall --quiet --yes paper-digest 2>/dev/null || true
	@# setuptools would print a boxed "Editable installation … folders … with the same name as your package" for the
	@# top-level templates/ that pyproject.toml installs as generator.templates: nothing to act on, so not shown.
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@# Byte-compile the generator as pip does the libraries: a `digest` command starts 0.2 s sooner
	@# where Python may not write its cache itself (PYTHONDONTWRITEBYTECODE). Stale files are ignored.
	$(PY) -m compileall -q generator
	touch $@

## setup: create .venv with the pinned dependencies and the digest command (.venv/bin/digest)
setup: $(STAMP)

# Zensical, the other builder (make site SSG=zensical), is installed into .venv only when asked for.
SSG ?= mkdocs
ZENSICAL_STAMP := $(VENV)/.zensical-stamp
$(ZENSICAL_STAMP): requirements-zensical.lock $(STAMP)
	$(PY) -m pip install --quiet -r requirements-zensical.lock
	touch $@
ifeq ($(SSG),zensical)
SSG_STAMP := $(ZENSICAL_STAMP)
else ifneq ($(SSG),mkdocs)
$(error SSG=$(SSG): the site is built with mkdocs (the default) or zensical)
endif

# Options of `digest check-site` for `make site`, such as another host's limits: CHECK_SITE="--max-site-bytes 500000000".
CHECK_SITE ?=

## site: set up, build content/ from data/, then build site/ with MkDocs (reproducible; SSG=zensical: with Zensical)
## and check it against GitHub Pages' limits
site: $(STAMP) $(SSG_STAMP)
	@# The new site is built in .site.tmp here, then renamed to site/: a read-only checkout stops here, not in a traceback.
	@test -w . || { echo "make site: $$(pwd) is not writable: the site is built in .site.tmp beside site/, then renamed" \
	  "(copy the project to a writable folder, or make it writable)" >&2; exit 1; }
	$(PY) -m generator build
	rm -rf .site.tmp
	@# A failed build's part-written site goes at once (on a full disk it would hold the space until the next make site).
	epoch=$$($(PY) -m generator epoch) && SOURCE_DATE_EPOCH=$$epoch $(if $(SSG_STAMP),$(PY) -m generator.zensical build --site-dir .site.tmp,$(VENV)/bin/mkdocs build --strict --quiet --site-dir .site.tmp) || { rm -rf .site.tmp; exit 1; }
	@# GitHub Pages' limits (1 GB, 100 MB a file): a warning from 90% on; over them the new site is dropped.
	$(PY) -m generator check-site $(CHECK_SITE) .site.tmp || { rm -rf .site.tmp; exit 1; }
	@# Swap by renames (never a half-deleted site/): a kill leaves the old or the new site in place. A site/ that is a
	@# link (to a web server's folder) stays one: the new site takes the place of the folder it leads to.
	dest=site; new=.site.tmp; if [ -L site ]; then dest=$$(readlink -f site) && new=$$dest.tmp && rm -rf "$$new" && \
	  mv .site.tmp "$$new" || exit 1; fi; \
	rm -rf "$$dest.old" && if [ -d "$$dest" ]; then mv "$$dest" "$$dest.old"; fi && mv "$$new" "$$dest" && rm -rf "$$dest.old"
	@echo "Site built in site/. Browse it through a server: python3 -m http.server -d site$(if $(SSG_STAMP), (make serve would serve an MkDocs build instead), (or make serve: http://$(SERVE_ADDRESS)/))"

## content: build content/ only
content: $(STAMP)
	$(PY) -m generator build

## serve: serve the site at http://127.0.0.1:8000/ (SERVE_ADDRESS), rebuilt on every edit of data/, digest.yml, templates/, content/
SERVE_ADDRESS ?= 127.0.0.1:8000
serve: $(STAMP)
	@# SITE_URL makes the site's root the server's root (MkDocs serves under site_url's path), and the
	@# feeds' links local. The hook rebuilds content/ before each build (generator/mkdocs_hooks.py).
	SITE_URL=http://$(SERVE_ADDRESS)/ $(VENV)/bin/mkdocs serve --dev-addr $(SERVE_ADDRESS)

## browser-deps: install Debian's Chromium and faketime when missing and running as root (browser, clock tests)
browser-deps:
	@if [ -n "$$CHROMIUM_PATH" ] && [ ! -f "$$CHROMIUM_PATH" ]; then \
	  echo "CHROMIUM_PATH=$$CHROMIUM_PATH does not exist: correct it, or unset it to use /usr/bin/chromium" >&2; exit 1; \
	fi
	@if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH; browser tests will be skipped"; fi; \
	fi
	@if ! command -v faketime >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null || \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null); \
	  else echo "faketime not found: install it (apt-get install faketime); fake-clock determinism tests will be skipped"; fi; \
	fi

## checkers: the Nu HTML checker (npm vnu-jar, run with Java 17+) and axe-core, at tools/package-lock.json's
## versions, into tools/node_modules/; Java and npm too when missing and running as root (Debian's packages)
CHECKERS := tools/node_modules/.installed-stamp
VNU_JAR := tools/node_modules/vnu-jar/build/dist/vnu.jar
checkers:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "Java not found: install Java 17 or later (apt-get install default-jre-headless; macOS: brew install openjdk); the Nu HTML checker test will be skipped"; fi; \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "npm not found: install Node.js 18 or later with npm (apt-get install npm); the Nu checker and axe-core tests will be skipped"; fi; \
	fi
	@if command -v npm >/dev/null 2>&1; then $(MAKE) -s --no-print-directory $(CHECKERS); fi

$(CHECKERS): tools/package.json tools/package-lock.json
	@# --ignore-scripts: vnu-jar's install script downloads a Java of its own where it finds none; we use the system's.
	npm ci --prefix tools --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

## test: set up and run every test (unit, golden, MkDocs and Zensical integration, Nu HTML checker, browser with axe-core)
test: $(STAMP) $(ZENSICAL_STAMP) browser-deps checkers
	$(PY) -m pytest -q

## fuzz: run the property tests with fresh random examples, many of them (make test replays fixed ones)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q -m property -p no:cacheprovider

## bench: benchmark generator + MkDocs on synthetic archives (slow; niced). Quick run: make bench SIZES=1000
SIZES ?= 1000,10000,20000,100000
bench: $(STAMP)
	nice -n 10 $(PY) bench/run.py --sizes $(SIZES)

## eval-data: prepare the topic evaluation sets from checkouts of the repositories bench/eval/sets.yml names
CHECKOUTS ?= checkouts
eval-data: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-eval.lock
	$(PY) bench/eval/prepare.py --checkouts $(CHECKOUTS)

## eval-topics: the topic evaluation bench (not part of make test): first topics against real labels, beside
## a TF-IDF baseline and a supervised ceiling; the default taxonomy on daily papers; related papers
eval-topics: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-eval.lock
	nice -n 10 $(PY) bench/eval/eval_topics.py

## eval-picks: the picks evaluation bench (not part of make test): a reading list of 30 papers of one arXiv
## category against the rest of its set, precision@50 beside the category's base rate; the min_score table
eval-picks: $(STAMP)
	nice -n 10 $(PY) bench/eval/eval_picks.py --ceiling
	nice -n 10 $(PY) bench/eval/eval_picks.py --issue-size 20 --methods contrast centroid rocchio recent
	nice -n 10 $(PY) bench/eval/eval_picks.py --issue-size 20 --per-issue 1 --methods contrast centroid recent

## golden: regenerate the golden files after an intended change of output
golden: $(STAMP)
	$(PY) -m pytest -q tests/test_golden.py --update-golden

## validate: check every page of site/ with the Nu HTML checker (npm vnu-jar 26.x; needs Java 17+)
validate: site checkers
	@command -v java >/dev/null 2>&1 || { echo "make validate needs Java 17 or later: apt-get install default-jre-headless (macOS: brew install openjdk)" >&2; exit 1; }
	@test -f $(VNU_JAR) || { echo "$(VNU_JAR) is missing: make checkers needs npm (Node.js 18 or later)" >&2; exit 1; }
	java -jar $(VNU_JAR) --errors-only --skip-non-html site
	@echo "The Nu HTML checker found no errors in site/."

## lint: ruff and mypy, at the versions of requirements-lint.lock
lint: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-lint.lock
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy generator

## clean: delete the built site, the Zensical work folder, .venv and the test cache
clean:
	rm -rf site .site.tmp .site.old .zensical $(VENV) .pytest_cache
