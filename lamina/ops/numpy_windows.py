"""NumPy's symmetric window functions: `bartlett`, `blackman`, `hamming`,
`hanning`, `kaiser` (via `torch.signal.windows`), in `float32`."""

from __future__ import annotations

import torch

from lamina.ops._convert import to_tensor
from lamina.ops._op import op


def _length(name: str, x) -> int:
    t = to_tensor(x)
    if t.ndim != 0 or t.dtype.is_floating_point or t.dtype == torch.bool:
        raise TypeError(
            f"Invalid value for argument `x` of ops.{name}: expected an "
            f"integer window length. Received: x={x!r}"
        )
    return int(t)


@op
def bartlett(x: int) -> torch.Tensor:
    """The Bartlett (triangular) window of length `x`.

    Args:
        x: The window length.

    Returns:
        A 1-D `float32` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.bartlett(5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return torch.signal.windows.bartlett(_length("bartlett", x))


@op
def blackman(x: int) -> torch.Tensor:
    """The Blackman window of length `x`.

    Args:
        x: The window length.

    Returns:
        A 1-D `float32` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.blackman(3).shape
    torch.Size([3])
    """
    return torch.signal.windows.blackman(_length("blackman", x))


@op
def hamming(x: int) -> torch.Tensor:
    """The Hamming window of length `x`.

    Args:
        x: The window length.

    Returns:
        A 1-D `float32` tensor.

    Example:

    >>> from lamina import ops
    >>> [round(v, 2) for v in ops.hamming(3).tolist()]
    [0.08, 1.0, 0.08]
    """
    return torch.signal.windows.hamming(_length("hamming", x))


@op
def hanning(x: int) -> torch.Tensor:
    """The Hann window of length `x`.

    Args:
        x: The window length.

    Returns:
        A 1-D `float32` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.hanning(3).tolist()
    [0.0, 1.0, 0.0]
    """
    return torch.signal.windows.hann(_length("hanning", x))


@op
def kaiser(x: int, beta: float) -> torch.Tensor:
    """The Kaiser window of length `x` and shape `beta`.

    Args:
        x: The window length.
        beta: The shape parameter (0 gives a rectangle).

    Returns:
        A 1-D `float32` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.kaiser(3, 0.0).tolist()
    [1.0, 1.0, 1.0]
    """
    return torch.signal.windows.kaiser(_length("kaiser", x), beta=beta)
