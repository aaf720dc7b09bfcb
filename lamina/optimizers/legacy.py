"""`keras.optimizers.legacy`: Keras 2's optimizer names, kept so that code
importing them still imports; creating one raises, as in Keras 3.

>>> from lamina.optimizers import legacy
>>> legacy.Adam()
Traceback (most recent call last):
...
ImportError: `keras.optimizers.legacy` is not supported in Keras 3...
"""

from __future__ import annotations

from typing import Any


class LegacyOptimizerWarning:
    """Every `legacy` name is this class; its constructor raises."""

    def __init__(self, *args: Any, **kwargs: Any):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. When "
            "using `tf.keras`, to continue using a "
            "`tf.keras.optimizers.legacy` optimizer, you can install the "
            "`tf_keras` package (Keras 2) and set the environment variable "
            "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use "
            "`tf_keras` when accessing `tf.keras`. In lamina, use "
            "`lamina.optimizers` instead."
        )


Adagrad = Adam = Ftrl = Optimizer = RMSprop = SGD = LegacyOptimizerWarning

__all__ = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]
