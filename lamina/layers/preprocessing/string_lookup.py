"""`StringLookup`: maps strings to (possibly encoded) vocabulary indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import invalid_argument
from lamina.layers.preprocessing import lookup_utils
from lamina.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    The vocabulary is given (`vocabulary=`, a list or a text file with one
    term a line) or learned with `adapt()`, most frequent terms first
    (ties broken by the term, high to low). Index layout: the mask token
    (only in `"int"` mode, when `mask_token` is set), then
    `num_oov_indices` out-of-vocabulary slots, then the terms. With several
    OOV slots an unknown string goes to `FarmHash64(s) % num_oov_indices`
    (SipHash64 keyed by `salt` when given), as in Keras.

    Inputs are strings: a `str`, a (nested) list of `str`, or a NumPy
    `str`/`bytes`/`object` array; the output is a torch tensor (int64
    indices, or float32 encodings). With `invert=True` indices map back to
    terms and the output is a (nested) list of `str`.

    Args:
        max_tokens: the largest vocabulary `adapt()` keeps, special tokens
            included; None for no limit.
        num_oov_indices: the number of OOV slots (0 makes unknown inputs
            an error).
        mask_token: a term mapped to index 0 in `"int"` mode and dropped
            by the other modes; None for no mask.
        oov_token: the term `invert=True` returns for OOV indices.
        vocabulary: a list/array of terms or a text file path.
        idf_weights: the idf weights of `vocabulary` in `"tf_idf"` mode.
        invert: map indices back to terms (`"int"` mode only).
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"` (the last three reduce the last axis).
        pad_to_max_tokens: encode to `max_tokens` columns.
        sparse: must be False (no sparse outputs on torch).
        encoding: the text encoding of `bytes` inputs.
        salt: None, an int or a pair of ints keying the OOV SipHash.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
    >>> inverse = lamina.layers.StringLookup(
    ...     vocabulary=["a", "b", "c", "d"], invert=True)
    >>> inverse([[1, 3, 4], [4, 0, 2]])
    [['a', 'c', 'd'], ['d', '[UNK]', 'b']]
    """

    def __init__(
        self,
        max_tokens: Any = None,
        num_oov_indices: int = 1,
        mask_token: Any = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ):
        for arg, token in (
            ("mask_token", mask_token),
            ("oov_token", oov_token),
        ):
            if token is not None and not isinstance(token, str):
                raise TypeError(
                    invalid_argument(
                        "StringLookup", arg, "a string or None", token
                    )
                )
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype="string",
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            name=name,
            salt=salt,
            **kwargs,
        )

    def _to_array(self, values, arg: str) -> np.ndarray:
        if self.invert and arg == "inputs":
            return lookup_utils.integer_array(type(self).__name__, values)
        return lookup_utils.string_array(
            f"{type(self).__name__} '{self.name}'", values, self.encoding, arg
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]  # always "string"
        return {**config, "encoding": self.encoding}
