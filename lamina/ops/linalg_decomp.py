"""Matrix decompositions (`keras.ops.linalg`): `cholesky`,
`cholesky_inverse`, `eig`, `eigh`, `lu_factor`, `qr`, `svd`.

All take batches of matrices (`(..., M, N)`), as torch's `linalg` does.
"""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def matrices(
    name: str, x: TensorLike, square: bool = True, arg: str = "x"
) -> torch.Tensor:
    """`x` as a tensor of rank >= 2 (square in its last two axes when
    `square`), with Keras's checks."""
    x = to_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"Invalid value for argument `{arg}` of ops.{name}: expected a "
            f"tensor of rank >= 2. Received: {arg}.shape="
            f"{format_shape(x.shape)}"
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"Invalid value for argument `{arg}` of ops.{name}: expected "
            f"square matrices. Received: {arg}.shape={format_shape(x.shape)}"
        )
    return x


@op
def cholesky(x: TensorLike, upper: bool = False) -> torch.Tensor:
    """Cholesky factor of symmetric positive-definite matrices: `L` with
    `x = L @ L^T` (or `U` with `x = U^T @ U` when `upper`).

    Example:

    >>> from lamina import ops
    >>> ops.cholesky([[4.0, 2.0], [2.0, 5.0]]).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    return torch.linalg.cholesky(matrices("cholesky", x), upper=upper)


@op
def cholesky_inverse(x: TensorLike, upper: bool = False) -> torch.Tensor:
    """The inverse of `L @ L^T` (or `U^T @ U` when `upper`), given the
    Cholesky factor `x`.

    Example:

    >>> from lamina import ops
    >>> ops.diag(ops.cholesky_inverse([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [0.25, 0.0625]
    """
    return torch.cholesky_inverse(matrices("cholesky_inverse", x), upper=upper)


@op
def eig(x: TensorLike) -> tuple:
    """Eigenvalues and right eigenvectors of square matrices (complex).

    Example:

    >>> from lamina import ops
    >>> values, _ = ops.eig([[2.0, 0.0], [0.0, 3.0]])
    >>> values.real.tolist()
    [2.0, 3.0]
    """
    return tuple(torch.linalg.eig(matrices("eig", x)))


@op
def eigh(x: TensorLike) -> tuple:
    """Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian
    matrices.

    Example:

    >>> from lamina import ops
    >>> values, _ = ops.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> [round(v, 4) for v in values.tolist()]
    [1.0, 3.0]
    """
    return tuple(torch.linalg.eigh(matrices("eigh", x)))


@op
def lu_factor(x: TensorLike) -> tuple:
    """LU factorization with partial pivoting: the packed `LU` matrix and
    the 0-based pivot indices (LAPACK's `getrf`, as in SciPy).

    Example:

    >>> from lamina import ops
    >>> _, pivots = ops.lu_factor([[1.0, 2.0], [3.0, 4.0]])
    >>> pivots.tolist()
    [1, 1]
    """
    lu, pivots = torch.linalg.lu_factor(matrices("lu_factor", x))
    return lu, pivots - 1


@op
def qr(x: TensorLike, mode: str = "reduced") -> tuple:
    """QR decomposition: `Q` with orthonormal columns and upper
    triangular `R`, `x = Q @ R`.

    Args:
        x: `(..., M, N)` matrices.
        mode: `"reduced"` (`Q` is `(..., M, K)`, `K = min(M, N)`) or
            `"complete"` (`Q` is `(..., M, M)`).

    Example:

    >>> from lamina import ops
    >>> q, r = ops.qr([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    >>> tuple(q.shape), tuple(r.shape)
    ((3, 2), (2, 2))
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(
            invalid_argument(
                "ops.qr", "mode", "one of 'reduced', 'complete'", mode
            )
        )
    return tuple(torch.linalg.qr(matrices("qr", x, square=False), mode=mode))


@op
def svd(
    x: TensorLike, full_matrices: bool = True, compute_uv: bool = True
) -> tuple | torch.Tensor:
    """Singular value decomposition `x = U @ diag(S) @ V^H`.

    Args:
        x: `(..., M, N)` matrices.
        full_matrices: Square `U` and `V^H` if `True`; otherwise their
            reduced `K = min(M, N)` forms.
        compute_uv: If `False`, return only the singular values.

    Returns:
        `(U, S, V^H)`, or `S` alone.

    Example:

    >>> from lamina import ops
    >>> ops.svd([[3.0, 0.0], [0.0, -2.0]], compute_uv=False).tolist()
    [3.0, 2.0]
    """
    x = matrices("svd", x, square=False)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))
