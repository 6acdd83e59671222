# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test lint format install install-dev bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The fast path compiled to C by mypyc (setup.py; about 20 s), again whenever fast.py changes.
# Where it cannot be built (no C compiler) the Python module is used: a warning, no failure.
$(VENV)/.compiled: $(VENV)/.installed citra/sentiment/fast.py setup.py pyproject.toml
	@if $(PY) setup.py --quiet build_ext --inplace >$(VENV)/compile.log 2>&1; then touch $@; \
	else echo "warning: the compiled fast path did not build (see $(VENV)/compile.log);" \
	  "the Python module is used" >&2; fi

install: $(VENV)/.installed $(VENV)/.compiled
install-dev: install $(VENV)/.installed-dev

run: install
	$(PY) -m citra init
	$(PY) -m citra demo --if-empty
	$(PY) -m citra serve --port $(PORT) --address $(ADDRESS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	$(PY) -m pytest

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Writes bench/RESULTS.md (100,000 and 1,000,000 mentions; about 15 minutes on two cores). The
# other bench/ scripts run on their own: python bench/<script>.py
bench: install-dev
	$(PY) bench/report.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build citra/sentiment/*.so citra/sentiment/fast.compiled-from
