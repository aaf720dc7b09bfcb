"""Muon against Keras 3."""

import inspect

import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity


def _params(cls):
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(cls).parameters.values()
    ]


CONFIGS = [
    {"learning_rate": 0.1},
    {
        "learning_rate": 0.05,
        "nesterov": False,
        "momentum": 0.8,
        "ns_steps": 3,
        "rms_rate": None,
        "adam_lr_ratio": 0.5,
    },
    {
        "learning_rate": 0.02,
        "weight_decay": 0.1,
        "adam_weight_decay": None,
        "clipnorm": 1.0,
        "adam_beta_1": 0.5,
        "epsilon": 1e-3,
    },
    # The kernel is excluded: AdamW for both.
    {"learning_rate": 0.1, "exclude_layers": ["ker"], "weight_decay": None},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Muon", config, steps=5)


def test_schedule_matches_keras():
    check_parity("Muon", {}, schedule=("ExponentialDecay", (0.1, 2, 0.5), {}))


def test_newton_schulz_orthogonalizes():
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(0))
    opt = lamina.optimizers.Muon()
    y = opt.zeropower_via_newtonschulz5(x, 10)
    s = torch.linalg.svdvals(y)
    # The quintic iteration lands singular values near 1 (roughly 0.7-1.2).
    assert bool((s > 0.5).all() and (s < 1.3).all())
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        opt.zeropower_via_newtonschulz5(torch.ones(3), 5)


def test_config_and_signature_match_keras():
    config = {
        "learning_rate": 0.01,
        "exclude_layers": ["a"],
        "name": "m",
        "rms_rate": None,
    }
    assert (
        lamina.optimizers.Muon(**config).get_config()
        == keras.optimizers.Muon(**config).get_config()
    )
    assert _params(lamina.optimizers.Muon) == _params(keras.optimizers.Muon)
    assert isinstance(lamina.optimizers.get("muon"), lamina.optimizers.Muon)


def test_unknown_argument_is_refused():
    with pytest.raises(ValueError, match="beta_3"):
        lamina.optimizers.Muon(beta_3=0.5)
