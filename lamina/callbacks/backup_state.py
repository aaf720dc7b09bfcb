"""The training state that `BackupAndRestore` keeps beside the weights.

The weights and the optimizer state go to a `.weights.h5` file. What else
decides how training goes on is small, and goes to JSON:

- the random number generators: torch's global one (CPU, and CUDA once
  CUDA is in use), NumPy's and Python's global ones, lamina's seed
  generator (`lamina.utils.rng`, which layers and ops with `seed=None`
  draw seeds from), and the `torch.Generator`s that layers own (a
  `Dropout(seed=1)` keeps one per device);
- the metrics' running totals, so that an epoch resumed in the middle
  reports the logs of the whole epoch.

`ResumePoint` tells `fit` where a restored backup left training.

Only JSON types are written (bytes as base64), so reading a backup runs no
pickle.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from lamina.utils import rng


@dataclass
class ResumePoint:
    """Where a restored backup left training; `fit` reads it once.

    Attributes:
        epoch: the epoch to go on with.
        step: batches of that epoch already trained on (0 at an epoch
            boundary); `fit` skips them, keeping the epoch's data order.
        on_skipped: called once those batches are skipped, to put back the
            random state and metrics of the moment of the backup.
    """

    epoch: int
    step: int
    on_skipped: Callable[[], None]


def _encode(state: torch.Tensor) -> str:
    return base64.b64encode(state.cpu().numpy().tobytes()).decode("ascii")


def _decode(text: str) -> torch.Tensor:
    return torch.frombuffer(
        bytearray(base64.b64decode(text)), dtype=torch.uint8
    )


# -- checking a record read back ----------------------------------------------


class _Invalid(ValueError):
    """A field of a backup record that does not fit its schema."""

    def __init__(self, field: str, expected: str, value: Any) -> None:
        text = repr(value)
        text = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(
            f"the field `{field}` must be {expected}. Received: {field}={text}"
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_ints(values: Any, field: str, count: int, top: int) -> None:
    if (
        not isinstance(values, list)
        or len(values) != count
        or not all(_is_int(v) and 0 <= v < top for v in values)
    ):
        raise _Invalid(
            field, f"a list of {count} integers in [0, {top})", values
        )


def _check_state(text: Any, field: str, size: int | None) -> None:
    """A base64 generator state of `size` bytes (any size if None)."""
    try:
        data = base64.b64decode(text, validate=True)
    except (TypeError, ValueError):
        raise _Invalid(field, "a base64 text", text) from None
    if not data or (size is not None and len(data) != size):
        raise _Invalid(field, f"the base64 of {size} bytes", text)


def _check_python(state: Any, field: str) -> None:
    if (
        not isinstance(state, list)
        or len(state) != 3
        or not _is_int(state[0])
        or not (state[2] is None or isinstance(state[2], float))
    ):
        raise _Invalid(field, "[version, internal state, gauss]", state)
    _check_ints(state[1], f"{field}[1]", 625, 1 << 32)


def check_rng(state: Any, field: str) -> None:
    """Check a `capture_rng` state read from a file, whole, so that a bad
    one is refused before any generator is changed.

    Raises:
        ValueError: naming the first field that does not fit.
    """
    if not isinstance(state, dict) or any(
        k not in state for k in ("torch", "numpy", "python", "lamina", "layers")
    ):
        raise _Invalid(
            field,
            "an object with the keys torch, numpy, python, lamina and layers",
            state,
        )
    _check_state(
        state["torch"], f"{field}.torch", torch.get_rng_state().numel()
    )
    numpy_state = state["numpy"]
    if (
        not isinstance(numpy_state, list)
        or len(numpy_state) != 5
        or numpy_state[0] != "MT19937"
        or not _is_int(numpy_state[2])
        or not 0 <= numpy_state[2] <= 624
        or numpy_state[3] not in (0, 1)
        or not isinstance(numpy_state[4], (int, float))
    ):
        raise _Invalid(f"{field}.numpy", "NumPy's MT19937 state", numpy_state)
    _check_ints(numpy_state[1], f"{field}.numpy[1]", 624, 1 << 32)
    _check_python(state["python"], f"{field}.python")
    _check_python(state["lamina"], f"{field}.lamina")
    _check_layers(state["layers"], f"{field}.layers")
    cuda = state.get("cuda")
    if cuda is not None and not isinstance(cuda, list):
        raise _Invalid(f"{field}.cuda", "a list of states", cuda)
    for i, item in enumerate(cuda or []):
        _check_state(item, f"{field}.cuda[{i}]", None)


def _check_layers(layers: Any, field: str) -> None:
    if not isinstance(layers, dict):
        raise _Invalid(field, "an object", layers)
    cpu_size = torch.Generator().get_state().numel()
    for key, entry in layers.items():
        where = f"{field}[{key!r}]"
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("device"), str)
            or ":" not in key
        ):
            raise _Invalid(where, '{"device": ..., "state": ...}', entry)
        try:
            device = torch.device(entry["device"])
        except (RuntimeError, ValueError):
            raise _Invalid(
                f"{where}.device", "a torch device", entry["device"]
            ) from None
        _check_state(
            entry.get("state"),
            f"{where}.state",
            cpu_size if device.type == "cpu" else None,
        )


def check_metrics(saved: Any, field: str) -> None:
    """`capture_metrics` output: `[[path, values], ...]` of numbers."""
    if not isinstance(saved, list):
        raise _Invalid(field, "a list of [path, values]", saved)
    for i, item in enumerate(saved):
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not _numbers(item[1])
        ):
            raise _Invalid(f"{field}[{i}]", "[path, numbers]", item)


def _numbers(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bool) or not isinstance(item, (int, float)):
            return False
    return True


def _layer_generators(model: Any) -> dict[str, torch.Generator]:
    """Generators that layers hold, keyed `"<module path>:<attribute>"`
    (plus `":<key>"` for a dict of them, lamina's per-device caches)."""
    found = {}
    for path, module in model.named_modules():
        for attr, value in vars(module).items():
            if isinstance(value, torch.Generator):
                found[f"{path}:{attr}"] = value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, torch.Generator):
                        found[f"{path}:{attr}:{key}"] = item
    return found


