# clustergraph: build, check and test the knowledge graph toolkit.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all install validate stats test lint namespace clean

# The main job: install, then validate the data against the shapes and show statistics.
all: $(STAMP)
	$(BIN)/clustergraph validate
	$(BIN)/clustergraph stats

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

validate: $(STAMP)
	$(BIN)/clustergraph validate

stats: $(STAMP)
	$(BIN)/clustergraph stats

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

# Regenerate src/clustergraph/namespace.py after editing ontology/clustergraph.ttl.
namespace: $(STAMP)
	$(BIN)/python -m clustergraph.codegen

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
