#!/usr/bin/env bash
# Install everything the tests need (from nothing) and run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh test
export KERAS_BACKEND=torch
# Lint and format check (rules in pyproject.toml) and the size budget (files over 300
# lines, functions over 50: the allow-list only shrinks).
.venv/bin/ruff check lamina tests scripts bench
.venv/bin/ruff format --check lamina tests scripts bench
.venv/bin/python scripts/sizes.py > /dev/null
# No upward import between packages (the layers in docs/ARCHITECTURE.md;
# the contract is [tool.importlinter] in pyproject.toml).
.venv/bin/lint-imports --no-logo --no-cache
# Types: mypy on engine, trainers, saving, models and layers, in the mode
# set by [tool.mypy] in pyproject.toml: every body checked
# (check_untyped_defs), and every engine module under mypy's --strict
# flags through a per-module override. .mypy_cache makes a rerun take
# seconds. Then every public
# signature annotated (scripts/annotations.py).
.venv/bin/mypy
.venv/bin/python scripts/annotations.py
# Docstring examples are tests too (--doctest-modules over the package);
# pytest-xdist runs the suite on every core. Tests marked `slow` (the
# largest application models in Keras and lamina side by side) are left
# out to keep the run under 10 minutes on 2 cores; `bash scripts/test.sh
# -m slow` runs them (a later -m replaces this one).
.venv/bin/python -m pytest tests lamina --doctest-modules -n auto \
    -m "not slow" "$@"
