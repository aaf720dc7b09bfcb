"""Muon: momentum orthogonalized by Newton-Schulz for 2D weights, AdamW
for the rest."""

from __future__ import annotations

import re
from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer


def _swap_last(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(-2, -1)


class Muon(Optimizer):
    """Muon (MomentUm Orthogonalized by Newton-schulz).

    2D weights take a momentum step whose direction is orthogonalized by
    `ns_steps` quintic Newton-Schulz iterations (coefficients `muon_a`,
    `muon_b`, `muon_c`), scaled by `sqrt(max(rows, cols)) * rms_rate`
    (Moonlight's adjustment; skipped when `rms_rate` is None). Other
    weights — not 2D, embeddings when `exclude_embeddings`, or paths
    matching a regex of `exclude_layers` — take AdamW steps at
    `learning_rate * adam_lr_ratio`. Muon weights decay by `weight_decay`,
    AdamW ones by `adam_weight_decay`.

    Args:
        learning_rate: a float, a schedule or a callable.
        adam_beta_1: AdamW's first-moment decay.
        adam_beta_2: AdamW's second-moment decay.
        adam_weight_decay: decay of the AdamW weights.
        epsilon: AdamW's epsilon.
        weight_decay: decay of the Muon weights.
        exclude_layers: regexes; matching variable paths use AdamW.
        exclude_embeddings: whether paths containing "embedding" use AdamW.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients.
        adam_lr_ratio: the AdamW learning rate as a fraction of Muon's.
        momentum: Muon's momentum.
        ns_steps: Newton-Schulz iterations.
        nesterov: whether Muon uses Nesterov momentum.
        rms_rate: the update's RMS scale, or None.
        **kwargs: the base `Optimizer` arguments.

    References:
    - [Jordan, 2024](https://kellerjordan.github.io/posts/muon/)
    - [Liu et al., 2025](https://arxiv.org/abs/2502.16982)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.zeros(2, 2))
    >>> opt = lamina.optimizers.Muon(learning_rate=0.1)
    >>> opt.apply([torch.eye(2)], [w])
    >>> [round(x, 3) for x in w.diagonal().tolist()]
    [-0.031, -0.031]
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        exclude_layers: list | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable: torch.Tensor) -> bool:
        if variable.ndim != 2:
            return True
        path = str(getattr(variable, "path", "") or "")
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(k, path) for k in self.exclude_layers)

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        # Keras's order: each variable's momentum, then its velocity (AdamW
        # variables only).
        self.momentums, self.adam_velocities = [], []
        for var in variables:
            self.momentums.append(
                self.add_variable_from_reference(var, name="momentum")
            )
            self.adam_velocities.append(
                self.add_variable_from_reference(var, name="velocity")
                if self._should_use_adamw(var)
                else None
            )

    def _update(self, grads: list, variables: list, indices) -> None:
        # Muon decays its two kinds of weights by different rates, so the
        # base class's single-rate decay is replaced.
        weight_decay, self.weight_decay = self.weight_decay, None
        try:
            lr = self._current_learning_rate()
            with torch.no_grad():
                for var in variables:
                    rate = (
                        self.adam_weight_decay
                        if self._should_use_adamw(var)
                        else weight_decay
                    )
                    if rate is not None and self._weight_decay_mask.uses_decay(
                        var
                    ):
                        var.mul_(1 - rate * lr)
            super()._update(grads, variables, indices)
        finally:
            self.weight_decay = weight_decay

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        for g, w in zip(grads, variables):
            i = self._get_variable_index(w)
            m, v = self.momentums[i], self.adam_velocities[i]
            g = g.to(w.dtype)
            if v is not None:
                self._adamw_step(g, w, learning_rate * self.adam_lr_ratio, m, v)
            else:
                self._muon_step(g, w, learning_rate, m)

    def _muon_step(self, g, w, lr, m) -> None:
        m.add_(g + m * (self.momentum - 1))
        direction = g + self.momentum * m if self.nesterov else m
        update = lr * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        if self.rms_rate is not None:
            update = update * (
                max(update.shape[0], update.shape[1]) ** 0.5 * self.rms_rate
            )
        w.sub_(update)

    def _adamw_step(self, g, w, lr, m, v) -> None:
        t = torch.as_tensor(
            float(self._current_iterations() + 1), dtype=w.dtype
        )
        power_1 = torch.tensor(self.adam_beta_1, dtype=w.dtype) ** t
        power_2 = torch.tensor(self.adam_beta_2, dtype=w.dtype) ** t
        alpha = lr * torch.sqrt(1 - power_2) / (1 - power_1)
        m.add_((g - m) * (1 - self.adam_beta_1))
        v.add_((g * g - v) * (1 - self.adam_beta_2))
        w.sub_(m * alpha / (torch.sqrt(v) + self.epsilon))

    def zeropower_via_newtonschulz5(
        self, x: torch.Tensor, steps: int
    ) -> torch.Tensor:
        """An approximate orthogonalization `U S' V^T` of `x` (the last
        two axes) by quintic Newton-Schulz iterations."""
        if x.ndim < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 "
                f"dimensions. Received: shape={tuple(x.shape)}"
            )
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = _swap_last(x)
        x = x / (torch.linalg.matrix_norm(x, keepdim=True) + 1e-7)
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        for _ in range(steps):
            gram = x @ _swap_last(x)
            x = a * x + (b * gram + c * gram @ gram) @ x
        return _swap_last(x) if tall else x

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
