"""ScheduleFreeAdamW against a NumPy reference of the algorithm, and
against Keras where Keras's torch backend agrees with it."""

import inspect

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity, make_data


def _params(cls):
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(cls).parameters.values()
    ]


def _reference(
    weights, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0
):
    """Defazio et al.'s schedule-free AdamW, in float64, as Keras writes
    it on JAX/TensorFlow (`x` from the base sequence before its step)."""
    ys = [w.astype("float64") for w in weights]
    zs = [y.copy() for y in ys]
    vs = [np.zeros_like(y) for y in ys]
    for t, step in enumerate(grads, start=1):
        rate = lr * min(t / warmup_steps, 1.0) if warmup_steps else lr
        for i, g in enumerate(step):
            x = (ys[i] - (1 - beta_1) * zs[i]) / beta_1
            vs[i] = beta_2 * vs[i] + (1 - beta_2) * g * g
            denom = np.sqrt(vs[i] / (1 - beta_2**t)) + epsilon
            zs[i] = zs[i] - rate * g / denom
            x = (1 - 1 / t) * x + zs[i] / t
            ys[i] = (1 - beta_1) * zs[i] + beta_1 * x
    return ys, zs, vs


CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.2, "warmup_steps": 3},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_numpy_reference(config):
    weights, grads = make_data(6)
    params = [torch.nn.Parameter(torch.tensor(w)) for w in weights]
    opt = lamina.optimizers.ScheduleFreeAdamW(**config)
    for step in grads:
        opt.apply([torch.tensor(g) for g in step], params)
    kwargs = {k: v for k, v in config.items() if k != "learning_rate"}
    ys, zs, vs = _reference(weights, grads, config["learning_rate"], **kwargs)
    for p, y in zip(params, ys):
        np.testing.assert_allclose(p.detach().numpy(), y, rtol=1e-5, atol=1e-6)
    for slot, ref in ((opt._momentums, zs), (opt._velocities, vs)):
        for got, want in zip(slot, ref, strict=True):
            np.testing.assert_allclose(
                got.detach().numpy(), want, rtol=1e-5, atol=1e-6
            )
    moved = max(
        np.abs(p.detach().numpy() - w).max() for p, w in zip(params, weights)
    )
    assert moved > 1e-3


def test_first_step_and_slots_match_keras():
    # At step 1 the average is the base sequence itself, so Keras's torch
    # aliasing of the old momentum does not show yet: all backends agree.
    check_parity("ScheduleFreeAdamW", {"learning_rate": 0.1}, steps=1)
    check_parity(
        "ScheduleFreeAdamW",
        {"learning_rate": 0.1, "warmup_steps": 2, "weight_decay": 0.05},
        steps=1,
    )


def test_config_and_signature_match_keras():
    config = {"learning_rate": 0.01, "warmup_steps": 4, "name": "s"}
    assert (
        lamina.optimizers.ScheduleFreeAdamW(**config).get_config()
        == keras.optimizers.ScheduleFreeAdamW(**config).get_config()
    )
    assert _params(lamina.optimizers.ScheduleFreeAdamW) == _params(
        keras.optimizers.ScheduleFreeAdamW
    )
    assert isinstance(
        lamina.optimizers.get("schedulefreeadamw"),
        lamina.optimizers.ScheduleFreeAdamW,
    )


def test_unknown_argument_is_refused():
    with pytest.raises(ValueError, match="beta_3"):
        lamina.optimizers.ScheduleFreeAdamW(beta_3=0.5)
