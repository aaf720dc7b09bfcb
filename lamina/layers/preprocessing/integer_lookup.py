"""`IntegerLookup`: maps integers to (possibly encoded) vocabulary
indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import invalid_argument
from lamina.layers.preprocessing import lookup_utils
from lamina.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded)
    indices.

    The vocabulary is given (`vocabulary=`) or learned with `adapt()`, most
    frequent values first (ties broken by value, high to low). Index
    layout: the mask value (only in `"int"` mode, when `mask_token` is
    set), then `num_oov_indices` out-of-vocabulary slots, then the values.
    With several OOV slots an unknown value `v` goes to
    `v % num_oov_indices` (`oov_method="floormod"`), or to
    `FarmHash64(str(v)) % num_oov_indices` (`"farmhash"`; SipHash64 keyed
    by `salt` when given), as in Keras.

    Inputs are integer tensors, arrays or lists; outputs are torch tensors
    on the input's device (int64 indices, or float32 encodings).

    Args:
        max_tokens: the largest vocabulary `adapt()` keeps, special tokens
            included; None for no limit.
        num_oov_indices: the number of OOV slots (0 makes unknown inputs
            an error).
        mask_token: a value mapped to index 0 in `"int"` mode and dropped
            by the other modes; None for no mask.
        oov_token: the value `invert=True` returns for OOV indices.
        vocabulary: a list/array of values or a text file path.
        vocabulary_dtype: must be `"int64"`.
        idf_weights: the idf weights of `vocabulary` in `"tf_idf"` mode.
        invert: map indices back to values (`"int"` mode only).
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"` (the last three reduce the last axis).
        sparse: must be False (no sparse outputs on torch).
        pad_to_max_tokens: encode to `max_tokens` columns.
        oov_method: `"floormod"` or `"farmhash"`.
        salt: None, an int or a pair of ints keying the OOV SipHash
            (`oov_method="farmhash"` only).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer([[12, 1138, 42], [42, 1000, 36]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
    >>> inverse = lamina.layers.IntegerLookup(
    ...     vocabulary=[12, 36, 1138, 42], invert=True)
    >>> inverse([[1, 3, 4], [4, 0, 2]]).tolist()
    [[12, 1138, 42], [42, -1, 36]]
    """

    _is_string = False

    def __init__(
        self,
        max_tokens: Any = None,
        num_oov_indices: int = 1,
        mask_token: Any = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                invalid_argument(
                    "IntegerLookup",
                    "vocabulary_dtype",
                    "'int64'",
                    vocabulary_dtype,
                )
            )
        if salt is not None and oov_method != "farmhash":
            raise ValueError(
                invalid_argument(
                    "IntegerLookup",
                    "oov_method",
                    "'farmhash' when `salt` is set",
                    oov_method,
                )
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype=vocabulary_dtype,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _to_array(self, values, arg: str) -> np.ndarray:
        return lookup_utils.integer_array(
            f"{type(self).__name__} '{self.name}'", values, arg
        )

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
