"""What every convolution layer shares (through `ConvCore`/`BaseConv`):
argument and input errors, Keras layout at the boundary (initializers,
constraints, regularizers, weight files)."""

import math
import os

import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

import lamina
from lamina.layers.convolutional.conv1d import Conv1D
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.conv3d import Conv3D
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import assert_close
from tests.layers.parity import random_input


# -- bad arguments ----------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"kernel_size": 0}, r"Conv2D.*kernel_size=0"),
        ({"kernel_size": (3, -1)}, r"Conv2D.*kernel_size=\(3, -1\)"),
        ({"kernel_size": (3, 3, 3)}, r"kernel_size=\(3, 3, 3\)"),
        ({"kernel_size": 3, "strides": 0}, r"Conv2D.*strides=0"),
        ({"kernel_size": 3, "strides": (-1, 1)}, r"strides=\(-1, 1\)"),
        ({"kernel_size": 3, "dilation_rate": 0}, r"dilation_rate=0"),
        (
            {"kernel_size": 3, "strides": 2, "dilation_rate": 2},
            r"Conv2D.*strides=\(2, 2\), dilation_rate=\(2, 2\)",
        ),
        (
            {"kernel_size": 3, "padding": "causal"},
            r"Conv2D.*causal.*Received: padding='causal'",
        ),
        ({"kernel_size": 3, "padding": "full"}, r"padding='full'"),
        ({"kernel_size": 3, "groups": 3}, r"Conv2D.*filters=4, groups=3"),
        ({"kernel_size": 3, "groups": 0}, r"Conv2D.*groups=0"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Conv2D(4, **kwargs)


@pytest.mark.parametrize("filters", [0, -2, 2.5, None])
def test_bad_filters(filters):
    with pytest.raises(ValueError, match=r"`filters` of Conv1D.*Received"):
        Conv1D(filters, 3)


def test_causal_padding_rejected_in_3d():
    with pytest.raises(ValueError, match=r"Conv3D.*padding='causal'"):
        Conv3D(2, 3, padding="causal")


# -- bad inputs -------------------------------------------------------------


def test_kernel_larger_than_input_at_build():
    with pytest.raises(
        ValueError,
        match=r"'conv_big'.*Conv2D.*"
        r"input_shape=\(1, 3, 4, 1\).*kernel_size=\(5, 2\)",
    ):
        Conv2D(2, (5, 2), name="conv_big")(torch.zeros(1, 3, 4, 1))


def test_kernel_larger_than_input_symbolic():
    with pytest.raises(ValueError, match=r"input_shape=\(None, 3, 3, 1\)"):
        Conv2D(2, 4)(lamina.Input((3, 3, 1)))


def test_kernel_larger_than_input_at_call():
    # Built for unknown sizes, then called on a too small input.
    layer = Conv2D(2, 3, dilation_rate=2, data_format="channels_first")
    layer.build((None, 1, None, None))
    with pytest.raises(
        ValueError,
        match=r"input_shape=\(2, 1, 8, 4\).*"
        r"dilation_rate=\(2, 2\)",
    ):
        layer(torch.zeros(2, 1, 8, 4))


def test_wrong_rank():
    with pytest.raises(
        ValueError,
        match=r"Conv2D.*expected ndim=4.*"
        r"\(2, 5, 5\)",
    ):
        Conv2D(2, 3)(torch.zeros(2, 5, 5))


def test_channel_count_must_match_the_kernel():
    layer = Conv2D(2, 3)
    layer(torch.zeros(1, 5, 5, 3))
    with pytest.raises(
        ValueError,
        match=r"axis -1 .* value 3.*"
        r"\(1, 5, 5, 4\)",
    ):
        layer(torch.zeros(1, 5, 5, 4))


def test_groups_must_divide_input_channels():
    with pytest.raises(
        ValueError,
        match=r"Conv1D.*input channels \(5\).*"
        r"groups=2",
    ):
        Conv1D(4, 3, groups=2)(torch.zeros(1, 7, 5))


def test_unknown_channels():
    layer = Conv2D(2, 3, data_format="channels_first")
    with pytest.raises(
        ValueError,
        match=r"known channel dimension.*"
        r"\(None, None, 5, 5\)",
    ):
        layer.build((None, None, 5, 5))


# -- Keras's layout in the stored weight ------------------------------------


def test_kernel_stored_in_keras_layout():
    layer = Conv2D(5, (2, 3), groups=1)
    layer.build((None, 6, 7, 4))
    assert tuple(layer.kernel.shape) == (2, 3, 4, 5)
    assert layer.get_weights()[0].shape == (2, 3, 4, 5)
    assert layer.count_params() == 2 * 3 * 4 * 5 + 5


def test_initializer_sees_keras_shape():
    seen = []

    def arange(shape, dtype=None):
        seen.append(tuple(shape))
        return torch.arange(math.prod(shape), dtype=torch.float32).reshape(
            shape
        )

    layer = Conv2D(3, (2, 4), kernel_initializer=arange)
    layer.build((None, 5, 5, 2))
    assert seen == [(2, 4, 2, 3)]
    np.testing.assert_array_equal(
        layer.get_weights()[0], np.arange(48.0).reshape(2, 4, 2, 3)
    )


def test_glorot_uses_keras_fans():
    # Keras's fans: 3*3*2 in, 3*3*64 out. Torch's layout read as Keras's
    # would give a visibly smaller limit.
    layer = Conv2D(64, 3)
    layer.build((None, 8, 8, 2))
    limit = math.sqrt(6.0 / (18 + 576))
    kernel = layer.kernel.detach().abs()
    assert float(kernel.max()) <= limit
    assert float(kernel.max()) > 0.95 * limit


def test_reset_parameters_redraws_in_keras_shape():
    layer = Conv2D(3, 2, kernel_initializer="ones", bias_initializer="ones")
    layer.build((None, 4, 4, 2))
    with torch.no_grad():
        layer.kernel.zero_()
    layer.reset_parameters()
    assert layer.get_weights()[0].shape == (2, 2, 2, 3)
    assert np.all(layer.get_weights()[0] == 1.0)


def test_constraint_applied_in_keras_layout():
    constraint = lamina.constraints.MaxNorm(0.3, axis=[0, 1, 2])
    layer = Conv2D(4, 3, kernel_constraint=constraint)
    layer.build((None, 5, 5, 3))
    weights = [w * 5 for w in layer.get_weights()]
    layer.set_weights(weights)
    expected = to_numpy(
        keras.constraints.MaxNorm(0.3, axis=[0, 1, 2])(
            torch.from_numpy(weights[0])
        )
    )
    # The optimizer's path: `variable.constraint` on the stored weight.
    projected = layer.kernel.constraint(layer.kernel.detach())
    assert projected.shape == layer.kernel.shape
    np.testing.assert_allclose(projected.numpy(), expected, rtol=1e-6)
    layer.apply_constraints()
    np.testing.assert_allclose(layer.get_weights()[0], expected, rtol=1e-6)


def test_fit_applies_the_constraint_like_keras():
    x = random_input((8, 5, 5, 2))
    y = random_input((8, 3, 3, 4), seed=1)

    def kwargs(lib):
        return dict(
            kernel_constraint=lib.constraints.MaxNorm(0.2, axis=[0, 1, 2]),
            kernel_regularizer=lib.regularizers.L2(0.1),
        )

    k = keras.Sequential(
        [keras.Input((5, 5, 2)), keras.layers.Conv2D(4, 3, **kwargs(keras))]
    )
    m = lamina.Sequential(
        [lamina.Input((5, 5, 2)), Conv2D(4, 3, **kwargs(lamina))]
    )
    m.set_weights(k.get_weights())
    for model, lib in ((k, keras), (m, lamina)):
        model.compile(optimizer=lib.optimizers.SGD(0.5), loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for ours, theirs in zip(m.get_weights(), k.get_weights()):
        np.testing.assert_allclose(ours, to_numpy(theirs), rtol=1e-5, atol=1e-6)


def test_regularizers_see_keras_layout():
    def first_row(w):
        # Layout-dependent on purpose: Keras's axis 0 is the kernel row.
        return torch.sum(w[0] ** 2)

    k = keras.layers.Conv2D(
        3, 2, kernel_regularizer=first_row, bias_regularizer="l1"
    )
    m = Conv2D(3, 2, kernel_regularizer=first_row, bias_regularizer="l1")
    k.build((None, 4, 4, 2))
    m.build((None, 4, 4, 2))
    weights = [w + 0.5 for w in k.get_weights()]
    k.set_weights(weights)
    m.set_weights(weights)
    ours = [float(loss.detach()) for loss in m.losses]
    theirs = [float(to_numpy(loss)) for loss in k.losses]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_activity_regularizer_matches_keras():
    x = random_input((2, 5, 4, 2))
    k = keras.layers.Conv2D(3, 2, activity_regularizer="l2")
    m = Conv2D(3, 2, activity_regularizer="l2")
    k(x)
    m.build(x.shape)
    m.set_weights(k.get_weights())
    k(x)
    m(torch.from_numpy(x))
    np.testing.assert_allclose(
        float(m.losses[0].detach()), float(to_numpy(k.losses[0])), rtol=1e-5
    )


@pytest.mark.parametrize("direction", ["lamina_to_keras", "keras_to_lamina"])
def test_weights_file_interchange(tmp_path, direction):
    def layers(lib):
        return [
            lib.Input((7, 6, 3)),
            lib.layers.Conv2D(
                4, 3, padding="same", strides=2, activation="relu"
            ),
            lib.layers.Conv2D(4, (2, 3), groups=2),
            lib.layers.DepthwiseConv2D(2, padding="same", depth_multiplier=2),
            lib.layers.SeparableConv2D(
                3, 2, padding="same", depth_multiplier=2
            ),
            lib.layers.Conv2DTranspose(2, 3, strides=2, padding="same"),
        ]

    m = lamina.Sequential(layers(lamina))
    k = keras.Sequential(layers(keras))
    path = os.fspath(tmp_path / "conv.weights.h5")
    if direction == "lamina_to_keras":
        m.save_weights(path)
        k.load_weights(path)
    else:
        k.save_weights(path)
        m.load_weights(path)
    x = random_input((2, 7, 6, 3))
    assert_close(m(torch.from_numpy(x)), k(x), atol=1e-5)


def test_mixed_precision_policy():
    layer = Conv2D(2, 3, dtype="mixed_bfloat16")
    y = layer(torch.randn(1, 5, 5, 2))
    assert y.dtype == torch.bfloat16
    assert layer.kernel.dtype == torch.float32


def test_padding_name_is_case_insensitive():
    layer = Conv2D(2, 3, padding="SAME")
    assert layer.padding == keras.layers.Conv2D(2, 3, padding="SAME").padding
    assert layer.get_config()["padding"] == "same"


def test_same_strided_padding_follows_each_input_size():
    # With strides > 1, Keras's "same" padding depends on the length.
    k = keras.layers.Conv2D(2, 3, strides=2, padding="same")
    m = Conv2D(2, 3, strides=2, padding="same")
    k.build((None, None, None, 2))
    m.build((None, None, None, 2))
    m.set_weights(k.get_weights())
    for shape in [(1, 7, 8, 2), (1, 8, 7, 2), (1, 5, 6, 2), (1, 7, 8, 2)]:
        x = random_input(shape)
        assert_close(m(torch.from_numpy(x)), k(x), atol=1e-5)


class _OpLog(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(func.__name__)
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize(
    "layer,shape",
    [
        (Conv2D(4, 3, padding="same"), (2, 6, 5, 3)),
        (Conv1D(4, 3, strides=2), (2, 9, 3)),
        (Conv3D(4, 2), (2, 4, 3, 5, 3)),
        (lamina.layers.DepthwiseConv2D(3, depth_multiplier=2), (2, 6, 6, 3)),
        (lamina.layers.SeparableConv1D(4, 3, padding="same"), (2, 8, 3)),
        (lamina.layers.Conv2DTranspose(4, 3, strides=2), (2, 5, 4, 3)),
    ],
)
def test_channels_last_forward_copies_nothing(layer, shape):
    x = torch.randn(shape)
    layer(x)
    with _OpLog() as log:
        y = layer(x)
    assert not {"copy_", "clone", "contiguous", "_to_copy"} & set(
        op.split(".")[0] for op in log.ops
    ), log.ops
    # Torch's output comes back in channels-last memory: NHWC-contiguous.
    assert y.is_contiguous()
