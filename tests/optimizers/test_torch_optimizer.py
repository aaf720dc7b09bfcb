"""TorchOptimizer: torch.optim optimizers and LR schedulers behind lamina's
optimizer interface, checked against plain torch loops."""

import pytest
import torch

import lamina
from tests.optimizers.parity import lamina_variables, make_data

TorchOptimizer = lamina.optimizers.TorchOptimizer
StepLR = torch.optim.lr_scheduler.StepLR


def _reference(weights, grads, make_opt, make_sched=None, clip=None):
    """The plain torch loop the wrapper must reproduce."""
    params = lamina_variables(weights)
    opt = make_opt(params)
    sched = make_sched(opt) if make_sched else None
    for g in grads:
        for p, x in zip(params, g):
            p.grad = torch.tensor(x)
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        if sched is not None:
            sched.step()
    return params, opt


def _run(wrapper, weights, grads):
    params = lamina_variables(weights)
    for g in grads:
        wrapper.apply([torch.tensor(x) for x in g], params)
    return params


SPECS = [
    # (wrapper factory, reference optimizer, reference scheduler)
    (
        lambda: TorchOptimizer(torch.optim.SGD, lr=0.1, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
        None,
    ),
    (
        lambda: TorchOptimizer(
            torch.optim.AdamW,
            lr=0.05,
            weight_decay=0.1,
            lr_scheduler=StepLR,
            lr_scheduler_kwargs={"step_size": 2, "gamma": 0.5},
        ),
        lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
        lambda o: StepLR(o, step_size=2, gamma=0.5),
    ),
    (
        lambda: TorchOptimizer(
            torch.optim.RMSprop,
            lr=0.01,
            lr_scheduler=lambda o: torch.optim.lr_scheduler.ExponentialLR(
                o, gamma=0.9
            ),
        ),
        lambda p: torch.optim.RMSprop(p, lr=0.01),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    ),
]


@pytest.mark.parametrize("make_wrapper, make_opt, make_sched", SPECS)
def test_matches_a_plain_torch_loop(make_wrapper, make_opt, make_sched):
    weights, grads = make_data(5)
    wrapper = make_wrapper()
    params = _run(wrapper, weights, grads)
    expected, ref_opt = _reference(weights, grads, make_opt, make_sched)
    for a, b in zip(params, expected):
        torch.testing.assert_close(a, b)
    assert wrapper.learning_rate == pytest.approx(ref_opt.param_groups[0]["lr"])
    assert int(wrapper.iterations) == 5


def test_wraps_an_instance_with_a_bound_scheduler_and_clipping():
    weights, grads = make_data(4)
    params = lamina_variables(weights)
    opt = torch.optim.Adam(params, lr=0.1)
    wrapper = TorchOptimizer(
        opt, lr_scheduler=StepLR(opt, step_size=1), global_clipnorm=0.5
    )
    for g in grads:
        wrapper.apply([torch.tensor(x) for x in g], params)
    expected, _ = _reference(
        weights,
        grads,
        lambda p: torch.optim.Adam(p, lr=0.1),
        lambda o: StepLR(o, step_size=1),
        clip=0.5,
    )
    for a, b in zip(params, expected):
        torch.testing.assert_close(a, b)


def test_gradient_accumulation_steps_the_torch_optimizer_every_n():
    weights, grads = make_data(4)
    wrapper = TorchOptimizer(
        torch.optim.SGD, lr=0.1, gradient_accumulation_steps=2
    )
    params = _run(wrapper, weights, grads)
    mean_grads = [
        [(a + b) / 2 for a, b in zip(grads[i], grads[i + 1])] for i in (0, 2)
    ]
    expected, _ = _reference(
        weights, mean_grads, lambda p: torch.optim.SGD(p, lr=0.1)
    )
    for a, b in zip(params, expected):
        torch.testing.assert_close(a, b)


def test_variable_without_gradient_is_not_stepped():
    weights, grads = make_data(1)
    params = lamina_variables(weights)
    params[1].grad = torch.ones(3)  # stale: must not be used
    wrapper = TorchOptimizer(torch.optim.SGD, lr=1.0)
    wrapper.build(params)
    before = params[1].detach().clone()
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        wrapper.apply([torch.tensor(grads[0][0]), None], params)
    torch.testing.assert_close(params[1].detach(), before)


def test_learning_rate_setter_and_variables_and_state_dict():
    weights, grads = make_data(2)
    wrapper = TorchOptimizer(torch.optim.Adam, lr=0.1)
    assert wrapper.learning_rate == 0.1
    wrapper.learning_rate = 0.2
    params = _run(wrapper, weights, grads)
    assert wrapper.torch_optimizer.param_groups[0]["lr"] == 0.2
    wrapper.learning_rate = 0.05
    assert wrapper.learning_rate == 0.05
    names = wrapper.variable_names
    assert names[0] == "iteration"
    assert "kernel_exp_avg" in names and "bias_exp_avg_sq" in names
    assert len(names) == len(wrapper.variables)
    state = wrapper.state_dict()
    other = TorchOptimizer(torch.optim.Adam, lr=0.1)
    other.build(params)
    other.load_state_dict(state)
    assert int(other.iterations) == 2
    assert other.learning_rate == 0.05


def test_config_round_trip():
    wrapper = TorchOptimizer(
        torch.optim.AdamW,
        lr=0.01,
        betas=(0.8, 0.9),
        lr_scheduler=StepLR,
        lr_scheduler_kwargs={"step_size": 3},
        clipnorm=1.0,
        name="tw",
    )
    config = wrapper.get_config()
    assert config["optimizer"] == "AdamW"
    assert config["optimizer_kwargs"] == {"lr": 0.01, "betas": [0.8, 0.9]}
    assert config["lr_scheduler"] == "StepLR"
    clone = lamina.optimizers.deserialize(lamina.optimizers.serialize(wrapper))
    assert isinstance(clone, TorchOptimizer)
    assert clone.get_config() == config


def test_bad_arguments():
    with pytest.raises(ValueError, match="optimizer"):
        TorchOptimizer("adam")
    param = torch.nn.Parameter(torch.ones(2))
    instance = torch.optim.SGD([param], lr=0.1)
    with pytest.raises(ValueError, match="already built"):
        TorchOptimizer(instance, lr=0.1)
    with pytest.raises(ValueError, match="lr_scheduler"):
        TorchOptimizer(torch.optim.SGD, lr_scheduler=3)
    stranger = torch.nn.Parameter(torch.ones(2))
    with pytest.raises(ValueError, match="does not hold"):
        TorchOptimizer(instance).build([stranger])
    with pytest.raises(ValueError, match="torch class 'Nope'"):
        TorchOptimizer.from_config({"optimizer": "Nope"})
