"""Geometric helpers of the augmentation layers: Keras's affine matrices,
a batched `affine_transform` and `perspective_transform` with Keras's
fill modes, and the homography of four point pairs.

A transform is Keras's 8-vector `[a0, a1, a2, b0, b1, b2, c0, c1]`: the
output pixel `(x, y)` samples the input at
`((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.

Sampling follows Keras's torch backend (`map_coordinates`, order 0 or 1)
pixel for pixel, but for the whole batch at once. Bilinear sampling with
the `constant`, `nearest`, `reflect` and `mirror` modes runs on
`F.grid_sample` (one fused kernel): its `zeros`, `border` and `reflection`
paddings give the same corner weights as Keras's index fixers, and a
constant `fill_value` is `grid_sample(x - fill) + fill`. Nearest sampling
and `wrap` (which `grid_sample` lacks) gather the corners directly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

FILL_MODES = ("reflect", "wrap", "constant", "nearest", "mirror")
INTERPOLATIONS = ("nearest", "bilinear")

# Keras fill mode -> (grid_sample padding, align_corners): `reflect` is
# half-sample symmetric (about -0.5), `mirror` whole-sample (about 0).
_GRID_PADDING = {
    "constant": ("zeros", False),
    "nearest": ("border", False),
    "reflect": ("reflection", False),
    "mirror": ("reflection", True),
}


def compute_affine_matrix(
    center_x,
    center_y,
    angle,
    translate_x,
    translate_y,
    scale,
    shear_x,
    shear_y,
    height,
    width,
) -> torch.Tensor:
    """Keras's `_compute_affine_matrix`: scaling, shear and rotation (in
    degrees) about a relative centre, one 8-vector per batch entry."""
    to_rad = math.pi / 180.0
    angle = angle * to_rad
    shear_x = torch.tan(shear_x * to_rad)
    shear_y = torch.tan(shear_y * to_rad)
    cx = center_x * (float(width) - 1)
    cy = center_y * (float(height) - 1)
    cos, sin = torch.cos(angle), torch.sin(angle)
    a0 = scale * (cos + shear_x * sin)
    a1 = scale * (-sin + shear_x * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (shear_y * cos + sin)
    b1 = scale * (shear_y * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = torch.zeros_like(a0)
    return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)


def _source_coordinates(transform: torch.Tensor, height: int, width: int):
    """Input (x, y) sampled by every output pixel, each (B, H, W)."""
    t = transform.to(torch.float32)[:, :, None, None]
    ys = torch.arange(height, dtype=torch.float32, device=t.device)
    xs = torch.arange(width, dtype=torch.float32, device=t.device)
    ys, xs = ys[:, None], xs[None, :]
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    x_in = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k
    y_in = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    return x_in, y_in


def _fix_index(index: torch.Tensor, size: int, mode: str) -> torch.Tensor:
    if mode == "wrap":
        return torch.remainder(index, size)
    if mode in ("reflect", "mirror"):
        if mode == "reflect":  # half-sample symmetric: -1 -> 0
            period = 2 * size
            index = torch.remainder(index, period)
            return torch.where(index >= size, period - 1 - index, index)
        if size == 1:
            return torch.zeros_like(index)
        period = 2 * (size - 1)
        index = torch.remainder(index, period)
        return torch.where(index >= size, period - index, index)
    return index.clamp(0, size - 1)


def _gather_sample(x, x_in, y_in, order, fill_mode, fill_value):
    """`x` (B, C, H, W) sampled at (B, H', W') points, corner by corner."""
    batch, channels, height, width = x.shape
    flat = x.reshape(batch, channels, height * width)
    if order == 0:
        corners = [(torch.round(y_in), torch.round(x_in), None)]
    else:
        y0, x0 = torch.floor(y_in), torch.floor(x_in)
        wy, wx = y_in - y0, x_in - x0
        corners = [
            (y0, x0, (1 - wy) * (1 - wx)),
            (y0, x0 + 1, (1 - wy) * wx),
            (y0 + 1, x0, wy * (1 - wx)),
            (y0 + 1, x0 + 1, wy * wx),
        ]
    out = 0
    for yi, xi, weight in corners:
        yi, xi = yi.long(), xi.long()
        index = _fix_index(yi, height, fill_mode) * width + _fix_index(
            xi, width, fill_mode
        )
        index = index.reshape(batch, 1, -1).expand(-1, channels, -1)
        value = flat.gather(2, index).reshape(batch, channels, *yi.shape[1:])
        if fill_mode == "constant":
            valid = (yi >= 0) & (yi < height) & (xi >= 0) & (xi < width)
            value = torch.where(
                valid[:, None], value, value.new_tensor(float(fill_value))
            )
        out = out + (value if weight is None else weight[:, None] * value)
    return out


def _grid_sample(x, x_in, y_in, fill_mode, fill_value):
    padding, align = _GRID_PADDING[fill_mode]
    height, width = x.shape[-2:]
    if align:
        gx = x_in * (2.0 / max(width - 1, 1)) - 1.0
        gy = y_in * (2.0 / max(height - 1, 1)) - 1.0
    else:
        gx = (2.0 * x_in + 1.0) / width - 1.0
        gy = (2.0 * y_in + 1.0) / height - 1.0
    grid = torch.stack([gx, gy], dim=-1).to(x.dtype)
    shift = float(fill_value) if fill_mode == "constant" else 0.0
    source = x - shift if shift else x
    out = F.grid_sample(
        source, grid, mode="bilinear", padding_mode=padding, align_corners=align
    )
    return out + shift if shift else out


def sample(
    images,
    x_in,
    y_in,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0.0,
    data_format="channels_last",
) -> torch.Tensor:
    """Sample a batch of images at per-pixel source coordinates."""
    x = images.permute(0, 3, 1, 2) if data_format == "channels_last" else images
    if x.device.type == "meta":
        out = x.new_empty((*x.shape[:2], *x_in.shape[1:]))
    elif (
        interpolation == "bilinear"
        and fill_mode in _GRID_PADDING
        and x.is_floating_point()
    ):
        out = _grid_sample(x, x_in, y_in, fill_mode, fill_value)
    else:
        order = 0 if interpolation == "nearest" else 1
        out = _gather_sample(
            x.to(torch.float32), x_in, y_in, order, fill_mode, fill_value
        ).to(x.dtype)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out


def _normalized_theta(transform, height: int, width: int, align: bool):
    """Keras's pixel-space affine map as `F.affine_grid`'s normalized
    (B, 2, 3) matrix: output grid point -> input sampling point."""
    t = transform.to(torch.float32)
    a0, a1, a2, b0, b1, b2 = t[:, :6].unbind(1)

    def axis(size):
        if align:  # pixel = (u + 1) (size - 1) / 2
            span = max(size - 1, 1)
            return span / 2.0, (size - 1) / 2.0, 2.0 / span, -1.0
        # pixel = ((u + 1) size - 1) / 2; normalized = (2 pixel + 1) / size - 1
        return size / 2.0, (size - 1) / 2.0, 2.0 / size, 1.0 / size - 1.0

    sx, ox, gx, hx = axis(width)
    sy, oy, gy, hy = axis(height)
    row_x = [gx * a0 * sx, gx * a1 * sy, gx * (a0 * ox + a1 * oy + a2) + hx]
    row_y = [gy * b0 * sx, gy * b1 * sy, gy * (b0 * ox + b1 * oy + b2) + hy]
    return torch.stack([torch.stack(row_x, 1), torch.stack(row_y, 1)], 1)


def _affine_grid_sample(x, transform, fill_mode, fill_value):
    """Bilinear affine warp in two fused kernels (`affine_grid`,
    `grid_sample`) instead of per-pixel coordinate arithmetic."""
    padding, align = _GRID_PADDING[fill_mode]
    theta = _normalized_theta(transform, x.shape[-2], x.shape[-1], align)
    grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=align)
    shift = float(fill_value) if fill_mode == "constant" else 0.0
    source = x - shift if shift else x
    out = F.grid_sample(
        source, grid, mode="bilinear", padding_mode=padding, align_corners=align
    )
    return out + shift if shift else out


def _warp(
    images,
    transform,
    interpolation,
    fill_mode,
    fill_value,
    data_format,
    projective,
):
    unbatched = images.ndim == 3
    if unbatched:
        images = images.unsqueeze(0)
    transform = torch.as_tensor(transform, device=images.device)
    if transform.ndim == 1:
        transform = transform.unsqueeze(0)
    h_axis = 1 if data_format == "channels_last" else 2
    height, width = images.shape[h_axis], images.shape[h_axis + 1]
    fast = (
        not projective
        and interpolation == "bilinear"
        and fill_mode in _GRID_PADDING
        and images.is_floating_point()
        and images.device.type != "meta"
    )
    if fast:
        x = (
            images.permute(0, 3, 1, 2)
            if data_format == "channels_last"
            else images
        )
        out = _affine_grid_sample(x, transform, fill_mode, fill_value)
        if data_format == "channels_last":
            out = out.permute(0, 2, 3, 1)
    else:
        x_in, y_in = _source_coordinates(transform, height, width)
        out = sample(
            images,
            x_in,
            y_in,
            interpolation,
            fill_mode,
            fill_value,
            data_format,
        )
    return out.squeeze(0) if unbatched else out


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0.0,
    data_format="channels_last",
) -> torch.Tensor:
    """Keras's `ops.image.affine_transform`, batched (rank 3 or 4)."""
    return _warp(
        images,
        transform,
        interpolation,
        fill_mode,
        fill_value,
        data_format,
        projective=False,
    )


