"""Differential checks of a lamina convolution layer against Keras 3.

One call checks, for one argument combination: weight shapes in Keras's
layout, weights copied Keras -> lamina (and read back unchanged), outputs,
the gradients of a weighted sum of the outputs with respect to the input
and every weight, configs (equal, and round-tripping both ways), the
symbolic output shape in a functional model, and use in a `Sequential`.
"""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import assert_close
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input

RTOL = 1e-5
ATOL = 2e-5


def lamina_weight_grads(layer):
    """Gradients of every weight, in Keras's order (each has the shape of
    its weight, which is Keras's)."""
    grads = [w.grad for w in layer.weights]
    for w, g in zip(layer.weights, grads):
        assert g.shape == w.shape
    return [g.numpy() for g in grads]


def build_pair(name, lamina_cls, kwargs, input_shape):
    """Both layers built on `input_shape`, Keras's weights copied over."""
    k_layer = getattr(keras.layers, name)(**kwargs)
    m_layer = lamina_cls(**kwargs)
    k_layer.build(input_shape)
    m_layer.build(input_shape)
    k_weights = [to_numpy(w) for w in k_layer.get_weights()]
    assert [w.shape for w in m_layer.get_weights()] == [
        w.shape for w in k_weights
    ]
    m_layer.set_weights(k_weights)
    for ours, theirs in zip(m_layer.get_weights(), k_weights):
        np.testing.assert_array_equal(ours, theirs)
    return k_layer, m_layer


def compare_forward_backward(k_layer, m_layer, x, rtol=RTOL, atol=ATOL):
    """Outputs, input gradient and weight gradients of both layers."""
    xk = torch.tensor(x, requires_grad=True)
    xm = torch.tensor(x, requires_grad=True)
    yk, ym = k_layer(xk), m_layer(xm)
    assert_close(ym, yk, rtol, atol)
    cotangent = torch.from_numpy(random_input(tuple(yk.shape), seed=7))
    (yk * cotangent).sum().backward()
    (ym * cotangent).sum().backward()
    assert_close(xm.grad, xk.grad, rtol, atol)
    k_grads = [w.value.grad for w in k_layer.weights]
    for ours, theirs in zip(lamina_weight_grads(m_layer), k_grads):
        np.testing.assert_allclose(
            ours, to_numpy(theirs), rtol=rtol, atol=atol * 10
        )
    return ym


def check_sequential(name, lamina_cls, kwargs, x, expected, rtol, atol):
    """The layer first in a `Sequential` given `input_shape`."""
    model = lamina.Sequential([lamina_cls(input_shape=x.shape[1:], **kwargs)])
    assert tuple(model.output_shape) == (None,) + tuple(expected.shape[1:])
    k_model = keras.Sequential(
        [keras.Input(x.shape[1:]), getattr(keras.layers, name)(**kwargs)]
    )
    model.set_weights(k_model.get_weights())
    assert_close(model(torch.from_numpy(x)), k_model(x), rtol, atol)


def conv_parity(
    name,
    lamina_cls,
    kwargs,
    input_shape,
    symbolic=(),
    rtol=RTOL,
    atol=ATOL,
    seed=0,
):
    """Every differential check for one argument combination."""
    x = random_input(input_shape, seed)
    k_layer, m_layer = build_pair(name, lamina_cls, kwargs, input_shape)
    out = compare_forward_backward(k_layer, m_layer, x, rtol, atol)
    compare_configs(k_layer, m_layer)
    check_round_trip(lamina_cls, getattr(keras.layers, name), m_layer)
    keras_cls = getattr(keras.layers, name)
    for shape in (tuple(input_shape[1:]),) + tuple(symbolic):
        compare_symbolic(
            lambda: keras_cls(**kwargs), lambda: lamina_cls(**kwargs), shape
        )
    check_sequential(name, lamina_cls, kwargs, x, out, rtol, atol)
