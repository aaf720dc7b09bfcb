"""Adam against Keras 3, on the fused kernel and on the foreach path."""

from unittest import mock

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "amsgrad": True},
    {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.1, "weight_decay": 0.2},
    {"learning_rate": 0.1, "clipnorm": 0.5, "amsgrad": True},
]


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config, fused):
    check_parity("Adam", config, fused=fused)


def test_takes_the_fused_kernel_on_cpu():
    with mock.patch.object(
        torch, "_fused_adam_", wraps=torch._fused_adam_
    ) as fused:
        check_parity("Adam", {"learning_rate": 0.1}, steps=3)
    assert fused.call_count == 3


def test_non_contiguous_gradient_uses_foreach_and_stays_exact():
    w = np.arange(6, dtype="float32").reshape(2, 3)
    g = np.linspace(-1, 1, 6, dtype="float32").reshape(3, 2)
    kv = keras.Variable(w)
    lv = torch.nn.Parameter(torch.tensor(w))
    kopt = keras.optimizers.Adam(0.1)
    lopt = lamina.optimizers.Adam(0.1)
    with mock.patch.object(torch, "_fused_adam_") as fused:
        for _ in range(3):
            grad = torch.tensor(g).t()  # a transposed, non-contiguous view
            kopt.apply([grad], [kv])
            lopt.apply([grad], [lv])
    assert fused.call_count == 0
    np.testing.assert_allclose(
        lv.detach().numpy(), kv.numpy(), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("amsgrad", [False, True])
def test_permuted_weight_takes_the_fused_kernel_and_stays_exact(amsgrad):
    """A weight kept in another memory order than its shape's (as
    convolution kernels are), with a gradient laid out like it: the fused
    kernel runs on it, with Keras's numbers."""
    rng = np.random.default_rng(3)
    w = rng.normal(size=(3, 3, 2, 4)).astype("float32")
    # Keras's shape (kh, kw, in, out), torch's order (out, in, kh, kw).
    stored = torch.tensor(w).permute(3, 2, 0, 1).contiguous()
    lv = torch.nn.Parameter(stored.permute(2, 3, 1, 0))
    assert not lv.is_contiguous()
    kv = keras.Variable(w)
    kopt = keras.optimizers.Adam(0.1, amsgrad=amsgrad)
    lopt = lamina.optimizers.Adam(0.1, amsgrad=amsgrad)
    with mock.patch.object(
        torch, "_fused_adam_", wraps=torch._fused_adam_
    ) as fused:
        for _ in range(3):
            g = rng.normal(size=w.shape).astype("float32")
            grad = torch.tensor(g).permute(3, 2, 0, 1).contiguous()
            grad = grad.permute(2, 3, 1, 0)
            kopt.apply([torch.tensor(g)], [kv])
            lopt.apply([grad], [lv])
    assert fused.call_count == 3
    assert lv.stride() == stored.permute(2, 3, 1, 0).stride()
    np.testing.assert_allclose(
        lv.detach().numpy(), kv.numpy(), rtol=1e-5, atol=1e-6
    )


def test_conv_model_takes_the_fused_kernel():
    model = lamina.Sequential(
        [
            lamina.Input((6, 6, 2)),
            lamina.layers.Conv2D(3, 3),
            lamina.layers.Flatten(),
            lamina.layers.Dense(2),
        ]
    )
    model.compile(lamina.optimizers.Adam(0.01), "mse")
    x = np.random.default_rng(0).random((4, 6, 6, 2)).astype("float32")
    y = np.zeros((4, 2), "float32")
    assert not model.layers[0].kernel.is_contiguous()
    with mock.patch.object(
        torch, "_fused_adam_", wraps=torch._fused_adam_
    ) as fused:
        model.fit(x, y, batch_size=2, verbose=0)
    assert fused.call_count == 2


def test_does_not_modify_the_gradients():
    p = torch.nn.Parameter(torch.ones(4))
    g = torch.linspace(-1, 1, 4)
    before = g.clone()
    opt = lamina.optimizers.Adam(0.1, clipnorm=0.1)
    opt.apply([g], [p])
    torch.testing.assert_close(g, before)


def test_config_matches_keras():
    config = {
        "learning_rate": 0.01,
        "beta_1": 0.8,
        "amsgrad": True,
        "name": "adam_test",
    }
    assert (
        lamina.optimizers.Adam(**config).get_config()
        == keras.optimizers.Adam(**config).get_config()
    )
