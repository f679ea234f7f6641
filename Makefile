# govnews: `make demo` and `make test` work on a fresh machine with only Python and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test eval eval-lists bench bench-real bench-warehouse bench-reextract bench-distributed bench-serve install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/govnews demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m tests.eval.harness

eval-lists: $(STAMP)
	$(BIN)/python -m tests.eval.lists

bench: $(STAMP)
	$(BIN)/python -m tests.bench.pipeline

bench-real: $(STAMP)
	$(BIN)/python -m tests.bench.pipeline --real

bench-warehouse: $(STAMP)
	$(BIN)/python -m tests.bench.warehouse

bench-reextract: $(STAMP)
	$(BIN)/python -m tests.bench.reextract

# govnews serve: each page's time on the demo archive and on 100k generated articles
bench-serve: $(STAMP)
	$(BIN)/python -m tests.bench.serve

# needs redis-server (apt-get install redis-server); not part of make test
bench-distributed: $(STAMP)
	$(BIN)/python -m tests.bench.distributed

clean:
	rm -rf $(VENV) archive .pytest_cache
