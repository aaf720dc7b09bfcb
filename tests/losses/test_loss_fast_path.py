"""`Loss.__call__`'s shortcut (no sample weight, no mask) against the
general weighting path and Keras 3; weights and masks take the general
path and still match Keras."""

import numpy as np
import pytest
import torch

import lamina
from lamina.losses import loss as loss_module
from tests.keras_oracle import keras

CASES = [
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_prob"),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot"),
    ("MeanSquaredError", {}, "dense"),
    ("MeanAbsoluteError", {}, "dense"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary"),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", None]


def _data(kind, seed, batch=6, classes=4, steps=None):
    rng = np.random.default_rng(seed)
    lead = (batch,) if steps is None else (batch, steps)
    pred = rng.normal(size=(*lead, classes)).astype("float32")
    if kind.startswith("sparse"):
        true = rng.integers(0, classes, size=lead)
        if kind == "sparse_prob":
            pred = np.abs(pred) + 0.1
    elif kind == "onehot":
        true = np.eye(classes, dtype="float32")[
            rng.integers(0, classes, size=lead)
        ]
    elif kind == "binary":
        true = rng.integers(0, 2, size=pred.shape).astype("float32")
    else:
        true = rng.normal(size=pred.shape).astype("float32")
    return true, pred


def _general(loss, y_true, y_pred):
    # The general path, as `__call__` ran it before the shortcut.
    y_true, y_pred, _ = loss._convert_inputs(y_true, y_pred)
    return loss_module.reduce_weighted_values(
        loss.call(y_true, y_pred),
        reduction=loss.reduction,
        dtype=loss._torch_dtype,
        name=loss.name,
    )


@pytest.mark.parametrize("name,kwargs,kind", CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("steps", [None, 3])
def test_fast_path_equals_general_path_and_keras(
    name, kwargs, kind, reduction, steps
):
    y_true, y_pred = _data(kind, seed=len(name) + (steps or 0), steps=steps)
    ours = getattr(lamina.losses, name)(reduction=reduction, **kwargs)
    fast = ours(torch.tensor(y_true), torch.tensor(y_pred))
    general = _general(ours, torch.tensor(y_true), torch.tensor(y_pred))
    assert torch.equal(fast, general)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    expected = theirs(torch.tensor(y_true), torch.tensor(y_pred))
    np.testing.assert_allclose(
        fast.numpy(), expected.detach().numpy(), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_sample_weight_and_mask_take_general_path(reduction):
    y_true, y_pred = _data("sparse", seed=3, steps=5)
    rng = np.random.default_rng(4)
    sw = rng.uniform(size=(6, 5)).astype("float32")
    mask = rng.integers(0, 2, size=(6, 5)).astype(bool)
    ours = lamina.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=reduction
    )
    theirs = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=reduction
    )
    for extra in ({"sample_weight": sw}, {"mask": mask}):
        kwargs = {k: torch.tensor(v) for k, v in extra.items()}
        got = ours(torch.tensor(y_true), torch.tensor(y_pred), **kwargs)
        # Keras's `Loss.__call__` reads a mask from `y_pred._keras_mask`.
        keras_pred = torch.tensor(y_pred)
        if "mask" in kwargs:
            keras_pred._keras_mask = kwargs.pop("mask")
        expected = theirs(torch.tensor(y_true), keras_pred, **kwargs)
        np.testing.assert_allclose(
            got.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6
        )
        # A weight or mask changes the result, so the shortcut was not taken.
        plain = ours(torch.tensor(y_true), torch.tensor(y_pred))
        assert not torch.equal(got, plain)


def test_keras_mask_on_prediction_takes_general_path():
    y_true, y_pred = _data("dense", seed=5, steps=4)
    pred = torch.tensor(y_pred)
    mask = torch.tensor([[True, False, True, True]] * 6)
    pred._keras_mask = mask
    got = lamina.losses.MeanSquaredError()(torch.tensor(y_true), pred)
    keras_pred = torch.tensor(y_pred)
    keras_pred._keras_mask = mask
    expected = keras.losses.MeanSquaredError()(torch.tensor(y_true), keras_pred)
    np.testing.assert_allclose(
        got.numpy(), expected.detach().numpy(), rtol=1e-6
    )


def test_loss_dtype_casts_on_fast_path():
    y_true, y_pred = _data("dense", seed=6)
    ours = lamina.losses.MeanSquaredError(dtype="float64")
    got = ours(torch.tensor(y_true), torch.tensor(y_pred))
    assert got.dtype == torch.float64
    assert torch.equal(
        got, _general(ours, torch.tensor(y_true), torch.tensor(y_pred))
    )


def test_empty_losses_are_returned_unreduced():
    got = loss_module.reduce_values(torch.zeros(0), None, "sum")
    assert got.shape == (0,)
