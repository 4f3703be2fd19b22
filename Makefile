# One-command entry points. Every target sets up what it needs first.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
SDK_VENV := .venv-sdk
BIN := $(VENV)/bin
SDK := $(SDK_VENV)/bin/demisto-sdk
PACK := Packs/SentinelOne
INTEGRATION := $(PACK)/Integrations/SentinelOne_V2
PORT ?= 8443
TOKEN ?= demo-token
export PYTHONPATH := $(CURDIR):$(CURDIR)/xsoar_local/platform
export DEMISTO_SDK_IGNORE_CONTENT_WARNING := 1
export DEMISTO_DEFAULT_BRANCH := main

.PHONY: venv sdk-venv test lint typecheck unit validate docs docs-check pack demo simulator bench clean

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml tools/deps.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PY) tools/deps.py dev > $(VENV)/requirements.txt
	$(BIN)/python -m pip install -q -r $(VENV)/requirements.txt
	touch $@

sdk-venv: $(SDK_VENV)/.installed
$(SDK_VENV)/.installed: pyproject.toml tools/deps.py
	test -x $(SDK_VENV)/bin/python || $(PY) -m venv $(SDK_VENV)
	$(PY) tools/deps.py sdk > $(SDK_VENV)/requirements.txt
	$(SDK_VENV)/bin/python -m pip install -q -r $(SDK_VENV)/requirements.txt
	touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy Packs xsoar_local s1sim tools

unit: venv
	$(BIN)/python -m pytest -q

validate: sdk-venv
	bash tools/sdk.sh validate

docs: sdk-venv
	bash tools/sdk.sh docs

docs-check: sdk-venv
	bash tools/sdk.sh docs-check

pack: sdk-venv
	bash tools/sdk.sh pack

test: venv sdk-venv
	$(MAKE) --keep-going lint typecheck unit validate docs-check

demo: venv
	$(BIN)/python -m tools.demo

simulator: venv
	$(BIN)/python -m s1sim --host 127.0.0.1 --port $(PORT) --token $(TOKEN)

bench: venv
	$(BIN)/python -m tools.bench

clean:
	rm -rf $(VENV) $(SDK_VENV) dist .xsoar-local
