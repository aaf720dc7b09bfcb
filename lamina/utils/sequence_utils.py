"""`pad_sequences`: lists of sequences → one padded NumPy array."""

from __future__ import annotations

from typing import Any

import numpy as np


def _lengths(sequences) -> tuple[list, tuple]:
    """Each sequence's length, and the shape of one element (from the
    first non-empty sequence)."""
    lengths, sample_shape = [], None
    for s in sequences:
        try:
            lengths.append(len(s))
        except TypeError:
            raise ValueError(
                "Invalid value for argument `sequences` of pad_sequences: "
                "expected a list of iterables. Received an element: "
                f"{s!r}"
            ) from None
        if sample_shape is None and len(s):
            sample_shape = np.asarray(s).shape[1:]
    return lengths, sample_shape or ()


def _check_choice(name: str, value: str) -> None:
    if value not in ("pre", "post"):
        raise ValueError(
            f"Invalid value for argument `{name}` of pad_sequences: expected "
            f"'pre' or 'post'. Received: {name}={value!r}"
        )


def pad_sequences(
    sequences: Any,
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pad (and truncate) sequences to one length, as Keras does.

    Sequences longer than `maxlen` lose values from the start
    (`truncating="pre"`) or the end (`"post"`); shorter ones get `value`
    before (`padding="pre"`) or after (`"post"`).

    Args:
        sequences: a list of sequences (each a list or array; elements may
            themselves be arrays of one common shape).
        maxlen: the length to pad to; defaults to the longest sequence.
        dtype: the output dtype (strings and `object` are allowed).
        padding: `"pre"` or `"post"`.
        truncating: `"pre"` or `"post"`.
        value: the padding value.

    Returns:
        A NumPy array of shape `(len(sequences), maxlen, ...)`.

    >>> from lamina.utils import pad_sequences
    >>> pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2).tolist()
    [[2, 3], [4, 5], [0, 6]]
    >>> pad_sequences([[1], [2, 3]], padding="post").tolist()
    [[1, 0], [2, 3]]
    """
    _check_choice("padding", padding)
    _check_choice("truncating", truncating)
    lengths, sample_shape = _lengths(sequences)
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_str_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(
        dtype, np.bytes_
    )
    if isinstance(value, str) and dtype is not object and not is_str_dtype:
        raise ValueError(
            "Invalid value for argument `value` of pad_sequences: a string "
            f"padding value needs dtype=object or a string dtype. Received: "
            f"value={value!r}, dtype={dtype!r}"
        )
    out = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype)
    for i, s in enumerate(sequences):
        if not len(s) or not maxlen:
            continue
        kept = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(
                "Invalid value for argument `sequences` of pad_sequences: "
                f"the elements of sequence {i} have shape {kept.shape[1:]}, "
                f"expected {tuple(sample_shape)} like the first one"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, -len(kept) :] = kept
    return out
