import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

ACTIVATIONS = [
    "relu",
    "relu6",
    "sigmoid",
    "softplus",
    "softsign",
    "silu",
    "swish",
    "selu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "log_sigmoid",
    "leaky_relu",
    "elu",
    "gelu",
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_match_keras(name, dtype):
    x = rand((3, 4), dtype)
    x[0, 0] = 7.0  # past relu6's cap and hard_sigmoid's saturation
    check(name, x)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("leaky_relu", dict(negative_slope=0.05)),
        ("elu", dict(alpha=0.5)),
        ("gelu", dict(approximate=False)),
        ("gelu", dict(approximate=True)),
    ],
)
def test_activation_arguments_match_keras(name, kwargs):
    check(name, rand((3, 4)), **kwargs)


def test_integer_inputs_become_floats():
    out = lops.sigmoid(np.array([0, 1], "int32"))
    assert out.dtype == lops.convert_to_tensor(0.5).dtype
    check("relu", np.array([-1, 2], "int32"))


@pytest.mark.parametrize("axis", [-1, 0, 1, None, (1, 2), (0, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family_matches_keras(name, dtype, axis):
    check(name, rand((2, 3, 4), dtype), axis=axis)


def test_softmax_bad_axis_raises_value_error():
    with pytest.raises(ValueError, match=r"`ops.softmax`.*axis=3"):
        lops.softmax(np.ones((2, 3), "float32"), axis=3)
