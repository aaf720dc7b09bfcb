"""MaxNorm, MinMaxNorm, NonNeg and UnitNorm: outputs and configs equal to
Keras 3's on random weights."""

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import deserialize_keras_object
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras, to_numpy

CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 0.5, "axis": 1}),
    ("MaxNorm", {"max_value": 1.0, "axis": [0, 1, 2]}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.3}),
    ("MinMaxNorm", {"min_value": 2.0, "max_value": 3.0, "axis": 1}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": -1}),
    ("Constraint", {}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("shape", [(6, 5), (3, 3, 4, 2)])
@pytest.mark.parametrize("scale", [0.1, 3.0])
def test_output_matches_keras(name, kwargs, shape, scale):
    if isinstance(kwargs.get("axis"), list) and len(shape) < 3:
        shape = (2, 3, 4, 5)
    w = (np.random.randn(*shape) * scale).astype("float32")
    ours = getattr(lamina.constraints, name)(**kwargs)(torch.from_numpy(w))
    theirs = getattr(keras.constraints, name)(**kwargs)(torch.from_numpy(w))
    assert isinstance(ours, torch.Tensor) and ours.shape == shape
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


def test_float64_and_numpy_inputs():
    w = np.random.randn(4, 3)
    ours = lamina.constraints.MaxNorm(0.3)(w)
    assert ours.dtype == torch.float64
    # Keras clips float64 norms at the float32-rounded 0.3 (rel. 4e-8).
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(keras.constraints.MaxNorm(0.3)(w)), rtol=1e-7
    )


def test_max_norm_caps_column_norms():
    w = torch.randn(10, 4) * 5
    out = lamina.constraints.MaxNorm(max_value=1.5)(w)
    assert (out.norm(dim=0) <= 1.5 + 1e-5).all()


def test_in_place_update_under_no_grad():
    w = torch.nn.Parameter(torch.randn(5, 3))
    with torch.no_grad():
        w.copy_(lamina.constraints.UnitNorm()(w))
    np.testing.assert_allclose(w.detach().norm(dim=0), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name,kwargs", CASES)
def test_serialization_matches_keras(name, kwargs):
    ours = getattr(lamina.constraints, name)(**kwargs)
    theirs = getattr(keras.constraints, name)(**kwargs)
    config = serialize_keras_object(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    restored = deserialize_keras_object(config)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()


def test_repr():
    assert repr(lamina.constraints.MaxNorm(3, axis=1)) == (
        "MaxNorm(max_value=3, axis=1)"
    )
