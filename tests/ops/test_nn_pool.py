import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

CONFIGS = [
    # rank, pool_size, strides, padding, size
    (1, 2, None, "valid", 7),
    (1, 3, 2, "same", 7),
    (1, 3, 1, "same", 6),
    (2, 2, None, "valid", 6),
    (2, 3, 2, "same", 7),
    (2, (2, 3), 1, "valid", 6),
    (2, 3, (2, 1), "same", 5),
    (3, 2, None, "valid", 4),
    (3, 3, 2, "same", 5),
]


def _image(rank, data_format, size, dtype="float32"):
    if data_format == "channels_last":
        return rand((2,) + (size,) * rank + (3,), dtype)
    return rand((2, 3) + (size,) * rank, dtype)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank,pool,strides,padding,size", CONFIGS)
@pytest.mark.parametrize("name", ["max_pool", "average_pool"])
def test_pooling_matches_keras(
    name, rank, pool, strides, padding, size, data_format
):
    x = _image(rank, data_format, size)
    check(name, x, pool, strides, padding, data_format)


def test_average_pool_uneven_same_padding_averages_real_entries():
    # Keras's torch backend repeats edge values into an uneven padding;
    # lamina (like Keras on TensorFlow/JAX and lamina's pooling layers)
    # averages the real entries only.
    x = np.arange(6, dtype="float32").reshape(1, 6, 1)
    out = lops.average_pool(x, 4, 1, "same")
    expected = [1.0, 1.5, 2.5, 3.5, 4.0, 4.5]  # windows [-1, 3) ... [4, 8)
    np.testing.assert_allclose(out[0, :, 0].numpy(), expected)
    layer = lamina.layers.AveragePooling1D(4, 1, padding="same")
    np.testing.assert_allclose(out.numpy(), layer(x).detach().numpy())


@pytest.mark.parametrize("dtype", ["float16", "float64", "int32"])
def test_max_pool_dtypes_match_keras(dtype):
    # pool 2, stride 1: "same" pads unevenly (0 before, 1 after).
    check("max_pool", _image(2, "channels_last", 6, dtype), 2, 1, "same")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "rank,size,output_size", [(1, 7, 3), (2, 7, (3, 2)), (2, 6, 2), (3, 5, 2)]
)
@pytest.mark.parametrize("name", ["adaptive_max_pool", "adaptive_average_pool"])
def test_adaptive_pooling_matches_keras(
    name, rank, size, output_size, data_format
):
    x = _image(rank, data_format, size)
    check(name, x, output_size, data_format)


def test_pooling_gradient_flows():
    x = torch.tensor(_image(2, "channels_last", 4), requires_grad=True)
    lops.sum(lops.max_pool(x, 2)).backward()
    # Each 2x2 window passes gradient 1 to its maximum only.
    assert x.grad.sum().item() == pytest.approx(2 * 4 * 3)


def test_symbolic_pooling_shapes():
    x = lamina.Input((7, 9, 3))
    assert tuple(lops.max_pool(x, 2, padding="same").shape) == (None, 4, 5, 3)
    assert tuple(lops.average_pool(x, 3, 2).shape) == (None, 3, 4, 3)
    assert tuple(lops.adaptive_max_pool(x, (2, 3)).shape) == (None, 2, 3, 3)


def test_pooling_bad_arguments_raise():
    x = rand((1, 4, 4, 3))
    with pytest.raises(
        ValueError,
        match=r"`inputs` of ops.max_pool.*rank 3,"
        r" 4 or 5",
    ):
        lops.max_pool(rand((4, 4)), 2)
    with pytest.raises(
        ValueError,
        match=r"`pool_size` of ops.average_pool"
        r".*pool_size=\(2, 2, 2\)",
    ):
        lops.average_pool(x, (2, 2, 2))
    with pytest.raises(
        ValueError,
        match=r"`pool_size` of ops.max_pool.*"
        r"integers >= 1",
    ):
        lops.max_pool(x, 0)
    with pytest.raises(ValueError, match=r"`padding` of ops.max_pool"):
        lops.max_pool(x, 2, padding="causal")
    with pytest.raises(
        ValueError,
        match=r"`output_size` of "
        r"ops.adaptive_max_pool",
    ):
        lops.adaptive_max_pool(x, (1, 2, 3))
