"""Resampling ops (`keras.ops.image`): `map_coordinates`,
`affine_transform`, `perspective_transform`, `elastic_transform`.

Each output pixel reads the input at a computed (fractional) position,
with nearest (`order=0`) or linear (`order=1`) interpolation. Positions
outside the input follow `fill_mode` (SciPy's `ndimage` conventions):
`"constant"` (use `fill_value`), `"nearest"` (repeat the edge), `"wrap"`,
`"mirror"` (reflect about the edge pixel's center) and `"reflect"`
(reflect about the edge).
"""

from __future__ import annotations

import itertools

import torch

from lamina.errors import format_shape
from lamina.ops import _image as im
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.ops.image_filters import blur_nchw
from lamina.typing import TensorLike

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
ORDERS = {"nearest": 0, "bilinear": 1}


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    period = max(size - 1, 1)
    return torch.abs((index + period) % (2 * period) - period)


def _fix(index: torch.Tensor, size: int, mode: str) -> torch.Tensor:
    """An in-bounds index for a possibly out-of-bounds one."""
    if mode == "wrap":
        return index % size
    if mode == "mirror":
        return _mirror(index, size) if size > 1 else index * 0
    if mode == "reflect":
        return torch.div(
            _mirror(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor"
        )
    return torch.clip(index, 0, size - 1)


def _nodes(coordinate: torch.Tensor, order: int) -> list:
    """(index, weight) pairs of one axis's interpolation."""
    if order == 0:
        if coordinate.dtype.is_floating_point:
            coordinate = torch.round(coordinate)
        return [(coordinate.to(torch.int64), None)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.to(torch.int64)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def sample(
    values: torch.Tensor,
    coordinates: list,
    order: int,
    fill_mode: str,
    fill_value: float,
    lead: tuple = (),
) -> torch.Tensor:
    """`values` read at `coordinates` (one tensor per sampled axis, after
    the exact integer index tensors `lead` of the leading axes)."""
    sizes = values.shape[len(lead) : len(lead) + len(coordinates)]
    axes = [_nodes(c, order) for c in coordinates]
    total = None
    for corner in itertools.product(*axes):
        index, weight, valid = list(lead), None, None
        for (i, w), size in zip(corner, sizes):
            index.append(_fix(i, size, fill_mode))
            weight = (
                w if weight is None else (weight if w is None else weight * w)
            )
            if fill_mode == "constant":
                inside = (i >= 0) & (i < size)
                valid = inside if valid is None else valid & inside
        part = values[tuple(index)]
        if valid is not None:
            valid = valid.reshape(valid.shape + (1,) * (part.ndim - valid.ndim))
            part = torch.where(
                valid,
                part,
                torch.as_tensor(
                    fill_value, dtype=part.dtype, device=part.device
                ),
            )
        if weight is not None:
            weight = weight.reshape(
                weight.shape + (1,) * (part.ndim - weight.ndim)
            )
            part = weight * part
        total = part if total is None else total + part
    if not values.dtype.is_floating_point and total.dtype.is_floating_point:
        total = torch.round(total)
    return total.to(values.dtype)


@op
def map_coordinates(
    inputs: TensorLike,
    coordinates: TensorLike,
    order: int,
    fill_mode: str = "constant",
    fill_value: float = 0,
) -> torch.Tensor:
    """Read `inputs` at the given fractional `coordinates`
    (`scipy.ndimage.map_coordinates` with `order` 0 or 1).

    Args:
        inputs: N-D tensor.
        coordinates: `(N, *output_shape)`, or a list of N tensors: the
            position along each axis of `inputs` of every output element.
        order: `0` (nearest) or `1` (linear).
        fill_mode: See the module docstring. Defaults to `"constant"`.
        fill_value: The value outside the input for `"constant"`.

    Example:

    >>> from lamina import ops
    >>> ops.image.map_coordinates([[0.0, 1.0], [2.0, 3.0]],
    ...                           [[0.5], [0.5]], order=1).tolist()
    [1.5]
    """
    x = to_tensor(inputs)
    coords = [to_tensor(c, device=x.device) for c in coordinates]
    if len(coords) != x.ndim:
        raise ValueError(
            "ops.image.map_coordinates: the first dimension of "
            "`coordinates` must equal the rank of `inputs`. Received: "
            f"inputs.shape={format_shape(x.shape)}, len(coordinates)="
            f"{len(coords)}"
        )
    if coords[0].ndim < 1:
        raise ValueError(
            "ops.image.map_coordinates: `coordinates` must have rank >= 2. "
            f"Received: coordinates.shape=({len(coords)},)"
        )
    im.choice("map_coordinates", "fill_mode", fill_mode, FILL_MODES)
    if order not in (0, 1):
        raise NotImplementedError(
            "ops.image.map_coordinates supports order 0 and 1 only (as "
            f"Keras does). Received: order={order}"
        )
    return sample(x, coords, order, fill_mode, fill_value)


def _resample(images, data_format, ys, xs, order, fill_mode, fill_value):
    """Channels-last sampling of a batch at per-image (N, H, W) grids."""
    x, single = im.to_nchw(images, data_format)
    x = x.movedim(1, -1)
    batch = torch.arange(x.shape[0], device=x.device).reshape(-1, 1, 1)
    out = sample(x, [ys, xs], order, fill_mode, fill_value, lead=(batch,))
    return im.from_nchw(out.movedim(-1, 1), data_format, single)


def _grid(images, data_format, dtype):
    """(rows, cols) index grids of the output, shaped (1, H, W)."""
    shape = (
        images.shape[-3:-1]
        if data_format == "channels_last"
        else images.shape[-2:]
    )
    rows = torch.arange(shape[0], dtype=dtype, device=images.device)
    cols = torch.arange(shape[1], dtype=dtype, device=images.device)
    y, x = torch.meshgrid(rows, cols, indexing="ij")
    return y[None], x[None]


@op
def affine_transform(
    images: TensorLike,
    transform: TensorLike,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Apply projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]`:
    output pixel `(x, y)` reads the input at
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` (channels-first likewise).
        transform: `(8,)` or `(N, 8)`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: See the module docstring. Defaults to `"constant"`.
        fill_value: The value outside the input for `"constant"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(4.0), (2, 2, 1))
    >>> shift = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> ops.image.affine_transform(x, shift)[..., 0].tolist()
    [[1.0, 0.0], [3.0, 0.0]]
    """
    name = "affine_transform"
    im.choice(name, "interpolation", interpolation, ORDERS)
    im.choice(name, "fill_mode", fill_mode, FILL_MODES)
    x = im.images_of(name, images)
    fmt = im.data_format_of(name, data_format)
    t = to_tensor(transform, device=x.device)
    if t.ndim not in (1, 2) or t.shape[-1] != 8:
        raise ValueError(
            f"Invalid value for argument `transform` of ops.image.{name}: "
            "expected shape (8,) or (batch, 8). Received: transform.shape="
            f"{format_shape(t.shape)}"
        )
    if not t.dtype.is_floating_point:
        t = t.to(torch.float32)
    t = t.reshape(-1, 8, 1, 1)
    y, xg = _grid(x, fmt, t.dtype)
    k = t[:, 6] * xg + t[:, 7] * y + 1
    xs = (t[:, 0] * xg + t[:, 1] * y + t[:, 2]) / k
    ys = (t[:, 3] * xg + t[:, 4] * y + t[:, 5]) / k
    return _resample(
        x, fmt, ys, xs, ORDERS[interpolation], fill_mode, fill_value
    )


def _points(name: str, arg: str, value, device) -> torch.Tensor:
    p = to_tensor(value, device=device)
    if p.ndim not in (2, 3) or tuple(p.shape[-2:]) != (4, 2):
        raise ValueError(
            f"Invalid value for argument `{arg}` of ops.image.{name}: "
            "expected shape (4, 2) or (batch, 4, 2). Received: "
            f"{arg}.shape={format_shape(p.shape)}"
        )
    return p if p.ndim == 3 else p[None]


def homography(start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """The 8 coefficients of the projective map taking `end` corners to
    `start` corners (solved as an 8x8 linear system per batch)."""
    dtype = start.dtype
    compute = to_torch_dtype(result_type(dtype, "float32"))
    start, end = start.to(compute), end.to(compute)
    zero, one = torch.zeros_like(end[:, :, 0]), torch.ones_like(end[:, :, 0])
    ex, ey, sx, sy = end[:, :, 0], end[:, :, 1], start[:, :, 0], start[:, :, 1]
    row_x = torch.stack(
        [ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], dim=-1
    )
    row_y = torch.stack(
        [zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], dim=-1
    )
    matrix = torch.stack([row_x, row_y], dim=2).reshape(-1, 8, 8)
    target = torch.stack([sx, sy], dim=2).reshape(-1, 8, 1)
    return torch.linalg.solve(matrix, target).reshape(-1, 8).to(dtype)


@op
def perspective_transform(
    images: TensorLike,
    start_points: TensorLike,
    end_points: TensorLike,
    interpolation: str = "bilinear",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Warp images so that the 4 `start_points` move to `end_points`
    (each `(x, y)`, ordered top-left, top-right, bottom-right,
    bottom-left); outside pixels take `fill_value`.

    Example:

    >>> from lamina import ops
    >>> corners = [[0, 0], [3, 0], [3, 3], [0, 3]]
    >>> x = ops.ones((4, 4, 1))
    >>> bool(ops.all(ops.image.perspective_transform(x, corners, corners) == x))
    True
    """
    name = "perspective_transform"
    im.choice(name, "interpolation", interpolation, ORDERS)
    x = im.images_of(name, images)
    fmt = im.data_format_of(name, data_format)
    dtype = x.dtype if x.dtype.is_floating_point else torch.float32
    start = _points(name, "start_points", start_points, x.device).to(dtype)
    end = _points(name, "end_points", end_points, x.device).to(dtype)
    if start.shape != end.shape:
        raise ValueError(
            f"ops.image.{name}: `start_points` and `end_points` must have "
            f"the same shape. Received: start_points.shape="
            f"{format_shape(start.shape)}, end_points.shape="
            f"{format_shape(end.shape)}"
        )
    t = homography(start, end).reshape(-1, 8, 1, 1)
    y, xg = _grid(x, fmt, dtype)
    k = t[:, 6] * xg + t[:, 7] * y + 1
    xs = (t[:, 0] * xg + t[:, 1] * y + t[:, 2]) / k
    ys = (t[:, 3] * xg + t[:, 4] * y + t[:, 5]) / k
    return _resample(
        x, fmt, ys, xs, ORDERS[interpolation], "constant", fill_value
    )


@op
def elastic_transform(
    images: TensorLike,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Elastic distortion (Simard et al., 2003): every pixel moves by a
    random displacement field, smoothed by a Gaussian of std `sigma` and
    scaled by `alpha`.

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` (channels-first likewise).
        alpha: Scale of the displacements. Defaults to `20.0`.
        sigma: Smoothness of the field (Gaussian std). Defaults to `5.0`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: See the module docstring. Defaults to `"reflect"`.
        fill_value: The value outside the input for `"constant"`.
        seed: An int for a reproducible field; `None` draws from torch's
            global generator (as Keras's torch backend does eagerly).
        data_format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((8, 8, 1))
    >>> tuple(ops.image.elastic_transform(x, seed=1).shape)
    (8, 8, 1)
    """
    name = "elastic_transform"
    im.choice(name, "interpolation", interpolation, ORDERS)
    im.choice(name, "fill_mode", fill_mode, FILL_MODES)
    x = im.images_of(name, images)
    fmt = im.data_format_of(name, data_format)
    batched, _ = im.to_nchw(x, fmt)
    n, _, height, width = batched.shape
    dtype = x.dtype if x.dtype.is_floating_point else torch.float32
    generator = None
    if seed is not None:
        generator = torch.Generator(device=x.device).manual_seed(int(seed))
    size = int(6 * float(sigma)) | 1
    fields = []
    for _ in range(2):
        noise = (
            torch.normal(
                0.0,
                1.0,
                size=(n, 1, height, width),
                generator=generator,
                dtype=dtype,
                device=x.device,
            )
            * sigma
        )
        fields.append(blur_nchw(noise, (size, size), (sigma, sigma))[:, 0])
    dx, dy = fields
    y, xg = _grid(x, fmt, dtype)
    return _resample(
        x,
        fmt,
        y + alpha * dy,
        xg + alpha * dx,
        ORDERS[interpolation],
        fill_mode,
        fill_value,
    )
