"""`remat` and `RematScope`: which layers are rematerialized (as Keras
decides), that their activations are recomputed in the backward pass,
and that gradients do not change."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


class Counting(lamina.layers.Dense):
    """A Dense layer counting its forward computations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def call(self, inputs):
        self.calls += 1
        return super().call(inputs)


def _grads(scope_kwargs, units=4, batch=3):
    if scope_kwargs is None:
        layer = Counting(units, name="target")
    else:
        with lamina.RematScope(**scope_kwargs):
            layer = Counting(units, name="target")
    layer.build((None, 5))
    rng = np.random.default_rng(0)
    layer.set_weights(
        [rng.standard_normal(w.shape).astype("float32") for w in layer.weights]
    )
    x = torch.ones(batch, 5, requires_grad=True)
    layer(x).square().sum().backward()
    return layer.calls, x.grad, [w.grad for w in layer.weights]


@pytest.mark.parametrize(
    "scope_kwargs,calls_expected",
    [
        # forward, plus one recomputation in backward when rematerialized;
        # "larger_than" also traces `call` once to size the (3, 4) output.
        ({"mode": "full"}, 2),
        ({"mode": "list_of_layers", "layer_names": ["target"]}, 2),
        ({"mode": "list_of_layers", "layer_names": ["other"]}, 1),
        ({"mode": "larger_than", "output_size_threshold": 11}, 3),
        ({"mode": "larger_than", "output_size_threshold": 12}, 2),
        ({"mode": None}, 1),
    ],
)
def test_modes_recompute_and_keep_gradients(scope_kwargs, calls_expected):
    calls, x_grad, w_grads = _grads(scope_kwargs)
    base_calls, base_x, base_w = _grads(None)
    assert base_calls == 1
    assert calls == calls_expected
    torch.testing.assert_close(x_grad, base_x)
    for a, b in zip(w_grads, base_w):
        torch.testing.assert_close(a, b)


def test_activations_mode_recomputes_the_activation_only():
    seen = []

    def activation(x):
        seen.append(1)
        return torch.tanh(x)

    with lamina.RematScope(mode="activations"):
        layer = Counting(4, activation=activation)
    x = torch.ones(2, 3, requires_grad=True)
    layer(x).sum().backward()
    assert layer.calls == 1 and len(seen) == 2
    assert layer.activation is activation


def test_mode_is_taken_at_creation_as_in_keras():
    for lib in (lamina, keras):
        with lib.RematScope(mode="full"):
            inside = lib.layers.Dense(2)
            with lib.RematScope(mode="larger_than", output_size_threshold=7):
                nested = lib.layers.Dense(2)
        outside = lib.layers.Dense(2)
        assert inside._remat_mode.mode == "full"
        assert nested._remat_mode.output_size_threshold == 7
        assert outside._remat_mode is None


def test_no_recompute_without_gradients():
    with lamina.RematScope():
        layer = Counting(2)
    with torch.no_grad():
        layer(torch.ones(1, 2))
    assert layer.calls == 1


def test_remat_function_like_keras():
    x = np.linspace(-1, 1, 5).astype("float32")
    ours = torch.tensor(x, requires_grad=True)
    lamina.remat(lambda t: torch.sin(t) * t)(ours).sum().backward()
    theirs = torch.tensor(x, requires_grad=True)
    keras.remat(lambda t: torch.sin(t) * t)(theirs).sum().backward()
    torch.testing.assert_close(ours.grad, theirs.grad)


def test_bad_mode_like_keras():
    for lib in (lamina, keras):
        with pytest.raises(ValueError, match="Invalid mode 'sometimes'"):
            lib.RematScope(mode="sometimes")
