"""Where an `EinsumDense` equation puts each axis, for quantization.

An equation `"<in>,<kernel>-><out>"` (with `...` expanded for the input's
rank, as Keras does) tells which input and kernel axes are contracted
(absent from the output): those are the axes each abs-max scale reduces.
A scale is stored and applied in the output's layout: one axis per
output label, sized like the tensor's axis of that label, 1 where the
tensor has none. (Keras reaches the same shapes with transposes, expands
and squeezes; `kernel_scale`'s saved shape is this one.)
"""

from __future__ import annotations

import re
import string

import torch


def specs(equation: str, input_rank: int) -> tuple[str, str, str]:
    """`(input, kernel, output)` labels, `...` replaced by fresh labels."""
    text = re.sub(r"\.\.\.", "0", equation)
    plain = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", text)
    if plain:
        inp, kernel, out = plain.groups()
        return inp, kernel, out
    left = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", text)
    right = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", text)
    match = left or right
    if match is None:
        raise ValueError(
            f"Invalid einsum equation '{equation}'. Equations must be in the "
            "form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    inp, kernel, out = match.groups()
    free = sorted(set(string.ascii_letters) - set(inp + kernel + out))
    extra = "".join(free[: input_rank - len(inp)])
    if left:
        return extra + inp, kernel, extra + out
    return inp + extra, kernel, out + extra


def reduced_axes(spec: str, out: str) -> tuple[int, ...]:
    """The axes of `spec` contracted away (labels absent from `out`)."""
    return tuple(i for i, label in enumerate(spec) if label not in out)


def to_output_layout(scale: torch.Tensor, spec: str, out: str) -> torch.Tensor:
    """A keepdims scale over `spec`'s contracted axes, laid out to
    broadcast against the output."""
    kept = [label for label in spec if label in out]
    squeezed = scale.reshape(
        [scale.shape[i] for i, l in enumerate(spec) if l in out]
    )
    ordered = squeezed.permute([kept.index(l) for l in out if l in kept])
    return ordered.reshape(
        [scale.shape[spec.index(l)] if l in spec else 1 for l in out]
    )


def to_kernel_layout(scale: torch.Tensor, spec: str, out: str) -> torch.Tensor:
    """Undo `to_output_layout` for the kernel: the keepdims scale in the
    kernel's axis order (contracted axes of size 1)."""
    in_out = [l for l in out if l in spec]
    squeezed = scale.reshape([scale.shape[out.index(l)] for l in in_out])
    ordered = squeezed.permute([in_out.index(l) for l in spec if l in in_out])
    return ordered.reshape(
        [squeezed.shape[in_out.index(l)] if l in in_out else 1 for l in spec]
    )
