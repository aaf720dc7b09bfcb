#!/usr/bin/env bash
# Create .venv (if missing) and install lamina with the given extras,
# pinning torch to the CPU build on this machine's disk (constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -c constraints.txt -e .
fi
