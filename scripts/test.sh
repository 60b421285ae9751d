#!/usr/bin/env bash
# Install what the tests need (Dovecot, Redis, Chromium; a virtualenv with the package) and run them.
# Every server the tests use is started by the tests themselves on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy   # parsers/, rules/, store/ and worker/, as configured in pyproject.toml
.venv/bin/lint-imports   # the layers: parsers < rules < store < worker
exec .venv/bin/pytest "$@"
