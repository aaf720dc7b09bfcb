"""Learning-rate schedules against Keras 3 at many steps."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

S = lamina.optimizers.schedules
KS = keras.optimizers.schedules

CASES = [
    ("ExponentialDecay", (0.1, 3, 0.5), {}),
    ("ExponentialDecay", (0.1, 3, 0.5), {"staircase": True}),
    ("PiecewiseConstantDecay", ([3, 7], [1.0, 0.5, 0.1]), {}),
    ("PiecewiseConstantDecay", ([5], [0.3, 0.2]), {}),
    ("PolynomialDecay", (0.1, 7), {}),
    (
        "PolynomialDecay",
        (0.1, 7),
        {"power": 2.0, "cycle": True, "end_learning_rate": 0.01},
    ),
    ("InverseTimeDecay", (0.1, 3, 0.5), {}),
    ("InverseTimeDecay", (0.1, 3, 0.5), {"staircase": True}),
    ("CosineDecay", (0.1, 7), {"alpha": 0.1}),
    ("CosineDecay", (0.1, 7), {"warmup_target": 0.5, "warmup_steps": 4}),
    (
        "CosineDecay",
        (0.0, 10),
        {"warmup_target": 0.2, "warmup_steps": 3, "alpha": 0.05},
    ),
    ("CosineDecayRestarts", (0.1, 3), {}),
    (
        "CosineDecayRestarts",
        (0.1, 3),
        {"t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1},
    ),
    ("CosineDecayRestarts", (0.2, 4), {"t_mul": 1.5, "m_mul": 0.8}),
]


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_values_match_keras(name, args, kwargs):
    ours = getattr(S, name)(*args, **kwargs)
    theirs = getattr(KS, name)(*args, **kwargs)
    steps = list(range(40))
    got = [float(ours(torch.tensor(t))) for t in steps]
    want = [float(to_numpy(theirs(torch.tensor(t)))) for t in steps]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    assert float(ours(5)) == pytest.approx(got[5])


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_config_and_serialization_match_keras(name, args, kwargs):
    ours = getattr(S, name)(*args, **kwargs)
    theirs = getattr(KS, name)(*args, **kwargs)
    assert ours.get_config() == theirs.get_config()
    serialized = S.serialize(ours)
    assert serialized == KS.serialize(theirs)
    clone = S.deserialize(KS.serialize(theirs))
    assert type(clone) is type(ours)
    assert clone.get_config() == ours.get_config()


@pytest.mark.compile
def test_evaluated_on_the_step_tensor_without_host_reads():
    schedule = S.CosineDecay(0.1, 7, warmup_target=0.5, warmup_steps=4)
    step = torch.tensor(2, dtype=torch.int64)
    value = schedule(step)
    assert isinstance(value, torch.Tensor) and value.device == step.device
    torch._dynamo.reset()
    compiled = torch.compile(schedule.__call__, backend="eager", fullgraph=True)
    torch.testing.assert_close(compiled(step), value)


@pytest.mark.parametrize(
    "name, args, match",
    [
        ("ExponentialDecay", (0.1, 0, 0.5), "decay_steps"),
        ("PolynomialDecay", (0.1, -1), "decay_steps"),
        ("InverseTimeDecay", (0.1, 0, 0.5), "decay_steps"),
        ("CosineDecay", (0.1, 0), "decay_steps"),
        ("CosineDecayRestarts", (0.1, 0), "first_decay_steps"),
        ("PiecewiseConstantDecay", ([1, 2], [0.1]), "values"),
    ],
)
def test_rejects_what_keras_rejects(name, args, match):
    with pytest.raises(ValueError):
        getattr(KS, name)(*args)
    with pytest.raises(ValueError, match=match):
        getattr(S, name)(*args)


def test_base_class_must_be_overridden():
    with pytest.raises(NotImplementedError, match="__call__"):
        S.LearningRateSchedule()(1)
    with pytest.raises(NotImplementedError, match="get_config"):
        S.LearningRateSchedule().get_config()
