"""The base Optimizer's pipeline against Keras 3: clipping, weight decay,
EMA, gradient accumulation, loss scaling, schedules, missing gradients,
constraints, config and errors."""

import warnings

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy
from tests.optimizers.parity import (
    apply_steps,
    assert_same_state,
    build_pair,
    check_parity,
    keras_variables,
    lamina_variables,
    make_data,
)

# One optimizer per update style: plain foreach (SGD), fused kernel (Adam),
# step-dependent constants (Adamax).
BASE_CONFIGS = [
    {"clipnorm": 0.5},
    {"global_clipnorm": 0.7},
    {"clipvalue": 0.2},
    {"weight_decay": 0.2},
    {"use_ema": True},
    {"use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2},
    {"gradient_accumulation_steps": 2},
    {
        "gradient_accumulation_steps": 3,
        "use_ema": True,
        "ema_overwrite_frequency": 1,
        "clipnorm": 1.0,
    },
    {"loss_scale_factor": 4.0, "clipvalue": 0.3},
]
ALGORITHMS = [("SGD", {"momentum": 0.9}), ("Adam", {}), ("Adamax", {})]


@pytest.mark.parametrize("name, algo_config", ALGORITHMS)
@pytest.mark.parametrize("config", BASE_CONFIGS)
def test_base_features_match_keras(name, algo_config, config):
    check_parity(name, {"learning_rate": 0.1, **algo_config, **config}, steps=6)


SCHEDULES = [
    ("ExponentialDecay", (0.2, 2, 0.5), {"staircase": True}),
    ("PiecewiseConstantDecay", ([1, 3], [0.3, 0.1, 0.05]), {}),
    ("CosineDecay", (0.05, 3), {"warmup_target": 0.2, "warmup_steps": 2}),
]


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
@pytest.mark.parametrize("schedule", SCHEDULES)
def test_schedule_learning_rate_matches_keras(name, schedule):
    kopt, lopt, _, _ = check_parity(
        name, {"weight_decay": 0.1}, schedule=schedule, steps=6
    )
    np.testing.assert_allclose(
        float(lopt.learning_rate),
        float(to_numpy(kopt.learning_rate)),
        rtol=1e-6,
    )
    # As in Keras, a schedule is not an optimizer variable.
    assert "learning_rate" not in lopt.variable_names


def test_callable_learning_rate_matches_keras():
    weights, grads = make_data(4)
    kopt = keras.optimizers.Adam(learning_rate=lambda: 0.1)
    lopt = lamina.optimizers.Adam(learning_rate=lambda: 0.1)
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    apply_steps(kopt, lopt, kvars, lvars, grads)
    assert_same_state(kopt, lopt, kvars, lvars)


def test_setting_the_learning_rate_matches_keras():
    weights, grads = make_data(6)
    kopt, lopt = build_pair("SGD", {"learning_rate": 0.1, "momentum": 0.5})
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    apply_steps(kopt, lopt, kvars, lvars, grads[:3])
    kopt.learning_rate = 0.02
    lopt.learning_rate = 0.02
    apply_steps(kopt, lopt, kvars, lvars, grads[3:])
    assert_same_state(kopt, lopt, kvars, lvars)
    assert isinstance(lopt.learning_rate, torch.Tensor)


def test_learning_rate_of_a_schedule_is_not_settable():
    opt = lamina.optimizers.SGD(
        lamina.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    )
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_exclude_from_weight_decay_matches_keras(name):
    weights, grads = make_data(4)
    kopt, lopt = build_pair(name, {"learning_rate": 0.1, "weight_decay": 0.5})
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    kopt.exclude_from_weight_decay(var_names=["bias"])
    lopt.exclude_from_weight_decay(var_names=["bias"])
    apply_steps(kopt, lopt, kvars, lvars, grads)
    assert_same_state(kopt, lopt, kvars, lvars)


def test_exclude_from_weight_decay_by_variable():
    lvars = lamina_variables(make_data(1)[0])
    opt = lamina.optimizers.SGD(learning_rate=0.5, weight_decay=1.0)
    opt.exclude_from_weight_decay(var_list=[lvars[0]])
    before = [v.detach().clone() for v in lvars]
    opt.apply([torch.zeros_like(v) for v in lvars], lvars)
    torch.testing.assert_close(lvars[0].detach(), before[0])
    torch.testing.assert_close(lvars[1].detach(), before[1] * 0.5)


def test_finalize_variable_values_matches_keras():
    kopt, lopt, kvars, lvars = check_parity(
        "Adam", {"learning_rate": 0.1, "use_ema": True}, steps=4
    )
    kopt.finalize_variable_values(kvars)
    lopt.finalize_variable_values(lvars)
    assert_same_state(kopt, lopt, kvars, lvars)


def test_missing_gradient_is_skipped_with_a_warning():
    weights, grads = make_data(3)
    grads[1][1] = None
    kopt, lopt = build_pair("Adam", {"learning_rate": 0.1})
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kopt.apply([torch.tensor(g) for g in grads[0]], kvars)
        kopt.apply([torch.tensor(grads[1][0]), None], kvars)
        kopt.apply([torch.tensor(g) for g in grads[2]], kvars)
    lopt.apply([torch.tensor(g) for g in grads[0]], lvars)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        lopt.apply([torch.tensor(grads[1][0]), None], lvars)
    lopt.apply([torch.tensor(g) for g in grads[2]], lvars)
    assert_same_state(kopt, lopt, kvars, lvars)


def test_subset_and_reordered_variables_match_keras():
    weights, grads = make_data(3)
    kopt, lopt = build_pair("RMSprop", {"learning_rate": 0.1, "momentum": 0.5})
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    kopt.build(kvars)
    lopt.build(lvars)
    for g in grads:
        kopt.apply(
            [torch.tensor(g[1]), torch.tensor(g[0])], [kvars[1], kvars[0]]
        )
        lopt.apply(
            [torch.tensor(g[1]), torch.tensor(g[0])], [lvars[1], lvars[0]]
        )
    kopt.apply([torch.tensor(grads[0][1])], [kvars[1]])
    lopt.apply([torch.tensor(grads[0][1])], [lvars[1]])
    assert_same_state(kopt, lopt, kvars, lvars)


def test_apply_gradients_and_step_are_apply():
    weights, grads = make_data(3)
    a, b, c = (lamina_variables(weights) for _ in range(3))
    oa, ob, oc = (lamina.optimizers.Adam(0.1) for _ in range(3))
    for g in grads:
        g = [torch.tensor(x) for x in g]
        oa.apply(g, a)
        assert ob.apply_gradients(zip(g, b)) is ob.iterations
        for v, x in zip(c, g):
            v.grad = x
        oc.step(c)
        oc.zero_grad()
        assert all(v.grad is None for v in c)
    for x, y, z in zip(a, b, c):
        torch.testing.assert_close(x, y)
        torch.testing.assert_close(x, z)


def test_constraint_attribute_is_applied_after_the_update():
    w = torch.nn.Parameter(torch.ones(3))
    w.constraint = lambda v: v.clamp(min=0.5)
    opt = lamina.optimizers.SGD(learning_rate=1.0)
    opt.apply([torch.tensor([0.2, 1.0, 3.0])], [w])
    torch.testing.assert_close(w.detach(), torch.tensor([0.8, 0.5, 0.5]))


def test_save_and_load_own_variables_from_keras():
    weights, grads = make_data(6)
    kopt, lopt = build_pair("Adam", {"learning_rate": 0.1, "amsgrad": True})
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    for g in grads[:3]:
        kopt.apply([torch.tensor(x) for x in g], kvars)
    for lv, kv in zip(lvars, kvars):
        lv.data.copy_(torch.tensor(to_numpy(kv)))
    store = {}
    kopt.save_own_variables(store)
    lopt.build(lvars)
    lopt.load_own_variables(store)
    apply_steps(kopt, lopt, kvars, lvars, grads[3:])
    assert_same_state(kopt, lopt, kvars, lvars)
    ours = {}
    lopt.save_own_variables(ours)
    assert sorted(ours) == sorted(store)


def test_load_own_variables_with_wrong_count_warns():
    opt = lamina.optimizers.Adam()
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        opt.load_own_variables({"0": np.zeros(())})


def test_set_weights_checks_shapes():
    opt = lamina.optimizers.SGD(momentum=0.5)
    opt.build(lamina_variables(make_data(1)[0]))
    before = [v.detach().clone() for v in opt.variables]
    with pytest.raises(ValueError, match="kernel_momentum"):
        opt.set_weights([np.ones(()), np.ones(()), np.zeros((3, 5))])
    # Nothing is half-set: the first two (right) values were not written.
    for old, new in zip(before, opt.variables):
        assert torch.equal(old, new)


@pytest.mark.compile
def test_compiled_step_matches_eager():
    weights, grads = make_data(4)
    eager_vars, compiled_vars = (lamina_variables(weights) for _ in range(2))
    eager = lamina.optimizers.Adam(0.1, weight_decay=0.1, global_clipnorm=1.0)
    compiled = lamina.optimizers.Adam(
        0.1, weight_decay=0.1, global_clipnorm=1.0
    )
    torch._dynamo.reset()
    step = torch.compile(
        lambda g: compiled.apply(g, compiled_vars),
        backend="eager",
        fullgraph=True,
    )
    for g in grads:
        eager.apply([torch.tensor(x) for x in g], eager_vars)
        step([torch.tensor(x) for x in g])
    for a, b in zip(eager_vars, compiled_vars):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert int(compiled.iterations) == 4


def test_config_round_trip_with_schedule():
    schedule = lamina.optimizers.schedules.CosineDecay(0.1, 10, alpha=0.1)
    opt = lamina.optimizers.Adam(
        learning_rate=schedule, clipnorm=1.0, name="adam_cfg"
    )
    kopt = keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.CosineDecay(
            0.1, 10, alpha=0.1
        ),
        clipnorm=1.0,
        name="adam_cfg",
    )
    assert opt.get_config() == kopt.get_config()
    clone = lamina.optimizers.Adam.from_config(opt.get_config())
    assert isinstance(
        clone._learning_rate, lamina.optimizers.schedules.CosineDecay
    )
    assert clone.get_config() == opt.get_config()


