"""Solving and inverting (`keras.ops.linalg`): `solve`,
`solve_triangular`, `lstsq`, `inv`, `pinv`, `det`, `matrix_rank`, and
`jvp` (the forward-mode derivative)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.ops.linalg_decomp import matrices
from lamina.typing import TensorLike


def _system(name: str, a: TensorLike, b: TensorLike) -> tuple:
    """`a` square matrices and `b` right-hand sides (matrices, or vectors
    when `b` has one axis less), with Keras's compatibility checks."""
    a = matrices(name, a, arg="a")
    b = to_tensor(b, device=a.device)
    if b.ndim < 1:
        raise ValueError(
            f"Invalid value for argument `b` of ops.{name}: expected a "
            "tensor of rank >= 1. Received: b.shape=()"
        )
    matrix_b = b.ndim == a.ndim
    if (matrix_b and a.shape[-2] != b.shape[-2]) or (
        b.ndim == a.ndim - 1 and a.shape[-1] != b.shape[-1]
    ):
        axis = -2 if matrix_b else -1
        raise ValueError(
            f"ops.{name}: incompatible shapes between `a` and `b`: expected"
            f" a.shape[{axis}] == b.shape[{axis}]. Received: "
            f"a.shape={format_shape(a.shape)}, b.shape={format_shape(b.shape)}"
        )
    return a, b


@op
def solve(a: TensorLike, b: TensorLike) -> torch.Tensor:
    """Solve `a @ x = b` for `x`.

    Example:

    >>> from lamina import ops
    >>> ops.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0]).tolist()
    [1.0, 0.5]
    """
    return torch.linalg.solve(*_system("solve", a, b))


@op
def solve_triangular(
    a: TensorLike, b: TensorLike, lower: bool = False
) -> torch.Tensor:
    """Solve `a @ x = b` for a triangular `a` (upper unless `lower`).

    Example:

    >>> from lamina import ops
    >>> ops.solve_triangular([[1.0, 1.0], [0.0, 2.0]], [3.0, 2.0]).tolist()
    [2.0, 1.0]
    """
    a, b = _system("solve_triangular", a, b)
    if b.ndim == a.ndim - 1:
        x = torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower)
        return x.squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


@op
def lstsq(
    a: TensorLike, b: TensorLike, rcond: float | None = None
) -> torch.Tensor:
    """The least-squares solution `x` of `a @ x = b`.

    Args:
        a: `(M, N)` matrix.
        b: `(M,)` or `(M, K)` right-hand sides.
        rcond: Singular values below `rcond * largest` count as zero
            (NumPy's meaning); `None` uses the default driver.

    Example:

    >>> from lamina import ops
    >>> x = ops.lstsq([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [1.0, 2.0, 3.0])
    >>> [round(v, 4) for v in x.tolist()]
    [1.0, 2.0]
    """
    a = matrices("lstsq", a, square=False, arg="a")
    b = to_tensor(b, device=a.device)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b.unsqueeze(-1)
    if rcond is None:
        x = torch.linalg.lstsq(a, b).solution
    elif a.device.type == "cuda":
        # CUDA's only driver (`gels`) has no cutoff: use the SVD.
        x = torch.linalg.pinv(a, rtol=rcond) @ b
    else:
        x = torch.linalg.lstsq(a, b, rcond=rcond, driver="gelsd").solution
    return x.squeeze(-1) if vector else x


@op
def inv(x: TensorLike) -> torch.Tensor:
    """The inverse of square matrices.

    Example:

    >>> from lamina import ops
    >>> ops.inv([[2.0, 0.0], [0.0, 4.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    return torch.linalg.inv(matrices("inv", x))


@op
def pinv(x: TensorLike, rcond: float | None = None) -> torch.Tensor:
    """The Moore-Penrose pseudo-inverse; singular values below
    `rcond * largest` count as zero.

    Example:

    >>> from lamina import ops
    >>> ops.pinv([[2.0, 0.0], [0.0, 0.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    return torch.linalg.pinv(matrices("pinv", x, square=False), rtol=rcond)


@op
def det(x: TensorLike) -> torch.Tensor:
    """The determinant of square matrices.

    Example:

    >>> from lamina import ops
    >>> ops.det([[2.0, 1.0], [1.0, 3.0]]).item()
    5.0
    """
    return torch.linalg.det(matrices("det", x))


@op
def matrix_rank(x: TensorLike, tol: float | None = None) -> torch.Tensor:
    """The rank of matrices (singular values above `tol` count), int32.

    Example:

    >>> from lamina import ops
    >>> ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]]).item()
    1
    """
    x = matrices("matrix_rank", x, square=False)
    return torch.linalg.matrix_rank(x, atol=tol).to(torch.int32)


def jvp(
    fun: Callable,
    primals: tuple | list,
    tangents: tuple | list,
    has_aux: bool = False,
) -> tuple:
    """Forward-mode Jacobian-vector product of `fun` at `primals` along
    `tangents` (`torch.func.jvp`).

    Returns:
        `(fun(*primals), jvp)`, plus the auxiliary output when `has_aux`
        (then `fun` returns `(output, aux)`).

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> _, tangent = ops.linalg.jvp(lambda x: x ** 2, (torch.tensor(3.0),),
    ...                             (torch.tensor(1.0),))
    >>> tangent.item()
    6.0
    """
    primals = tuple(to_tensor(p) for p in primals)
    tangents = tuple(to_tensor(t) for t in tangents)
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
