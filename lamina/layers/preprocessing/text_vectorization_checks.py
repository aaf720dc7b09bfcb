"""The constructor checks of `TextVectorization`: each argument it
accepts, and the error that names a refused one."""

from __future__ import annotations

from typing import Any

from lamina.errors import invalid_argument
from lamina.layers.preprocessing.lookup_utils import MODES

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")


def _check_modes(standardize: Any, split: Any, output_mode: Any) -> None:
    name = "TextVectorization"
    if not (
        standardize is None
        or standardize in STANDARDIZE
        or callable(standardize)
    ):
        raise ValueError(
            invalid_argument(
                name,
                "standardize",
                f"None, a callable or one of {STANDARDIZE}",
                standardize,
            )
        )
    if not (split is None or split in SPLIT or callable(split)):
        raise ValueError(
            invalid_argument(
                name, "split", f"None, a callable or one of {SPLIT}", split
            )
        )
    if output_mode not in MODES or output_mode == "one_hot":
        # Keras accepts "one_hot" but returns a ragged tensor (TF only).
        raise ValueError(
            invalid_argument(
                name,
                "output_mode",
                "one of ('int', 'multi_hot', 'count', 'tf_idf')",
                output_mode,
            )
        )


def check_arguments(
    standardize: Any,
    split: Any,
    ngrams: Any,
    output_mode: Any,
    output_sequence_length: Any,
    sparse: Any,
    ragged: Any,
) -> None:
    """Check `TextVectorization`'s constructor arguments, naming the
    argument and the value received."""
    _check_modes(standardize, split, output_mode)
    name = "TextVectorization"
    if not (
        ngrams is None
        or isinstance(ngrams, int)
        or (
            isinstance(ngrams, tuple)
            and all(isinstance(n, int) for n in ngrams)
        )
    ):
        raise ValueError(
            invalid_argument(
                name, "ngrams", "None, an int or a tuple of ints", ngrams
            )
        )
    if output_sequence_length is not None and (
        output_mode != "int" or not isinstance(output_sequence_length, int)
    ):
        raise ValueError(
            invalid_argument(
                name,
                "output_sequence_length",
                "None, or an int when `output_mode='int'`",
                output_sequence_length,
            )
        )
    for arg, value in (("sparse", sparse), ("ragged", ragged)):
        if value:
            raise ValueError(
                invalid_argument(
                    name, arg, "False (not supported on torch)", value
                )
            )
