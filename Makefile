# Closer: `make run` serves the app on http://127.0.0.1:5000, `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 5000
# Tests run in parallel (pytest-xdist), four processes: they wait on servers and browsers as much as they compute; JOBS=0 runs them in one process.
JOBS ?= 4
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint install install-test chromium bench clean translations

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test chromium

# Debian's Chromium drives the browser tests; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The worker (reminders, team news, pushes) runs beside the server and is stopped, by its pid, when the server stops.
run: install
	CLOSER_ENV=$${CLOSER_ENV:-development} $(FLASK) db upgrade
	CLOSER_ENV=$${CLOSER_ENV:-development} $(FLASK) seed-demo
	@export CLOSER_ENV=$${CLOSER_ENV:-development}; \
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "worker running as pid $$worker"; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Lint first: style and import order (ruff), then strict types on the pure rules (mypy).
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: install-test lint
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(JOBS)

# Strings to translate: extract them from webapp/ and templates/ (babel.cfg), update every
# language's messages.po (new strings arrive empty, to translate), and compile each one to check it
# (into instance/, where the app itself compiles them at start; .mo files are never committed).
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k N_plural:1,2 --no-location --sort-output -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-pot-creation-date
	@for po in translations/*/LC_MESSAGES/messages.po; do \
	  lang=$${po#translations/}; lang=$${lang%%/*}; mkdir -p instance/translations/$$lang/LC_MESSAGES; \
	  $(VENV)/bin/pybabel compile --statistics -l $$lang -i $$po -o instance/translations/$$lang/LC_MESSAGES/messages.mo || exit 1; \
	done

bench: install-test
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache
