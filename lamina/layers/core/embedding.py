"""`Embedding`: looks up a dense vector for each integer index."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.quantization.embedding import EMBEDDING
from lamina.quantizers import serialize as serialize_quantization
from lamina.quantizers.quantization_config import from_layer_argument
from lamina.utils.dtype_utils import standardize_dtype
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


def _check_size(arg: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            invalid_argument("Embedding", arg, "a positive integer", value)
        )


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of fixed
    size: `[[4], [20]] -> [[0.25, 0.1], [0.6, -0.2]]`.

    Weights: `embeddings` of shape `(input_dim, output_dim)` (default init
    `uniform`, i.e. `RandomUniform(-0.05, 0.05)`).

    Inputs must be integers (any integer dtype); float tensors are refused
    rather than silently truncated. Symbolic inputs may be float (Keras's
    default `Input` dtype): only the real data must be integer.

    Indices are checked to lie in `[0, input_dim)`, so a bad index raises
    a `ValueError` naming it instead of torch's bare `IndexError` (CPU)
    or a device-side assert (CUDA). The check reads one min/max value
    back: always on CPU, where that costs no device sync; on an
    accelerator only on the layer's first call (one sync), so the hot
    loop never waits on the device. It is skipped under `torch.compile`.

    Args:
        input_dim: size of the vocabulary, i.e. maximum integer index + 1.
        output_dim: dimension of the dense embedding.
        embeddings_initializer: initializer for the `embeddings` matrix.
        embeddings_regularizer: regularizer for the `embeddings` matrix.
        embeddings_constraint: constraint for the `embeddings` matrix.
        mask_zero: whether index 0 is a padding value to mask out. If
            True, the layer outputs a mask (`inputs != 0`) that downstream
            layers receive, and index 0 cannot be used in the vocabulary
            (`input_dim` should be the vocabulary size + 1).
        weights: optional initial `embeddings`, an array of shape
            `(input_dim, output_dim)` (or a one-element list of it).

    Input shape:
        Integer tensor of any shape `(batch_size, ...)`, usually
        `(batch_size, input_length)`.

    Output shape:
        `(batch_size, ..., output_dim)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Embedding(1000, 64, mask_zero=True)
    >>> x = torch.tensor([[4, 20, 0]])
    >>> y = layer(x)
    >>> y.shape
    torch.Size([1, 3, 64])
    >>> y._keras_mask
    tensor([[ True,  True, False]])
    """

    _keeps_input_dtype = True  # integer indices are its inputs
    # `layer.quantize("int8" | "int4")`: lamina/quantization/.
    _quantization_handler = EMBEDDING

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: InitializerLike = "uniform",
        embeddings_regularizer: RegularizerLike = None,
        embeddings_constraint: ConstraintLike = None,
        mask_zero: bool = False,
        weights: Any = None,
        lora_rank: Any = None,
        lora_alpha: Any = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        _check_size("input_dim", input_dim)
        _check_size("output_dim", output_dim)
        if lora_rank is not None:
            raise ValueError(
                "Embedding: LoRA is not part of core layers in lamina. "
                f"Received: lora_rank={lora_rank!r}"
            )
        kwargs.pop("input_length", None)  # Keras 2 argument, unused
        super().__init__(**kwargs)
        self.quantization_config = from_layer_argument(quantization_config)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        # Integer inputs are never cast to the compute dtype.
        self.autocast = False
        self._indices_checked = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = self._as_indices(inputs)
        outputs = F.embedding(inputs, self.embeddings)
        if outputs.dtype != self._compute_torch_dtype:
            outputs = outputs.to(self._compute_torch_dtype)
        return outputs

    def _as_indices(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.is_floating_point() or inputs.is_complex():
            # Keras casts float indices (a float32 `Input` before the
            # embedding casts integer data to float); whole values only.
            if (
                inputs.device.type != "meta"
                and not torch.compiler.is_compiling()
                and (
                    inputs.is_complex()
                    or not torch.equal(inputs, inputs.trunc())
                )
            ):
                dtype = standardize_dtype(inputs.dtype)
                raise ValueError(
                    f"Layer '{self.name}' (Embedding) expects integer "
                    f"indices, but received inputs of dtype {dtype} with "
                    "non-integer values. Cast them to an integer dtype "
                    f"first (e.g. `x.long()`). Received: inputs.dtype={dtype}"
                )
            inputs = inputs.long()
        if inputs.dtype not in (torch.int32, torch.int64):
            inputs = inputs.long()
        self._check_indices(inputs)
        return inputs

    def _check_indices(self, inputs: torch.Tensor) -> None:
        device = inputs.device.type
        if (
            device == "meta"
            or inputs.numel() == 0
            or torch.compiler.is_compiling()
            or (device != "cpu" and self._indices_checked)
        ):
            return
        self._indices_checked = True
        low, high = (int(v) for v in torch.aminmax(inputs))
        if low < 0 or high >= self.input_dim:
            bad = high if high >= self.input_dim else low
            raise ValueError(
                f"Layer '{self.name}' (Embedding) received an index out of "
                f"range [0, {self.input_dim}) (input_dim={self.input_dim}). "
                f"Received: max index={high}, min index={low} "
                f"(offending index {bad})."
            )

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(
                self.embeddings_initializer
            ),
            "embeddings_regularizer": regularizers.serialize(
                self.embeddings_regularizer
            ),
            "activity_regularizer": regularizers.serialize(
                self.activity_regularizer
            ),
            "embeddings_constraint": constraints.serialize(
                self.embeddings_constraint
            ),
            "mask_zero": self.mask_zero,
            "quantization_config": serialize_quantization(
                self.quantization_config
            ),
        }

    def extra_repr(self) -> str:
        return (
            f"input_dim={self.input_dim}, output_dim={self.output_dim}, "
            f"mask_zero={self.mask_zero}"
        )
