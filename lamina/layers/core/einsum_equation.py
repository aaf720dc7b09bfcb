"""The equation of `EinsumDense`: its three accepted forms, and the
kernel and bias shapes it implies for an input shape (as Keras derives
them)."""

from __future__ import annotations

import re
from typing import Any, Sequence

from lamina.errors import invalid_argument

_L = "([a-zA-Z]+)"
# The three forms Keras accepts: no ellipsis, leading, trailing ellipsis.
_FORMS = (
    ("none", re.compile(f"{_L},{_L}->{_L}")),
    ("left", re.compile(rf"\.\.\.{_L},{_L}->\.\.\.{_L}")),
    ("right", re.compile(rf"([a-zA-Z]{{2,}})\.\.\.,{_L}->{_L}\.\.\.")),
)


def parse_equation(equation: Any) -> tuple:
    """`(form, input_spec, kernel_spec, output_spec)` of an equation."""
    for form, pattern in _FORMS:
        match = (
            pattern.fullmatch(equation) if isinstance(equation, str) else None
        )
        if match:
            return (form,) + match.groups()
    raise ValueError(
        invalid_argument(
            "EinsumDense",
            "equation",
            "an equation of the form 'ab,bc->ac', "
            "'...ab,bc->...ac' or 'ab...,bc->ac...'",
            equation,
        )
    )


def _label_sizes(
    form: str,
    in_spec: str,
    out_spec: str,
    input_shape: tuple,
    partial: Sequence[int | None],
) -> tuple[dict, dict]:
    """The size of each input label and of each output label."""
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (form == "none" and elided):
        raise ValueError(
            f"the equation input '{in_spec}' does not match inputs of rank "
            f"{len(input_shape)}. Received: input_shape={input_shape}"
        )
    # The batch axis is the first output label, or part of a leading '...'.
    explicit = len(out_spec) - (0 if form == "left" and elided else 1)
    if len(partial) != explicit:
        raise ValueError(
            f"`output_shape` must give {explicit} size(s) for output "
            f"'{out_spec}' (the batch axis and '...' excluded). "
            f"Received: output_shape={tuple(partial)}"
        )
    out_shape = [input_shape[0]] * (len(out_spec) - explicit) + list(partial)
    in_offset = elided if form == "left" else 0
    in_sizes = {c: input_shape[i + in_offset] for i, c in enumerate(in_spec)}
    out_sizes = {}
    for c, size in zip(out_spec, out_shape):
        known = in_sizes.get(c)
        if size is not None and known is not None and size != known:
            raise ValueError(
                f"input and output shapes do not match at shared dimension "
                f"'{c}': input size {known}, output size {size}. Received: "
                f"input_shape={input_shape}, output_shape={tuple(partial)}"
            )
        out_sizes[c] = known if size is None else size
    return in_sizes, out_sizes


def einsum_shapes(
    equation: str,
    bias_axes: str | None,
    input_shape: Sequence[int | None],
    partial: Sequence[int | None],
) -> tuple:
    """`(kernel_shape, bias_shape, input_axes, output_axes)` for an input
    shape, derived as Keras derives them (a `None` in `output_shape` is
    taken from the input where the label is shared)."""
    form, in_spec, w_spec, out_spec = parse_equation(equation)
    input_shape = tuple(input_shape)
    in_sizes, out_sizes = _label_sizes(
        form, in_spec, out_spec, input_shape, partial
    )
    unknown = [c for c in out_spec if c not in in_spec + w_spec] + [
        c for c in w_spec if c not in in_spec + out_spec
    ]
    if unknown:
        raise ValueError(
            f"dimension(s) {unknown} of '{equation}' must appear in two of "
            "the input, kernel and output terms (the kernel must be fully "
            "specified)."
        )
    kernel = [out_sizes.get(c, in_sizes.get(c)) for c in w_spec]
    output_axes = [i for i, c in enumerate(w_spec) if c in out_sizes]
    input_axes = [i for i, c in enumerate(w_spec) if c not in out_sizes]
    bias = None
    if bias_axes is not None:
        if any(c not in out_spec for c in bias_axes):
            raise ValueError(
                f"bias_axes must name labels of the output '{out_spec}'. "
                f"Received: bias_axes={bias_axes!r}"
            )
        first = min(out_spec.index(c) for c in bias_axes)
        bias = [out_sizes[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if form == "right":
            bias += [1] * (len(input_shape) - len(in_spec))
    if None in kernel or (bias is not None and None in bias):
        raise ValueError(
            f"cannot size the weights for '{equation}' (kernel {kernel}, "
            f"bias {bias}): give their sizes in `output_shape`. Received: "
            f"input_shape={input_shape}, output_shape={tuple(partial)}"
        )
    return kernel, bias, input_axes, output_axes


def contracted_axes(equation: str) -> int:
    """How many trailing input axes the kernel's leading axes contract,
    when the einsum is one matrix product (`x.reshape(-1, K) @
    kernel.reshape(K, N)`, output = the input's free axes then the
    kernel's); 0 when it is not (repeated labels, a sum over an input
    axis, a reordered output, a trailing ellipsis).

    Example:

    >>> from lamina.layers.core.einsum_equation import contracted_axes
    >>> contracted_axes("abc,cde->abde"), contracted_axes("abcd,cde->abe")
    (1, 2)
    >>> contracted_axes("abc,cd->acd")
    0
    """
    form, in_spec, w_spec, out_spec = parse_equation(equation)
    if form == "right" or any(
        len(set(spec)) != len(spec) for spec in (in_spec, w_spec, out_spec)
    ):
        return 0
    shared = [c for c in in_spec if c in w_spec]
    n = len(shared)
    free_in, free_w = in_spec[: len(in_spec) - n], w_spec[n:]
    plain = (
        n > 0
        and in_spec[len(in_spec) - n :] == w_spec[:n]
        and not set(shared) & set(out_spec)
        and out_spec == free_in + free_w
    )
    return n if plain else 0
