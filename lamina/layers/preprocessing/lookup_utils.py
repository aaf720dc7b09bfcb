"""Helpers of the lookup layers: turning raw inputs (Python lists, NumPy
string/object/integer arrays, tensors) into NumPy arrays, counting tokens
for `adapt`, and the OOV-bucket hash."""

from __future__ import annotations

from typing import Any

import collections
import itertools
import numbers

import numpy as np
import torch

from lamina.errors import invalid_argument
from lamina.layers.preprocessing import hash_functions

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _decode(value, encoding: str):
    return value.decode(encoding) if isinstance(value, bytes) else value


def string_array(
    owner: Any,
    inputs: torch.Tensor,
    encoding: str = "utf-8",
    arg: str = "inputs",
) -> np.ndarray:
    """`inputs` as a NumPy object array of `str` (bytes decoded).

    Raises:
        TypeError: a tensor, a number or any other non-string element.
    """
    if isinstance(inputs, torch.Tensor):
        raise TypeError(
            f"{owner} expects string inputs (a str, a nested list of str or "
            f"a NumPy str/bytes/object array). Received: {arg} a tensor of "
            f"dtype {inputs.dtype}"
        )
    if isinstance(inputs, (str, bytes)):
        return np.array(_decode(inputs, encoding), dtype=object)
    array = (
        np.asarray(inputs, dtype=object)
        if not isinstance(inputs, np.ndarray)
        else inputs
    )
    if array.dtype.kind == "U":
        return array.astype(object)  # every element is a str already
    if array.dtype.kind == "S":
        array = array.astype(object)
    elif array.dtype.kind != "O":
        raise TypeError(
            f"{owner} expects string inputs (a str, a nested list of str or "
            f"a NumPy str/bytes/object array). Received: {arg} of dtype "
            f"{array.dtype}"
        )
    flat = array.reshape(-1).tolist()
    if all(type(v) is str for v in flat):
        return array
    flat = [_decode(v, encoding) for v in flat]
    bad = [v for v in flat if not isinstance(v, str)][:1]
    if bad:
        bad = bad[0]
        raise TypeError(
            f"{owner} expects string inputs. Received: {arg} holding "
            f"{type(bad).__name__} value {bad!r}"
        )
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(array.shape)


def integer_array(owner: Any, inputs: Any, arg: str = "inputs") -> np.ndarray:
    """`inputs` as a NumPy int64 array (an integer tensor, array or list).

    Raises:
        TypeError: strings, floats with fractions, or other values.
    """
    if isinstance(inputs, torch.Tensor):
        array = inputs.detach().cpu().numpy()
    else:
        array = np.asarray(inputs)
    if array.dtype.kind in "iub":
        return array.astype(np.int64)
    if array.dtype.kind == "f" and np.all(np.mod(array, 1) == 0):
        return array.astype(np.int64)
    raise TypeError(
        f"{owner} expects integer inputs. Received: {arg} of dtype "
        f"{array.dtype}"
    )


def oov_buckets(
    values: np.ndarray, num_oov: int, is_string: bool, method: str, salt: Any
) -> np.ndarray:
    """OOV bucket of each value in `[0, num_oov)`, as Keras assigns them:
    `value % num_oov` for integers under `"floormod"`, else a hash of the
    value's string form (FarmHash64, SipHash64 with a salt)."""
    if not is_string and method != "farmhash":
        return np.mod(values.astype(np.int64), num_oov)
    strings = list(values) if is_string else hash_functions.as_strings(values)
    return hash_functions.hash_to_bins(strings, num_oov, salt)


def document_rows(data: np.ndarray) -> list:
    """The documents of an adapt batch as lists of tokens: each row is
    one (a 1-D batch is a single document, as in Keras)."""
    if data.ndim == 0:
        data = data.reshape(1)
    if data.ndim == 1:
        data = data.reshape(1, -1)
    return data.reshape(len(data), -1).tolist()


