"""Keras 3 public names that lamina does not have, each with its reason.

Two kinds of entries:
- "n/a: ..." — does not apply to a torch-only library (JAX/TF/Orbax
  integrations); these stay.
- "issue N: ..." — not yet implemented; issue N covers it. These go as
  the names land: `tests/api/test_api_coverage.py` fails on an entry that
  lamina now has, so the list only shrinks.

Regenerate with `.venv/bin/python scripts/api_gap.py --write` (keeps the
reasons of entries still missing), then review the new entries.
"""

ALLOWED = {
    "keras.callbacks.OrbaxCheckpoint": "n/a: Orbax is JAX's checkpoint library; "
    "ModelCheckpoint and BackupAndRestore "
    "cover torch",
    "keras.layers.FlaxLayer": "n/a: wraps a Flax module; lamina runs on torch "
    "only",
    "keras.layers.JaxLayer": "n/a: wraps a JAX function and its state; lamina "
    "runs on torch only (TorchModuleWrapper is the "
    "torch counterpart)",
    "keras.layers.TFSMLayer": "n/a: loads a TensorFlow SavedModel; needs "
    "TensorFlow, which lamina does not use",
}
