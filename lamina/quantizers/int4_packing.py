"""Two int4 values per byte: `pack_int4` and `unpack_int4`.

Along the packed axis, element `2k` goes to the low nibble of byte `k` and
element `2k + 1` to its high nibble (an odd length is padded with a zero).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.quantizers._tensor import as_tensor
from lamina.utils.dtype_utils import standardize_dtype

_DTYPES = {"int8": torch.int8, "uint8": torch.uint8}


def _check_dtype(dtype: str) -> None:
    if dtype not in _DTYPES:
        raise ValueError(
            f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'."
        )


def pack_int4(
    arr: Any, axis: int = 0, dtype: str = "int8"
) -> tuple[torch.Tensor, tuple, int]:
    """Pack int4 values (held in an int8 or uint8 tensor) two per byte.

    Args:
        arr: int4 values in `[-8, 7]` (int8) or `[0, 15]` (uint8).
        axis: the axis to pack along.
        dtype: `"int8"` or `"uint8"`: the dtype of `arr` and of the result.

    Returns:
        `(packed, packed_shape, orig_len)`: the packed tensor (the axis
        halved, rounded up), its shape, and the axis's original length.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([[-3, 7], [2, -8], [1, 0]], dtype=torch.int8)
    >>> packed, shape, n = lamina.quantizers.pack_int4(x)
    >>> packed
    tensor([[  45, -121],
            [   1,    0]], dtype=torch.int8)
    >>> lamina.quantizers.unpack_int4(packed, n).equal(x)
    True
    """
    _check_dtype(dtype)
    x = as_tensor(arr)
    if standardize_dtype(x.dtype) != dtype:
        raise TypeError(
            f"Expected {dtype} tensor for packing, got "
            f"{standardize_dtype(x.dtype)}."
        )
    axis = axis % x.ndim
    x = x.movedim(axis, 0)
    n = x.shape[0]
    if n % 2:
        x = torch.cat([x, x.new_zeros((1,) + tuple(x.shape[1:]))])
    # Work in int32 so that the shifted high nibble cannot overflow.
    low = x[0::2].to(torch.int32) & 0x0F
    high = x[1::2].to(torch.int32) & 0x0F
    packed = (low | (high << 4)).to(torch.uint8)
    if dtype == "int8":
        packed = packed.view(torch.int8)
    packed = packed.movedim(0, axis).contiguous()
    return packed, tuple(packed.shape), n


def unpack_int4(
    packed: Any, orig_len: int, axis: int = 0, dtype: str = "int8"
) -> torch.Tensor:
    """Undo `pack_int4`: the int4 values, `orig_len` long along `axis`.

    Args:
        packed: an int8 or uint8 tensor of packed nibbles.
        orig_len: the unpadded length of `axis`.
        axis: the axis that was packed.
        dtype: `"int8"` gives signed values in `[-8, 7]`, `"uint8"`
            unsigned ones in `[0, 15]`.

    Returns:
        The unpacked tensor, of dtype `dtype`.
    """
    _check_dtype(dtype)
    p = as_tensor(packed)
    if standardize_dtype(p.dtype) not in _DTYPES:
        raise TypeError(
            f"Expected int8 or uint8 tensor for unpacking, got {p.dtype}"
        )
    axis = axis % p.ndim
    p = p.movedim(axis, 0)
    low = p & 0x0F
    high = (p >> 4) & 0x0F
    if dtype == "int8":
        # (x ^ 8) - 8 maps the nibbles 8..15 to -8..-1.
        low = (low ^ 8) - 8
        high = (high ^ 8) - 8
    target = _DTYPES[dtype]
    stacked = torch.stack([low.to(target), high.to(target)], dim=1)
    unpacked = stacked.reshape((-1,) + tuple(p.shape[1:]))[:orig_len]
    return unpacked.movedim(0, axis)
