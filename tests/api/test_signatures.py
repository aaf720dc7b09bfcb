"""Every public class and function lamina shares with Keras 3 binds like
Keras's: same parameter names, order, kinds and defaults.

`LSTM(4, "relu")` must bind `activation="relu"` as in Keras, so a name that
exists in both APIs is compared with `inspect.signature` (a class by its
`__init__`). The pairs are found by walking Keras's public namespaces at
collection time, so names added to lamina later are checked without editing
this file. Annotations are ignored (Keras has none); defaults are compared by
type and value.
"""

from __future__ import annotations

import importlib
import inspect
import types

import pytest
import torch

import lamina
from tests.keras_oracle import keras

# Keras namespaces that are not public API (or only exist for TF/JAX).
SKIPPED_MODULES = {"src", "legacy"}

# Reviewed deliberate differences: public path -> reason.
ALLOWED = {
    "Variable": (
        "lamina's Variable is a torch.nn.Parameter built from a tensor "
        "(`Variable(data, requires_grad)`), the torch constructor that "
        "state_dict loading and torch.compile rely on; Keras-style "
        "construction goes through `Layer.add_weight` (issue 13 §1 owns "
        "this class)."
    ),
    "export.ExportArchive": (
        "Keras takes `format` in `__new__` (which returns a backend "
        "subclass), so its `__init__` is object's `(*args, **kwargs)`; "
        "lamina's one class takes the same `format=` in `__init__`."
    ),
}


def _resolve_submodule(lamina_mod, name):
    sub = getattr(lamina_mod, name, None)
    if isinstance(sub, types.ModuleType):
        return sub
    try:
        return importlib.import_module(f"{lamina_mod.__name__}.{name}")
    except ImportError:
        return None


def _shared_callables(keras_mod, lamina_mod, prefix, seen):
    """Yields (path, keras_obj, lamina_obj) for names public in both."""
    for name in sorted(dir(keras_mod)):
        if name.startswith("_"):
            continue
        keras_obj = getattr(keras_mod, name)
        if isinstance(keras_obj, types.ModuleType):
            if name in SKIPPED_MODULES or id(keras_obj) in seen:
                continue
            if not keras_obj.__name__.startswith("keras."):
                continue
            lamina_sub = _resolve_submodule(lamina_mod, name)
            if lamina_sub is not None:
                seen.add(id(keras_obj))
                yield from _shared_callables(
                    keras_obj, lamina_sub, f"{prefix}{name}.", seen
                )
        elif callable(keras_obj) and hasattr(lamina_mod, name):
            yield prefix + name, keras_obj, getattr(lamina_mod, name)


def _signature(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        return inspect.signature(target)
    except (TypeError, ValueError):
        return None


PAIRS = {
    path: (keras_obj, lamina_obj)
    for path, keras_obj, lamina_obj in _shared_callables(
        keras, lamina, "", set()
    )
    if _signature(keras_obj) is not None
}


def _same_default(a, b):
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # an array default: compare its text
        return repr(a) == repr(b)


def _differences(keras_sig, lamina_sig):
    keras_params = list(keras_sig.parameters.values())
    lamina_params = list(lamina_sig.parameters.values())
    keras_names = [p.name for p in keras_params]
    lamina_names = [p.name for p in lamina_params]
    if keras_names != lamina_names:
        return [f"parameters {lamina_names}, Keras has {keras_names}"]
    problems = []
    for k, m in zip(keras_params, lamina_params):
        if k.kind != m.kind:
            problems.append(
                f"`{k.name}` is {m.kind.description}, Keras's is "
                f"{k.kind.description}"
            )
        if not _same_default(k.default, m.default):
            problems.append(
                f"`{k.name}` defaults to {m.default!r}, Keras's to "
                f"{k.default!r}"
            )
    return problems


def test_the_walk_finds_the_main_namespaces():
    # Guards the walk itself: an empty parametrization would pass silently.
    families = {path.rsplit(".", 1)[0] for path in PAIRS if "." in path}
    for family in (
        "layers",
        "losses",
        "metrics",
        "optimizers",
        "ops",
        "callbacks",
        "initializers",
        "activations",
        "utils",
        "optimizers.schedules",
        "regularizers",
        "constraints",
    ):
        assert family in families
    assert {"layers.LSTM", "layers.Dense", "Model"} <= set(PAIRS)


def test_allowed_entries_are_still_needed():
    for path in ALLOWED:
        assert path in PAIRS, f"{path} is no longer shared with Keras"


@pytest.mark.parametrize("path", sorted(PAIRS))
def test_signature_matches_keras(path):
    if path in ALLOWED:
        return
    keras_obj, lamina_obj = PAIRS[path]
    keras_sig = _signature(keras_obj)
    assert callable(lamina_obj), (
        f"lamina.{path} is a {type(lamina_obj).__name__}, not callable; "
        f"Keras's is callable with {keras_sig}"
    )
    lamina_sig = _signature(lamina_obj)
    assert lamina_sig is not None, f"lamina.{path} has no signature"
    problems = _differences(keras_sig, lamina_sig)
    assert not problems, (
        f"lamina.{path}{lamina_sig} differs from Keras's {keras_sig}: "
        + "; ".join(problems)
    )


def test_the_comparison_sees_each_kind_of_difference():
    def keras_like(a, b=1, *, c=None):
        pass

    def reordered(b=1, a=None, *, c=None):
        pass

    def wrong_kind(a, b=1, c=None):
        pass

    def wrong_default(a, b=1.0, *, c=None):
        pass

    ref = inspect.signature(keras_like)
    assert not _differences(ref, inspect.signature(keras_like))
    assert "Keras has" in _differences(ref, inspect.signature(reordered))[0]
    assert "keyword-only" in _differences(ref, inspect.signature(wrong_kind))[0]
    assert (
        "defaults to 1.0"
        in _differences(ref, inspect.signature(wrong_default))[0]
    )


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_rnn_positional_activation_binds_as_in_keras(name):
    keras_layer = getattr(keras.layers, name)(4, "relu")
    layer = getattr(lamina.layers, name)(4, "relu")
    assert keras_layer.return_sequences is False
    assert layer.return_sequences is False
    assert layer.activation is lamina.activations.relu
    x = torch.randn(2, 3, 5)
    assert tuple(layer(x).shape) == tuple(keras_layer(x).shape) == (2, 4)


def test_optimizer_positional_base_arguments_bind_as_in_keras():
    optimizer = lamina.optimizers.SGD(0.1, 0.5, False, 0.01)
    assert optimizer.weight_decay == 0.01
    assert keras.optimizers.SGD(0.1, 0.5, False, 0.01).weight_decay == 0.01
