"""Adam: adaptive moment estimation."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments
from lamina.optimizers.iteration_counter import keras_constant


def _memory_order(t: torch.Tensor) -> tuple[int, ...] | None:
    """The axes of `t` from outermost to innermost in memory when `t` is
    dense (a permuted view of a contiguous block), else None. A
    convolution kernel, kept in torch's memory order with Keras's shape,
    is such a tensor."""
    order = tuple(sorted(range(t.dim()), key=lambda d: -t.stride(d)))
    return order if t.permute(order).is_contiguous() else None


def _fused_layouts(variables: list, grads: list, slots: dict) -> list | None:
    """Per variable, None (contiguous) or its memory order when torch's
    fused Adam kernel can run on these tensors; None when it cannot.

    The CPU kernel walks memory linearly, so each variable must be dense,
    with its gradient and slots laid out as it is (a transposed gradient
    would be read in the wrong order); all on one CPU or CUDA device, with
    matching float dtypes.
    """
    device = variables[0].device
    if device.type not in ("cpu", "cuda"):
        return None
    dtype = variables[0].dtype
    if dtype not in (
        torch.float32,
        torch.float64,
        torch.float16,
        torch.bfloat16,
    ):
        return None
    layouts: list = []
    for i, (v, g) in enumerate(zip(variables, grads)):
        if (
            v.dtype != dtype
            or g.dtype != dtype
            or v.device != device
            or g.device != device
            or g.layout != torch.strided
        ):
            return None
        if v.is_contiguous() and g.is_contiguous():
            layouts.append(None)
            continue
        strides = v.stride()
        order = _memory_order(v)
        if (
            order is None
            or g.stride() != strides
            or any(s[i].stride() != strides for s in slots.values())
        ):
            return None
        layouts.append(order)
    return layouts


def _contiguous_views(layouts: list, *lists: list) -> tuple:
    """The lists with each non-contiguous variable's entries permuted
    into its memory order (views: the kernel's in-place updates reach the
    stored tensors); `_fused_layouts` has checked they share its layout."""
    out = tuple(list(x) for x in lists)
    for i, order in enumerate(layouts):
        if order is not None:
            for x in out:
                if x:
                    x[i] = x[i].permute(order)
    return out


class Adam(Optimizer):
    """Adam, with Keras's epsilon placement and optional AMSGrad.

    With `t = iterations + 1` and slots `m` (`momentum`) and `v`
    (`velocity`):

    ```
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g ** 2
    v_hat = max(v_hat, v)                     # amsgrad only
    alpha = learning_rate * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    w -= alpha * m / (sqrt(v) + epsilon)      # v_hat with amsgrad
    ```

    In eager mode on CPU and CUDA this runs as torch's fused Adam kernel,
    which computes the same update with `epsilon / sqrt(1 - beta_2 ** t)`
    as its epsilon; elsewhere (and under `torch.compile`) as batched
    `torch._foreach_*` ops.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate.
        beta_2: the decay rate of the second-moment estimate.
        epsilon: added to `sqrt(v)` for numerical stability ("epsilon hat"
            of the paper).
        amsgrad: whether to use the AMSGrad variant.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Kingma et al., 2014](http://arxiv.org/abs/1412.6980)
    - [Reddi et al., 2018](https://openreview.net/pdf?id=ryQu7f-RZ)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Adam(learning_rate=0.1)
    >>> opt.apply([torch.tensor([2.0])], [w])
    >>> round(w.item(), 4)
    0.9
    """

    # Set to False to force the `torch._foreach_*` path (used by tests).
    _allow_fused = True

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            learning_rate=learning_rate, **base_arguments(locals()), **kwargs
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        self._fused_step: torch.Tensor | None = None

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(
                variables, "velocity_hat"
            )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        t = self._current_iterations() + 1
        beta_1 = keras_constant(self.beta_1, variables[0])
        beta_2 = keras_constant(self.beta_2, variables[0])
        # Keras's step size factor: alpha = lr * scale.
        scale = (1 - beta_2**t) ** 0.5 / (1 - beta_1**t)
        # A Python int step means eager mode (see IterationCounter).
        if self._allow_fused and isinstance(t, int):
            layouts = _fused_layouts(variables, grads, slots)
            if layouts is not None:
                self._fused_update(
                    grads, variables, learning_rate, slots, t, scale, layouts
                )
                return
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["velocity_hat"], v)
            v = slots["velocity_hat"]
        denominators = torch._foreach_sqrt(v)
        torch._foreach_add_(denominators, self.epsilon)
        updates = torch._foreach_mul(m, learning_rate * scale)
        torch._foreach_div_(updates, denominators)
        torch._foreach_sub_(variables, updates)

    def _fused_update(
        self,
        grads,
        variables,
        learning_rate,
        slots,
        t: int,
        scale: float,
        layouts: list,
    ):
        device = variables[0].device
        if self._fused_step is None or self._fused_step.device != device:
            self._fused_step = torch.zeros(
                (), dtype=torch.float32, device=device
            )
        # The kernel derives its bias corrections from this step, in double
        # precision from the exact betas.
        self._fused_step.fill_(t)
        correction_2 = 1 - self.beta_2**t
        kernel_scale = correction_2**0.5 / (1 - self.beta_1**t)
        # Keras divides by sqrt(v) + eps; the kernel by sqrt(v / c2) + eps'.
        # They agree for eps' = eps / sqrt(c2), and the learning rate
        # carries the difference between Keras's rounded bias corrections
        # and the kernel's exact ones.
        epsilon = self.epsilon / correction_2**0.5
        if isinstance(learning_rate, torch.Tensor):
            learning_rate = learning_rate.to(device)
        if scale != kernel_scale:
            learning_rate = learning_rate * (scale / kernel_scale)
        names = ("momentum", "velocity", "velocity_hat")
        variables, grads, momentums, velocities, hats = _contiguous_views(
            layouts, variables, grads, *(slots.get(k, []) for k in names)
        )
        torch._fused_adam_(
            variables,
            grads,
            momentums,
            velocities,
            hats,
            [self._fused_step] * len(variables),
            lr=learning_rate,
            beta1=self.beta_1,
            beta2=self.beta_2,
            weight_decay=0.0,
            eps=epsilon,
            amsgrad=self.amsgrad,
            maximize=False,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
