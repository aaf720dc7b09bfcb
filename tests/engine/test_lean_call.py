"""The lean `Layer.__call__` path (lean_call.py) gives the full path's
results, and a layer leaves it whenever a phase it skips could apply."""

import numpy as np
import pytest
import torch

import lamina
from lamina.engine import lean_call
from tests.keras_oracle import keras


def _x(shape=(4, 8), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _full_path(monkeypatch):
    monkeypatch.setattr(lean_call, "accepts", lambda *a: False)


@pytest.mark.parametrize("units,activation", [(3, None), (8, "relu")])
def test_dense_matches_keras_on_both_paths(monkeypatch, units, activation):
    ours = lamina.layers.Dense(units, activation=activation)
    theirs = keras.layers.Dense(units, activation=activation)
    ours(_x())
    theirs(_x())
    theirs.set_weights(ours.get_weights())
    x = _x(seed=1)
    want = keras.ops.convert_to_numpy(theirs(x))
    lean = ours(torch.from_numpy(x))
    assert ours.__dict__["_lean"] is True
    _full_path(monkeypatch)
    full = ours(torch.from_numpy(x))
    np.testing.assert_allclose(lean.detach().numpy(), want, rtol=1e-6)
    torch.testing.assert_close(lean, full, rtol=0, atol=0)


def test_training_resolution_as_full_path():
    drop = lamina.layers.Dropout(0.5, seed=1)
    x = torch.ones(64, 8)
    drop(x)
    assert drop.__dict__["_lean"] is True
    torch.testing.assert_close(drop(x), x)  # inference by default
    assert (drop(x, training=True) == 0).any()
    drop.train()
    assert (drop(x) == 0).any()
    model = lamina.Sequential([lamina.Input((8,)), drop])
    torch.testing.assert_close(model(x, training=False), x)


@pytest.mark.parametrize(
    "change",
    [
        lambda layer: setattr(
            layer, "activity_regularizer", lamina.regularizers.L2(0.1)
        ),
        lambda layer: setattr(layer, "dtype_policy", "mixed_bfloat16"),
        lambda layer: layer.quantize("int8"),
    ],
)
def test_changed_layer_leaves_lean_path(change):
    layer = lamina.layers.Dense(3)
    layer(torch.ones(2, 4))
    assert lean_call.is_lean(layer)
    change(layer)
    assert not lean_call.is_lean(layer)


def test_activity_regularizer_set_later_adds_its_loss():
    layer = lamina.layers.Dense(3)
    layer(torch.ones(2, 4))
    layer.activity_regularizer = lamina.regularizers.L2(0.1)
    out = layer(torch.ones(2, 4))
    want = 0.1 * float((out * out).sum()) / 2
    assert float(layer.losses[0]) == pytest.approx(want, rel=1e-6)


def test_masked_and_other_dtype_inputs_take_full_path():
    layer = lamina.layers.Dense(3)
    layer(torch.ones(2, 4))
    x = torch.ones(2, 4)
    x._keras_mask = torch.tensor([True, False])
    assert not lean_call.accepts(layer, (x,), {})
    assert not lean_call.accepts(layer, (torch.ones(2, 4).double(),), {})
    assert not lean_call.accepts(layer, (torch.ones(2, 4),), {"mask": None})
    assert layer(torch.ones(2, 4, dtype=torch.float64)).dtype == torch.float32
    assert layer(torch.ones(2, 4, dtype=torch.int64)).dtype == torch.float32


def test_hooks_run_and_errors_name_the_layer():
    layer = lamina.layers.Dense(3, name="lean_dense")
    layer(torch.ones(2, 4))
    seen = []
    layer.register_forward_hook(lambda m, i, o: seen.append(o.shape))
    layer(torch.ones(5, 4))
    assert seen == [torch.Size([5, 3])]
    with pytest.raises(ValueError, match="lean_dense"):
        layer(torch.ones(2, 7))
