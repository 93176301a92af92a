# clustergraph: build, check and test the knowledge graph toolkit.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all install system w3c-suites validate stats test test-fast notebook lint namespace bench assets clean

# The main job, `clustergraph build`: bring the store in step with the files, validate,
# derive, check, run every query, analyse the network, export every format, and write the
# explorer site, all into build/ (replaced only when every stage succeeds). Open
# build/site/index.html. Single parts: `clustergraph analyze|view|export --out ...`.
all: $(STAMP)
	$(BIN)/clustergraph build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --progress-bar on -e '.[test,notebook]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need (browsers, triple stores, parsers): see tools/.
system:
	bash tools/install-system-packages.sh

validate: $(STAMP)
	$(BIN)/clustergraph validate

stats: $(STAMP)
	$(BIN)/clustergraph stats

# The W3C Turtle, TriG, N-Triples and N-Quads suites, as rdflib's source distribution
# carries them, into .cache/ (tests/test_w3c_suites.py reads them; never committed).
W3C_CACHE := .cache/w3c-suites
w3c-suites: $(STAMP)
	@test -f $(W3C_CACHE)/rdflib-7.6.0.tar.gz || $(BIN)/python -m pip download --quiet \
		--no-binary :all: --no-deps rdflib==7.6.0 --dest $(W3C_CACHE)

test: $(STAMP) system w3c-suites
	$(BIN)/python -m pytest

# The quick subset (under a minute): no builds, browsers or triple store servers.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow and not browser and not store"

# Open the walkthrough notebook in JupyterLab (the notebook extra is installed with the rest).
notebook: $(STAMP)
	$(BIN)/jupyter lab notebooks/walkthrough.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

# Benchmarks, never part of `make test` (long: an hour or more with 1M): the pipeline and
# single commands on generated ecosystems of 10k, 100k and 1M triples, beside raw
# pyoxigraph; a table per size, also written to benchmarks/results/ (see
# benchmarks/README.md). Options: make bench BENCH="--quick" (10k only), or e.g.
# BENCH="--sizes 100k --skip queries --timeout 900".
BENCH ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py $(BENCH)

# Regenerate src/clustergraph/project/namespace.py after editing ontology/clustergraph.ttl.
namespace: $(STAMP)
	$(BIN)/python -m clustergraph.rdf.codegen

# Rebuild the bundled JavaScript (vis-network, YASGUI, the Oxigraph WASM build) from npm
# into src/clustergraph/render/assets/lib/ (committed, so neither make nor the wheel needs npm).
assets:
	cd web && npm ci && npm run build

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