BAD_ARGUMENTS = [
    ({"clipnorm": 1.0, "global_clipnorm": 1.0}, "clipnorm"),
    ({"clipvalue": 1.0, "clipnorm": 1.0}, "clipvalue"),
    ({"learning_rate": 1}, "learning_rate"),
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"gradient_accumulation_steps": 1}, "gradient_accumulation_steps"),
    ({"use_ema": True, "ema_momentum": 1.5}, "ema_momentum"),
    (
        {"use_ema": True, "ema_overwrite_frequency": 0.5},
        "ema_overwrite_frequency",
    ),
    ({"foo": 1}, "Unrecognized keyword arguments"),
]


@pytest.mark.parametrize("kwargs, match", BAD_ARGUMENTS)
def test_rejects_what_keras_rejects(kwargs, match):
    with pytest.raises(ValueError):
        keras.optimizers.Adam(**kwargs)
    with pytest.raises(ValueError, match=match):
        lamina.optimizers.Adam(**kwargs)


def test_apply_errors():
    weights = make_data(1)[0]
    lvars = lamina_variables(weights)
    opt = lamina.optimizers.Adam()
    with pytest.raises(ValueError, match="not built"):
        opt.apply([torch.zeros(5, 3), torch.zeros(3)])
    with pytest.raises(ValueError, match="one gradient per variable"):
        opt.apply([torch.zeros(5, 3)], lvars)
    opt.build(lvars)
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply([None, None], lvars)
    stranger = torch.nn.Parameter(torch.zeros(3))
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([torch.zeros(3)], [stranger])
    with pytest.raises(ValueError, match="tracks 2 variables"):
        opt.apply([torch.zeros(3)])
    with pytest.raises(TypeError, match="torch tensors"):
        lamina.optimizers.SGD().build([np.zeros(3)])


