"""`Discretization`: buckets continuous values into integer bins."""

from __future__ import annotations

from typing import Any

import numbers

import numpy as np
import torch
import torch.nn.functional as F

from lamina.engine.layer import Layer
from lamina.engine.layer import specs_from_shapes
from lamina.errors import invalid_argument
from lamina.layers.preprocessing import quantile_summary
from lamina.typing import DTypeLike

MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """A preprocessing layer which buckets continuous features by ranges.

    Bin `i` holds the values `x` with `bin_boundaries[i - 1] <= x <
    bin_boundaries[i]`; values below the first boundary go to bin 0 and
    values at or above the last one to bin `len(bin_boundaries)`.
    Inputs are compared in float32.

    Args:
        bin_boundaries: a sorted list of boundaries, or None to compute them
            with `adapt()`.
        num_bins: the number of bins `adapt()` computes (boundaries at
            equal-weight quantiles); exclusive with `bin_boundaries`.
        epsilon: the error tolerance of the quantile summary `adapt()`
            keeps (about `1 / epsilon` entries).
        output_mode: `"int"` (the bin index, int32), `"one_hot"` (each
            element becomes a vector; a trailing axis of size 1 is
            replaced), `"multi_hot"` or `"count"` (axis 1 of the input,
            axis 0 for rank 1, is reduced to one vector per sample).
        sparse: kept for Keras compatibility; must be `False` on torch.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(torch.tensor([[-1.5, 1.0, 3.4, 0.5]])).tolist()
    [[0, 2, 3, 1]]
    >>> layer = lamina.layers.Discretization(num_bins=4, epsilon=0.01)
    >>> layer.adapt(torch.arange(100.0))
    >>> [round(b, 3) for b in layer.bin_boundaries]
    [24.0, 49.0, 74.0]
    """

    def __init__(
        self,
        bin_boundaries: Any = None,
        num_bins: Any = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype: DTypeLike = None,
        name: str | None = None,
    ):
        super().__init__(name=name, dtype=dtype)
        _check_arguments(
            type(self).__name__, bin_boundaries, num_bins, output_mode, sparse
        )
        self.bin_boundaries = (
            None if bin_boundaries is None else list(bin_boundaries)
        )
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.summary = quantile_summary.empty()
        self.built = True

    def adapt(self, data: Any) -> None:
        """Compute `num_bins` quantile boundaries of `data`: a NumPy array
        or tensor, or any other iterable of batches (as in Keras, a plain
        list is iterated element by element)."""
        if self.num_bins is None:
            raise ValueError(
                f"{type(self).__name__}: cannot adapt a layer initialized "
                "with `bin_boundaries`; pass `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, (np.ndarray, torch.Tensor)):
            self.update_state(data)
        else:
            for batch in data:
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu()
        values = np.asarray(data).astype("float32")
        self.summary = quantile_summary.merge(
            quantile_summary.summarize(values, self.epsilon),
            self.summary,
            self.epsilon,
        )

    def finalize_state(self) -> None:
        if self.num_bins is not None:
            self.bin_boundaries = quantile_summary.boundaries(
                self.summary, self.num_bins
            )

    def reset_state(self) -> None:
        if self.num_bins is not None:
            self.summary = quantile_summary.empty()

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                f"{type(self).__name__}: pass `bin_boundaries` at "
                "construction time or call `adapt(dataset)` before calling "
                "the layer."
            )
        x = torch.as_tensor(inputs).to(torch.float32)
        edges = torch.tensor(
            self.bin_boundaries, dtype=torch.float32, device=x.device
        )
        index = torch.bucketize(x, edges, right=True)
        if self.output_mode == "int":
            return index.to(torch.int32)
        return self._encode(index, len(self.bin_boundaries) + 1)

    def _encode(self, index: torch.Tensor, depth: int) -> torch.Tensor:
        index = index.reshape(1) if index.ndim == 0 else index
        if (
            self.output_mode == "one_hot"
            and index.ndim > 1
            and index.shape[-1] == 1
        ):
            index = index.squeeze(-1)
        hot = F.one_hot(index, depth).to(self._compute_torch_dtype)
        if self.output_mode == "one_hot":
            return hot
        axis = 1 if index.ndim > 1 else 0
        if self.output_mode == "multi_hot":
            return hot.amax(dim=axis)
        return hot.sum(dim=axis)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = (
            len(self.bin_boundaries) + 1
            if self.bin_boundaries is not None
            else self.num_bins
        )
        if self.output_mode == "one_hot":
            if len(shape) > 1 and shape[-1] == 1:
                return shape[:-1] + (depth,)
            return shape + (depth,)
        if len(shape) >= 2:
            return (shape[0],) + shape[2:] + (depth,)
        return (depth,)

    def compute_output_spec(self, inputs: torch.Tensor) -> Any:
        dtype = "int32" if self.output_mode == "int" else self.compute_dtype
        return specs_from_shapes(self.compute_output_shape(inputs.shape), dtype)

    def get_config(self) -> dict:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Discretization:
        config = dict(config)
        if (
            config.get("bin_boundaries") is not None
            and config.get("num_bins") is not None
        ):
            # An adapted layer has both; `__init__` accepts only one.
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = list(boundaries)
            return layer
        return cls(**config)


def _check_arguments(
    owner, bin_boundaries, num_bins, output_mode, sparse
) -> None:
    if output_mode not in MODES:
        raise ValueError(
            invalid_argument(
                owner, "output_mode", f"one of {MODES}", output_mode
            )
        )
    if sparse:
        raise ValueError(
            invalid_argument(
                owner, "sparse", "False (no sparse outputs on torch)", sparse
            )
        )
    if num_bins is not None and (
        not isinstance(num_bins, numbers.Integral) or num_bins < 0
    ):
        raise ValueError(
            invalid_argument(owner, "num_bins", "an int >= 0", num_bins)
        )
    if num_bins is not None and bin_boundaries is not None:
        raise ValueError(
            f"{owner}: both `num_bins` and `bin_boundaries` should not be "
            f"set. Received: num_bins={num_bins} and "
            f"bin_boundaries={bin_boundaries}"
        )
    if num_bins is None and bin_boundaries is None:
        raise ValueError(
            f"{owner}: you need to set either `num_bins` or `bin_boundaries`."
        )
