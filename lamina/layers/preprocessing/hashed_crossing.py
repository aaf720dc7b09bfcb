"""`HashedCrossing`: crosses categorical features with the hashing trick."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine.layer import Layer, specs_from_shapes
from lamina.errors import invalid_argument
from lamina.layers.preprocessing import hash_functions
from lamina.layers.preprocessing.category_encoding import encode_categorical
from lamina.layers.preprocessing.hashing import _values
from lamina.typing import DTypeLike

MODES = ("int", "one_hot")


class HashedCrossing(Layer):
    """A preprocessing layer which crosses features using the "hashing
    trick": `hash(concatenate(features)) % num_bins`.

    The hash is TensorFlow's `tf.sparse.cross_hashed`, as Keras uses it:
    each string feature is fingerprinted with FarmHash64, each integer
    feature taken as its 64-bit value, and the features are chained with
    `FingerprintCat64` from TensorFlow's default key; the same crosses
    land in the same bins as in Keras.

    Args:
        num_bins: the number of bins.
        output_mode: `"int"` (the bins, int64) or `"one_hot"`.
        sparse: must be False (no sparse outputs on torch).

    Call arguments:
        inputs: a tuple or list of at least two features, each of shape
            `()`, `(batch,)` or `(batch, 1)`, all the same, of strings or
            integers.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.HashedCrossing(num_bins=5)
    >>> feat1 = np.array(["A", "B", "A", "B", "A"])
    >>> feat2 = np.array([101, 101, 101, 102, 102])
    >>> layer((feat1, feat2)).tolist()
    [1, 4, 1, 1, 3]
    """

    def __init__(
        self,
        num_bins: Any,
        output_mode: str = "int",
        sparse: bool = False,
        name: str | None = None,
        dtype: DTypeLike = None,
        **kwargs: Any,
    ):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if output_mode not in MODES:
            raise ValueError(
                invalid_argument(
                    "HashedCrossing",
                    "output_mode",
                    f"one of {MODES}",
                    output_mode,
                )
            )
        if sparse:
            raise ValueError(
                invalid_argument(
                    "HashedCrossing",
                    "sparse",
                    "False (no sparse outputs on torch)",
                    sparse,
                )
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, args: tuple) -> tuple:
        return args  # strings are converted by `call`

    def call(self, inputs: Any) -> torch.Tensor:
        features = self._check_inputs(inputs)
        shape = features[0].shape
        crossed = np.full(
            int(np.prod(shape)),
            hash_functions.U64(hash_functions.DEFAULT_CROSS_KEY),
            dtype=np.uint64,
        )
        for feature in features:
            crossed = hash_functions.fingerprint_cat64(
                crossed, _feature_hash(feature.reshape(-1))
            )
        bins = (crossed % np.uint64(self.num_bins)).astype(np.int64)
        device = next(
            (x.device for x in inputs if isinstance(x, torch.Tensor)), None
        )
        out = torch.from_numpy(bins.reshape(shape)).to(device)
        if self.output_mode == "int":
            return out.to(self._compute_torch_dtype)
        return encode_categorical(
            out, "one_hot", self.num_bins, self._compute_torch_dtype
        )

    def _check_inputs(self, inputs) -> list:
        name = f"HashedCrossing '{self.name}'"
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                f"{name} should be called on a list or tuple of at least two"
                f" inputs. Received: inputs={inputs!r}"
            )
        features = [_values(x, "HashedCrossing", self.name) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                f"{name}: every input should have shape (), (batch_size,) or"
                f" (batch_size, 1). Received: shape {shape}"
            )
        if any(f.shape != shape for f in features[1:]):
            raise ValueError(
                f"{name}: all inputs should have the same shape. Received: "
                f"shapes {[f.shape for f in features]}"
            )
        if any(f.dtype.kind == "f" for f in features):
            raise TypeError(
                f"{name}: inputs should be integers or strings. Received: "
                f"dtypes {[str(f.dtype) for f in features]}"
            )
        return features

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        if shape and shape[-1] == 1:
            return shape[:-1] + (self.num_bins,)
        return shape + (self.num_bins,)

    def compute_output_spec(self, inputs: Any) -> Any:
        return specs_from_shapes(
            self.compute_output_shape([x.shape for x in inputs]), self.dtype
        )

    def get_config(self) -> dict:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    def extra_repr(self) -> str:
        return f"name={self.name}, num_bins={self.num_bins}"


def _feature_hash(values: np.ndarray) -> np.ndarray:
    """FarmHash64 of strings; integers as their two's-complement uint64."""
    if values.dtype == object:
        return hash_functions.fingerprint64(values.tolist())
    return values.astype(np.int64).view(np.uint64)
