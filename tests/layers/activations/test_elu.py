import pytest

from lamina.layers.activations.elu import ELU
from tests.layers.parity import full_parity


@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.5}, {"alpha": 2}])
def test_parity(kwargs):
    full_parity("ELU", ELU, kwargs, (3, 4, 5), symbolic=[(4, 5), (None, 5)])
