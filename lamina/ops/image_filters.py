"""Filtering ops (`keras.ops.image`): `gaussian_blur`, `sobel_edges` and
`ssim` (structural similarity)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina.ops import _image as im
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike
from lamina.typing import DTypeLike


def gaussian_1d(
    size: int, sigma: Any, dtype: DTypeLike, device: Any
) -> torch.Tensor:
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def blur_nchw(x: torch.Tensor, size: tuple, sigma: tuple) -> torch.Tensor:
    """Per-channel Gaussian blur of `(N, C, H, W)`, zero-padded to keep
    the size."""
    rows = gaussian_1d(size[0], sigma[0], x.dtype, x.device)
    cols = gaussian_1d(size[1], sigma[1], x.dtype, x.device)
    channels = x.shape[1]
    kernel = torch.outer(rows, cols).expand(channels, 1, *size)
    return F.conv2d(
        x, kernel, padding=(size[0] // 2, size[1] // 2), groups=channels
    )


@op
def gaussian_blur(
    images: TensorLike,
    kernel_size: tuple = (3, 3),
    sigma: tuple = (1.0, 1.0),
    data_format: str | None = None,
) -> torch.Tensor:
    """Blur each channel with a Gaussian kernel (zero padding, same size).

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` (channels-first likewise).
        kernel_size: `(height, width)` of the kernel (odd sizes).
        sigma: `(height, width)` standard deviations.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> from lamina import ops
    >>> tuple(ops.image.gaussian_blur(ops.ones((5, 5, 2))).shape)
    (5, 5, 2)
    """
    x = im.images_of("gaussian_blur", images)
    fmt = im.data_format_of("gaussian_blur", data_format)
    y, single = im.to_nchw(x, fmt)
    size = tuple(
        int(k) for k in to_tensor(kernel_size).reshape(-1).expand(2).tolist()
    )
    sigma = tuple(
        float(s) for s in to_tensor(sigma).reshape(-1).expand(2).tolist()
    )
    return im.from_nchw(blur_nchw(y, size, sigma), fmt, single)


@op
def sobel_edges(
    images: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Sobel gradients of each channel (zero padding): the last axis holds
    `(d/dy, d/dx)`.

    Returns:
        `(N, H, W, C, 2)` (channels-last) or `(N, C, H, W, 2)`.

    Example:

    >>> from lamina import ops
    >>> tuple(ops.image.sobel_edges(ops.ones((1, 4, 4, 3))).shape)
    (1, 4, 4, 3, 2)
    """
    x = to_tensor(images)
    fmt = im.data_format_of("sobel_edges", data_format)
    if x.ndim != 4:
        raise ValueError(
            "Invalid value for argument `images` of ops.image.sobel_edges: "
            f"expected a batch of images of rank 4. Received: images.shape="
            f"{tuple(x.shape)}"
        )
    y = x.movedim(-1, 1) if fmt == "channels_last" else x
    channels = y.shape[1]
    dx = torch.tensor(
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=x.dtype, device=x.device
    )
    kernels = torch.stack([dx.T, dx]).unsqueeze(1).repeat(channels, 1, 1, 1)
    edges = F.conv2d(
        y.repeat_interleave(2, dim=1), kernels, padding=1, groups=2 * channels
    )
    edges = edges.unflatten(1, (channels, 2)).movedim(2, -1)
    return edges.movedim(1, 3) if fmt == "channels_last" else edges


@op
def ssim(
    image1: TensorLike,
    image2: TensorLike,
    max_val: float = 1.0,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    data_format: str | None = None,
) -> torch.Tensor:
    """Structural similarity (Wang et al., 2004) of two images, averaged
    over space and channels (a Gaussian window of `filter_size`, `valid`
    padding).

    Returns:
        `(N,)` for batches, a scalar for single images.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((16, 16, 1)) * 0.5
    >>> round(ops.image.ssim(x, x).item(), 4)
    1.0
    """
    a = im.images_of("ssim", image1, "image1")
    b = im.images_of("ssim", image2, "image2")
    fmt = im.data_format_of("ssim", data_format)
    dtype = a.dtype
    compute = to_torch_dtype(result_type(a.dtype, float))
    a, single = im.to_nchw(a.to(compute), fmt)
    b, _ = im.to_nchw(b.to(compute), fmt)
    g = gaussian_1d(filter_size, filter_sigma, compute, a.device)
    window = torch.outer(g, g)[None, None]
    n, channels, height, width = a.shape

    def mean(v):
        return F.conv2d(v.reshape(n * channels, 1, height, width), window)

    mu1, mu2 = mean(a), mean(b)
    var1 = mean(a * a) - mu1 * mu1
    var2 = mean(b * b) - mu2 * mu2
    cov = mean(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    value = ((2 * mu1 * mu2 + c1) * (2 * cov + c2)) / (
        (mu1 * mu1 + mu2 * mu2 + c1) * (var1 + var2 + c2)
    )
    value = value.mean(dim=(1, 2, 3)).reshape(n, channels).mean(-1)
    return (value[0] if single else value).to(dtype)
