"""Run a Keras optimizer and a lamina optimizer side by side.

Both start from the same weights (a (5, 3) "kernel" and a (3,) "bias"),
take the same random gradients, and are compared weight by weight and
optimizer variable by optimizer variable (names, count and values).
"""

import re

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

RTOL, ATOL = 1e-5, 1e-6
SHAPES = {"kernel": (5, 3), "bias": (3,)}


def make_data(steps, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in SHAPES.values()]
    grads = [
        [
            (rng.normal(size=s) * scale).astype("float32")
            for s in SHAPES.values()
        ]
        for _ in range(steps)
    ]
    return weights, grads


def keras_variables(weights):
    return [keras.Variable(w, name=n) for n, w in zip(SHAPES, weights)]


def lamina_variables(weights):
    params = []
    for name, w in zip(SHAPES, weights):
        p = torch.nn.Parameter(torch.tensor(w))
        p.path = name
        params.append(p)
    return params


def build_pair(name, config, schedule=None):
    """The Keras and the lamina optimizer `name` with `config`; `schedule`
    is `(schedule_name, args, kwargs)` used as the learning rate."""
    kconf, lconf = dict(config), dict(config)
    if schedule is not None:
        sname, args, kwargs = schedule
        kconf["learning_rate"] = getattr(keras.optimizers.schedules, sname)(
            *args, **kwargs
        )
        lconf["learning_rate"] = getattr(lamina.optimizers.schedules, sname)(
            *args, **kwargs
        )
    return (
        getattr(keras.optimizers, name)(**kconf),
        getattr(lamina.optimizers, name)(**lconf),
    )


def apply_steps(kopt, lopt, kvars, lvars, grads):
    for step_grads in grads:
        kopt.apply(
            [None if g is None else torch.tensor(g) for g in step_grads], kvars
        )
        lopt.apply(
            [None if g is None else torch.tensor(g) for g in step_grads], lvars
        )


def assert_same_state(kopt, lopt, kvars, lvars):
    for kv, lv in zip(kvars, lvars):
        np.testing.assert_allclose(
            lv.detach().numpy(), to_numpy(kv), rtol=RTOL, atol=ATOL
        )
    # Keras uniquifies the names of anonymous variables ("variable_3").
    keras_names = [
        re.sub(r"^variable_\d+$", "variable", v.name) for v in kopt.variables
    ]
    assert lopt.variable_names == keras_names
    assert len(lopt.variables) == len(kopt.variables)
    for kv, lv in zip(kopt.variables, lopt.variables):
        np.testing.assert_allclose(
            lv.detach().numpy().astype("float64"),
            to_numpy(kv).astype("float64"),
            rtol=RTOL,
            atol=ATOL,
        )
    assert int(lopt.iterations) == int(to_numpy(kopt.iterations))


def check_parity(name, config, steps=5, schedule=None, fused=True, seed=0):
    """Train both optimizers for `steps` and compare their state."""
    weights, grads = make_data(steps, seed)
    kopt, lopt = build_pair(name, config, schedule)
    if not fused:
        lopt._allow_fused = False
    kvars, lvars = keras_variables(weights), lamina_variables(weights)
    apply_steps(kopt, lopt, kvars, lvars, grads)
    assert_same_state(kopt, lopt, kvars, lvars)
    # The updates must be visible at the tolerance, or the test proves
    # nothing.
    moved = max(
        np.abs(lv.detach().numpy() - w).max() for lv, w in zip(lvars, weights)
    )
    assert moved > 100 * ATOL
    return kopt, lopt, kvars, lvars
