# Wulian — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# Test workers (pytest-xdist): one per core.
TEST_WORKERS ?= auto

export WULIAN_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-browser lint check-deploy bench bench-pages profile schemathesis messages clean install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The embedded default: SQLite under ./var, demo data, a production server on 127.0.0.1.
run: $(VENV)/.installed var/secret_key
	@export SECRET_KEY="$$(cat var/secret_key)" WULIAN_HTTPS=false WULIAN_DEMO_MODE=true \
	  ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=false BIN=$(BIN) PORT=$(PORT) WORKERS=$(WORKERS); \
	bash scripts/run-embedded.sh

# Lint, migrations check and the whole suite (browser tests included when Chromium is there).
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=check-only $(BIN)/wulian makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev
	$(BIN)/pytest -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS)

check-deploy: $(VENV)/.installed
	SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=wulian.example.gov.cn $(BIN)/wulian check --deploy --fail-level WARNING

schemathesis: $(VENV)/.installed-dev
	bash scripts/schemathesis.sh

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

# Where one page's server time goes: `make profile URL=/suggestions/ USER=congress_clerk`
# (demo database under ./var, seeded if empty; DB=bench for the bench's generated data set,
# USER=bench_clerk; N requests). See bench/profile.py.
URL ?= /suggestions/
N ?= 50
DB ?= demo
PROFILE_USER := $(if $(filter command line,$(origin USER)),$(USER),$(if $(filter bench,$(DB)),bench_clerk,congress_clerk))
profile: $(VENV)/.installed-dev
	@if [ "$(DB)" = demo ]; then export SECRET_KEY=profile-only; $(BIN)/wulian migrate --noinput -v 0 && \
	  $(BIN)/wulian audit keygen >/dev/null && $(BIN)/wulian keys generate >/dev/null && \
	  $(BIN)/wulian demo_seed --if-empty >/dev/null; fi
	$(BIN)/python -m bench.profile "$(URL)" --user "$(PROFILE_USER)" --n $(N) --db $(DB)

# The issue-21 pages on the bench's data set (var/bench_reuse; `python -m bench.profile
# --generate 100000` first): in process (CPU and wall), then over HTTP (gunicorn ×2, one client
# p50/p95, 1–8 clients pages/s). A shared machine's load moves the HTTP figures: read the CPU.
bench-pages: $(VENV)/.installed-dev
	$(BIN)/python -m bench.profile --db bench --pages --http --n $(N)

messages: $(VENV)/.installed-dev
	cd src/wulian && SECRET_KEY=x ../../$(BIN)/wulian makemessages -l en --no-obsolete --no-location && \
	  SECRET_KEY=x ../../$(BIN)/wulian compilemessages -l en

clean:
	rm -rf $(VENV) var/static
