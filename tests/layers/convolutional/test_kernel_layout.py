"""Convolution kernels keep Keras's shape and values but torch's memory
order (`KernelLayout.torch_memory`): torch's convolutions get them without
a copy, and every way of changing a kernel (`set_weights`, `assign`, an
optimizer step, `load_state_dict`) is seen by the next call, in Keras's
numbers, with the memory order kept."""

import copy
import io

import numpy as np
import pytest
import torch
from torch.profiler import ProfilerActivity
from torch.profiler import profile

import lamina
from lamina.layers.convolutional.kernel_layout import KernelLayout
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import assert_close
from tests.layers.parity import random_input

CASES = [
    ("Conv2D", {"filters": 6, "kernel_size": 3}, (2, 7, 6, 4)),
    (
        "Conv2D",
        {"filters": 6, "kernel_size": (3, 2), "data_format": "channels_first"},
        (2, 4, 7, 6),
    ),
    ("Conv1D", {"filters": 5, "kernel_size": 3, "strides": 2}, (2, 9, 3)),
    ("Conv3D", {"filters": 4, "kernel_size": 2}, (2, 4, 3, 5, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3}, (2, 5, 4, 3)),
    (
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 2},
        (2, 6, 6, 3),
    ),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3}, (2, 6, 6, 3)),
]


def _format(layer, kernel):
    """The memory format torch's convolution asks of `kernel` next to this
    layer's inputs."""
    if layer.data_format == "channels_first":
        return torch.contiguous_format
    return torch.channels_last_3d if kernel.ndim == 5 else torch.channels_last


def _assert_torch_memory(layer):
    for attr in layer._layouts:
        stored = getattr(layer, attr)
        kernel = layer._torch_kernel(attr)
        assert kernel.is_contiguous(memory_format=_format(layer, kernel)), (
            attr,
            kernel.stride(),
        )
        assert kernel.data_ptr() == stored.data_ptr()  # a view, no copy


def _pair(name, kwargs, shape):
    k_layer = getattr(keras.layers, name)(**kwargs)
    m_layer = getattr(lamina.layers, name)(**kwargs)
    k_layer.build(shape)
    m_layer.build(shape)
    m_layer.set_weights(k_layer.get_weights())
    return k_layer, m_layer


def _outputs_agree(k_layer, m_layer, shape, weight_atol=0.0):
    x = random_input(shape, seed=3)
    assert_close(m_layer(torch.from_numpy(x)), k_layer(x), atol=2e-5)
    for ours, theirs in zip(m_layer.get_weights(), k_layer.get_weights()):
        np.testing.assert_allclose(ours, to_numpy(theirs), atol=weight_atol)
        assert ours.flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_kernel_has_keras_shape_and_torch_memory(name, kwargs, shape):
    k_layer, m_layer = _pair(name, kwargs, shape)
    for ours, theirs in zip(m_layer.weights, k_layer.weights):
        assert tuple(ours.shape) == tuple(theirs.shape)
    _assert_torch_memory(m_layer)
    _outputs_agree(k_layer, m_layer, shape)


def _new_weights(layer, seed):
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal(w.shape).astype("float32") * 0.3
        for w in layer.get_weights()
    ]


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_set_weights_and_assign_reach_the_next_call(name, kwargs, shape):
    k_layer, m_layer = _pair(name, kwargs, shape)
    m_layer(torch.from_numpy(random_input(shape)))  # a first call
    new = _new_weights(k_layer, seed=1)
    k_layer.set_weights(new)
    m_layer.set_weights(new)
    _assert_torch_memory(m_layer)
    _outputs_agree(k_layer, m_layer, shape)
    for k_var, m_var, value in zip(
        k_layer.weights, m_layer.weights, _new_weights(k_layer, seed=2)
    ):
        k_var.assign(value)
        m_var.assign(value)
    _assert_torch_memory(m_layer)
    _outputs_agree(k_layer, m_layer, shape)


