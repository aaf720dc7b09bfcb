"""Geometric helpers of the augmentation layers: Keras's affine matrices,
a batched `affine_transform` and `perspective_transform` with Keras's
fill modes, and the homography of four point pairs.

A transform is Keras's 8-vector `[a0, a1, a2, b0, b1, b2, c0, c1]`: the
output pixel `(x, y)` samples the input at
`((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.

Sampling (Keras's fill modes, pixel for pixel) is `pixel_sampling.py`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from lamina.layers.preprocessing.image_preprocessing.pixel_sampling import (
    FILL_MODES as FILL_MODES,
    GRID_PADDING,
    filled_grid_sample,
    INTERPOLATIONS as INTERPOLATIONS,
    sample as sample,
)


def compute_affine_matrix(
    center_x: torch.Tensor | float,
    center_y: torch.Tensor | float,
    angle: torch.Tensor,
    translate_x: torch.Tensor | float,
    translate_y: torch.Tensor | float,
    scale: torch.Tensor | float,
    shear_x: torch.Tensor,
    shear_y: torch.Tensor,
    height: int,
    width: int,
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
    align = GRID_PADDING[fill_mode][1]
    theta = _normalized_theta(transform, x.shape[-2], x.shape[-1], align)
    grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=align)
    return filled_grid_sample(x, grid, fill_mode, fill_value)


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
        and fill_mode in GRID_PADDING
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
    images: torch.Tensor,
    transform: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str = "channels_last",
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


def compute_homography_matrix(
    start_points: torch.Tensor, end_points: torch.Tensor
) -> torch.Tensor:
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
    images: torch.Tensor,
    start_points: torch.Tensor,
    end_points: torch.Tensor,
    interpolation: str = "bilinear",
    fill_value: float = 0.0,
    data_format: str = "channels_last",
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
