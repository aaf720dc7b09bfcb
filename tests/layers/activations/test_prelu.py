import numpy as np
import pytest
import torch

import lamina
from lamina.layers.activations.prelu import PReLU
from tests.keras_oracle import keras
from tests.layers.parity import assert_close
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_outputs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input

CASES = [
    ({"alpha_initializer": "random_uniform"}, (2, 3, 4)),
    ({"alpha_initializer": "ones", "shared_axes": [1]}, (2, 3, 4)),
    (
        {"alpha_initializer": "random_normal", "shared_axes": (1, 2)},
        (2, 3, 4, 5),
    ),
    (
        {
            "shared_axes": 2,
            "alpha_regularizer": "l2",
            "alpha_constraint": "non_neg",
        },
        (2, 3, 4),
    ),
]


@pytest.mark.parametrize("kwargs, shape", CASES)
def test_parity(kwargs, shape):
    x = random_input(shape)
    k_layer, layer = keras.layers.PReLU(**kwargs), PReLU(**kwargs)
    compare_outputs(k_layer, layer, x)
    assert [w.shape for w in layer.get_weights()] == [
        tuple(w.shape) for w in k_layer.get_weights()
    ]
    assert [name for name, _ in layer.named_parameters()] == ["alpha"]
    compare_configs(k_layer, layer)
    check_round_trip(PReLU, keras.layers.PReLU, layer)


@pytest.mark.parametrize("kwargs, shape", CASES)
def test_symbolic(kwargs, shape):
    symbolic = list(shape[1:])
    for axis in (
        kwargs.get("shared_axes", ())
        if isinstance(kwargs.get("shared_axes"), (list, tuple))
        else ()
    ):
        symbolic[axis - 1] = None  # shared axes may be unknown
    compare_symbolic(
        lambda: keras.layers.PReLU(**kwargs),
        lambda: PReLU(**kwargs),
        tuple(symbolic),
    )


def test_gradient_reaches_alpha_and_regularizer_loss():
    layer = PReLU(alpha_initializer="ones", alpha_regularizer="l2")
    y = layer(-torch.ones(2, 3))
    y.sum().backward()
    assert layer.alpha.grad is not None
    np.testing.assert_allclose(float(layer.losses[0].detach()), 0.01 * 3)


def test_sequential_with_input_shape():
    model = lamina.Sequential([PReLU(shared_axes=[1], input_shape=(4, 3))])
    assert model.output_shape == (None, 4, 3)
    assert model.layers[0].get_weights()[0].shape == (1, 3)


def test_input_spec_after_build():
    layer = PReLU(shared_axes=[1])
    layer(torch.zeros(2, 3, 4))
    layer(torch.zeros(2, 7, 4))  # shared axis: any size
    with pytest.raises(ValueError, match="expected axis 2"):
        layer(torch.zeros(2, 3, 5))


@pytest.mark.parametrize(
    "shared_axes, shape",
    [
        ([0], (None, 3)),
        ([3], (None, 3, 4)),
        (None, (None, None, 4)),
    ],
)
def test_bad_shared_axes_or_unknown_dims(shared_axes, shape):
    with pytest.raises(ValueError, match=r"'p' \(PReLU\).*shared_axes"):
        PReLU(shared_axes=shared_axes, name="p")(lamina.Input(shape[1:]))


def test_mixed_sign_values():
    x = torch.tensor([[-2.0, 0.0, 3.0]])
    layer = PReLU(alpha_initializer=lamina.initializers.Constant(0.25))
    assert_close(layer(x), np.array([[-0.5, 0.0, 3.0]], "float32"))
