#!/usr/bin/env bash
# Environments for the peers of bench/suite.py: Keras 3 on JAX and on
# TensorFlow, each in its own virtual environment under bench/.peers/
# (the suite finds them there). torch is pinned as in the project's own
# environment (constraints.txt), since the suite's model code imports it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
for backend in jax tensorflow; do
  env="$here/.peers/$backend"
  "$python" -m venv "$env"
  packages=(keras h5py)
  if [ "$backend" = jax ]; then packages+=(jax jaxlib); else packages+=(tensorflow-cpu); fi
  "$env/bin/pip" install -q -c "$root/constraints.txt" torch "${packages[@]}"
  echo "$backend: $(KERAS_BACKEND="$backend" "$env/bin/python" -c 'import keras; print(keras.__version__)')"
done
