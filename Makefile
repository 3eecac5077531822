# Ronghe: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY := .venv/bin/python
UV := .venv/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run serve migrate demo test bench screenshots assets lint messages

.venv/bin/uv:
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

install: .venv/bin/uv
	$(UV) pip install --quiet --python $(PY) -r requirements/base.lock

install-test: .venv/bin/uv
	$(UV) pip install --quiet --python $(PY) -r requirements/test.lock

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

demo: migrate
	$(PY) manage.py load_demo

# Installs, migrates, loads the demo data into an empty database, then serves the web app
# and the scheduler on $(HOST):$(PORT) until interrupted.
run: migrate
	$(PY) manage.py load_demo --if-empty
	HOST=$(HOST) PORT=$(PORT) .venv/bin/honcho start --no-prefix -f Procfile

serve: run

test: install-test
	bash scripts/test.sh

# Refresh the screenshots in docs/screenshots/ from the browser tests.
screenshots: install-test
	RONGHE_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q -n 2 tests/e2e

bench: install-test
	$(PY) bench/run.py

assets:
	npm ci --no-audit --no-fund
	node scripts/copy-assets.mjs

messages:
	cd src/ronghe && ../../$(PY) ../../manage.py makemessages -l zh_Hans --no-obsolete --no-location
	cd src/ronghe && ../../$(PY) ../../manage.py compilemessages -l zh_Hans

lint: install-test
	.venv/bin/ruff check src tests bench
