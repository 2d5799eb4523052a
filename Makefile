# One command each: `make run` (the app on the embedded default) and `make test`. Both install what they need
# and are idempotent: the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint browser bench eval

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian chromium + CJK fonts for the real-browser UI tests (Playwright's own browser download fails offline).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

run: install
	$(BIN)/rongzhi ingest
	$(BIN)/rongzhi ask "科技创新与产业创新融合面临哪些障碍？"

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

eval: install
	$(BIN)/rongzhi ingest -q
	$(BIN)/rongzhi eval --dataset evals/dataset.jsonl --out reports/eval

bench: install
	$(BIN)/rongzhi bench --out reports/bench
