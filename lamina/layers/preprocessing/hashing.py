"""`Hashing`: hashes strings and integers into a fixed number of bins."""

from __future__ import annotations

from typing import Any

import numbers

import numpy as np
import torch

from lamina.engine.layer import Layer, specs_from_shapes
from lamina.errors import invalid_argument
from lamina.layers.preprocessing import hash_functions
from lamina.layers.preprocessing.category_encoding import encode_categorical
from lamina.layers.preprocessing.lookup_utils import check_salt

MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(Layer):
    """A preprocessing layer which hashes and bins categorical features.

    Each value goes to bin `FarmHash64(value) % num_bins` (FarmHash
    `Fingerprint64`, TensorFlow's `to_hash_bucket_fast`), or, with a
    `salt`, `SipHash64(value) % num_bins` keyed by the salt
    (`to_hash_bucket_strong`): the same bins as Keras. Integers are hashed
    in their decimal string form, floats after truncation to int64, as in
    Keras. The hashes run in NumPy (`hash_functions`), one vectorised pass
    per distinct string length.

    Args:
        num_bins: the number of bins, the mask bin included.
        mask_value: a value mapped to bin 0 (the others then use bins
            `1..num_bins-1`); None for no mask.
        salt: None, an int or a pair of ints: the SipHash key.
        output_mode: `"int"` (the bins), `"one_hot"`, `"multi_hot"` or
            `"count"` (the last two reduce the last axis).
        sparse: must be False (no sparse outputs on torch).

    Input shape:
        Strings (a list or NumPy array) or integers (array or tensor).

    Output shape:
        The input's shape in `"int"` mode (int64); otherwise the last axis
        becomes `num_bins` (float32).

    Example:

    >>> import lamina
    >>> lamina.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"],
    ...                                    ["E"]]).tolist()
    [[1], [0], [1], [1], [2]]
    >>> lamina.layers.Hashing(num_bins=3, salt=133)([["A"], ["B"], ["C"],
    ...                                              ["D"], ["E"]]).tolist()
    [[0], [0], [2], [1], [0]]
    """

    def __init__(
        self,
        num_bins: Any,
        mask_value: Any = None,
        salt: Any = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        name = type(self).__name__
        if not isinstance(num_bins, numbers.Integral) or num_bins <= 0:
            raise ValueError(
                invalid_argument(name, "num_bins", "an int > 0", num_bins)
            )
        if output_mode not in MODES:
            raise ValueError(
                invalid_argument(
                    name, "output_mode", f"one of {MODES}", output_mode
                )
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                invalid_argument(
                    name,
                    "dtype",
                    "'int32' or 'int64' when `output_mode='int'`",
                    self.dtype,
                )
            )
        if sparse:
            raise ValueError(
                invalid_argument(
                    name, "sparse", "False (no sparse outputs on torch)", sparse
                )
            )
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = check_salt(name, salt)
        self.strong_hash = self.salt is not None
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, args: tuple) -> tuple:
        return args  # strings are converted by `call`

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        device = inputs.device if isinstance(inputs, torch.Tensor) else None
        values = _values(inputs, type(self).__name__, self.name)
        bins = torch.from_numpy(self._bins(values)).to(device)
        if self.output_mode == "int":
            return bins.to(self._compute_torch_dtype)
        if self.output_mode == "one_hot" and bins.ndim and bins.shape[-1] == 1:
            bins = bins.squeeze(-1)
        return encode_categorical(
            bins, self.output_mode, self.num_bins, self._compute_torch_dtype
        )

    def _bins(self, values: np.ndarray) -> np.ndarray:
        flat = values.reshape(-1)
        bins, mask = self.num_bins, None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = flat == self.mask_value
        strings = (
            flat.tolist()
            if flat.dtype == object
            else hash_functions.as_strings(flat)
        )
        out = hash_functions.hash_to_bins(strings, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out.reshape(values.shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        return shape[:-1] + (self.num_bins,) if shape else (self.num_bins,)

    def compute_output_spec(self, inputs: torch.Tensor) -> Any:
        return specs_from_shapes(
            self.compute_output_shape(inputs.shape), self.dtype
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }

    def extra_repr(self) -> str:
        return f"name={self.name}, num_bins={self.num_bins}"


def _values(inputs, owner: str, name: str) -> np.ndarray:
    """Strings as an object array of `str`, numbers as a NumPy array."""
    if isinstance(inputs, torch.Tensor):
        return inputs.detach().cpu().numpy()
    array = np.asarray(inputs) if not isinstance(inputs, np.ndarray) else inputs
    if array.dtype.kind in "iufb":
        return array
    if array.dtype.kind in "USO":
        flat = [
            v.decode("utf-8") if isinstance(v, bytes) else v
            for v in array.reshape(-1).tolist()
        ]
        if all(isinstance(v, str) for v in flat):
            out = np.empty(len(flat), dtype=object)
            out[:] = flat
            return out.reshape(array.shape)
    raise TypeError(
        f"{owner} '{name}' expects string or integer inputs. Received: "
        f"inputs of dtype {array.dtype}"
    )
