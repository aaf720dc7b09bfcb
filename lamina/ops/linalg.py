"""`lamina.ops.linalg`: the names of `keras.ops.linalg`, nothing else
(re-exported from `linalg_decomp`, `linalg_solve` and `numpy_linalg`).
"""

from lamina.ops.linalg_decomp import cholesky as cholesky
from lamina.ops.linalg_decomp import cholesky_inverse as cholesky_inverse
from lamina.ops.linalg_solve import det as det
from lamina.ops.linalg_decomp import eig as eig
from lamina.ops.linalg_decomp import eigh as eigh
from lamina.ops.linalg_solve import inv as inv
from lamina.ops.linalg_solve import jvp as jvp
from lamina.ops.linalg_solve import lstsq as lstsq
from lamina.ops.linalg_decomp import lu_factor as lu_factor
from lamina.ops.linalg_solve import matrix_rank as matrix_rank
from lamina.ops.numpy_linalg import norm as norm
from lamina.ops.linalg_solve import pinv as pinv
from lamina.ops.linalg_decomp import qr as qr
from lamina.ops.linalg_solve import solve as solve
from lamina.ops.linalg_solve import solve_triangular as solve_triangular
from lamina.ops.linalg_decomp import svd as svd

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]
