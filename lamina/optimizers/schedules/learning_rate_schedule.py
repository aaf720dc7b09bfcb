"""Learning-rate schedules: the learning rate as a function of the step.

A schedule is called with the optimizer's `iterations` tensor and returns a
0-d tensor on that tensor's device. Every schedule is written in tensor ops
only (no `.item()`, no Python branch on the step), so an optimizer step that
evaluates it can be traced by `torch.compile` and never waits for the device.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch

from lamina import config
from lamina.errors import invalid_argument
from lamina.ops._convert import to_tensor


def _float_dtype() -> torch.dtype:
    return getattr(torch, config.floatx())


def _as_tensor(step: Any) -> torch.Tensor:
    return step if isinstance(step, torch.Tensor) else to_tensor(step)


def _as_float(step: Any) -> torch.Tensor:
    """The step as a float tensor of the default float type, where it is."""
    return _as_tensor(step).to(_float_dtype())


def _check_positive(cls: type, arg: str, value: Any) -> None:
    if value <= 0:
        raise ValueError(invalid_argument(cls, arg, "a number > 0", value))


class LearningRateSchedule:
    """Base class of learning-rate schedules.

    A subclass implements `__call__(step)`, returning the learning rate at
    `step` (a scalar tensor), and `get_config()`.

    Example:

    >>> import lamina
    >>> class Halve(lamina.optimizers.schedules.LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 / (1.0 + step)
    ...     def get_config(self):
    ...         return {}
    >>> float(Halve()(1))
    0.05
    """

    def __call__(self, step: Any) -> torch.Tensor:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`get_config()` in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """Rebuild a schedule from the output of `get_config()`."""
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps over which the rate is multiplied
            by `decay_rate`; must be positive.
        decay_rate: the decay factor.
        staircase: if `True`, `step / decay_steps` is floored, so the rate
            decays in discrete intervals.
        name: the schedule's name.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    >>> round(float(s(10)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        _check_positive(type(self), "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> torch.Tensor:
        p = _as_float(step) / self.decay_steps
        if self.staircase:
            p = torch.floor(p)
        return self.initial_learning_rate * torch.pow(self.decay_rate, p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant learning rate on each interval between `boundaries`.

    The rate is `values[0]` for `step <= boundaries[0]`, `values[i]` for
    `boundaries[i-1] < step <= boundaries[i]`, and `values[-1]` after the
    last boundary.

    Args:
        boundaries: increasing step boundaries.
        values: the rates, one more than `boundaries`.
        name: the schedule's name.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.PiecewiseConstantDecay(
    ...     [10, 20], [1.0, 0.5, 0.1])
    >>> [float(s(t)) for t in (10, 11, 21)]
    [1.0, 0.5, 0.10000000149011612]
    """

    def __init__(
        self,
        boundaries: Sequence,
        values: Sequence,
        name: str = "PiecewiseConstant",
    ):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "Invalid value for argument `values` of "
                "PiecewiseConstantDecay: expected one more value than "
                f"boundaries ({len(boundaries)} boundaries). Received: "
                f"boundaries={boundaries!r}, values={values!r}"
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> torch.Tensor:
        step = _as_tensor(step)
        # Boundaries take the step's dtype, as in Keras (an integer step
        # truncates float boundaries). They and the values stay Python
        # numbers: no host-to-device copy per step.
        cast = float if step.is_floating_point() else int
        bounds = [cast(b) for b in self.boundaries]
        values = self.values
        dtype = _as_tensor(values[0]).dtype
        result = (step <= bounds[0]).to(dtype) * values[0]
        result = result + (step > bounds[-1]).to(dtype) * values[-1]
        for low, high, value in zip(bounds[:-1], bounds[1:], values[1:-1]):
            result = result + ((step > low) & (step <= high)).to(dtype) * value
        return result.to(dtype)

    def get_config(self) -> dict:
        return {
            "boundaries": self.boundaries,
            "values": self.values,
            "name": self.name,
        }


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from `initial_learning_rate` to `end_learning_rate`.

    `(initial - end) * (1 - step / decay_steps) ** power + end`, with the
    step clipped to `decay_steps`, or, with `cycle=True`, `decay_steps`
    stretched to the first multiple of itself above the step.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the length of the decay; must be positive.
        end_learning_rate: the final learning rate.
        power: the polynomial's power.
        cycle: whether to restart the decay after `decay_steps`.
        name: the schedule's name.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.PolynomialDecay(0.1, 10, 0.0)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ):
        _check_positive(type(self), "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: Any) -> torch.Tensor:
        step = _as_float(step)
        decay_steps = torch.full_like(step, float(self.decay_steps))
        if self.cycle:
            # The first multiple of decay_steps above the step (1 at step 0).
            multiplier = torch.where(
                step == 0, 1.0, torch.ceil(step / self.decay_steps)
            )
            decay_steps = decay_steps * multiplier
        else:
            step = torch.minimum(step, decay_steps)
        p = step / decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        return span * torch.pow(1 - p, self.power) + self.end_learning_rate

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: how often to apply the decay; must be positive.
        decay_rate: the decay rate.
        staircase: whether to floor `step / decay_steps`.
        name: the schedule's name.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.InverseTimeDecay(0.1, 1, 1.0)
    >>> round(float(s(1)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ):
        _check_positive(type(self), "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> torch.Tensor:
        p = _as_float(step) / self.decay_steps
        if self.staircase:
            p = torch.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def _cosine(fraction: torch.Tensor, alpha: float) -> torch.Tensor:
    decayed = 0.5 * (1.0 + torch.cos(math.pi * fraction))
    return (1 - alpha) * decayed + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay, with an optional linear warmup before it.

    Without warmup the rate is `initial * ((1 - alpha) * c + alpha)` where
    `c = 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))`. With
    `warmup_target`, the rate first rises linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps`, then
    decays from `warmup_target` as above.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the length of the decay; must be positive.
        alpha: the final rate as a fraction of the decayed-from rate.
        name: the schedule's name.
        warmup_target: the rate reached at the end of the warmup, or `None`
            for no warmup.
        warmup_steps: the length of the warmup.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.CosineDecay(0.1, 10)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        _check_positive(type(self), "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step: Any) -> torch.Tensor:
        step = _as_float(step)
        if self.warmup_target is None:
            step = torch.clamp(step, max=float(self.decay_steps))
            fraction = step / self.decay_steps
            return self.initial_learning_rate * _cosine(fraction, self.alpha)
        step = torch.clamp(
            step, max=float(self.decay_steps + self.warmup_steps)
        )
        # Both branches are computed and one is selected, so the schedule
        # has no data-dependent Python branch.
        delta = self.warmup_target - self.initial_learning_rate
        warmup = delta * (step / self.warmup_steps) + self.initial_learning_rate
        fraction = (step - self.warmup_steps) / self.decay_steps
        decay = self.warmup_target * _cosine(fraction, self.alpha)
        return torch.where(step < self.warmup_steps, warmup, decay)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR).

    The first period lasts `first_decay_steps`; each next period is `t_mul`
    times longer and starts from a rate `m_mul` times the previous start.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: the length of the first period; must be positive.
        t_mul: the factor applied to the period length at each restart.
        m_mul: the factor applied to the starting rate at each restart.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
        name: the schedule's name.

    Reference:
    - [Loshchilov et al., 2017](https://arxiv.org/abs/1608.03983)

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.CosineDecayRestarts(0.1, 10)
    >>> round(float(s(10)), 6)
    0.1
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ):
        _check_positive(type(self), "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step: Any) -> torch.Tensor:
        fraction = _as_float(step) / self.first_decay_steps
        t_mul, m_mul = self._t_mul, self._m_mul
        if t_mul == 1.0:
            restart = torch.floor(fraction)
            fraction = fraction - restart
        else:
            # Index of the current period: the geometric series of period
            # lengths 1, t, t^2, ... summed up to it covers `fraction`.
            # Keras takes log(t_mul) in float32, which decides the index at
            # period boundaries; a 0-d CPU tensor joins a tensor on any
            # device without a copy.
            log_t = torch.log(torch.tensor(t_mul, dtype=fraction.dtype))
            restart = torch.floor(
                torch.log(1.0 - fraction * (1.0 - t_mul)) / log_t
            )
            done = (1.0 - torch.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - done) / torch.pow(t_mul, restart)
        cosine = (
            0.5
            * torch.pow(m_mul, restart)
            * (1.0 + torch.cos(math.pi * fraction))
        )
        decayed = (1 - self.alpha) * cosine + self.alpha
        return self.initial_learning_rate * decayed

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
