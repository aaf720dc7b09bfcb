"""LossScaleOptimizer against Keras 3: unscaling, skipped steps, scale
growth, variable order, config."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

# (gradient multiplier, poison): poison puts an inf/nan in one gradient.
STEPS = [
    (1.0, None),
    (2.0, None),
    (1.0, "inf"),
    (0.5, None),
    (1.0, None),
    (3.0, "nan"),
    (1.0, None),
    (1.0, None),
]


def _inner(lib, name):
    if name == "sgd":
        return lib.optimizers.SGD(0.1, momentum=0.9)
    return lib.optimizers.Adam(0.01)


@pytest.mark.parametrize("inner", ["sgd", "adam"])
@pytest.mark.parametrize("growth", [1, 2, 3])
def test_matches_keras(inner, growth, rng):
    init = [
        rng.standard_normal((3, 2)).astype("float32"),
        rng.standard_normal((2,)).astype("float32"),
    ]
    k_vars = [keras.Variable(v) for v in init]
    l_vars = [torch.nn.Parameter(torch.tensor(v)) for v in init]
    k_opt = keras.optimizers.LossScaleOptimizer(
        _inner(keras, inner), initial_scale=8.0, dynamic_growth_steps=growth
    )
    l_opt = lamina.optimizers.LossScaleOptimizer(
        _inner(lamina, inner), initial_scale=8.0, dynamic_growth_steps=growth
    )
    for scale, poison in STEPS:
        grads = [
            rng.standard_normal(v.shape).astype("float32") * scale for v in init
        ]
        if poison:
            grads[1][0] = float(poison)
        # Gradients of a scaled loss arrive scaled.
        k_scale = float(to_numpy(k_opt.dynamic_scale)) if k_opt.built else 8.0
        k_opt.apply([g * k_scale for g in grads], k_vars)
        l_scale = float(l_opt.dynamic_scale) if l_opt.built else 8.0
        l_opt.apply([torch.tensor(g * l_scale) for g in grads], l_vars)
        for kv, lv in zip(k_vars, l_vars):
            np.testing.assert_allclose(
                lv.detach().numpy(), to_numpy(kv), rtol=1e-5, atol=1e-6
            )
        assert float(l_opt.dynamic_scale) == float(
            to_numpy(k_opt.dynamic_scale)
        )
        assert int(l_opt.step_counter) == int(to_numpy(k_opt.step_counter))
        assert int(l_opt.iterations) == int(to_numpy(k_opt.iterations))
    assert len(l_opt.variables) == len(k_opt.variables)
    for lv, kv in zip(l_opt.variables, k_opt.variables):
        np.testing.assert_allclose(
            lv.numpy(), to_numpy(kv), rtol=1e-5, atol=1e-6
        )


def test_scale_loss_uses_current_scale():
    opt = lamina.optimizers.LossScaleOptimizer(
        lamina.optimizers.SGD(0.1), initial_scale=4.0
    )
    assert float(opt.scale_loss(torch.tensor(1.5))) == 6.0
    w = torch.nn.Parameter(torch.ones(2))
    opt.apply([torch.tensor([float("inf"), 0.0])], [w])
    assert float(opt.scale_loss(torch.tensor(1.5))) == 3.0
    assert torch.equal(w.detach(), torch.ones(2))


def test_learning_rate_and_iterations_are_the_inner_ones():
    inner = lamina.optimizers.SGD(0.1)
    opt = lamina.optimizers.LossScaleOptimizer(inner)
    opt.learning_rate = 0.5
    assert float(inner.learning_rate) == 0.5
    assert opt.iterations is inner.iterations


def test_config_matches_keras_and_round_trips():
    def make(lib):
        return lib.optimizers.LossScaleOptimizer(
            lib.optimizers.Adam(0.01, name="adam_x"),
            initial_scale=64.0,
            dynamic_growth_steps=7,
            name="lso",
        )

    ours, theirs = make(lamina).get_config(), make(keras).get_config()
    k_inner, l_inner = (
        theirs.pop("inner_optimizer"),
        ours.pop("inner_optimizer"),
    )
    assert ours == theirs
    assert l_inner["class_name"] == k_inner["class_name"]
    assert l_inner["config"] == pytest.approx(k_inner["config"])
    again = lamina.optimizers.LossScaleOptimizer.from_config(
        make(lamina).get_config()
    )
    assert again.get_config() == make(lamina).get_config()
    # Keras reads lamina's config too.
    kopt = keras.optimizers.LossScaleOptimizer.from_config(
        make(lamina).get_config()
    )
    assert kopt.dynamic_growth_steps == 7


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"dynamic": False}, "dynamic=False"),
        ({"clipnorm": 1.0}, "clipnorm"),
        ({"use_ema": True}, "use_ema"),
        ({"foo": 1}, "foo"),
        ({"dynamic_growth_steps": 0}, "dynamic_growth_steps"),
    ],
)
def test_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lamina.optimizers.LossScaleOptimizer(lamina.optimizers.SGD(), **kwargs)


def test_rejects_non_optimizer():
    with pytest.raises(TypeError, match="inner_optimizer"):
        lamina.optimizers.LossScaleOptimizer("sgd")