def count_tokens(
    counts: collections.Counter, doc_counts: Any, rows: list
) -> int:
    """Add the tokens of `rows` (documents) to `counts`, and of each row
    once to `doc_counts` (when given); returns the number of rows."""
    counts.update(itertools.chain.from_iterable(rows))
    if doc_counts is not None:
        for row in rows:
            doc_counts.update(set(row))
    return len(rows)


def sorted_vocabulary(counts: collections.Counter, limit: Any) -> list:
    """Tokens by count, high to low, ties broken by the token, high to low
    (Keras sorts the same way so that vocabularies are deterministic)."""
    ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    tokens = [token for token, _ in ranked]
    return tokens if limit is None else tokens[:limit]


def inverse_document_frequency(
    doc_counts: np.ndarray, num_documents: int
) -> np.ndarray:
    """Keras's idf, `log(1 + N / (1 + df))`, computed in float64 (as
    TensorFlow divides two int64s) and returned in float32."""
    return np.log(
        1 + num_documents / (1 + doc_counts.astype(np.float64))
    ).astype(np.float32)


def check_arguments(
    owner: Any,
    max_tokens: Any,
    num_oov: Any,
    output_mode: str,
    invert: Any,
    sparse: Any,
    idf_weights: Any,
    pad_to_max_tokens: Any,
    oov_method: Any,
) -> None:
    """Check the constructor arguments shared by the lookup layers."""
    name = owner
    if output_mode not in MODES:
        raise ValueError(
            invalid_argument(
                name, "output_mode", f"one of {MODES}", output_mode
            )
        )
    if max_tokens is not None and max_tokens <= 1:
        raise ValueError(
            invalid_argument(
                name, "max_tokens", "None or an int > 1", max_tokens
            )
        )
    if pad_to_max_tokens and max_tokens is None:
        raise ValueError(
            invalid_argument(
                name,
                "max_tokens",
                "an int when `pad_to_max_tokens=True`",
                max_tokens,
            )
        )
    if not isinstance(num_oov, numbers.Integral) or num_oov < 0:
        raise ValueError(
            invalid_argument(name, "num_oov_indices", "an int >= 0", num_oov)
        )
    if oov_method not in ("floormod", "farmhash"):
        raise ValueError(
            invalid_argument(
                name, "oov_method", "'floormod' or 'farmhash'", oov_method
            )
        )
    if invert and output_mode != "int":
        raise ValueError(
            invalid_argument(
                name, "output_mode", "'int' when `invert=True`", output_mode
            )
        )
    if sparse:
        raise ValueError(
            invalid_argument(
                name, "sparse", "False (no sparse outputs on torch)", sparse
            )
        )
    if idf_weights is not None and output_mode != "tf_idf":
        raise ValueError(
            invalid_argument(
                name,
                "idf_weights",
                "None unless `output_mode='tf_idf'`",
                idf_weights,
            )
        )


def sorted_lookup(keys: Any, values: Any, flat: Any) -> np.ndarray:
    where = np.searchsorted(keys, flat).clip(max=len(keys) - 1)
    return np.where(keys[where] == flat, values[where], -1)


def is_batch(data: Any) -> bool:
    return isinstance(
        data,
        (list, tuple, str, bytes, np.ndarray, torch.Tensor, numbers.Number),
    ) or not hasattr(data, "__iter__")


def listify(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return list(value) if isinstance(value, tuple) else value


def short_repr(value: Any) -> str:
    value = listify(value)
    if isinstance(value, list) and len(value) > 10:
        return f"{value[:10]}... ({len(value)} terms)"
    return repr(value)


def check_salt(owner: str, salt: Any) -> Any:
    if salt is None:
        return None
    if (
        isinstance(salt, (list, tuple))
        and len(salt) == 2
        and all(isinstance(s, numbers.Integral) for s in salt)
    ):
        return [int(s) for s in salt]
    if isinstance(salt, numbers.Integral) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    raise ValueError(
        invalid_argument(owner, "salt", "None, an int or a pair of ints", salt)
    )
