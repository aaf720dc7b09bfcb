"""The EMA update: first step copies, later steps average, overwrite."""

import torch

from lamina.optimizers import moving_average


def test_first_step_copies_then_averages_then_overwrites():
    averages = [torch.zeros(2)]
    variables = [torch.full((2,), 4.0)]
    moving_average.update(averages, variables, 0, 0.5, None)
    torch.testing.assert_close(averages[0], torch.full((2,), 4.0))
    variables[0].fill_(0.0)
    moving_average.update(averages, variables, 1, 0.5, None)
    torch.testing.assert_close(averages[0], torch.full((2,), 2.0))
    moving_average.update(averages, variables, 3, 0.5, 2)
    torch.testing.assert_close(variables[0], torch.full((2,), 1.0))


def test_tensor_step_gives_the_same_result():
    a1, a2 = [torch.ones(3)], [torch.ones(3)]
    v = [torch.arange(3.0)]
    moving_average.update(a1, v, 5, 0.9, None)
    moving_average.update(a2, v, torch.tensor(5), 0.9, None)
    torch.testing.assert_close(a1[0], a2[0])
