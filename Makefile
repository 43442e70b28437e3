# The few commands people type. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export RXLENS_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test setup system-deps lint bench eval catalog-data clean lock notice wheel

# Exact versions with hashes from the lock (core + dev + the extras the tests use), then rxlens itself.
$(BIN)/rxlens: pyproject.toml requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Debian packages the tests and the photo generator need (fonts); installs only when root and missing.
system-deps:
	@bash scripts/system-deps.sh

setup: $(BIN)/rxlens system-deps

# The main job: the service and its web page on the embedded defaults (SQLite, local OCR).
run: setup
	$(BIN)/rxlens catalog init
	$(BIN)/rxlens analyze examples/bag-1.jpg examples/bag-2.jpg
	$(BIN)/rxlens serve

lint: $(BIN)/rxlens
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench.catalog
	$(BIN)/python -m bench.leave_brand_out --brands 300
	$(BIN)/python -m bench.recognition
	$(BIN)/python -m bench.second_look
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.line

# The accuracy measurement of the README: 300 fresh photos, then field-level accuracy.
eval: setup
	$(BIN)/rxlens eval generate var/eval --count 300 --seed $(or $(SEED),$(shell date +%s))
	$(BIN)/rxlens eval run var/eval

# Rebuild rxlens/data/catalog.json.gz from ../shared/data/drugs (needs the raw files).
catalog-data: $(BIN)/rxlens
	$(BIN)/python scripts/build_catalog.py

# Renew the locks to the newest versions pyproject.toml allows (`make lock LOCK_FLAGS=` keeps the
# current pins and only adds what changed). core.lock is seeded from dev.lock so both agree.
LOCK_FLAGS ?= --upgrade
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(BIN)/rxlens
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra dev -o requirements/dev.lock pyproject.toml
	cp requirements/dev.lock requirements/core.lock
	$(PIP_COMPILE) -o requirements/core.lock pyproject.toml

# The dependency licence table in NOTICE.md (tests/test_licences.py checks it in CI).
notice: setup
	$(BIN)/python -m scripts.licences

# dist/rxlens-*.whl and the sdist: what `pipx install dist/rxlens-*.whl` takes.
wheel: setup
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) var dist build .mypy_cache .ruff_cache .pytest_cache
