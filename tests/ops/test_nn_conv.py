import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand

CONFIGS = [
    # rank, strides, padding, dilation
    (1, 1, "valid", 1),
    (1, 2, "same", 1),
    (1, 1, "same", 2),
    (2, 1, "valid", 1),
    (2, 2, "same", 1),
    (2, (2, 1), "valid", 1),
    (2, 1, "same", (2, 1)),
    (3, 1, "same", 1),
    (3, 2, "valid", 1),
]


def _image(rank, channels, data_format, batch=2, size=7, dtype="float32"):
    spatial = (size,) * rank
    if data_format == "channels_last":
        return rand((batch, *spatial, channels), dtype)
    return rand((batch, channels, *spatial), dtype)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank,strides,padding,dilation", CONFIGS)
def test_conv_matches_keras(rank, strides, padding, dilation, data_format):
    x = _image(rank, 3, data_format)
    kernel = rand((3,) * rank + (3, 4))
    check("conv", x, kernel, strides, padding, data_format, dilation, atol=1e-4)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_grouped_conv_matches_keras(data_format):
    x = _image(2, 4, data_format)
    check("conv", x, rand((3, 3, 2, 6)), 1, "same", data_format, atol=1e-4)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_conv_keeps_the_input_dtype(dtype):
    x = _image(2, 2, "channels_last", dtype=dtype)
    kernel = rand((2, 2, 2, 3), dtype)
    if dtype == "float16":
        out = lops.conv(x, kernel)
        assert out.dtype == torch.float16
        ref = lops.conv(x.astype("float32"), kernel.astype("float32"))
        np.testing.assert_allclose(out.float().numpy(), ref.numpy(), atol=5e-2)
    else:
        check("conv", x, kernel, rtol=1e-10)


def test_conv_defaults_to_the_configured_data_format():
    x, kernel = _image(2, 3, "channels_first"), rand((3, 3, 3, 2))
    lamina.config.set_image_data_format("channels_first")
    try:
        out = lops.conv(x, kernel)
    finally:
        lamina.config.set_image_data_format("channels_last")
    assert tuple(out.shape) == (2, 2, 5, 5)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank,strides,padding,dilation", CONFIGS[:7])
def test_depthwise_conv_matches_keras(
    rank, strides, padding, dilation, data_format
):
    x = _image(rank, 3, data_format)
    kernel = rand((3,) * rank + (3, 2))
    check(
        "depthwise_conv",
        x,
        kernel,
        strides,
        padding,
        data_format,
        dilation,
        atol=1e-4,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "rank,strides,padding",
    [(1, 1, "valid"), (1, 2, "same"), (2, 1, "same"), (2, 2, "valid")],
)
def test_separable_conv_matches_keras(rank, strides, padding, data_format):
    x = _image(rank, 3, data_format)
    depthwise = rand((3,) * rank + (3, 2))
    pointwise = rand((1,) * rank + (6, 5))
    check(
        "separable_conv",
        x,
        depthwise,
        pointwise,
        strides,
        padding,
        data_format,
        atol=1e-4,
    )


TRANSPOSE_CONFIGS = [
    (1, 1, "valid", None, 1),
    (1, 2, "same", None, 1),
    (1, 3, "valid", 1, 1),
    (2, 2, "same", None, 1),
    (2, 2, "valid", None, 1),
    (2, (2, 3), "same", (1, 0), 1),
    (2, 1, "same", None, 2),
    (3, 2, "same", None, 1),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "rank,strides,padding,output_padding,dilation", TRANSPOSE_CONFIGS
)
def test_conv_transpose_matches_keras(
    rank, strides, padding, output_padding, dilation, data_format
):
    x = _image(rank, 3, data_format, size=5)
    kernel = rand((3,) * rank + (4, 3))
    check(
        "conv_transpose",
        x,
        kernel,
        strides,
        padding,
        output_padding,
        data_format,
        dilation,
        atol=1e-4,
    )


