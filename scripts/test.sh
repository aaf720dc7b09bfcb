#!/usr/bin/env bash
# Install everything the tests need (from nothing) and run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh test
export KERAS_BACKEND=torch
# Docstring examples are tests too (--doctest-modules over the package).
.venv/bin/python -m pytest tests lamina --doctest-modules "$@"