def compute_homography_matrix(start_points, end_points) -> torch.Tensor:
    """The 8 projective coefficients mapping `end_points` to
    `start_points` (each (B, 4, 2) as (x, y)), solved in float32 as
    Keras's torch backend solves it."""
    start = start_points.to(torch.float32)
    end = end_points.to(torch.float32)
    rows = []
    for i in range(4):
        sx, sy = start[:, i, 0], start[:, i, 1]
        ex, ey = end[:, i, 0], end[:, i, 1]
        zero, one = torch.zeros_like(sx), torch.ones_like(sx)
        rows.append(
            torch.stack(
                [ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], dim=-1
            )
        )
        rows.append(
            torch.stack(
                [zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], dim=-1
            )
        )
    matrix = torch.stack(rows, dim=1)
    target = torch.stack([start[:, i // 2, i % 2] for i in range(8)], dim=1)
    solution = torch.linalg.solve(matrix, target.unsqueeze(-1))
    return solution.reshape(-1, 8).to(start_points.dtype)


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0.0,
    data_format="channels_last",
) -> torch.Tensor:
    """Keras's `ops.image.perspective_transform` (constant fill)."""
    unbatched = images.ndim == 3
    if unbatched:
        images = images.unsqueeze(0)
    transform = compute_homography_matrix(start_points, end_points)
    if transform.shape[0] == 1 and images.shape[0] > 1:
        transform = transform.expand(images.shape[0], -1)
    out = _warp(
        images,
        transform,
        interpolation,
        "constant",
        fill_value,
        data_format,
        projective=True,
    )
    return out.squeeze(0) if unbatched else out