def capture_rng(model: Any) -> dict:
    """Every random number generator's state, as JSON types.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(1)])
    >>> sorted(capture_rng(model))
    ['lamina', 'layers', 'numpy', 'python', 'torch']
    """
    name, keys, pos, has_gauss, gauss = np.random.get_state()
    state = {
        "torch": _encode(torch.get_rng_state()),
        "numpy": [name, keys.tolist(), int(pos), int(has_gauss), float(gauss)],
        "python": _python_state(random.getstate()),
        # lamina.utils.rng has no state accessors: read its Random directly.
        "lamina": _python_state(rng._global["rng"].getstate()),
        "layers": {
            key: {"device": str(gen.device), "state": _encode(gen.get_state())}
            for key, gen in _layer_generators(model).items()
        },
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = [_encode(s) for s in torch.cuda.get_rng_state_all()]
    return state


def _python_state(state: tuple) -> list:
    version, internal, gauss_next = state
    return [version, list(internal), gauss_next]


def _python_tuple(state: list) -> tuple:
    version, internal, gauss_next = state
    return (version, tuple(internal), gauss_next)


def restore_rng(model: Any, state: dict) -> None:
    """Put back the generator states that `capture_rng` recorded.

    A layer generator not created yet in this process (layers create them
    on first use) is created under the recorded key.
    """
    torch.set_rng_state(_decode(state["torch"]))
    name, keys, pos, has_gauss, gauss = state["numpy"]
    np.random.set_state(
        (name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, gauss)
    )
    random.setstate(_python_tuple(state["python"]))
    rng._global["rng"].setstate(_python_tuple(state["lamina"]))
    cuda = state.get("cuda")
    if (
        cuda
        and torch.cuda.is_available()
        and len(cuda) == torch.cuda.device_count()
    ):
        torch.cuda.set_rng_state_all([_decode(s) for s in cuda])
    _restore_layer_generators(model, state["layers"])


def _restore_layer_generators(model: Any, saved: dict) -> None:
    current = _layer_generators(model)
    modules = dict(model.named_modules())
    for key, entry in saved.items():
        gen = current.get(key)
        if gen is None:
            gen = _create_generator(modules, key, entry["device"])
            if gen is None:
                continue  # The layer is gone: nothing to restore into.
        gen.set_state(_decode(entry["state"]))


def _create_generator(
    modules: dict, key: str, device: str
) -> torch.Generator | None:
    path, attr, *item = key.split(":", 2)
    module = modules.get(path)
    if module is None:
        return None
    gen = torch.Generator(device=device)
    if not item:
        setattr(module, attr, gen)
        return gen
    cache = vars(module).get(attr)
    if not isinstance(cache, dict):
        return None
    cache[item[0]] = gen
    return gen


def capture_metrics(model: Any) -> list:
    """`[path, values]` for each variable of `model.metrics`, in order."""
    return [
        [v.path, v.detach().cpu().tolist()]
        for m in model.metrics
        for v in m.variables
    ]


def restore_metrics(model: Any, saved: list) -> None:
    """Load `capture_metrics` output into the metrics that exist now.

    Compiled metrics are built on the first batch, so right after a restart
    only the loss tracker (and metrics already built) can take their
    values; the rest start the resumed epoch from zero.
    """
    variables = [v for m in model.metrics for v in m.variables]
    # Not strict: metrics built later have fewer variables here.
    for variable, (path, values) in zip(variables, saved, strict=False):
        value = torch.as_tensor(values, dtype=variable.dtype)
        if variable.path != path or value.shape != variable.shape:
            return  # From here on the metrics differ from the backup's.
        variable.assign(value.to(variable.device))
