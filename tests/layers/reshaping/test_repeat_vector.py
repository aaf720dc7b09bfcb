import pytest
import torch

from lamina.layers.reshaping.repeat_vector import RepeatVector
from tests.layers.parity import full_parity


@pytest.mark.parametrize("n, input_shape", [(3, (2, 4)), (1, (3, 2))])
def test_parity(n, input_shape):
    full_parity(
        "RepeatVector",
        RepeatVector,
        {"n": n},
        input_shape,
        symbolic=[input_shape[1:], (None,)],
    )


def test_output_is_writable_copy():
    x = torch.ones(2, 3)
    y = RepeatVector(2)(x)
    y[0, 0, 0] = 5.0  # a broadcast view would refuse this write
    assert y[0, 1, 0] == 1.0 and x[0, 0] == 1.0


def test_bad_n():
    with pytest.raises(ValueError, match="Received: n=0"):
        RepeatVector(0)
    with pytest.raises(TypeError, match="n=1.5"):
        RepeatVector(1.5)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=2"):
        RepeatVector(2)(torch.zeros(2, 3, 4))
