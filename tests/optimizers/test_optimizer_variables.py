"""The optimizer variable store: order, names, initializers, devices."""

import numpy as np
import pytest
import torch

import lamina
from lamina.optimizers.optimizer_variables import reference_name
from lamina.optimizers.optimizer_variables import short_name


class _Named(torch.nn.Parameter):
    """A parameter class that knows its Keras name, as Keras's Variable."""

    @property
    def name(self):
        return "gamma"


def test_names_come_from_path_then_name_attributes():
    t = torch.ones(1)
    assert reference_name(t) == "variable" and short_name(t) == "variable"
    t.path = "dense/kernel"
    assert reference_name(t) == "dense/kernel"
    assert short_name(t) == "kernel"
    named = _Named(torch.ones(1))
    assert reference_name(named) == "gamma" and short_name(named) == "gamma"


def test_slots_are_interleaved_and_named_like_keras():
    opt = lamina.optimizers.Ftrl(initial_accumulator_value=0.3)
    a, b = (
        torch.nn.Parameter(torch.ones(2, 2)),
        torch.nn.Parameter(torch.ones(2)),
    )
    a.path, b.path = "dense/kernel", "dense/bias"
    opt.build([a, b])
    assert opt.variable_names == [
        "iteration",
        "learning_rate",
        "dense_kernel_accumulator",
        "dense_kernel_linear",
        "dense_bias_accumulator",
        "dense_bias_linear",
    ]
    torch.testing.assert_close(opt.variables[2], torch.full((2, 2), 0.3))
    assert not any(v.requires_grad for v in opt.variables)


def test_add_variable_initializers_and_errors():
    opt = lamina.optimizers.SGD()
    v = opt.add_variable(
        (2,), initializer=lambda shape, dtype: np.ones(shape), name="ones"
    )
    torch.testing.assert_close(v, torch.ones(2))
    assert opt.variable_names[-1] == "ones"
    with pytest.raises(ValueError, match="initializer"):
        opt.add_variable((2,), initializer="glorot")
    with pytest.raises(ValueError, match="one initializer per name"):
        opt.add_optimizer_variables([v], ["a", "b"], initializer=["zeros"])


def test_apply_follows_the_variables_to_their_device():
    # Only a CPU here: pretend the state was left on another device, and
    # check that `apply` moves it back to where the variables are.
    opt = lamina.optimizers.Adam(0.1)
    p = torch.nn.Parameter(torch.ones(2))
    opt.build([p])
    slot = opt.variables[2]
    opt._device = torch.device("meta")
    opt.apply([torch.ones(2)], [p])
    assert opt._device == p.device
    assert opt.variables[2] is slot and slot.device == p.device
