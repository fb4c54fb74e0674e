# SBA Portal. The two commands a newcomer needs:  make run  and  make test  (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# make run: the local demo (sba_portal/settings.py, DEMO), its e-mail links on the address it serves.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV := DEMO=true SITE_URL=$(SITE_URL)

.PHONY: run test lint format messages check-deploy bench clean

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "SBA Portal needs Python 3.11 or newer"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

## make run: set up everything and serve the portal with demo data on http://127.0.0.1:8000/
## (make run PORT=8123 HOST=0.0.0.0 for another address). The demo logins are printed last.
run: $(VENV)/.installed-dev
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite by default; PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set)
## In parallel, one pytest-xdist worker per core (pyproject.toml); PYTEST_ARGS="-n 0" runs it serially.
test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make messages: refresh the Swedish translations (needs GNU gettext), then edit the .po files
messages: $(VENV)/.installed-dev
	for app in members outbox inquiries nki overview digests privacy surveys; do (cd $$app && DEBUG=true ../$(PY) ../manage.py makemessages -l sv -l en --no-obsolete); done
	DEBUG=true $(PY) manage.py makemessages -l sv -l en --no-obsolete --ignore='members/*' --ignore='inquiries/*' --ignore='nki/*' --ignore='overview/*' --ignore='outbox/*' --ignore='digests/*' --ignore='privacy/*' --ignore='surveys/*' --ignore='.venv/*' --ignore='static/vendor/*' --ignore='tests/*' --ignore='bench/*' --ignore='artifacts/*'
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

## make bench: the benchmark (PostgreSQL + wrk; docs/PERFORMANCE.md), e.g. BENCH_ARGS="--runs 3"
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