def test_decay_argument_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="decay"):
        lamina.optimizers.SGD(decay=0.1)


def test_default_names_are_unique_snake_case():
    a, b = lamina.optimizers.RMSprop(), lamina.optimizers.RMSprop()
    assert a.name.startswith("rm_sprop") and a.name != b.name


def _custom_momentum(base):
    """The same Keras-style custom optimizer, on Keras's or lamina's base."""

    class Custom(base):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self.velocities = self.add_optimizer_variables(variables, "m")

        def update_step(self, gradient, variable, learning_rate):
            m = self.velocities[self._get_variable_index(variable)]
            self.assign(m, m * 0.9 - gradient * learning_rate)
            self.assign_add(variable, m)

    return Custom


def test_keras_style_custom_optimizer_matches_keras():
    weights, grads = make_data(4)
    kopt = _custom_momentum(keras.optimizers.Optimizer)(weight_decay=0.1)
    lopt = _custom_momentum(lamina.optimizers.Optimizer)(weight_decay=0.1)
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    apply_steps(kopt, lopt, kvars, lvars, grads)
    assert_same_state(kopt, lopt, kvars, lvars)


def test_missing_algorithm_is_reported():
    opt = lamina.optimizers.Optimizer(learning_rate=0.1)
    with pytest.raises(NotImplementedError, match="batched_update_step"):
        opt.apply([torch.ones(1)], [torch.nn.Parameter(torch.ones(1))])
