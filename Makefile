# The few commands people type. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export RXLENS_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test setup system-deps lint bench eval catalog-data clean

$(BIN)/rxlens: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.load

# The accuracy measurement of the README: 300 fresh photos, then field-level accuracy.
eval: setup
	$(BIN)/rxlens eval generate var/eval --count 300 --seed $(or $(SEED),$(shell date +%s))
	$(BIN)/rxlens eval run var/eval

# Rebuild rxlens/data/catalog.json.gz from ../shared/data/drugs (needs the raw files).
catalog-data: $(BIN)/rxlens
	$(BIN)/python scripts/build_catalog.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
