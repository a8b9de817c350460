# The two commands: `make run` and `make test`. Both set everything up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test stack bench setup frontend messages db demo clean check

# The development server and, beside it, one task worker (mail, reminders) and the scheduler, as in
# production (docs/operations.md); Ctrl-C stops all three (scripts/run-dev.sh).
run: setup db demo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ with a task worker (Ctrl-C to stop)"
	DJANGO_SETTINGS_MODULE=ot24portal.settings.dev HOST=$(HOST) PORT=$(PORT) PY=$(PY) scripts/run-dev.sh

test: setup messages
	@scripts/system-deps.sh postgres
	scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

# The portal as a deployment runs it: HAProxy on 127.0.0.1:8080, two gunicorn web servers with the production
# settings, a task worker and the scheduler, PostgreSQL and SeaweedFS (S3); data kept in .stack/ (deploy/stack.py).
stack: setup messages
	@scripts/system-deps.sh stack
	$(PY) deploy/stack.py

bench: setup messages $(BENCH_STAMP)
	@scripts/system-deps.sh postgres
	scripts/with-postgres.sh $(PY) bench/run.py $(BENCH_ARGS)

# locust lives in its own venv: its greenlet differs from the one Playwright needs.
$(BENCH_STAMP): bench/requirements.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements.txt
	touch $(BENCH_STAMP)

setup: $(STAMP) frontend

# The portal's share of Bootstrap Italia (package.json, scripts/build-frontend.mjs) into build/frontend/, which
# STATICFILES_DIRS serves; skipped when its inputs' hash is unchanged.
frontend: $(STAMP)
	@scripts/build-frontend.sh $(PY)

$(STAMP): requirements.txt requirements-spid.txt
	@scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	# spid-cie-oidc declares Django<5: installed without its pins, its dependencies are in requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-spid.txt
	touch $(STAMP)

messages: setup
	$(PY) manage.py compilemessages --ignore=.venv -v0

db: setup messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata ot24

demo: db
	$(PY) manage.py dev_certificate
	$(PY) manage.py demo_data

check: setup
	$(PY) manage.py check

clean:
	rm -rf $(VENV) $(BENCH_VENV) db.sqlite3 staticfiles .stack build node_modules
