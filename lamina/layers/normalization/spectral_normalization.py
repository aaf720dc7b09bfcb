"""`SpectralNormalization`: divides a layer's kernel by its largest
singular value."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.input_spec import InputSpec
from lamina.engine.weights import find_tensor
from lamina.errors import invalid_argument
from lamina.layers.core.wrapper import Wrapper


def _unit(x: torch.Tensor) -> torch.Tensor:
    # Keras's `normalize(axis=None)`: x / max(||x||, 1e-12) over all items.
    return x / torch.clamp(torch.linalg.vector_norm(x), min=1e-12)


class SpectralNormalization(Wrapper):
    """Performs spectral normalization on the weights of a target layer.

    While training, the wrapped layer's kernel (or `embeddings`) is
    replaced by itself divided by an estimate of its spectral norm (its
    largest singular value), refined by `power_iterations` steps of the
    power method from the stored vector `vector_u`. This constrains the
    layer's Lipschitz constant (GAN discriminators). At inference the
    kernel is used as it is.

    Args:
        layer: a `Layer` with a `kernel` or an `embeddings` weight.
        power_iterations: power-method steps per training call (>= 1).
        **kwargs: base layer arguments.

    Weights:
        vector_u: `(1, kernel.shape[-1])`, non-trainable,
            `TruncatedNormal(stddev=0.02)`.

    Reference:
    - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957)

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.SpectralNormalization(
    ...     lamina.layers.Dense(4), power_iterations=20)
    >>> layer(torch.ones(2, 3), training=True).shape
    torch.Size([2, 4])
    >>> sigma = torch.linalg.matrix_norm(layer.layer.kernel, ord=2)
    >>> bool(sigma <= 1.01)
    True
    """

    def __init__(
        self, layer: Any, power_iterations: int = 1, **kwargs: Any
    ) -> None:
        super().__init__(layer, **kwargs)
        if not isinstance(power_iterations, int) or power_iterations <= 0:
            raise ValueError(
                invalid_argument(
                    type(self),
                    "power_iterations",
                    "an integer >= 1",
                    power_iterations,
                )
            )
        self.power_iterations = power_iterations

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f"Layer '{self.name}' (SpectralNormalization) wraps a layer "
                "with a `kernel` or an `embeddings` weight. Received: layer="
                f"{type(self.layer).__name__} (no such weight)"
            )
        # As in Keras, the wrapped kernel is tracked as this layer's own
        # weight too: it leads `weights` and is saved under both layers.
        self.kernel = kernel
        self.vector_u = self.add_weight(
            shape=(1, kernel.shape[-1]),
            initializer={
                "class_name": "TruncatedNormal",
                "config": {"stddev": 0.02},
            },
            trainable=False,
            name="vector_u",
            dtype=str(kernel.dtype).removeprefix("torch."),
        )

    def _kernel(self) -> Any:
        return find_tensor(self, "kernel")

    @torch.no_grad()
    def normalized_weights(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The next `vector_u` and the kernel divided by its estimated
        spectral norm."""
        kernel = self._kernel()
        weights = kernel.reshape(-1, kernel.shape[-1])
        u: torch.Tensor = self.vector_u
        for _ in range(self.power_iterations):
            v = _unit(u @ weights.T)
            u = _unit(v @ weights)
        sigma = (v @ weights) @ u.T
        return u.to(self.vector_u.dtype), (kernel / sigma).reshape(
            kernel.shape
        ).to(kernel.dtype)

    def call(
        self, inputs: torch.Tensor, training: bool = False
    ) -> torch.Tensor:
        if training:
            kernel = self._kernel()
            # An all-zero kernel has no spectral norm to divide by.
            if bool(torch.any(kernel != 0)):
                new_u, new_kernel = self.normalized_weights()
                self.vector_u.assign(new_u)
                kernel.assign(new_kernel)
        return self.layer(inputs).to(inputs.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "power_iterations": self.power_iterations,
        }
