# Two commands for a newcomer:  make run  |  make test
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast test-unit lint bench calibrate bench-dossiers bench-report bench-cards bench-uploads bench-throughput bench-flood bench-ops clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Start the bot when TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set (env or .env), else the console chat.
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN$$ZALO_BOT_TOKEN" ] || grep -qs '^\(TELEGRAM\|ZALO\)_BOT_TOKEN=.\+' .env; then \
		$(VENV)/bin/tthc run; else $(VENV)/bin/tthc chat; fi

## Lint and type-check, then the whole suite (unit, SQLite + PostgreSQL, end-to-end through the fake Bot API).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n auto

## The inner loop: lint, types and every test but the sweeps (marked slow).
test-fast: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n auto -m "not slow"

## Unit tests only (no database, no network): seconds.
test-unit: $(STAMP)
	$(VENV)/bin/pytest -m "not slow" tests/unit

## What the chat answers (dev and held-out), search latency, throughput; dossier import of a 600,000-row year (about two minutes).
bench: $(STAMP)
	$(PY) -m bench.search
	$(PY) -m bench.throughput
	$(PY) -m bench.flood

## Refit the search's confidence on the development part of the evaluation set.
calibrate: $(STAMP)
	$(PY) -m bench.calibrate

bench-dossiers: $(STAMP)
	$(PY) -m bench.dossier_import

## Managers' figures on a year of 622,039 dossiers: each report's time and the /baocao pack.
bench-report: $(STAMP)
	$(PY) -m bench.report

## What /metrics and the per-update log line cost, and a SQLite backup under writes.
bench-ops: $(STAMP)
	$(PY) -m bench.operations

## Replies per second for 200 citizens at once, against PTB's echo bot (also in make bench).
bench-throughput: $(STAMP)
	$(PY) -m bench.throughput

## One citizen's 500 messages: how long 20 others wait for their answer (also in make bench).
bench-flood: $(STAMP)
	$(PY) -m bench.flood

## A whole catalogue and a month of dossiers sent in the chat: preview and apply times.
bench-uploads: $(STAMP)
	$(PY) -m bench.staff_upload

## What procedure cards show: the published text before and after the card reader.
bench-cards: $(STAMP)
	$(PY) -m bench.card_quality

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