def test_conv_gradients_match_keras():
    x = torch.tensor(_image(2, 3, "channels_last"), requires_grad=True)
    kernel = torch.tensor(rand((3, 3, 3, 2)), requires_grad=True)
    lops.sum(lops.conv(x, kernel, 2, "same") ** 2).backward()
    kx = x.detach().clone().requires_grad_()
    kk = kernel.detach().clone().requires_grad_()
    torch.sum(kops.conv(kx, kk, 2, "same") ** 2).backward()
    np.testing.assert_allclose(
        x.grad.numpy(), kx.grad.cpu().numpy(), rtol=1e-4, atol=1e-3
    )
    np.testing.assert_allclose(
        kernel.grad.numpy(), kk.grad.cpu().numpy(), rtol=1e-4, atol=1e-3
    )


@pytest.mark.parametrize(
    "name,args",
    [
        ("conv", ((3, 3, 3, 4),)),
        ("depthwise_conv", ((3, 3, 3, 2),)),
        ("conv_transpose", ((3, 3, 4, 3),)),
    ],
)
def test_symbolic_shapes_match_keras(name, args):
    x = lamina.Input((9, 9, 3))
    kernel = rand(args[0])
    out = getattr(lops, name)(x, kernel, 2, "same")
    ref = getattr(kops, name)(rand((1, 9, 9, 3)), kernel, 2, "same")
    assert tuple(out.shape) == (None,) + tuple(ref.shape[1:])
    assert str(out.dtype).endswith("float32")


def test_conv_in_a_functional_model():
    kernel = rand((3, 3, 3, 4))
    inputs = lamina.Input((8, 8, 3))
    model = lamina.Model(inputs, lops.conv(inputs, kernel, padding="same"))
    x = rand((2, 8, 8, 3))
    np.testing.assert_allclose(
        model(x).detach().numpy(),
        lops.conv(x, kernel, padding="same"),
        rtol=1e-6,
    )


def test_conv_bad_arguments_raise():
    x = rand((1, 5, 5, 3))
    with pytest.raises(
        ValueError,
        match=r"`inputs` of ops.conv.*rank 3, 4 "
        r"or 5.*inputs.shape=\(5, 5\)",
    ):
        lops.conv(np.ones((5, 5), "float32"), rand((3, 3)))
    with pytest.raises(ValueError, match=r"`kernel` of ops.conv.*rank 4"):
        lops.conv(x, rand((3, 3, 3)))
    with pytest.raises(
        ValueError,
        match=r"multiple of the kernel's input "
        r"channels.*input channels=3, kernel input channels=2",
    ):
        lops.conv(x, rand((3, 3, 2, 4)))
    with pytest.raises(
        ValueError,
        match=r"`padding` of ops.conv.*"
        r"padding='full'",
    ):
        lops.conv(x, rand((3, 3, 3, 4)), padding="full")
    with pytest.raises(
        ValueError,
        match=r"`strides` of ops.conv.*"
        r"strides=\(1, 2, 3\)",
    ):
        lops.conv(x, rand((3, 3, 3, 4)), strides=(1, 2, 3))
    with pytest.raises(ValueError, match=r"`data_format` of ops.conv"):
        lops.conv(x, rand((3, 3, 3, 4)), data_format="NHWC")
    with pytest.raises(
        ValueError,
        match=r"ops.depthwise_conv: the number of "
        r"input channels must match.*input channels=3",
    ):
        lops.depthwise_conv(x, rand((3, 3, 2, 1)))
    with pytest.raises(
        ValueError,
        match=r"ops.conv_transpose: the number "
        r"of input channels must match",
    ):
        lops.conv_transpose(x, rand((3, 3, 3, 4)))
    with pytest.raises(ValueError, match=r"ops.conv.*could not be computed"):
        lops.conv(x, rand((7, 7, 3, 4)))
