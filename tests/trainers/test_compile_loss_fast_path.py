"""`CompileLoss`'s single-output shortcut and `CompileMetrics` without
metrics, against the general per-output loop and Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from lamina.trainers.compile_utils import CompileLoss
from lamina.trainers.compile_utils import CompileMetrics
from tests.keras_oracle import keras

LOSSES = [
    lamina.losses.SparseCategoricalCrossentropy(from_logits=True),
    "sparse_categorical_crossentropy",
]


def _general(compile_loss):
    compile_loss._only = None  # forces the per-output loop
    return compile_loss


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("weighted", [False, True])
def test_single_output_shortcut_equals_general_loop(loss, weighted):
    rng = np.random.default_rng(int(weighted))
    y_true = torch.tensor(rng.integers(0, 4, size=8))
    y_pred = torch.tensor(rng.uniform(0.1, 1, size=(8, 4)).astype("float32"))
    sw = torch.tensor(rng.uniform(size=8).astype("float32"))
    sw = sw if weighted else None
    fast = CompileLoss(loss, None, ["out"])
    assert fast._only is not None
    general = _general(CompileLoss(loss, None, ["out"]))
    assert torch.equal(fast(y_true, y_pred, sw), general(y_true, y_pred, sw))


def test_shortcut_is_not_taken_with_a_loss_weight_or_two_outputs():
    assert CompileLoss("mse", [0.5], ["out"])._only is None
    assert CompileLoss("mse", None, ["a", "b"])._only is None


def test_dict_targets_take_the_general_loop():
    compile_loss = CompileLoss("mse", None, ["out"])
    y = torch.ones(3, 2)
    got = compile_loss({"out": y}, {"out": torch.zeros(3, 2)})
    assert float(got) == 1.0


def test_compile_metrics_without_metrics_updates_nothing():
    metrics = CompileMetrics(None, None, ["out"])
    metrics.update_state(torch.ones(3), torch.ones(3))
    assert metrics.built and metrics.metrics == []
    assert metrics.result() == {}


@pytest.mark.parametrize("weighted", [False, True])
def test_evaluate_matches_keras(weighted):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(24, 6)).astype("float32")
    y = rng.integers(0, 3, size=24)
    sw = rng.uniform(size=24).astype("float32") if weighted else None

    def run(lib):
        model = lib.Sequential(
            [
                lib.Input((6,)),
                lib.layers.Dense(5, activation="relu"),
                lib.layers.Dropout(0.3),
                lib.layers.Dense(3),
            ]
        )
        model.compile(
            loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
        return model

    ours, theirs = run(lamina), run(keras)
    ours.set_weights(theirs.get_weights())
    got = ours.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    expected = theirs.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
