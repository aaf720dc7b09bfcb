"""`Layer.losses` answers `[]` without walking the tree while no layer can
contribute, and still sees every loss once one can (layer_losses.py)."""

import copy
import gc
import weakref

import numpy as np
import pytest
import torch

import lamina
from lamina.engine import layer_losses
from tests.keras_oracle import keras


def _x(n=3, d=4, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype("float32")


def _both(build):
    ours, theirs = build(lamina), build(keras)
    ours(_x())
    theirs(_x())
    theirs.set_weights(ours.get_weights())
    ours(_x(seed=1))
    theirs(_x(seed=1))
    return ours, theirs


def _assert_same_losses(ours, theirs):
    got = [float(torch.as_tensor(v).detach()) for v in ours.losses]
    want = [float(keras.ops.convert_to_numpy(v)) for v in theirs.losses]
    np.testing.assert_allclose(sorted(got), sorted(want), rtol=1e-5)
    return got


class _AddsLoss:
    @staticmethod
    def make(lib):
        class AddsLoss(lib.layers.Layer):
            def call(self, x):
                self.add_loss(lib.ops.sum(x * x) * 0.5)
                return x

        return AddsLoss()


@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.Sequential(
            [lib.Input((4,)), lib.layers.Dense(3), lib.layers.Dense(2)]
        ),
        lambda lib: lib.Sequential(
            [
                lib.Input((4,)),
                lib.layers.Dense(3, kernel_regularizer="l2"),
                lib.layers.Dense(
                    2, bias_regularizer="l1", activity_regularizer="l2"
                ),
            ]
        ),
        lambda lib: lib.Sequential(
            [lib.Input((4,)), lib.layers.Dense(3), _AddsLoss.make(lib)]
        ),
    ],
)
def test_losses_match_keras(build):
    ours, theirs = _both(build)
    _assert_same_losses(ours, theirs)


def test_no_source_answers_empty_without_walk(monkeypatch):
    # Other tests' regularized layers may still be alive in this process.
    monkeypatch.setattr(layer_losses, "_sources", weakref.WeakSet())
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    model(_x())
    monkeypatch.setattr(
        torch.nn.Module,
        "modules",
        lambda self: pytest.fail("losses walked the module tree"),
    )
    assert model.losses == []


def test_contributor_added_later_is_seen():
    ours = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3)])
    ours(_x())
    assert ours.losses == []
    ours.add(lamina.layers.Dense(2, kernel_regularizer="l2"))
    ours(_x())
    assert len(ours.losses) == 1
    adder = _AddsLoss.make(lamina)
    model = lamina.Sequential([lamina.Input((4,)), adder])
    model(_x())
    assert len(model.losses) == 1
    adder.activity_regularizer = lamina.regularizers.L2(0.1)
    model(_x())
    assert len(model.losses) == 2


def test_deepcopied_regularized_layer_keeps_its_loss():
    layer = lamina.layers.Dense(2, kernel_regularizer="l2")
    layer(_x())
    clone = copy.deepcopy(layer)
    want = float(layer.losses[0])
    layer_losses._sources.discard(layer)  # as if the original were gone
    del layer
    gc.collect()
    assert [float(v) for v in clone.losses] == [want]
