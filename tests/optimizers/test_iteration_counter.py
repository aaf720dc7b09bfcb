"""The step counter's host mirror stays right after outside writes."""

import pytest
import torch

from lamina.optimizers.iteration_counter import IterationCounter
from lamina.optimizers.iteration_counter import keras_constant


def test_mirror_follows_increments_and_outside_writes():
    counter = IterationCounter()
    for _ in range(3):
        counter.increment()
    assert counter.value() == 3 and int(counter.tensor) == 3
    counter.tensor.fill_(10)  # e.g. a checkpoint load
    assert counter.value() == 10
    counter.increment()
    assert counter.value() == 11 and int(counter.tensor) == 11


@pytest.mark.compile
def test_mirror_resyncs_after_a_compiled_increment():
    counter = IterationCounter()
    torch._dynamo.reset()
    step = torch.compile(counter.increment, backend="eager", fullgraph=True)
    step()
    step()
    assert counter.value() == 2


def test_keras_constant_rounds_to_the_variable_precision():
    f32, f64 = torch.zeros(1), torch.zeros(1, dtype=torch.float64)
    assert keras_constant(0.999, f32) == float(torch.tensor(0.999))
    assert keras_constant(0.999, f64) == 0.999
    assert keras_constant(0.999, f32.half()) == keras_constant(0.999, f32)
