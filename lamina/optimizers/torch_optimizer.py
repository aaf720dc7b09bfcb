"""Use any `torch.optim` optimizer (and LR scheduler) where lamina expects
an optimizer: `model.compile(optimizer=torch.optim.AdamW, ...)`."""

from __future__ import annotations

import inspect
from typing import Any, Sequence

import torch

from lamina.errors import format_value
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer_variables import reference_name
from lamina.optimizers.torch_class_config import is_optimizer_class
from lamina.optimizers.torch_class_config import jsonable, lookup_class

_LRScheduler = torch.optim.lr_scheduler.LRScheduler


class TorchOptimizer(Optimizer):
    """Adapt a `torch.optim.Optimizer` to lamina's optimizer interface.

    `apply(grads, variables)` writes each gradient into its variable's
    `.grad` (a variable given no gradient gets `.grad = None`, so it is not
    stepped), calls the torch optimizer's `step()`, then the scheduler's
    `step()` once. lamina's own gradient handling still applies around it:
    loss-scale unscaling, clipping, gradient accumulation (the torch
    optimizer and the scheduler then step once per accumulated update),
    EMA and `iterations`.

    Args:
        optimizer: a `torch.optim.Optimizer` instance, or a subclass that is
            instantiated on `build(variables)` with `**optimizer_kwargs`.
        lr_scheduler: optional; a `torch.optim.lr_scheduler.LRScheduler`
            subclass (built with `lr_scheduler_kwargs`), an instance bound
            to `optimizer`, or a callable taking the torch optimizer and
            returning a scheduler.
        lr_scheduler_kwargs: keyword arguments for an `lr_scheduler` class.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: as for `Optimizer`.
        **optimizer_kwargs: keyword arguments for an `optimizer` class
            (`lr`, `weight_decay`, `betas`, ...).

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = lamina.optimizers.TorchOptimizer(
    ...     torch.optim.SGD, lr=0.5,
    ...     lr_scheduler=torch.optim.lr_scheduler.StepLR,
    ...     lr_scheduler_kwargs={"step_size": 1, "gamma": 0.1})
    >>> opt.apply([torch.ones(2)], [w])
    >>> w.data, round(opt.learning_rate, 6)
    (tensor([0.5000, 0.5000]), 0.05)
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer | type,
        lr_scheduler: Any = None,
        lr_scheduler_kwargs: dict | None = None,
        *,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **optimizer_kwargs: Any,
    ):
        self._check_spec(optimizer, optimizer_kwargs, lr_scheduler)
        self._spec = optimizer
        self._optimizer_kwargs = dict(optimizer_kwargs)
        self._lr_scheduler_spec = lr_scheduler
        self._lr_scheduler_kwargs = dict(lr_scheduler_kwargs or {})
        self.torch_optimizer = (
            None if is_optimizer_class(optimizer) else optimizer
        )
        self.lr_scheduler: Any = None
        super().__init__(
            learning_rate=None,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
        )

    def _check_spec(self, optimizer, optimizer_kwargs, lr_scheduler) -> None:
        if not (
            is_optimizer_class(optimizer)
            or isinstance(optimizer, torch.optim.Optimizer)
        ):
            raise ValueError(
                "Invalid value for argument `optimizer` of TorchOptimizer: "
                "expected a torch.optim.Optimizer instance or subclass. "
                f"Received: optimizer={format_value(optimizer)}"
            )
        if optimizer_kwargs and not is_optimizer_class(optimizer):
            raise ValueError(
                "TorchOptimizer received keyword arguments for an optimizer "
                "that is already built; pass them to the optimizer class "
                f"instead. Received: {sorted(optimizer_kwargs)}"
            )
        if (
            lr_scheduler is not None
            and not callable(lr_scheduler)
            and not (isinstance(lr_scheduler, _LRScheduler))
        ):
            raise ValueError(
                "Invalid value for argument `lr_scheduler` of TorchOptimizer:"
                " expected an LRScheduler class or instance, or a callable "
                "taking the torch optimizer. Received: "
                f"lr_scheduler={format_value(lr_scheduler)}"
            )

    # -- building ----------------------------------------------------------

    def build(self, variables: Sequence[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        if self.torch_optimizer is None:
            self.torch_optimizer = self._spec(
                list(variables), **self._optimizer_kwargs
            )
        else:
            self._check_owned(variables)
        self.lr_scheduler = self._make_scheduler()

    def _check_owned(self, variables: Sequence[torch.Tensor]) -> None:
        owned = {
            id(p)
            for group in self.torch_optimizer.param_groups
            for p in group["params"]
        }
        for v in variables:
            if id(v) not in owned:
                raise ValueError(
                    f"TorchOptimizer '{self.name}' wraps a torch optimizer "
                    f"that does not hold the variable {format_value(v)}. "
                    "Create the torch optimizer on the model's parameters."
                )

    def _make_scheduler(self) -> Any:
        spec = self._lr_scheduler_spec
        if spec is None:
            return None
        if isinstance(spec, _LRScheduler):
            if spec.optimizer is not self.torch_optimizer:
                raise ValueError(
                    f"TorchOptimizer '{self.name}': the `lr_scheduler` "
                    "instance is bound to another optimizer."
                )
            return spec
        if isinstance(spec, type):
            return spec(self.torch_optimizer, **self._lr_scheduler_kwargs)
        return spec(self.torch_optimizer)

    # -- stepping ----------------------------------------------------------

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        for variable, grad in zip(variables, grads):
            if variable.grad is not grad:
                variable.grad = grad
        if len(variables) != len(self._trainable_variables):
            given = {id(v) for v in variables}
            for variable in self._trainable_variables:
                if id(variable) not in given:
                    variable.grad = None
        self.torch_optimizer.step()
        if self.lr_scheduler is not None:
            self.lr_scheduler.step()

    def _make_learning_rate(self, value: Any) -> None:
        # The torch optimizer's parameter groups own the learning rate.
        return None

    def _current_learning_rate(self) -> Any:
        return self.learning_rate

    @property
    def learning_rate(self) -> float | torch.Tensor:
        """The first parameter group's `lr` (the class default or the
        `lr` keyword before the torch optimizer exists)."""
        if self.torch_optimizer is not None:
            return self.torch_optimizer.param_groups[0]["lr"]
        if "lr" in self._optimizer_kwargs:
            return self._optimizer_kwargs["lr"]
        default = inspect.signature(self._spec).parameters.get("lr")
        return None if default is None else default.default

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        """Set `lr` on every parameter group (a scheduler that recomputes
        the rate from its own base rates will override it)."""
        if self.torch_optimizer is None:
            self._optimizer_kwargs["lr"] = value
            return
        for group in self.torch_optimizer.param_groups:
            if isinstance(group["lr"], torch.Tensor):
                group["lr"].fill_(value)
            else:
                group["lr"] = float(value)

    # -- state ---------------------------------------------------------------

    @torch.no_grad()
    def materialize_state(self) -> None:
        """Create the torch optimizer's per-parameter state, which it makes
        on its first step, without changing any parameter (one step on zero
        gradients, the parameters put back), so that saved state can be
        loaded into an optimizer that has not stepped yet."""
        if not self.built or self.torch_optimizer.state:
            return
        params = [
            p
            for group in self.torch_optimizer.param_groups
            for p in group["params"]
        ]
        saved = [(p.detach().clone(), p.grad) for p in params]
        for p in params:
            p.grad = torch.zeros_like(p)
        self.torch_optimizer.step()
        for p, (value, grad) in zip(params, saved):
            p.copy_(value)
            p.grad = grad

    def discard_state(self) -> None:
        """Forget the per-parameter state (made again on the next step)."""
        if self.built:
            self.torch_optimizer.state.clear()

    def _torch_state(self) -> list[tuple[str, torch.Tensor]]:
        if not self.built:
            return []
        out = []
        state = self.torch_optimizer.state
        for variable in self._trainable_variables:
            prefix = reference_name(variable).replace("/", "_")
            for key, value in state.get(variable, {}).items():
                if isinstance(value, torch.Tensor):
                    out.append((f"{prefix}_{key}", value))
        return out

    @property
    def variables(self) -> list[torch.Tensor]:
        """lamina's variables, then the torch optimizer's state tensors
        (which it creates on its first step), variable by variable."""
        return list(self._variables) + [t for _, t in self._torch_state()]

    @property
    def variable_names(self) -> list[str]:
        return list(self._variable_names) + [n for n, _ in self._torch_state()]

    def state_dict(self) -> dict:
        """A torch-style checkpoint: iterations, the torch optimizer's and
        the scheduler's state dicts."""
        self._require_built("state_dict")
        return {
            "iterations": self._iterations.tensor.detach().clone(),
            "optimizer": self.torch_optimizer.state_dict(),
            "lr_scheduler": (
                None
                if self.lr_scheduler is None
                else self.lr_scheduler.state_dict()
            ),
        }

    def load_state_dict(self, state: dict) -> None:
        """Restore `state_dict()`'s output."""
        self._require_built("load_state_dict")
        self._iterations.tensor.copy_(state["iterations"])
        self.torch_optimizer.load_state_dict(state["optimizer"])
        if self.lr_scheduler is not None and state.get("lr_scheduler"):
            self.lr_scheduler.load_state_dict(state["lr_scheduler"])

    # -- config ----------------------------------------------------------------

    def get_config(self) -> dict:
        """Names the torch classes and their keyword arguments; a scheduler
        given as a factory function cannot be named and is written as
        `None`."""
        config = {
            k: v
            for k, v in super().get_config().items()
            if k not in ("learning_rate", "weight_decay")
        }
        cls = (
            self._spec
            if self.torch_optimizer is None
            else type(self.torch_optimizer)
        )
        kwargs = self._optimizer_kwargs
        if self.torch_optimizer is not None and not is_optimizer_class(
            self._spec
        ):
            kwargs = dict(self.torch_optimizer.defaults)
        spec = self._lr_scheduler_spec
        scheduler = (
            spec
            if isinstance(spec, type)
            else type(spec)
            if (isinstance(spec, _LRScheduler))
            else None
        )
        config.update(
            {
                "optimizer": cls.__name__,
                "optimizer_kwargs": {k: jsonable(v) for k, v in kwargs.items()},
                "lr_scheduler": None
                if scheduler is None
                else scheduler.__name__,
                "lr_scheduler_kwargs": dict(self._lr_scheduler_kwargs),
            }
        )
        return config

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> TorchOptimizer:
        """Rebuild from `get_config()`. Classes are looked up in
        `custom_objects`, then only in `torch.optim` and
        `torch.optim.lr_scheduler`: nothing else is imported."""
        config = dict(config)
        custom_objects = custom_objects or {}
        optimizer = lookup_class(
            config.pop("optimizer"),
            torch.optim,
            torch.optim.Optimizer,
            custom_objects,
        )
        scheduler = config.pop("lr_scheduler", None)
        if scheduler is not None:
            scheduler = lookup_class(
                scheduler,
                torch.optim.lr_scheduler,
                _LRScheduler,
                custom_objects,
            )
        kwargs = config.pop("optimizer_kwargs", {})
        return cls(optimizer, lr_scheduler=scheduler, **config, **kwargs)
