"""The vocabulary of the lookup layers (`IndexLookup`): checking a given
vocabulary, reading it from a text file, and laying out its idf weights
in index order."""

from __future__ import annotations

import collections
import os
from typing import Any

import numpy as np

from lamina.errors import invalid_argument
from lamina.layers.preprocessing import lookup_utils


def check_tokens(
    owner: str,
    tokens: list,
    vocabulary: Any,
    specials: list[tuple[str, Any]],
    special_tokens: list,
) -> None:
    """Refuse repeated terms and reserved tokens (`specials`: argument
    name and token) inside `tokens`; `special_tokens` is the prefix a
    vocabulary may start with instead."""
    repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
    if repeated:
        raise ValueError(
            invalid_argument(
                owner,
                "vocabulary",
                f"unique terms (repeated: {repeated[:10]})",
                lookup_utils.short_repr(vocabulary),
            )
        )
    present = set(tokens)
    for arg, token in specials:
        if token is not None and token in present:
            raise ValueError(
                f"{owner}: the reserved {arg} {token!r} is in "
                "`vocabulary`. Pass a vocabulary without the mask and "
                "OOV tokens, or with them only at the start, in this "
                f"order: {special_tokens}. Received: "
                f"vocabulary={lookup_utils.short_repr(vocabulary)}"
            )


def read_vocabulary_file(owner: str, path: str, is_string: bool) -> list:
    """The terms of a text file, one a line (trailing blank lines
    dropped); integers for an integer vocabulary."""
    if not os.path.isfile(path):
        raise ValueError(
            invalid_argument(
                owner,
                "vocabulary",
                "a list of terms or the path of an existing text file",
                path,
            )
        )
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    return lines if is_string else [int(v) for v in lines]


def idf_in_index_order(
    owner: str,
    weights: np.ndarray,
    expected: int,
    front: int,
    size: int | None,
) -> np.ndarray:
    """`weights` (`expected` of them) preceded by `front` copies of their
    mean (the special indices) and zero-padded to `size` if given."""
    if weights.ndim != 1 or len(weights) != expected:
        raise ValueError(
            invalid_argument(
                owner,
                "idf_weights",
                "a 1-D array as long as the vocabulary",
                f"shape {weights.shape}",
            )
        )
    back = 0 if size is None else size - front - len(weights)
    return np.concatenate(
        [
            np.full(front, np.average(weights), np.float32),
            weights,
            np.zeros(max(back, 0), np.float32),
        ]
    ).astype(np.float32)
