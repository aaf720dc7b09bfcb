"""`lamina.ops`: the Keras 3 operations (`keras.ops`), written in torch.

Names, arguments, defaults and result dtypes follow Keras 3 on its torch
backend. Inputs may be torch tensors, NumPy arrays or Python values; the
results are torch tensors on the device of the tensor inputs. Every op
also accepts symbolic tensors, where it records a graph node.

Example:

>>> from lamina import ops
>>> ops.add(ops.ones((2,)), 1.0).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from lamina.ops.core import cast as cast
from lamina.ops.core import convert_to_tensor as convert_to_tensor
from lamina.ops.core import convert_to_numpy as convert_to_numpy
from lamina.ops.core import is_tensor as is_tensor
from lamina.ops.core import dtype as dtype
from lamina.ops.core import shape as shape
from lamina.ops.core import stop_gradient as stop_gradient
from lamina.ops.core import unstack as unstack
from lamina.ops.core import cond as cond
from lamina.ops.core import while_loop as while_loop
from lamina.ops.core import fori_loop as fori_loop
from lamina.ops.core_scatter import slice as slice
from lamina.ops.core_scatter import slice_update as slice_update
from lamina.ops.core_scatter import scatter as scatter
from lamina.ops.core_scatter import scatter_update as scatter_update
from lamina.ops.math import top_k as top_k
from lamina.ops.math import in_top_k as in_top_k
from lamina.ops.math import logsumexp as logsumexp
from lamina.ops.math import erf as erf
from lamina.ops.math import rsqrt as rsqrt
from lamina.ops.math import segment_sum as segment_sum
from lamina.ops.math import segment_max as segment_max
from lamina.ops.nn import one_hot as one_hot
from lamina.ops.nn import multi_hot as multi_hot
from lamina.ops.nn import moments as moments
from lamina.ops.nn import normalize as normalize
from lamina.ops.nn_activations import relu as relu
from lamina.ops.nn_activations import relu6 as relu6
from lamina.ops.nn_activations import sigmoid as sigmoid
from lamina.ops.nn_activations import softplus as softplus
from lamina.ops.nn_activations import softsign as softsign
from lamina.ops.nn_activations import silu as silu
from lamina.ops.nn_activations import swish as swish
from lamina.ops.nn_activations import selu as selu
from lamina.ops.nn_activations import hard_sigmoid as hard_sigmoid
from lamina.ops.nn_activations import hard_silu as hard_silu
from lamina.ops.nn_activations import hard_swish as hard_swish
from lamina.ops.nn_activations import log_sigmoid as log_sigmoid
from lamina.ops.nn_activations import leaky_relu as leaky_relu
from lamina.ops.nn_activations import elu as elu
from lamina.ops.nn_activations import gelu as gelu
from lamina.ops.nn_activations import softmax as softmax
from lamina.ops.nn_activations import log_softmax as log_softmax
from lamina.ops.nn_attention import (
    dot_product_attention as dot_product_attention,
)
from lamina.ops.nn_losses import binary_crossentropy as binary_crossentropy
from lamina.ops.nn_losses import (
    categorical_crossentropy as categorical_crossentropy,
)
from lamina.ops.nn_losses import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from lamina.ops.numpy_accumulate import all as all
from lamina.ops.numpy_accumulate import any as any
from lamina.ops.numpy_accumulate import count_nonzero as count_nonzero
from lamina.ops.numpy_accumulate import cumsum as cumsum
from lamina.ops.numpy_accumulate import cumprod as cumprod
from lamina.ops.numpy_arith import add as add
from lamina.ops.numpy_arith import subtract as subtract
from lamina.ops.numpy_arith import multiply as multiply
from lamina.ops.numpy_arith import divide as divide
from lamina.ops.numpy_arith import true_divide as true_divide
from lamina.ops.numpy_arith import floor_divide as floor_divide
from lamina.ops.numpy_arith import mod as mod
from lamina.ops.numpy_arith import power as power
from lamina.ops.numpy_arith import maximum as maximum
from lamina.ops.numpy_arith import minimum as minimum
from lamina.ops.numpy_create import zeros as zeros
from lamina.ops.numpy_create import ones as ones
from lamina.ops.numpy_create import zeros_like as zeros_like
from lamina.ops.numpy_create import ones_like as ones_like
from lamina.ops.numpy_create import full as full
from lamina.ops.numpy_create import full_like as full_like
from lamina.ops.numpy_create import arange as arange
from lamina.ops.numpy_create import linspace as linspace
from lamina.ops.numpy_create import eye as eye
from lamina.ops.numpy_create import identity as identity
from lamina.ops.numpy_index import take as take
from lamina.ops.numpy_index import take_along_axis as take_along_axis
from lamina.ops.numpy_index import sort as sort
from lamina.ops.numpy_index import argsort as argsort
from lamina.ops.numpy_index import diag as diag
from lamina.ops.numpy_index import tril as tril
from lamina.ops.numpy_index import triu as triu
from lamina.ops.numpy_index import trace as trace
from lamina.ops.numpy_join import concatenate as concatenate
from lamina.ops.numpy_join import stack as stack
from lamina.ops.numpy_join import split as split
from lamina.ops.numpy_join import tile as tile
from lamina.ops.numpy_join import repeat as repeat
from lamina.ops.numpy_linalg import matmul as matmul
from lamina.ops.numpy_linalg import dot as dot
from lamina.ops.numpy_linalg import tensordot as tensordot
from lamina.ops.numpy_linalg import einsum as einsum
from lamina.ops.numpy_linalg import outer as outer
from lamina.ops.numpy_linalg import norm as norm
from lamina.ops.numpy_logic import equal as equal
from lamina.ops.numpy_logic import not_equal as not_equal
from lamina.ops.numpy_logic import less as less
from lamina.ops.numpy_logic import less_equal as less_equal
from lamina.ops.numpy_logic import greater as greater
from lamina.ops.numpy_logic import greater_equal as greater_equal
from lamina.ops.numpy_logic import logical_and as logical_and
from lamina.ops.numpy_logic import logical_or as logical_or
from lamina.ops.numpy_logic import logical_xor as logical_xor
from lamina.ops.numpy_logic import logical_not as logical_not
from lamina.ops.numpy_logic import isnan as isnan
from lamina.ops.numpy_logic import isinf as isinf
from lamina.ops.numpy_logic import isfinite as isfinite
from lamina.ops.numpy_logic import where as where
from lamina.ops.numpy_pad import pad as pad
from lamina.ops.numpy_reduce import sum as sum
from lamina.ops.numpy_reduce import mean as mean
from lamina.ops.numpy_reduce import max as max
from lamina.ops.numpy_reduce import min as min
from lamina.ops.numpy_reduce import prod as prod
from lamina.ops.numpy_reduce import std as std
from lamina.ops.numpy_reduce import var as var
from lamina.ops.numpy_reduce import argmax as argmax
from lamina.ops.numpy_reduce import argmin as argmin
from lamina.ops.numpy_shape import reshape as reshape
from lamina.ops.numpy_shape import transpose as transpose
from lamina.ops.numpy_shape import expand_dims as expand_dims
from lamina.ops.numpy_shape import squeeze as squeeze
from lamina.ops.numpy_shape import moveaxis as moveaxis
from lamina.ops.numpy_shape import swapaxes as swapaxes
from lamina.ops.numpy_shape import broadcast_to as broadcast_to
from lamina.ops.numpy_shape import flip as flip
from lamina.ops.numpy_shape import roll as roll
from lamina.ops.numpy_shape import ndim as ndim
from lamina.ops.numpy_shape import size as size
from lamina.ops.numpy_transcendental import exp as exp
from lamina.ops.numpy_transcendental import expm1 as expm1
from lamina.ops.numpy_transcendental import log as log
from lamina.ops.numpy_transcendental import log1p as log1p
from lamina.ops.numpy_transcendental import log2 as log2
from lamina.ops.numpy_transcendental import log10 as log10
from lamina.ops.numpy_transcendental import sin as sin
from lamina.ops.numpy_transcendental import cos as cos
from lamina.ops.numpy_transcendental import tan as tan
from lamina.ops.numpy_transcendental import tanh as tanh
from lamina.ops.numpy_transcendental import sinh as sinh
from lamina.ops.numpy_transcendental import cosh as cosh
from lamina.ops.numpy_transcendental import arcsin as arcsin
from lamina.ops.numpy_transcendental import arccos as arccos
from lamina.ops.numpy_transcendental import arctan as arctan
from lamina.ops.numpy_transcendental import arctan2 as arctan2
from lamina.ops.numpy_unary import negative as negative
from lamina.ops.numpy_unary import square as square
from lamina.ops.numpy_unary import sqrt as sqrt
from lamina.ops.numpy_unary import absolute as absolute
from lamina.ops.numpy_unary import abs as abs
from lamina.ops.numpy_unary import sign as sign
from lamina.ops.numpy_unary import round as round
from lamina.ops.numpy_unary import floor as floor
from lamina.ops.numpy_unary import ceil as ceil
from lamina.ops.numpy_unary import clip as clip

# --- NumPy-style and core additions (issue 14, ops1): keep grouped. ---
from lamina.ops.core_control import associative_scan as associative_scan
from lamina.ops.core_custom_gradient import (
    custom_gradient as custom_gradient,
)
from lamina.ops.core_control import map as map
from lamina.ops.core_control import scan as scan
from lamina.ops.core_control import switch as switch
from lamina.ops.core_control import vectorized_map as vectorized_map
from lamina.ops.numpy_unary_extra import reciprocal as reciprocal
from lamina.ops.numpy_unary_extra import trunc as trunc
from lamina.ops.numpy_unary_extra import cbrt as cbrt
from lamina.ops.numpy_unary_extra import exp2 as exp2
from lamina.ops.numpy_unary_extra import fabs as fabs
from lamina.ops.numpy_unary_extra import signbit as signbit
from lamina.ops.numpy_unary_extra import sinc as sinc
from lamina.ops.numpy_unary_extra import i0 as i0
from lamina.ops.numpy_unary_extra import nan_to_num as nan_to_num
from lamina.ops.numpy_hyperbolic import arccosh as arccosh
from lamina.ops.numpy_hyperbolic import arcsinh as arcsinh
from lamina.ops.numpy_hyperbolic import arctanh as arctanh
from lamina.ops.numpy_hyperbolic import deg2rad as deg2rad
from lamina.ops.numpy_hyperbolic import rad2deg as rad2deg
from lamina.ops.numpy_hyperbolic import erfc as erfc
from lamina.ops.numpy_hyperbolic import erfinv as erfinv
from lamina.ops.numpy_binary_extra import logaddexp as logaddexp
from lamina.ops.numpy_binary_extra import logaddexp2 as logaddexp2
from lamina.ops.numpy_binary_extra import hypot as hypot
from lamina.ops.numpy_binary_extra import heaviside as heaviside
from lamina.ops.numpy_binary_extra import fmax as fmax
from lamina.ops.numpy_binary_extra import fmin as fmin
from lamina.ops.numpy_binary_extra import fmod as fmod
from lamina.ops.numpy_binary_extra import gcd as gcd
from lamina.ops.numpy_binary_extra import lcm as lcm
from lamina.ops.numpy_binary_extra import ldexp as ldexp
from lamina.ops.numpy_binary_extra import nextafter as nextafter
from lamina.ops.numpy_binary_extra import divide_no_nan as divide_no_nan
from lamina.ops.numpy_stats import amax as amax
from lamina.ops.numpy_stats import amin as amin
from lamina.ops.numpy_stats import ptp as ptp
from lamina.ops.numpy_stats import average as average
from lamina.ops.numpy_stats import quantile as quantile
from lamina.ops.numpy_stats import percentile as percentile
from lamina.ops.numpy_stats import median as median
from lamina.ops.numpy_nan import nanmax as nanmax
from lamina.ops.numpy_nan import nanmin as nanmin
from lamina.ops.numpy_nan import nanargmax as nanargmax
from lamina.ops.numpy_nan import nanargmin as nanargmin
from lamina.ops.numpy_nan import nansum as nansum
from lamina.ops.numpy_nan import nanprod as nanprod
from lamina.ops.numpy_nan import nanmean as nanmean
from lamina.ops.numpy_nan import nanvar as nanvar
from lamina.ops.numpy_nan import nanstd as nanstd
from lamina.ops.numpy_nan_order import nancumsum as nancumsum
from lamina.ops.numpy_nan_order import nancumprod as nancumprod
from lamina.ops.numpy_nan_order import nanquantile as nanquantile
from lamina.ops.numpy_nan_order import nanpercentile as nanpercentile
from lamina.ops.numpy_nan_order import nanmedian as nanmedian
from lamina.ops.numpy_join_extra import hstack as hstack
from lamina.ops.numpy_join_extra import vstack as vstack
from lamina.ops.numpy_join_extra import dstack as dstack
from lamina.ops.numpy_join_extra import append as append
from lamina.ops.numpy_join_extra import array_split as array_split
from lamina.ops.numpy_join_extra import hsplit as hsplit
from lamina.ops.numpy_join_extra import vsplit as vsplit
from lamina.ops.numpy_join_extra import dsplit as dsplit
from lamina.ops.numpy_shape_extra import ravel as ravel
from lamina.ops.numpy_shape_extra import rot90 as rot90
from lamina.ops.numpy_shape_extra import fliplr as fliplr
from lamina.ops.numpy_shape_extra import flipud as flipud
from lamina.ops.numpy_shape_extra import diagonal as diagonal
from lamina.ops.numpy_shape_extra import diagflat as diagflat
from lamina.ops.numpy_shape_extra import meshgrid as meshgrid
from lamina.ops.numpy_shape_extra import view as view
from lamina.ops.numpy_shape_extra import get_item as get_item
from lamina.ops.numpy_shape_extra import unravel_index as unravel_index
from lamina.ops.numpy_select import nonzero as nonzero
from lamina.ops.numpy_select import unique as unique
from lamina.ops.numpy_select import isin as isin
from lamina.ops.numpy_select import select as select
from lamina.ops.numpy_select import argpartition as argpartition
from lamina.ops.numpy_bins import searchsorted as searchsorted
from lamina.ops.numpy_bins import digitize as digitize
from lamina.ops.numpy_bins import bincount as bincount
from lamina.ops.numpy_bins import histogram as histogram
from lamina.ops.numpy_close import isclose as isclose
from lamina.ops.numpy_close import allclose as allclose
from lamina.ops.numpy_close import isneginf as isneginf
from lamina.ops.numpy_close import isposinf as isposinf
from lamina.ops.numpy_close import isreal as isreal
from lamina.ops.numpy_create_extra import array as array
from lamina.ops.numpy_create_extra import copy as copy
from lamina.ops.numpy_create_extra import empty as empty
from lamina.ops.numpy_create_extra import empty_like as empty_like
from lamina.ops.numpy_create_extra import tri as tri
from lamina.ops.numpy_create_extra import vander as vander
from lamina.ops.numpy_create_extra import logspace as logspace
from lamina.ops.numpy_create_extra import geomspace as geomspace
from lamina.ops.numpy_windows import bartlett as bartlett
from lamina.ops.numpy_windows import blackman as blackman
from lamina.ops.numpy_windows import hamming as hamming
from lamina.ops.numpy_windows import hanning as hanning
from lamina.ops.numpy_windows import kaiser as kaiser
from lamina.ops.core_cast import saturate_cast as saturate_cast
from lamina.ops.numpy_bitwise import bitwise_and as bitwise_and
from lamina.ops.numpy_bitwise import bitwise_or as bitwise_or
from lamina.ops.numpy_bitwise import bitwise_xor as bitwise_xor
from lamina.ops.numpy_bitwise import bitwise_invert as bitwise_invert
from lamina.ops.numpy_bitwise import bitwise_not as bitwise_not
from lamina.ops.numpy_bitwise import bitwise_left_shift as bitwise_left_shift
from lamina.ops.numpy_bitwise import left_shift as left_shift
from lamina.ops.numpy_bitwise import bitwise_right_shift as bitwise_right_shift
from lamina.ops.numpy_bitwise import right_shift as right_shift
from lamina.ops.math import segment_min as segment_min
from lamina.ops.math import segment_prod as segment_prod
from lamina.ops.numpy_products import cross as cross
from lamina.ops.numpy_products import kron as kron
from lamina.ops.numpy_products import inner as inner
from lamina.ops.numpy_products import vdot as vdot
from lamina.ops.numpy_products import correlate as correlate
from lamina.ops.numpy_products import diff as diff
from lamina.ops.numpy_products import trapezoid as trapezoid
from lamina.ops.numpy_complex import real as real
from lamina.ops.numpy_complex import imag as imag
from lamina.ops.numpy_complex import conj as conj
from lamina.ops.numpy_complex import conjugate as conjugate
from lamina.ops.numpy_complex import angle as angle
from lamina.ops.numpy_complex import view_as_complex as view_as_complex
from lamina.ops.numpy_complex import view_as_real as view_as_real
from lamina.ops.numpy_matrix import slogdet as slogdet
from lamina.ops.numpy_matrix import logdet as logdet
from lamina.ops.numpy_matrix import cdist as cdist
from lamina.ops.numpy_matrix import corrcoef as corrcoef
from lamina.ops.core_rearrange import rearrange as rearrange
from lamina.ops.numpy_vectorize import vectorize as vectorize
# --- end of ops1 additions ---

__all__ = [
    "abs",
    "absolute",
    "add",
    "all",
    "any",
    "arange",
    "arccos",
    "arcsin",
    "arctan",
    "arctan2",
    "argmax",
    "argmin",
    "argsort",
    "binary_crossentropy",
    "broadcast_to",
    "cast",
    "categorical_crossentropy",
    "ceil",
    "clip",
    "concatenate",
    "cond",
    "convert_to_numpy",
    "convert_to_tensor",
    "cos",
    "cosh",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "diag",
    "divide",
    "dot",
    "dot_product_attention",
    "dtype",
    "einsum",
    "elu",
    "equal",
    "erf",
    "exp",
    "expand_dims",
    "expm1",
    "eye",
    "flip",
    "floor",
    "floor_divide",
    "fori_loop",
    "full",
    "full_like",
    "gelu",
    "greater",
    "greater_equal",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "identity",
    "in_top_k",
    "is_tensor",
    "isfinite",
    "isinf",
    "isnan",
    "leaky_relu",
    "less",
    "less_equal",
    "linspace",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_sigmoid",
    "log_softmax",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsumexp",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mod",
    "moments",
    "moveaxis",
    "multi_hot",
    "multiply",
    "ndim",
    "negative",
    "norm",
    "normalize",
    "not_equal",
    "one_hot",
    "ones",
    "ones_like",
    "outer",
    "pad",
    "power",
    "prod",
    "relu",
    "relu6",
    "repeat",
    "reshape",
    "roll",
    "round",
    "rsqrt",
    "scatter",
    "scatter_update",
    "segment_max",
    "segment_sum",
    "selu",
    "shape",
    "sigmoid",
    "sign",
    "silu",
    "sin",
    "sinh",
    "size",
    "slice",
    "slice_update",
    "softmax",
    "softplus",
    "softsign",
    "sort",
    "sparse_categorical_crossentropy",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "stop_gradient",
    "subtract",
    "sum",
    "swapaxes",
    "swish",
    "take",
    "take_along_axis",
    "tan",
    "tanh",
    "tensordot",
    "tile",
    "top_k",
    "trace",
    "transpose",
    "tril",
    "triu",
    "true_divide",
    "unstack",
    "var",
    "where",
    "while_loop",
    "zeros",
    "zeros_like",
]

# NumPy-style and core additions (issue 14, ops1).
__all__ += [
    "associative_scan",
    "custom_gradient",
    "map",
    "scan",
    "switch",
    "vectorized_map",
    "reciprocal",
    "trunc",
    "cbrt",
    "exp2",
    "fabs",
    "signbit",
    "sinc",
    "i0",
    "nan_to_num",
    "arccosh",
    "arcsinh",
    "arctanh",
    "deg2rad",
    "rad2deg",
    "erfc",
    "erfinv",
    "logaddexp",
    "logaddexp2",
    "hypot",
    "heaviside",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "lcm",
    "ldexp",
    "nextafter",
    "divide_no_nan",
    "amax",
    "amin",
    "ptp",
    "average",
    "quantile",
    "percentile",
    "median",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nancumsum",
    "nancumprod",
    "nanquantile",
    "nanpercentile",
    "nanmedian",
    "hstack",
    "vstack",
    "dstack",
    "append",
    "array_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "ravel",
    "rot90",
    "fliplr",
    "flipud",
    "diagonal",
    "diagflat",
    "meshgrid",
    "view",
    "get_item",
    "unravel_index",
    "nonzero",
    "unique",
    "isin",
    "select",
    "argpartition",
    "searchsorted",
    "digitize",
    "bincount",
    "histogram",
    "isclose",
    "allclose",
    "isneginf",
    "isposinf",
    "isreal",
    "array",
    "copy",
    "empty",
    "empty_like",
    "tri",
    "vander",
    "logspace",
    "geomspace",
    "bartlett",
    "blackman",
    "hamming",
    "hanning",
    "kaiser",
    "saturate_cast",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_not",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
    "segment_min",
    "segment_prod",
    "cross",
    "kron",
    "inner",
    "vdot",
    "correlate",
    "diff",
    "trapezoid",
    "real",
    "imag",
    "conj",
    "conjugate",
    "angle",
    "view_as_complex",
    "view_as_real",
    "slogdet",
    "logdet",
    "cdist",
    "corrcoef",
    "rearrange",
    "vectorize",
]

# Keras's `keras.ops.numpy` namespace, built from the names above.
from lamina.ops import numpy as numpy  # noqa: E402

__all__ += ["numpy"]

# -- nn, linalg, image and signal ops (one block; kept apart from the
# numpy/core names above so that parallel edits merge cleanly) ----------
from lamina.ops import image as image, linalg as linalg, nn as nn
from lamina.ops.linalg_decomp import (
    cholesky as cholesky,
    cholesky_inverse as cholesky_inverse,
    eig as eig,
    eigh as eigh,
    lu_factor as lu_factor,
    qr as qr,
    svd as svd,
)
from lamina.ops.linalg_solve import (
    det as det,
    inv as inv,
    jvp as jvp,
    lstsq as lstsq,
    matrix_rank as matrix_rank,
    pinv as pinv,
    solve as solve,
    solve_triangular as solve_triangular,
)
from lamina.ops.math_fft import (
    fft as fft,
    fft2 as fft2,
    ifft2 as ifft2,
    irfft as irfft,
    rfft as rfft,
)
from lamina.ops.math_signal import (
    extract_sequences as extract_sequences,
    istft as istft,
    stft as stft,
)
from lamina.ops.nn_activations_extra import (
    celu as celu,
    glu as glu,
    hard_shrink as hard_shrink,
    hard_tanh as hard_tanh,
    soft_shrink as soft_shrink,
    sparse_plus as sparse_plus,
    sparse_sigmoid as sparse_sigmoid,
    sparsemax as sparsemax,
    squareplus as squareplus,
    tanh_shrink as tanh_shrink,
    threshold as threshold,
)
from lamina.ops.nn_conv import (
    conv as conv,
    conv_transpose as conv_transpose,
    depthwise_conv as depthwise_conv,
    separable_conv as separable_conv,
)
from lamina.ops.nn_ctc import ctc_decode as ctc_decode, ctc_loss as ctc_loss
from lamina.ops.nn_misc import polar as polar, psnr as psnr
from lamina.ops.nn_norm import (
    batch_normalization as batch_normalization,
    layer_normalization as layer_normalization,
    rms_normalization as rms_normalization,
)
from lamina.ops.nn_pool import (
    adaptive_average_pool as adaptive_average_pool,
    adaptive_max_pool as adaptive_max_pool,
    average_pool as average_pool,
    max_pool as max_pool,
)
from lamina.ops.nn_space import (
    depth_to_space as depth_to_space,
    fold as fold,
    space_to_depth as space_to_depth,
    unfold as unfold,
)

__all__ += [
    "image",
    "linalg",
    "cholesky",
    "cholesky_inverse",
    "eig",
    "eigh",
    "lu_factor",
    "qr",
    "svd",
    "det",
    "inv",
    "jvp",
    "lstsq",
    "matrix_rank",
    "pinv",
    "solve",
    "solve_triangular",
    "fft",
    "fft2",
    "ifft2",
    "irfft",
    "rfft",
    "extract_sequences",
    "istft",
    "stft",
    "nn",
    "celu",
    "glu",
    "hard_shrink",
    "hard_tanh",
    "soft_shrink",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "tanh_shrink",
    "threshold",
    "conv",
    "conv_transpose",
    "depthwise_conv",
    "separable_conv",
    "ctc_decode",
    "ctc_loss",
    "polar",
    "psnr",
    "batch_normalization",
    "layer_normalization",
    "rms_normalization",
    "adaptive_average_pool",
    "adaptive_max_pool",
    "average_pool",
    "max_pool",
    "depth_to_space",
    "fold",
    "space_to_depth",
    "unfold",
]
