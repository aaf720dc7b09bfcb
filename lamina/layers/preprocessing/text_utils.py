"""The text steps of `TextVectorization`, as TensorFlow's string ops do
them (so that vocabularies and indices equal Keras's):

- `"lower"`: `tf.strings.lower` without an encoding lowercases ASCII
  letters only (`"É"` stays `"É"`);
- `"strip_punctuation"`: deletes the characters of Keras's regex
  ``[!"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']``;
- `"whitespace"`: `tf.strings.split` splits on runs of ASCII whitespace
  (space, \\t, \\n, \\v, \\f, \\r) and drops empty pieces;
- `"character"`: one token per Unicode code point;
- ngrams: `tf.strings.ngrams` joins each width's windows with a space,
  all windows of the first width first.
"""

from __future__ import annotations

from typing import Any

import re

import numpy as np

_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
)
_STRIP = str.maketrans("", "", "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'")
_TOKEN = re.compile(r"[^ \t\n\v\f\r]+")


_SEPARATOR = "\x00"
# What Python's `str.split()` splits on but TensorFlow's ASCII split keeps.
_OTHER_SPACE = re.compile(
    "[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)


def _at_once(strings: list, transform) -> list:
    """`transform` (character-wise, keeping the separator) applied to all
    strings in one call on their join: one C-level pass instead of one
    Python call per string."""
    text = _SEPARATOR.join(strings)
    if not strings or text.count(_SEPARATOR) != len(strings) - 1:
        return [transform(s) for s in strings]  # a string holds the NUL
    return transform(text).split(_SEPARATOR)


def _standardize_text(text: str, mode) -> str:
    if mode in ("lower", "lower_and_strip_punctuation"):
        text = text.lower() if text.isascii() else text.translate(_LOWER)
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = text.translate(_STRIP)
    return text


def standardize(strings: list, mode: Any) -> list:
    """Apply a built-in standardization to a list of strings."""
    return _at_once(strings, lambda text: _standardize_text(text, mode))


def plain_whitespace(strings: list) -> bool:
    """Whether `str.split()` splits `strings` as TensorFlow does (no
    whitespace beyond space, \\t, \\n, \\v, \\f, \\r)."""
    return _OTHER_SPACE.search(_SEPARATOR.join(strings)) is None


def split(strings: list, mode: Any) -> list:
    """Tokens of each string: a list of lists."""
    if mode == "whitespace":
        if plain_whitespace(strings):
            return [s.split() for s in strings]
        return [_TOKEN.findall(s) for s in strings]
    return [list(s) for s in strings]


def ngrams(rows: list, widths: tuple) -> list:
    """All `width`-grams of each row, width by width."""
    out = []
    for row in rows:
        grams: list[Any] = []
        for width in widths:
            grams.extend(
                " ".join(row[i : i + width])
                for i in range(len(row) - width + 1)
            )
        out.append(grams)
    return out


def rows_of(value: Any) -> list:
    """A callable's result (array, nested list) as a list of lists of
    `str`."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return [
        [
            t.decode("utf-8") if isinstance(t, bytes) else str(t)
            for t in (row.tolist() if isinstance(row, np.ndarray) else row)
        ]
        for row in value
    ]
