"""`lamina.ops.numpy`: the NumPy-style ops under Keras's
`keras.ops.numpy` names (the same functions as in `lamina.ops`).

Example:

>>> from lamina.ops import numpy as lnp
>>> lnp.add(1, 2).item()
3
"""

# ruff: noqa: PLC0414 - explicit re-exports, as in package __init__ files

from __future__ import annotations

from lamina.ops import abs as abs
from lamina.ops import absolute as absolute
from lamina.ops import add as add
from lamina.ops import all as all
from lamina.ops import allclose as allclose
from lamina.ops import amax as amax
from lamina.ops import amin as amin
from lamina.ops import angle as angle
from lamina.ops import any as any
from lamina.ops import append as append
from lamina.ops import arange as arange
from lamina.ops import arccos as arccos
from lamina.ops import arccosh as arccosh
from lamina.ops import arcsin as arcsin
from lamina.ops import arcsinh as arcsinh
from lamina.ops import arctan as arctan
from lamina.ops import arctan2 as arctan2
from lamina.ops import arctanh as arctanh
from lamina.ops import argmax as argmax
from lamina.ops import argmin as argmin
from lamina.ops import argpartition as argpartition
from lamina.ops import argsort as argsort
from lamina.ops import array as array
from lamina.ops import array_split as array_split
from lamina.ops import average as average
from lamina.ops import bartlett as bartlett
from lamina.ops import bincount as bincount
from lamina.ops import bitwise_and as bitwise_and
from lamina.ops import bitwise_invert as bitwise_invert
from lamina.ops import bitwise_left_shift as bitwise_left_shift
from lamina.ops import bitwise_not as bitwise_not
from lamina.ops import bitwise_or as bitwise_or
from lamina.ops import bitwise_right_shift as bitwise_right_shift
from lamina.ops import bitwise_xor as bitwise_xor
from lamina.ops import blackman as blackman
from lamina.ops import broadcast_to as broadcast_to
from lamina.ops import cbrt as cbrt
from lamina.ops import ceil as ceil
from lamina.ops import clip as clip
from lamina.ops import concatenate as concatenate
from lamina.ops import conj as conj
from lamina.ops import conjugate as conjugate
from lamina.ops import copy as copy
from lamina.ops import corrcoef as corrcoef
from lamina.ops import correlate as correlate
from lamina.ops import cos as cos
from lamina.ops import cosh as cosh
from lamina.ops import count_nonzero as count_nonzero
from lamina.ops import cross as cross
from lamina.ops import cumprod as cumprod
from lamina.ops import cumsum as cumsum
from lamina.ops import deg2rad as deg2rad
from lamina.ops import diag as diag
from lamina.ops import diagflat as diagflat
from lamina.ops import diagonal as diagonal
from lamina.ops import diff as diff
from lamina.ops import digitize as digitize
from lamina.ops import divide as divide
from lamina.ops import divide_no_nan as divide_no_nan
from lamina.ops import dot as dot
from lamina.ops import dsplit as dsplit
from lamina.ops import dstack as dstack
from lamina.ops import einsum as einsum
from lamina.ops import empty as empty
from lamina.ops import empty_like as empty_like
from lamina.ops import equal as equal
from lamina.ops import exp as exp
from lamina.ops import exp2 as exp2
from lamina.ops import expand_dims as expand_dims
from lamina.ops import expm1 as expm1
from lamina.ops import eye as eye
from lamina.ops import fabs as fabs
from lamina.ops import flip as flip
from lamina.ops import fliplr as fliplr
from lamina.ops import flipud as flipud
from lamina.ops import floor as floor
from lamina.ops import floor_divide as floor_divide
from lamina.ops import fmax as fmax
from lamina.ops import fmin as fmin
from lamina.ops import fmod as fmod
from lamina.ops import full as full
from lamina.ops import full_like as full_like
from lamina.ops import gcd as gcd
from lamina.ops import geomspace as geomspace
from lamina.ops import get_item as get_item
from lamina.ops import greater as greater
from lamina.ops import greater_equal as greater_equal
from lamina.ops import hamming as hamming
from lamina.ops import hanning as hanning
from lamina.ops import heaviside as heaviside
from lamina.ops import histogram as histogram
from lamina.ops import hsplit as hsplit
from lamina.ops import hstack as hstack
from lamina.ops import hypot as hypot
from lamina.ops import i0 as i0
from lamina.ops import identity as identity
from lamina.ops import imag as imag
from lamina.ops import inner as inner
from lamina.ops import isclose as isclose
from lamina.ops import isfinite as isfinite
from lamina.ops import isin as isin
from lamina.ops import isinf as isinf
from lamina.ops import isnan as isnan
from lamina.ops import isneginf as isneginf
from lamina.ops import isposinf as isposinf
from lamina.ops import isreal as isreal
from lamina.ops import kaiser as kaiser
from lamina.ops import kron as kron
from lamina.ops import lcm as lcm
from lamina.ops import ldexp as ldexp
from lamina.ops import left_shift as left_shift
from lamina.ops import less as less
from lamina.ops import less_equal as less_equal
from lamina.ops import linspace as linspace
from lamina.ops import log as log
from lamina.ops import log1p as log1p
from lamina.ops import log2 as log2
from lamina.ops import log10 as log10
from lamina.ops import logaddexp as logaddexp
from lamina.ops import logaddexp2 as logaddexp2
from lamina.ops import logical_and as logical_and
from lamina.ops import logical_not as logical_not
from lamina.ops import logical_or as logical_or
from lamina.ops import logical_xor as logical_xor
from lamina.ops import logspace as logspace
from lamina.ops import matmul as matmul
from lamina.ops import max as max
from lamina.ops import maximum as maximum
from lamina.ops import mean as mean
from lamina.ops import median as median
from lamina.ops import meshgrid as meshgrid
from lamina.ops import min as min
from lamina.ops import minimum as minimum
from lamina.ops import mod as mod
from lamina.ops import moveaxis as moveaxis
from lamina.ops import multiply as multiply
from lamina.ops import nan_to_num as nan_to_num
from lamina.ops import nanargmax as nanargmax
from lamina.ops import nanargmin as nanargmin
from lamina.ops import nancumprod as nancumprod
from lamina.ops import nancumsum as nancumsum
from lamina.ops import nanmax as nanmax
from lamina.ops import nanmean as nanmean
from lamina.ops import nanmedian as nanmedian
from lamina.ops import nanmin as nanmin
from lamina.ops import nanpercentile as nanpercentile
from lamina.ops import nanprod as nanprod
from lamina.ops import nanquantile as nanquantile
from lamina.ops import nanstd as nanstd
from lamina.ops import nansum as nansum
from lamina.ops import nanvar as nanvar
from lamina.ops import ndim as ndim
from lamina.ops import negative as negative
from lamina.ops import nextafter as nextafter
from lamina.ops import nonzero as nonzero
from lamina.ops import not_equal as not_equal
from lamina.ops import ones as ones
from lamina.ops import ones_like as ones_like
from lamina.ops import outer as outer
from lamina.ops import pad as pad
from lamina.ops import percentile as percentile
from lamina.ops import power as power
from lamina.ops import prod as prod
from lamina.ops import ptp as ptp
from lamina.ops import quantile as quantile
from lamina.ops import rad2deg as rad2deg
from lamina.ops import ravel as ravel
from lamina.ops import real as real
from lamina.ops import reciprocal as reciprocal
from lamina.ops import repeat as repeat
from lamina.ops import reshape as reshape
from lamina.ops import right_shift as right_shift
from lamina.ops import roll as roll
from lamina.ops import rot90 as rot90
from lamina.ops import round as round
from lamina.ops import searchsorted as searchsorted
from lamina.ops import select as select
from lamina.ops import sign as sign
from lamina.ops import signbit as signbit
from lamina.ops import sin as sin
from lamina.ops import sinc as sinc
from lamina.ops import sinh as sinh
from lamina.ops import size as size
from lamina.ops import slogdet as slogdet
from lamina.ops import sort as sort
from lamina.ops import split as split
from lamina.ops import sqrt as sqrt
from lamina.ops import square as square
from lamina.ops import squeeze as squeeze
from lamina.ops import stack as stack
from lamina.ops import std as std
from lamina.ops import subtract as subtract
from lamina.ops import sum as sum
from lamina.ops import swapaxes as swapaxes
from lamina.ops import take as take
from lamina.ops import take_along_axis as take_along_axis
from lamina.ops import tan as tan
from lamina.ops import tanh as tanh
from lamina.ops import tensordot as tensordot
from lamina.ops import tile as tile
from lamina.ops import trace as trace
from lamina.ops import transpose as transpose
from lamina.ops import trapezoid as trapezoid
from lamina.ops import tri as tri
from lamina.ops import tril as tril
from lamina.ops import triu as triu
from lamina.ops import true_divide as true_divide
from lamina.ops import trunc as trunc
from lamina.ops import unique as unique
from lamina.ops import unravel_index as unravel_index
from lamina.ops import vander as vander
from lamina.ops import var as var
from lamina.ops import vdot as vdot
from lamina.ops import vectorize as vectorize
from lamina.ops import view as view
from lamina.ops import vsplit as vsplit
from lamina.ops import vstack as vstack
from lamina.ops import where as where
from lamina.ops import zeros as zeros
from lamina.ops import zeros_like as zeros_like

