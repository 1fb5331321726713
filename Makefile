# Two commands matter: `make run` and `make test`. Everything else supports them.
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The House of Commons Library files `make run` imports after the seeds, where present.
NATIONAL_DATA_DIR ?= ../shared/data/ge2024
# Tests run with debug off, as production does, so they need some secret key.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-key-for-tests-only-never-in-production}
# One pytest worker more than the cores: the tests wait on browsers, servers and
# subprocesses for about a third of their time (CI used 1.3 of 2 cores with one a core).
TEST_WORKERS ?= $$(( $$(nproc) + 1 ))

.PHONY: run test lint setup clean bench-import bench bench-render bench-night serve reliability \
	projection-report screenshots bench-projection

$(VENV)/.installed: pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed

run: setup
	DJANGO_DEBUG=1 $(MANAGE) migrate --verbosity 0
	DJANGO_DEBUG=1 $(MANAGE) import_seeds
	DJANGO_DEBUG=1 scripts/import-national "$(NATIONAL_DATA_DIR)"
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: setup lint
	@scripts/ensure-browser
	@scripts/varnish-up --install-only
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The browser tests again, writing docs/screenshots/*.png as they go.
screenshots: setup
	@scripts/ensure-browser
	WRITE_SCREENSHOTS=1 $(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) -m e2e $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	$(PY) scripts/bench.py

bench-render: setup
	$(PY) scripts/bench_render.py

bench-night: setup
	$(PY) scripts/bench_night.py

reliability: setup
	$(PY) scripts/reliability.py --record

serve: setup
	scripts/serve

bench-import: setup
	$(PY) scripts/bench_import.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

projection-report: setup
	$(PY) scripts/projection_report.py

bench-projection: setup
	$(PY) scripts/bench_projection.py

# The whole night end to end, the acceptance test (docs/rehearsal.md): every seat declared
# through the desk's form, the open pages checked against the Library's files after each.
.PHONY: rehearse
rehearse: setup
	$(PY) scripts/rehearse.py $(REHEARSE_ARGS)
