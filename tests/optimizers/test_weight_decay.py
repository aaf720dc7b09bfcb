"""WeightDecayMask: which variables decay, and the decay itself."""

import pytest
import torch

from lamina.optimizers.weight_decay import WeightDecayMask


def _named(path):
    t = torch.ones(2)
    t.path = path
    return t


@pytest.mark.parametrize(
    "names, expected",
    [
        (None, [True, True, True]),
        (["bias"], [True, False, True]),
        (["bias", "gamma"], [True, False, False]),
        (["dense"], [True, True, True]),  # matches the name, not the path
    ],
)
def test_exclusion_by_name(names, expected):
    variables = [
        _named("dense/kernel"),
        _named("dense/bias"),
        _named("norm/gamma"),
    ]
    mask = WeightDecayMask()
    mask.exclude(var_names=names)
    mask.refresh(variables)
    assert mask.flags == expected


def test_apply_decays_only_the_flagged_variables():
    a, b = _named("kernel"), _named("bias")
    mask = WeightDecayMask()
    mask.exclude(var_list=[b])
    mask.refresh([a, b])
    mask.apply([a, b], None, weight_decay=0.5, learning_rate=0.5)
    torch.testing.assert_close(a, torch.full((2,), 0.75))
    torch.testing.assert_close(b, torch.ones(2))
    mask.apply([a], [0], weight_decay=1.0, learning_rate=torch.tensor(0.5))
    torch.testing.assert_close(a, torch.full((2,), 0.375))