__all__ = [
    "abs",
    "absolute",
    "add",
    "all",
    "allclose",
    "amax",
    "amin",
    "angle",
    "any",
    "append",
    "arange",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "argpartition",
    "argsort",
    "array",
    "array_split",
    "average",
    "bartlett",
    "bincount",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "blackman",
    "broadcast_to",
    "cbrt",
    "ceil",
    "clip",
    "concatenate",
    "conj",
    "conjugate",
    "copy",
    "corrcoef",
    "correlate",
    "cos",
    "cosh",
    "count_nonzero",
    "cross",
    "cumprod",
    "cumsum",
    "deg2rad",
    "diag",
    "diagflat",
    "diagonal",
    "diff",
    "digitize",
    "divide",
    "divide_no_nan",
    "dot",
    "dsplit",
    "dstack",
    "einsum",
    "empty",
    "empty_like",
    "equal",
    "exp",
    "exp2",
    "expand_dims",
    "expm1",
    "eye",
    "fabs",
    "flip",
    "fliplr",
    "flipud",
    "floor",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "full",
    "full_like",
    "gcd",
    "geomspace",
    "get_item",
    "greater",
    "greater_equal",
    "hamming",
    "hanning",
    "heaviside",
    "histogram",
    "hsplit",
    "hstack",
    "hypot",
    "i0",
    "identity",
    "imag",
    "inner",
    "isclose",
    "isfinite",
    "isin",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "kaiser",
    "kron",
    "lcm",
    "ldexp",
    "left_shift",
    "less",
    "less_equal",
    "linspace",
    "log",
    "log1p",
    "log2",
    "log10",
    "logaddexp",
    "logaddexp2",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logspace",
    "matmul",
    "max",
    "maximum",
    "mean",
    "median",
    "meshgrid",
    "min",
    "minimum",
    "mod",
    "moveaxis",
    "multiply",
    "nan_to_num",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanpercentile",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "ndim",
    "negative",
    "nextafter",
    "nonzero",
    "not_equal",
    "ones",
    "ones_like",
    "outer",
    "pad",
    "percentile",
    "power",
    "prod",
    "ptp",
    "quantile",
    "rad2deg",
    "ravel",
    "real",
    "reciprocal",
    "repeat",
    "reshape",
    "right_shift",
    "roll",
    "rot90",
    "round",
    "searchsorted",
    "select",
    "sign",
    "signbit",
    "sin",
    "sinc",
    "sinh",
    "size",
    "slogdet",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "subtract",
    "sum",
    "swapaxes",
    "take",
    "take_along_axis",
    "tan",
    "tanh",
    "tensordot",
    "tile",
    "trace",
    "transpose",
    "trapezoid",
    "tri",
    "tril",
    "triu",
    "true_divide",
    "trunc",
    "unique",
    "unravel_index",
    "vander",
    "var",
    "vdot",
    "vectorize",
    "view",
    "vsplit",
    "vstack",
    "where",
    "zeros",
    "zeros_like",
]
