import numpy as np
import pytest
import torch

from lamina import backend as K
from lamina import config
from lamina.engine.symbolic import SymbolicTensor
from tests.keras_oracle import keras
from tests.ops.helpers import assert_same
from tests.ops.helpers import rand

kops = keras.ops


def test_config_functions_and_backend_name():
    assert K.backend() == "torch"
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    assert K.image_data_format() == "channels_last"
    K.set_epsilon(1e-5)
    K.set_floatx("float64")
    K.set_image_data_format("channels_first")
    try:
        assert config.epsilon() == 1e-5 and config.floatx() == "float64"
        assert config.image_data_format() == "channels_first"
        assert K.constant(1.0).dtype == torch.float64
    finally:
        K.set_epsilon(1e-7)
        K.set_floatx("float32")
        K.set_image_data_format("channels_last")


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize(
    "name", ["mean", "sum", "max", "min", "prod", "std", "var"]
)
def test_reductions_match_keras_ops(name, axis, keepdims):
    x = rand((2, 3, 4))
    ours = getattr(K, name)(x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(
        ours.numpy(),
        getattr(np, name)(x, axis=axis, keepdims=keepdims),
        rtol=1e-5,
        atol=1e-5,
    )


def test_mean_of_booleans_is_a_float():
    assert K.mean(np.array([True, False, True, True])).item() == 0.75


@pytest.mark.parametrize(
    "name,reference",
    [
        ("abs", np.abs),
        ("square", np.square),
        ("exp", np.exp),
        ("tanh", np.tanh),
        ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ],
)
def test_elementwise_match_numpy(name, reference):
    x = rand((3, 4))
    np.testing.assert_allclose(
        getattr(K, name)(x).numpy(), reference(x), rtol=1e-5, atol=1e-6
    )


def test_sqrt_log_pow_clip():
    x = rand((3, 4))
    np.testing.assert_allclose(
        K.sqrt(x).numpy(), np.sqrt(np.maximum(x, 0)), rtol=1e-6
    )
    np.testing.assert_allclose(
        K.log(np.abs(x)).numpy(), np.log(np.abs(x)), rtol=1e-5
    )
    np.testing.assert_allclose(K.pow(x, 2).numpy(), x**2, rtol=1e-6)
    np.testing.assert_allclose(
        K.clip(x, -1.0, 0.5).numpy(), np.clip(x, -1.0, 0.5)
    )
    np.testing.assert_allclose(K.clip(x, None, 0.5).numpy(), np.minimum(x, 0.5))
    # Keras 2 raises max_value to min_value when they cross.
    assert K.clip([5.0], 2.0, 1.0).tolist() == [2.0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        dict(alpha=0.1),
        dict(max_value=1.0),
        dict(threshold=0.5, alpha=0.2),
        dict(threshold=-1.0, max_value=2.0),
    ],
)
def test_relu_follows_keras2(kwargs):
    x = rand((10,))
    alpha = kwargs.get("alpha", 0.0)
    threshold = kwargs.get("threshold", 0.0)
    expected = np.where(x >= threshold, x, alpha * (x - threshold))
    if "max_value" in kwargs:
        expected = np.minimum(expected, kwargs["max_value"])
    np.testing.assert_allclose(K.relu(x, **kwargs).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_and_l2_normalize(axis):
    x = rand((3, 4))
    assert_same(K.softmax(x, axis=axis), kops.softmax(x, axis=axis))
    norm = np.sqrt(np.maximum((x**2).sum(axis=axis, keepdims=True), 1e-12))
    np.testing.assert_allclose(
        K.l2_normalize(x, axis=axis).numpy(), x / norm, rtol=1e-5
    )
    np.testing.assert_allclose(
        K.l2_normalize(x).numpy(), x / np.sqrt((x**2).sum()), rtol=1e-5
    )


def test_shape_ops():
    x = rand((2, 3, 4))
    assert K.concatenate([x, x]).shape == (2, 3, 8)
    assert K.concatenate([x, x], axis=0).shape == (4, 3, 4)
    assert K.stack([x, x], axis=1).shape == (2, 2, 3, 4)
    assert K.reshape(x, (6, 4)).shape == (6, 4)
    assert K.permute_dimensions(x, (2, 0, 1)).shape == (4, 2, 3)
    assert K.expand_dims(x).shape == (2, 3, 4, 1)
    assert K.squeeze(K.expand_dims(x, 1), 1).shape == (2, 3, 4)
    assert K.flatten(x).shape == (24,)
    assert K.batch_flatten(x).shape == (2, 12)
    assert K.transpose(x).shape == (4, 3, 2)
    assert K.shape(x) == K.int_shape(x) == (2, 3, 4)
    assert K.ndim(x) == 3
    assert K.repeat_elements(x, 2, axis=1).shape == (2, 6, 4)
    assert K.tile(x, (1, 2, 1)).shape == (2, 6, 4)
    np.testing.assert_array_equal(K.gather(x, [1, 0]).numpy(), x[[1, 0]])


def test_int_shape_of_symbolic_tensor():
    sym = SymbolicTensor((None, 5))
    assert K.int_shape(sym) == (None, 5)
    assert K.is_keras_tensor(sym) and not K.is_keras_tensor(torch.ones(1))


@pytest.mark.parametrize(
    "xs,ys,axes",
    [
        ((4, 3), (4, 3), 1),
        ((4, 3), (4, 3, 2), None),
        ((4, 2, 3), (4, 3, 5), None),
        ((4, 2, 3), (4, 5, 3), (2, 2)),
        ((4, 3, 2), (4, 3), (1, 1)),
    ],
)
def test_batch_dot_matches_einsum(xs, ys, axes):
    x, y = rand(xs), rand(ys)
    out = K.batch_dot(x, y, axes=axes)
    ax = (
        axes
        if axes is not None
        else (x.ndim - 1, y.ndim - 2 if y.ndim > 2 else y.ndim - 1)
    )
    ax = (ax, ax) if isinstance(ax, int) else ax
    expected = np.stack(
        [np.tensordot(a, b, axes=(ax[0] - 1, ax[1] - 1)) for a, b in zip(x, y)]
    )
    if expected.ndim == 1:
        expected = expected[:, None]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_batch_dot_bad_axes_raise():
    with pytest.raises(ValueError, match=r"batch axis.*axes=\(0, 1\)"):
        K.batch_dot(np.ones((2, 3)), np.ones((2, 3)), axes=(0, 1))
    with pytest.raises(ValueError, match=r"rank >= 2.*x.shape=\(3,\)"):
        K.batch_dot(np.ones(3), np.ones((2, 3)))


def test_dot_cast_and_creation():
    x, y = rand((2, 3)), rand((3, 4))
    np.testing.assert_allclose(K.dot(x, y).numpy(), x @ y, rtol=1e-5)
    assert K.cast(x, "int32").dtype == torch.int32
    assert K.constant(2, shape=(2, 2)).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert K.constant([1, 2, 3, 4], shape=(2, 2)).shape == (2, 2)
    assert K.zeros((2,)).dtype == torch.float32
    assert K.ones((2,), dtype="int32").tolist() == [1, 1]
    assert K.zeros_like(x).shape == K.ones_like(x).shape == (2, 3)


def test_comparisons_and_indices():
    x = rand((3, 4))
    np.testing.assert_array_equal(K.maximum(x, 0).numpy(), np.maximum(x, 0))
    np.testing.assert_array_equal(K.minimum(x, 0).numpy(), np.minimum(x, 0))
    np.testing.assert_array_equal(K.equal(x, x).numpy(), np.ones((3, 4), bool))
    np.testing.assert_array_equal(K.argmax(x).numpy(), np.argmax(x, -1))
    np.testing.assert_array_equal(K.argmin(x).numpy(), np.argmin(x, -1))
    np.testing.assert_allclose(K.cumsum(x).numpy(), np.cumsum(x, 0), rtol=1e-6)


def test_switch():
    x = rand((3, 4))
    out = K.switch(x > 0, x, lambda: -x)
    np.testing.assert_array_equal(out.numpy(), np.abs(x))
    row = K.switch(np.array([True, False, True]), x, np.zeros_like(x))
    np.testing.assert_array_equal(row.numpy()[1], np.zeros(4))
    assert K.switch(True, lambda: 1.0, lambda: 2.0).item() == 1.0


def test_dropout_keeps_expectation_and_is_seeded():
    x = np.ones((200, 50), "float32")
    a, b = K.dropout(x, 0.5, seed=3), K.dropout(x, 0.5, seed=3)
    assert torch.equal(a, b)
    assert set(np.unique(a.numpy())) <= {0.0, 2.0}
    assert abs(a.mean().item() - 1.0) < 0.05
    shared = K.dropout(x, 0.5, noise_shape=(1, 50), seed=1)
    assert (shared.numpy() == shared.numpy()[0]).all()
    with pytest.raises(ValueError, match=r"level=1.5"):
        K.dropout(x, 1.5)


def test_random_samplers_are_seeded_and_shaped():
    n1 = K.random_normal((2000,), mean=1.0, stddev=2.0, seed=5)
    assert torch.equal(
        n1, K.random_normal((2000,), mean=1.0, stddev=2.0, seed=5)
    )
    assert abs(n1.mean().item() - 1.0) < 0.2 and abs(n1.std().item() - 2) < 0.2
    u = K.random_uniform(
        (1000,), minval=-1.0, maxval=3.0, seed=5, dtype="float64"
    )
    assert u.dtype == torch.float64
    assert -1.0 <= u.min().item() and u.max().item() < 3.0


def test_clear_session_resets_names():
    from lamina.engine import naming

    naming.auto_name("thing")
    K.clear_session()
    assert naming.auto_name("thing") == "thing"


def test_backend_functions_record_graph_nodes_on_symbolic_inputs():
    sym = SymbolicTensor((None, 3, 4))
    out = K.batch_dot(sym, K.permute_dimensions(sym, (0, 2, 1)))
    assert isinstance(out, SymbolicTensor) and out.shape == (None, 3, 3)
    assert K.mean(sym, axis=1).shape == (None, 4)
