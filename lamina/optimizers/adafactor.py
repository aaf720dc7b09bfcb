"""Adafactor: Adam-like steps with factored second moments."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer_variables import short_name


def _rms(x: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(torch.mean(x * x))


class Adafactor(Optimizer):
    """Adafactor: the second moment of a variable of rank 2 or more is kept
    as its row and column means (`r`, `c`: memory sublinear in the
    variable's size), and the step is clipped by its root mean square.

    With `t` the step, `rho = min(lr, 1 / sqrt(t))` and
    `beta_2 = 1 - t ** beta_2_decay`:

    ```
    g2 = g ** 2 + epsilon_1
    r = beta_2 * r + (1 - beta_2) * mean(g2, axis=-1)
    c = beta_2 * c + (1 - beta_2) * mean(g2, axis=-2)
    v = (r / mean(r, axis=-1))[..., None] * c[..., None, :]
    u = g / sqrt(v);  u /= max(1, rms(u) / clip_threshold)
    w -= max(epsilon_2, rms(w)) * rho * u
    ```

    (a variable of rank below 2 keeps `v` as Adam does, without the
    factoring).

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_2_decay: the exponent of the second moment's decay rate.
        epsilon_1: added to the squared gradient.
        epsilon_2: the smallest scale of a step.
        clip_threshold: the root mean square a step is clipped to.
        relative_step: with a constant learning rate, cap it at
            `1 / sqrt(t)`.
        **kwargs: the base `Optimizer` arguments.

    Reference:
    - [Shazeer et al., 2018](https://arxiv.org/abs/1804.04235)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.ones(2, 2))
    >>> opt = lamina.optimizers.Adafactor(learning_rate=0.5)
    >>> opt.apply([torch.ones(2, 2)], [w])
    >>> round(w[0, 0].item(), 4)
    0.5
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 0.001,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for var in variables:
            name = short_name(var)
            # Keras keeps scalar placeholders for the factors of a variable
            # of rank below 2, so its files hold them too.
            shapes = (
                ((), ())
                if var.ndim < 2
                else (var.shape[:-1], var.shape[:-2] + var.shape[-1:])
            )
            self._r.append(
                self.add_variable(shapes[0], dtype=var.dtype, name=name)
            )
            self._c.append(
                self.add_variable(shapes[1], dtype=var.dtype, name=name)
            )
            self._v.append(self.add_variable_from_reference(var, "velocity"))

    def update_step(
        self, gradient: Any, variable: Any, learning_rate: Any
    ) -> None:
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        dtype, device = variable.dtype, variable.device
        t = torch.as_tensor(
            self._current_iterations() + 1, dtype=dtype, device=device
        )
        lr = torch.as_tensor(learning_rate, dtype=dtype, device=device)
        cap = 1 / torch.sqrt(t)
        if self.relative_step and isinstance(self._learning_rate, torch.Tensor):
            lr = torch.minimum(lr, cap)
        alpha = torch.clamp(_rms(variable), min=self.epsilon_2) * torch.minimum(
            lr, cap
        )
        g2 = gradient * gradient + self.epsilon_1
        beta_2 = 1 - torch.pow(t, self.beta_2_decay)
        if variable.ndim >= 2:
            r.copy_(beta_2 * r + (1 - beta_2) * g2.mean(dim=-1))
            c.copy_(beta_2 * c + (1 - beta_2) * g2.mean(dim=-2))
            v.copy_(
                (r / r.mean(dim=-1, keepdim=True)).unsqueeze(-1)
                * c.unsqueeze(-2)
            )
        else:
            v.copy_(beta_2 * v + (1 - beta_2) * g2)
        u = gradient / torch.sqrt(v)
        u = u / torch.clamp(_rms(u) / self.clip_threshold, min=1.0)
        variable.sub_(alpha * u)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
