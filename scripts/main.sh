#!/usr/bin/env bash
# Install lamina and run the main job: train on the bundled digits.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
.venv/bin/python -m lamina.examples.train_digits "$@"
