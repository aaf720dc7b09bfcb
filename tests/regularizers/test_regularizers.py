"""L1, L2, L1L2 and OrthogonalRegularizer: penalties and configs equal to
Keras 3's."""

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import deserialize_keras_object
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras, to_numpy

CASES = [
    ("L1", {}),
    ("L1", {"l1": 0.3}),
    ("L2", {}),
    ("L2", {"l2": 0.07}),
    ("L1L2", {}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}),
    ("L1L2", {"l2": 0.5}),
    ("L1L2", {"l1": None, "l2": None}),
    ("OrthogonalRegularizer", {}),
    ("OrthogonalRegularizer", {"factor": 0.3, "mode": "columns"}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("shape", [(5, 4), (3, 7)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_penalty_matches_keras(name, kwargs, shape, dtype):
    x = np.random.randn(*shape).astype(dtype)
    ours = getattr(lamina.regularizers, name)(**kwargs)(torch.from_numpy(x))
    theirs = getattr(keras.regularizers, name)(**kwargs)(torch.from_numpy(x))
    assert isinstance(ours, torch.Tensor) and ours.ndim == 0
    assert ours.dtype == torch.from_numpy(x).dtype
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("name", ["L1", "L2", "L1L2"])
def test_penalty_on_conv_kernel_matches_keras(name):
    x = torch.randn(3, 3, 4, 5)
    ours = getattr(lamina.regularizers, name)(0.2)(x)
    theirs = getattr(keras.regularizers, name)(0.2)(x)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs), rtol=1e-5)


def test_penalty_is_differentiable():
    w = torch.randn(4, 3, requires_grad=True)
    lamina.regularizers.L1L2(0.1, 0.1)(w).backward()
    assert w.grad is not None and w.grad.shape == (4, 3)


@pytest.mark.parametrize("name,kwargs", CASES)
def test_serialization_matches_keras(name, kwargs):
    ours = getattr(lamina.regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    config = serialize_keras_object(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    restored = deserialize_keras_object(config)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()
    x = torch.randn(4, 4)
    assert torch.equal(restored(x), ours(x))


@pytest.mark.parametrize(
    "name,arg",
    [
        ("L1", "l1"),
        ("L2", "l2"),
        ("L1L2", "l1"),
        ("L1L2", "l2"),
        ("OrthogonalRegularizer", "factor"),
    ],
)
@pytest.mark.parametrize(
    "value", [-0.1, float("nan"), float("inf"), "0.1", True]
)
def test_invalid_factor_raises(name, arg, value):
    cls = getattr(lamina.regularizers, name)
    with pytest.raises(
        ValueError,
        match=(f"argument `{arg}` of {name}: expected a non-negative float"),
    ):
        cls(**{arg: value})
    if not isinstance(value, bool):  # Keras lets True through as 1.0
        with pytest.raises(ValueError):
            getattr(keras.regularizers, name)(**{arg: value})


def test_orthogonal_regularizer_bad_mode_and_rank():
    with pytest.raises(ValueError, match="argument `mode`.*'diagonal'"):
        lamina.regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match=r"rank 2.*\(2, 3, 4\)"):
        lamina.regularizers.OrthogonalRegularizer()(torch.randn(2, 3, 4))


def test_orthogonal_regularizer_is_zero_on_orthogonal_rows():
    q = lamina.initializers.Orthogonal(seed=0)((4, 4))
    assert lamina.regularizers.OrthogonalRegularizer(1.0)(q).abs() < 1e-6


def test_base_regularizer():
    base = lamina.regularizers.Regularizer()
    assert base(torch.ones(3)) == 0.0
    with pytest.raises(NotImplementedError, match="get_config"):
        base.get_config()


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.regularizers.L1(0.3),
        lambda lib: lib.regularizers.L2(0.1),
        lambda lib: lib.regularizers.L1L2(0.1, 0.2),
        lambda lib: lib.regularizers.get("l2"),
        lambda lib: lib.regularizers.OrthogonalRegularizer(0.1),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numpy_input_is_converted_as_in_keras(make, dtype):
    x = np.random.default_rng(0).normal(size=(3, 4)).astype(dtype)
    mine, theirs = make(lamina)(x), make(keras)(x)
    assert str(mine.dtype).replace("torch.", "") == str(to_numpy(theirs).dtype)
    np.testing.assert_allclose(to_numpy(mine), to_numpy(theirs), rtol=1e-6)
