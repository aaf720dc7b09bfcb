"""Import Keras 3 as the test oracle, on its torch backend.

Tests that need Keras fail (never skip) when it is missing: it is a test
dependency, installed by the README's test command.
"""

import os

os.environ["KERAS_BACKEND"] = "torch"

import keras  # noqa: E402

if keras.backend.backend() != "torch":  # pragma: no cover
    raise RuntimeError(
        "Keras must run on its torch backend in lamina's tests; got "
        f"{keras.backend.backend()!r}. Set KERAS_BACKEND=torch."
    )


def to_numpy(x):
    """Keras/torch/numpy value → numpy array."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return keras.ops.convert_to_numpy(x)
