import pytest

from lamina.errors import LaminaWarning
from lamina.layers.activations.leaky_relu import LeakyReLU
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs", [{}, {"negative_slope": 0.1}, {"negative_slope": 0}]
)
def test_parity(kwargs):
    full_parity(
        "LeakyReLU",
        LeakyReLU,
        kwargs,
        (3, 4, 5),
        symbolic=[(4, 5), (None, None)],
    )


def test_legacy_alpha_argument():
    with pytest.warns(LaminaWarning, match="alpha"):
        layer = LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
    assert "alpha" not in layer.get_config()


@pytest.mark.parametrize("slope", [-0.1, None, "x"])
def test_bad_slope(slope):
    with pytest.raises(ValueError, match="negative_slope="):
        LeakyReLU(negative_slope=slope)
