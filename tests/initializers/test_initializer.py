"""The `Initializer` base class and its shape/dtype helpers."""

import pytest
import torch

import lamina
from lamina.initializers.initializer import resolve_dtype
from lamina.initializers.initializer import standardize_shape


class Twos(lamina.initializers.Initializer):
    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, shape, dtype=None):
        return torch.full(shape, 2.0 * self.scale, dtype=resolve_dtype(dtype))

    def get_config(self):
        return {"scale": self.scale}


def test_base_call_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="must implement"):
        lamina.initializers.Initializer()((2,))


def test_base_config_round_trip_and_clone():
    init = Twos(scale=3.0)
    clone = init.clone()
    assert clone is not init and clone.get_config() == {"scale": 3.0}
    assert torch.equal(clone((2, 2)), torch.full((2, 2), 6.0))
    assert Twos.from_config({"scale": 0.5})((1,)).item() == 1.0


def test_subclass_is_an_initializer_keras_style():
    assert isinstance(Twos(), lamina.initializers.Initializer)
    assert lamina.Initializer is lamina.initializers.Initializer
    assert repr(Twos(2.0)) == "Twos(scale=2.0)"


@pytest.mark.parametrize(
    "shape,expected",
    [
        ((2, 3), (2, 3)),
        ([4], (4,)),
        (5, (5,)),
        ((), ()),
        (torch.Size([2, 2]), (2, 2)),
    ],
)
def test_standardize_shape(shape, expected):
    assert standardize_shape(shape, "X") == expected


@pytest.mark.parametrize("shape", [(2, None), (-1, 3), "ab", None, (2.5,)])
def test_standardize_shape_rejects(shape):
    with pytest.raises(ValueError, match="argument `shape` of X.*Received"):
        standardize_shape(shape, "X")


def test_resolve_dtype_defaults_to_floatx():
    assert resolve_dtype(None) == torch.float32
    assert resolve_dtype("float64") == torch.float64
    assert resolve_dtype(torch.int32) == torch.int32
    lamina.config.set_floatx("float64")
    try:
        assert resolve_dtype(None) == torch.float64
        assert lamina.initializers.Ones()((2,)).dtype == torch.float64
    finally:
        lamina.config.set_floatx("float32")
