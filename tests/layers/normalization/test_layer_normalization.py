import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning
from lamina.layers.normalization.layer_normalization import LayerNormalization
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.normalization.helpers import built_pair
from tests.layers.normalization.helpers import check_against_keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (4, 5)),
        ({}, (2, 3, 4)),
        ({"axis": [-2, -1]}, (2, 3, 4)),
        ({"axis": (1, 2, 3), "epsilon": 0.1}, (2, 3, 4, 2)),
        ({"axis": [1, 3]}, (2, 3, 4, 5)),  # not a contiguous block
        ({"center": False}, (3, 6)),
        ({"scale": False, "axis": 2}, (2, 3, 4)),
        ({"center": False, "scale": False}, (2, 4, 3)),
    ],
)
def test_matches_keras(kwargs, shape):
    k_layer, l_layer = built_pair(
        "LayerNormalization", LayerNormalization, kwargs, shape
    )
    check_against_keras(k_layer, l_layer, shape)
    compare_configs(k_layer, l_layer)


def _reference(x, axes, gamma, beta, epsilon):
    """Float64 layer normalization over `axes`, weights broadcast there."""
    x = torch.as_tensor(x, dtype=torch.float64)
    mean = x.mean(dim=axes, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=axes, keepdim=True)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    out = (x - mean) / torch.sqrt(var + epsilon)
    return out * gamma.double().reshape(shape) + beta.double().reshape(shape)


@pytest.mark.parametrize(
    "axis,shape",
    [
        (1, (2, 4, 4)),
        (1, (2, 3, 5)),
        ([0, 1], (3, 4, 2)),
        ([1, 2], (2, 3, 4, 5)),
    ],
)
def test_leading_axes_against_float64_reference(axis, shape):
    # Keras's torch backend hands any single or contiguous axis to
    # F.layer_norm as if it were trailing, which is wrong for these.
    layer = LayerNormalization(axis=axis)
    layer(torch.zeros(shape))
    rng = np.random.default_rng(0)
    layer.set_weights(
        [
            rng.normal(size=w.shape).astype("float32")
            for w in layer.get_weights()
        ]
    )
    x = torch.from_numpy(random_input(shape)).requires_grad_(True)
    x64 = x.detach().double().requires_grad_(True)
    axes = tuple(a % len(shape) for a in np.atleast_1d(axis))
    cot = torch.from_numpy(random_input(shape, 1))
    out = layer(x)
    ref = _reference(x64, axes, layer.gamma.detach(), layer.beta.detach(), 1e-3)
    torch.testing.assert_close(out.double(), ref, rtol=1e-5, atol=1e-5)
    (out * cot).sum().backward()
    (ref * cot.double()).sum().backward()
    torch.testing.assert_close(x.grad.double(), x64.grad, rtol=1e-4, atol=1e-5)


def test_rms_scaling_matches_keras_and_warns():
    with pytest.warns(LaminaWarning, match="rms_scaling"):
        l_layer = LayerNormalization(rms_scaling=True)
    l_layer(torch.zeros(3, 5))
    assert l_layer.beta is None
    with warnings.catch_warnings():
        # Keras warns on every call with rms_scaling.
        warnings.simplefilter("ignore", UserWarning)
        k_layer = keras.layers.LayerNormalization(rms_scaling=True)
        k_layer.build((3, 5))
        k_layer.set_weights([np.linspace(0.5, 2, 5).astype("float32")])
        l_layer.set_weights(k_layer.get_weights())
        check_against_keras(k_layer, l_layer, (3, 5))
    compare_configs(k_layer, l_layer)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"axis": [2, 1], "epsilon": 1e-5},
        {
            "gamma_initializer": "random_uniform",
            "beta_regularizer": "l1",
            "gamma_constraint": "max_norm",
            "center": False,
        },
    ],
)
def test_config_round_trips(kwargs):
    k_layer = keras.layers.LayerNormalization(**kwargs)
    l_layer = LayerNormalization(**kwargs)
    compare_configs(k_layer, l_layer)
    check_round_trip(
        LayerNormalization, keras.layers.LayerNormalization, l_layer
    )
    k_layer.build((2, 3, 4))
    l_layer.build((2, 3, 4))
    compare_configs(k_layer, l_layer)
    assert (
        LayerNormalization.from_config(k_layer.get_config()).get_config()[
            "axis"
        ]
        == k_layer.axis
    )


def test_weight_shapes_follow_axes():
    layer = LayerNormalization(axis=[1, 2, 3])
    layer.build((5, 20, 30, 40))
    assert [tuple(w.shape) for w in layer.weights] == [(20, 30, 40)] * 2
    assert layer.axis == [1, 2, 3]


def test_inputs_keep_their_dtype_and_output_is_compute_dtype():
    layer = LayerNormalization()
    x = torch.from_numpy(random_input((2, 5))).double()
    out = layer(x)
    assert out.dtype == torch.float32
    k_out = keras.layers.LayerNormalization()(x.numpy())
    np.testing.assert_allclose(
        to_numpy(out), to_numpy(k_out), rtol=1e-5, atol=1e-6
    )
    half = LayerNormalization(dtype="mixed_bfloat16")
    assert half(x.float()).dtype == torch.bfloat16


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (None, 4)),
        ({"axis": [-2, -1]}, (None, 3, 4)),
        ({}, (None, 5)),
    ],
)
def test_symbolic_shapes(kwargs, shape):
    compare_symbolic(
        lambda: keras.layers.LayerNormalization(**kwargs),
        lambda: LayerNormalization(**kwargs),
        shape,
    )


def test_mask_passes_through():
    x = torch.from_numpy(random_input((2, 3, 4)))
    x._keras_mask = torch.tensor([[True, False, True]] * 2)
    out = LayerNormalization()(x)
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_axis_out_of_range():
    with pytest.raises(
        ValueError,
        match=r"LayerNormalization.*axis 3 is "
        r"out of bounds.*input_shape=\(2, 3, 4\)",
    ):
        LayerNormalization(axis=[1, 3])(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="axis -3"):
        LayerNormalization(axis=-3)(lamina.Input((4,)))


def test_bad_axis_type_and_unknown_size():
    with pytest.raises(
        TypeError,
        match=r"`axis` of LayerNormalization.*"
        r"Received: axis=1.5",
    ):
        LayerNormalization(axis=1.5)
    with pytest.raises(ValueError, match=r"known size on axis 1"):
        LayerNormalization(axis=1)(lamina.Input((None, 3)))
    with pytest.raises(ValueError, match="duplicate axes"):
        LayerNormalization(axis=[1, -1])(torch.zeros(2, 3))