@pytest.mark.parametrize("name,kwargs,shape", CASES[:5])
def test_optimizer_step_reaches_the_next_call(name, kwargs, shape):
    k_layer, m_layer = _pair(name, kwargs, shape)
    x = random_input(shape, seed=4)
    m_x = torch.from_numpy(x)
    m_layer(m_x).square().sum().backward()
    for w in m_layer.weights:  # the gradient keeps the weight's memory
        assert w.grad.stride() == w.stride(), (w.path, w.grad.stride())
    grads = [w.grad.detach().contiguous() for w in m_layer.weights]
    k_opt = keras.optimizers.Adam(0.1)
    m_opt = lamina.optimizers.Adam(0.1)
    for _ in range(2):
        k_opt.apply_gradients(zip(grads, k_layer.trainable_weights))
        m_opt.apply_gradients(zip(grads, m_layer.weights))
    _assert_torch_memory(m_layer)
    # The two Adams round differently (last bits of float32).
    _outputs_agree(k_layer, m_layer, shape, weight_atol=1e-6)


def test_load_state_dict_and_copies_keep_values_and_memory():
    k_layer, m_layer = _pair("Conv2D", CASES[0][1], CASES[0][2])
    other = lamina.layers.Conv2D(**CASES[0][1])
    other.build(CASES[0][2])
    # A state dict of contiguous (Keras-ordered) tensors, as another
    # library would write it.
    state = {
        k: torch.from_numpy(v)
        for k, v in zip(("kernel", "bias"), _new_weights(k_layer, seed=5))
    }
    m_layer.load_state_dict(state)
    k_layer.set_weights([state["kernel"].numpy(), state["bias"].numpy()])
    _assert_torch_memory(m_layer)
    _outputs_agree(k_layer, m_layer, CASES[0][2])
    buffer = io.BytesIO()
    torch.save(m_layer.state_dict(), buffer)
    buffer.seek(0)
    other.load_state_dict(torch.load(buffer))
    for layer in (other, copy.deepcopy(m_layer)):
        _assert_torch_memory(layer)
        _outputs_agree(k_layer, layer, CASES[0][2])


def _kernel_copies(run, kernel_shape):
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        run()
    return sum(
        1
        for e in p.events()
        if e.name == "aten::copy_"
        and e.input_shapes
        and tuple(e.input_shapes[0]) == kernel_shape
    )


def test_training_step_copies_the_kernel_no_more_than_torch():
    layer = lamina.layers.Conv2D(16, 3)
    x = torch.randn(2, 9, 9, 8, requires_grad=True)
    layer(x)
    native = torch.nn.Parameter(
        torch.randn(16, 8, 3, 3).contiguous(memory_format=torch.channels_last)
    )
    x_nchw = x.detach().permute(0, 3, 1, 2).requires_grad_()

    def ours():
        layer(x).sum().backward()

    def theirs():
        torch.nn.functional.conv2d(x_nchw, native).sum().backward()

    ours(), theirs()  # warm-up
    with torch.no_grad():
        assert _kernel_copies(lambda: layer(x), (16, 8, 3, 3)) == 0
    assert _kernel_copies(ours, (16, 8, 3, 3)) <= _kernel_copies(
        theirs, (16, 8, 3, 3)
    )


def test_torch_memory_of_a_keras_ordered_kernel():
    layout = KernelLayout((2, 3, 4, 5))
    w = torch.arange(120.0).reshape(2, 3, 4, 5)
    first = layout.torch_memory(w, channels_last=False)
    last = layout.torch_memory(w, channels_last=True)
    for stored in (first, last):
        assert torch.equal(stored, w)
    assert layout.to_torch(first).is_contiguous()
    assert layout.to_torch(last).is_contiguous(
        memory_format=torch.channels_last
    )
    # `(out, kh, kw, in)` in memory: the input channel moves fastest.
    assert last.stride() == (3 * 4, 4, 1, 2 * 3 * 4)
